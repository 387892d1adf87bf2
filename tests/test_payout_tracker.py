"""The payout tracker with Stripe: transfers and the connected account's bank payouts move each
payout along approved → sent → in transit → paid (or failed, with why and what to do), through
signed webhooks posted to the real webhook view, and Stripe answered at its HTTP boundary
(tests/fake_stripe.py; localstripe has no Connect accounts, transfers or payouts).

The employer's funding goes through the local gateway; the gateway is switched to Stripe
before the student is paid (as in tests/test_stripe_connect.py).
"""

import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Notification
from engagements import services as engagements
from payments.gateways.stripe_gateway import StripeGateway
from payments.models import Payout, PayoutAccount, WebhookEvent
from tests import fake_stripe
from tests.factories import ProjectFactory, accepted_engagement, employer_of
from tests.fake_stripe import FakeStripe, signature_header

pytestmark = pytest.mark.django_db

SECRET_KEY = "sk_test_fake"
WEBHOOK_SECRET = "whsec_fake"
ACCOUNT = "acct_1Track"


@pytest.fixture(autouse=True)
def _local_gateway_until_switched(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    settings.STRIPE_API_BASE = ""


@pytest.fixture
def fake():
    fake = FakeStripe(api_key=SECRET_KEY)
    fake.serve_transfers()
    fake.serve_bank_payouts()
    return fake


@pytest.fixture
def use_stripe(settings, monkeypatch, fake):
    def switch() -> FakeStripe:
        settings.STRIPE_SECRET_KEY = SECRET_KEY
        settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        monkeypatch.setattr(
            "payments.gateways.get_gateway", lambda: StripeGateway(http_client=fake)
        )
        return fake

    return switch


def paid_engagement(on_commit, student=None, fee_cents=40000):
    """Funded, then, on Stripe, approved: the transfer to the student is made."""
    engagement = accepted_engagement(
        student=student, project=ProjectFactory(hours=20, fee_cents=fee_cents)
    )
    employer = employer_of(engagement.project)
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(note="Done", links=["https://example.com/r"], files=[]),
    )
    with on_commit():
        engagements.submission_approve(actor=employer, engagement=engagement)
    engagement.refresh_from_db()
    return engagement


def stripe_account(student, provider_id=ACCOUNT, **fields):
    values = {
        "details_submitted": True,
        "payouts_enabled": True,
        "tax_form": "w9",
        "tax_info_provided": True,
        **fields,
    }
    return PayoutAccount.objects.create(
        user=student, gateway="stripe", provider_id=provider_id, **values
    )


def post_event(client, on_commit, event_id, event_type, obj, account=None):
    payload = json.dumps(fake_stripe.event(event_id, event_type, obj, account=account))
    with on_commit():
        return client.post(
            reverse("payments:stripe_webhook"),
            data=payload,
            content_type="application/json",
            headers={"Stripe-Signature": signature_header(payload, WEBHOOK_SECRET)},
        )


def at(text):
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def steps(payout):
    return list(payout.events.order_by("at", "id").values_list("step", flat=True))


def make_paid(on_commit, student, fee_cents=40000):
    engagement = paid_engagement(on_commit, student=student, fee_cents=fee_cents)
    return Payout.objects.get(engagement=engagement)


# --- The timeline ---------------------------------------------------------------------------


def test_a_payout_walks_approved_sent_in_transit_paid_through_webhooks(
    client, use_stripe, on_commit, student
):
    fake = use_stripe()
    stripe_account(student)
    with time_machine.travel(datetime(2026, 3, 5, 15, 0, tzinfo=UTC), tick=False):  # Thursday
        payout = make_paid(on_commit, student)
    assert payout.status == "paid" and payout.delivery == ""
    assert steps(payout) == ["approved", "sent"]
    bank = fake_stripe.bank_payout(
        "po_1Track", amount=40000, created=at("2026-03-05T16:00:00"), arrival_date=None
    )
    bank["arrival_date"] = at("2026-03-09T00:00:00")  # Stripe's own date wins
    fake.bank_payouts[(ACCOUNT, "po_1Track")] = bank

    response = post_event(client, on_commit, "evt_po1", "payout.created", bank, account=ACCOUNT)

    assert response.status_code == 200
    assert WebhookEvent.objects.get(event_id="evt_po1").status == "processed"
    (read,) = fake.requests_to("GET", "/v1/payouts/")
    assert (read.path, read.stripe_account) == ("/v1/payouts/po_1Track", ACCOUNT)
    payout.refresh_from_db()
    assert (payout.delivery, payout.bank_payout_id) == ("in_transit", "po_1Track")
    assert payout.expected_arrival == date(2026, 3, 9)
    client.force_login(student)
    page = client.get(reverse("payments:earnings")).content.decode()
    assert "Expected in your bank by Mon, Mar 9, 2026" in page
    assert 'data-stage="in_transit"' in page

    fake.bank_payouts[(ACCOUNT, "po_1Track")] = {**bank, "status": "paid"}
    post_event(client, on_commit, "evt_po2", "payout.paid", {**bank, "status": "paid"}, ACCOUNT)

    payout.refresh_from_db()
    assert payout.delivery == "paid" and payout.arrived_at is not None
    assert steps(payout) == ["approved", "sent", "in_transit", "paid"]
    page = client.get(reverse("payments:earnings")).content.decode()
    assert 'data-stage="paid"' in page and "Arrived in your bank on" in page


def test_events_out_of_order_or_twice_end_where_stripe_is(client, use_stripe, on_commit, student):
    fake = use_stripe()
    stripe_account(student)
    payout = make_paid(on_commit, student)
    bank = fake_stripe.bank_payout("po_1Late", amount=40000, status="paid")
    fake.bank_payouts[(ACCOUNT, "po_1Late")] = bank

    # payout.paid arrives first; then the late payout.created, whose snapshot is stale.
    post_event(client, on_commit, "evt_paid", "payout.paid", bank, account=ACCOUNT)
    post_event(
        client, on_commit, "evt_created", "payout.created", {**bank, "status": "pending"}, ACCOUNT
    )
    # Stripe is read again for every event: a stale read (in transit) cannot undo "paid".
    fake.bank_payouts[(ACCOUNT, "po_1Late")] = {**bank, "status": "in_transit"}
    post_event(client, on_commit, "evt_updated", "payout.updated", bank, account=ACCOUNT)
    # The same event again: stored once, handled once.
    again = post_event(client, on_commit, "evt_paid", "payout.paid", bank, account=ACCOUNT)

    assert again.status_code == 200
    payout.refresh_from_db()
    assert payout.delivery == "paid"
    assert steps(payout) == ["approved", "sent", "paid"]
    assert WebhookEvent.objects.filter(event_id="evt_paid").count() == 1
    assert len(fake.requests_to("GET", "/v1/payouts/")) == 3


def test_a_failed_bank_payout_says_why_and_what_to_do_and_the_next_one_carries_it(
    client, use_stripe, on_commit, student
):
    fake = use_stripe()
    stripe_account(student)
    payout = make_paid(on_commit, student)
    bank = fake_stripe.bank_payout("po_1Fail", amount=40000)
    fake.bank_payouts[(ACCOUNT, "po_1Fail")] = bank
    post_event(client, on_commit, "evt_f1", "payout.created", bank, account=ACCOUNT)
    failed = {**bank, "status": "failed", "failure_code": "account_closed"}
    fake.bank_payouts[(ACCOUNT, "po_1Fail")] = failed

    post_event(client, on_commit, "evt_f2", "payout.failed", failed, account=ACCOUNT)

    payout.refresh_from_db()
    assert (payout.delivery, payout.failure_code) == ("failed", "account_closed")
    assert steps(payout) == ["approved", "sent", "in_transit", "failed"]
    told = Notification.objects.get(recipient=student, kind="payout.bank_failed")
    assert "The bank account is closed." in told.message
    client.force_login(student)
    page = client.get(reverse("payments:earnings")).content.decode()
    assert "Your bank returned this payout." in page
    assert "The bank account is closed. Add a bank account that is open." in page
    assert reverse("payments:bank_details") in page

    # "Update your bank details" opens Stripe's Express dashboard for this account.
    fake.queue(
        "POST",
        f"/v1/accounts/{ACCOUNT}/login_links",
        {"object": "login_link", "created": 1, "url": "https://connect.stripe.com/express/x"},
    )
    response = client.post(reverse("payments:bank_details"))
    assert response.url == "https://connect.stripe.com/express/x"

    # The money went back to the account's balance; the next bank payout carries it.
    retry = fake_stripe.bank_payout("po_2Again", amount=40000, status="paid")
    fake.bank_payouts[(ACCOUNT, "po_2Again")] = retry
    post_event(client, on_commit, "evt_f3", "payout.paid", retry, account=ACCOUNT)

    payout.refresh_from_db()
    assert (payout.delivery, payout.bank_payout_id, payout.failure_code) == (
        "paid",
        "po_2Again",
        "",
    )
    assert steps(payout) == ["approved", "sent", "in_transit", "failed", "paid"]


def test_a_bank_payout_carries_only_the_transfers_made_before_it(
    client, use_stripe, on_commit, student
):
    fake = use_stripe()
    stripe_account(student)
    with time_machine.travel(datetime(2026, 4, 1, 10, 0, tzinfo=UTC), tick=False):
        first = make_paid(on_commit, student)
    with time_machine.travel(datetime(2026, 4, 2, 10, 0, tzinfo=UTC), tick=False):
        second = make_paid(on_commit, student, fee_cents=30000)
    bank = fake_stripe.bank_payout("po_1Some", amount=40000, created=at("2026-04-01T12:00:00"))
    fake.bank_payouts[(ACCOUNT, "po_1Some")] = bank

    post_event(client, on_commit, "evt_some", "payout.created", bank, account=ACCOUNT)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.delivery, first.bank_payout_id) == ("in_transit", "po_1Some")
    assert (second.delivery, second.bank_payout_id) == ("", "")


def test_a_payout_event_of_another_account_or_another_students_payout_changes_nothing(
    client, use_stripe, on_commit, student, other_student
):
    fake = use_stripe()
    stripe_account(student)
    stripe_account(other_student, provider_id="acct_2Other")
    mine = make_paid(on_commit, student)
    bank = fake_stripe.bank_payout("po_1Theirs", amount=40000)
    fake.bank_payouts[("acct_2Other", "po_1Theirs")] = bank

    post_event(client, on_commit, "evt_other", "payout.created", bank, account="acct_2Other")
    post_event(client, on_commit, "evt_none", "payout.created", bank, account="acct_9Unknown")

    mine.refresh_from_db()
    assert mine.delivery == "" and steps(mine) == ["approved", "sent"]
    assert WebhookEvent.objects.get(event_id="evt_none").status == "ignored"


def test_a_reversed_transfer_shows_on_the_timeline(client, use_stripe, on_commit, student):
    fake = use_stripe()
    stripe_account(student)
    payout = make_paid(on_commit, student)
    fake.transfers[payout.provider_id]["reversed"] = True

    post_event(
        client,
        on_commit,
        "evt_rev",
        "transfer.reversed",
        fake.transfers[payout.provider_id],
    )

    payout.refresh_from_db()
    assert payout.status == "reversed"
    assert steps(payout) == ["approved", "sent", "reversed"]
    client.force_login(student)
    assert (
        "This transfer was reversed." in client.get(reverse("payments:earnings")).content.decode()
    )


# --- Tax information ---------------------------------------------------------------------------


def test_payouts_wait_for_the_tax_information_and_go_out_when_stripe_has_it(
    client, use_stripe, on_commit, student
):
    fake = use_stripe()
    PayoutAccount.objects.create(user=student, gateway="stripe", provider_id=ACCOUNT)
    fake.queue(
        "GET",
        f"/v1/accounts/{ACCOUNT}",
        # Set up, but Stripe still needs the taxpayer number (W-9).
        fake_stripe.account(ACCOUNT, details_submitted=True, payouts_enabled=True, tax_info=False),
        fake_stripe.account(
            ACCOUNT,
            details_submitted=True,
            payouts_enabled=True,
            schedule={"delay_days": 4, "interval": "weekly", "weekly_anchor": "friday"},
        ),
    )
    post_event(client, on_commit, "evt_a1", "account.updated", fake_stripe.account(ACCOUNT))
    account = PayoutAccount.objects.get(user=student)
    assert account.is_ready and (account.tax_form, account.tax_info_provided) == ("w9", False)

    payout = make_paid(on_commit, student)

    assert payout.status == "waiting_for_tax" and payout.provider_id is None
    assert fake.requests_to("POST", "/v1/transfers") == []
    assert steps(payout) == ["approved", "waiting_for_tax"]
    client.force_login(student)
    page = client.get(reverse("payments:earnings")).content.decode()
    assert "Waiting for your tax information" in page
    assert "Give the W-9 (US person) information" in page

    post_event(client, on_commit, "evt_a2", "account.updated", fake_stripe.account(ACCOUNT))

    payout.refresh_from_db()
    account.refresh_from_db()
    assert account.tax_info_provided and account.tax_info_provided_at is not None
    assert (account.payout_delay_days, account.payout_interval, account.payout_anchor) == (
        4,
        "weekly",
        4,
    )
    assert payout.status == "paid"
    assert steps(payout) == ["approved", "waiting_for_tax", "sent"]
    page = client.get(reverse("payments:earnings")).content.decode()
    assert "W-9 (US person)" in page and "Weekly, 4 business days after each transfer" in page


def test_someone_outside_the_us_gives_a_w8ben(client, use_stripe, on_commit, student):
    fake = use_stripe()
    PayoutAccount.objects.create(user=student, gateway="stripe", provider_id=ACCOUNT)
    fake.queue(
        "GET",
        f"/v1/accounts/{ACCOUNT}",
        fake_stripe.account(
            ACCOUNT, details_submitted=True, payouts_enabled=True, residence="DE", tax_info=False
        ),
        fake_stripe.account(ACCOUNT, details_submitted=True, payouts_enabled=True, residence="DE"),
    )

    post_event(client, on_commit, "evt_w1", "account.updated", fake_stripe.account(ACCOUNT))
    account = PayoutAccount.objects.get(user=student)
    assert (account.tax_form, account.tax_info_provided) == ("w8ben", False)
    post_event(client, on_commit, "evt_w2", "account.updated", fake_stripe.account(ACCOUNT))
    account.refresh_from_db()
    assert (account.tax_form, account.tax_info_provided) == ("w8ben", True)


def test_a_new_stripe_account_asks_stripe_to_collect_the_tax_form(client, use_stripe, student):
    fake = use_stripe()
    fake.queue("POST", "/v1/accounts", fake_stripe.account("acct_1New"))
    fake.queue("POST", "/v1/account_links", fake_stripe.account_link("https://connect.test/x"))
    client.force_login(student)

    client.post(reverse("payments:connect"))

    (created,) = fake.requests_to("POST", "/v1/accounts")
    assert created.params["capabilities[tax_reporting_us_1099_misc][requested]"] == "true"
