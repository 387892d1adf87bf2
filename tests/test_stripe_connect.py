"""Payouts through Stripe Connect: accounts, onboarding, transfers, retries, reversals and
dispute splits, checked request by request at Stripe's HTTP boundary (tests/fake_stripe.py).

The employer's funding goes through the local gateway (a Stripe payment would need payment
intents and their webhooks); the gateway is switched to Stripe before the student is paid.
"""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from engagements import services as engagements
from payments import ledger
from payments import services as payments
from payments.gateways.stripe_gateway import StripeGateway
from payments.models import LedgerEntry, Payout, PayoutAccount, Refund, WebhookEvent
from tests import fake_stripe
from tests.factories import StudentFactory, accepted_engagement, employer_of
from tests.fake_stripe import FakeStripe, signature_header

pytestmark = pytest.mark.django_db

SECRET_KEY = "sk_test_fake"
WEBHOOK_SECRET = "whsec_fake"


@pytest.fixture(autouse=True)
def _local_gateway_until_switched(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    settings.STRIPE_API_BASE = ""


@pytest.fixture
def fake():
    return FakeStripe(api_key=SECRET_KEY)


@pytest.fixture
def use_stripe(settings, monkeypatch, fake):
    """Switch the payment services and the webhooks to Stripe, answered by `fake`."""

    def switch() -> FakeStripe:
        settings.STRIPE_SECRET_KEY = SECRET_KEY
        settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET

        def gateway():
            return StripeGateway(http_client=fake)

        monkeypatch.setattr("payments.gateways.get_gateway", gateway)
        return fake

    return switch


def funded_engagement():
    """Accepted and paid for by the employer ($400 fee + $40 platform fee, local gateway)."""
    engagement = accepted_engagement(funded=False)
    employer = employer_of(engagement.project)
    payment = payments.engagement_fund(actor=employer, engagement=engagement)
    payments.local_payment_complete(actor=employer, payment=payment, succeed=True)
    engagement.refresh_from_db()
    assert engagement.status == "active"
    return engagement


def submit(engagement):
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(
            note="The report", links=["https://example.com/report"], files=[]
        ),
    )


def approve(engagement, on_commit):
    with on_commit():
        engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)


def ready_account(student, provider_id, gateway="stripe"):
    return PayoutAccount.objects.create(
        user=student,
        gateway=gateway,
        provider_id=provider_id,
        details_submitted=True,
        payouts_enabled=True,
        tax_form="w9",
        tax_info_provided=True,
    )


def disputed_engagement():
    """Funded, six hours logged, then the employer asks to cancel: a dispute."""
    engagement = funded_engagement()
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=24,
        description="Collected the competitors' prices",
    )
    engagements.engagement_request_cancel(
        actor=employer_of(engagement.project),
        engagement=engagement,
        reason="We changed our plans.",
    )
    engagement.refresh_from_db()
    assert engagement.status == "disputed"
    return engagement


def post_event(client, on_commit, event_id, event_type, obj):
    payload = json.dumps(fake_stripe.event(event_id, event_type, obj))
    with on_commit():
        return client.post(
            reverse("payments:stripe_webhook"),
            data=payload,
            content_type="application/json",
            headers={"Stripe-Signature": signature_header(payload, WEBHOOK_SECRET)},
        )


def the_transfer(fake):
    (transfer_id,) = fake.transfers
    return fake.transfers[transfer_id]


def assert_paid_once(engagement, transfer_id):
    payout = Payout.objects.get(engagement=engagement)
    assert payout.status == "paid" and payout.paid_at
    assert payout.provider_id == transfer_id
    engagement.refresh_from_db()
    assert engagement.status == "paid" and engagement.paid_at
    assert list(
        LedgerEntry.objects.filter(engagement=engagement, kind="payout").values_list(
            "amount_cents", flat=True
        )
    ) == [-engagement.fee_cents]
    assert ledger.balance(engagement.pk) == 0


def transfer_params(engagement, destination):
    payout = Payout.objects.get(engagement=engagement)
    return {
        "amount": str(engagement.fee_cents),
        "currency": "usd",
        "destination": destination,
        "source_transaction": engagement.payments.get().charge_id,
        "metadata[payout_id]": str(payout.pk),
        "metadata[engagement_id]": str(engagement.pk),
    }


# --- Connecting a payout account ------------------------------------------------------------


def test_a_student_connects_one_payout_account_and_gets_a_fresh_link_each_time(
    client, student, use_stripe
):
    fake = use_stripe()
    fake.queue("POST", "/v1/accounts", fake_stripe.account("acct_1Conn", email=student.email))
    fake.queue(
        "POST",
        "/v1/account_links",
        fake_stripe.account_link("https://connect.stripe.com/setup/e/acct_1Conn/first"),
        fake_stripe.account_link("https://connect.stripe.com/setup/e/acct_1Conn/second"),
    )
    client.force_login(student)

    first = client.post(reverse("payments:connect"))

    assert first.status_code == 302
    assert first.url == "https://connect.stripe.com/setup/e/acct_1Conn/first"
    created, link = fake.requests
    assert (created.method, created.path) == ("POST", "/v1/accounts")
    assert created.params == {
        "type": "express",
        "country": "US",
        "email": student.email,
        "business_type": "individual",
        "capabilities[transfers][requested]": "true",
        "capabilities[tax_reporting_us_1099_misc][requested]": "true",
        "metadata[user_id]": str(student.pk),
    }
    assert created.idempotency_key == f"account-user-{student.pk}"
    assert (link.method, link.path) == ("POST", "/v1/account_links")
    assert link.params == {
        "account": "acct_1Conn",
        "type": "account_onboarding",
        "refresh_url": "http://testserver" + reverse("payments:connect_refresh"),
        "return_url": "http://testserver" + reverse("payments:connect_return"),
    }
    account = PayoutAccount.objects.get(user=student)
    assert (account.gateway, account.provider_id, account.is_ready) == (
        "stripe",
        "acct_1Conn",
        False,
    )

    again = client.post(reverse("payments:connect"))

    assert again.url == "https://connect.stripe.com/setup/e/acct_1Conn/second"
    assert len(fake.requests_to("POST", "/v1/accounts")) == 1
    (_, second_link) = fake.requests_to("POST", "/v1/account_links")
    assert second_link.params["account"] == "acct_1Conn"
    assert PayoutAccount.objects.filter(user=student).count() == 1
    assert fake.unexpected == []


def test_returning_from_onboarding_sends_the_payouts_that_waited_for_the_account(
    client, use_stripe, on_commit
):
    engagement = funded_engagement()
    student = engagement.student
    fake = use_stripe()
    fake.queue("POST", "/v1/accounts", fake_stripe.account("acct_1Ret", email=student.email))
    fake.queue("POST", "/v1/account_links", fake_stripe.account_link("https://connect.test/1"))
    payments.payout_account_start(
        user=student,
        refresh_url="https://interns.example/refresh",
        return_url="https://interns.example/return",
    )
    submit(engagement)
    approve(engagement, on_commit)
    payout = Payout.objects.get(engagement=engagement)
    assert payout.status == "waiting_for_account"
    assert fake.requests_to("POST", "/v1/transfers") == []
    fake.queue(
        "GET",
        "/v1/accounts/acct_1Ret",
        fake_stripe.account("acct_1Ret", details_submitted=True, payouts_enabled=True),
    )
    fake.serve_transfers()
    client.force_login(student)

    with on_commit():
        response = client.get(reverse("payments:connect_return"))

    assert response.url == reverse("payments:earnings")
    assert [(r.method, r.path) for r in fake.requests[2:]] == [
        ("GET", "/v1/accounts/acct_1Ret"),
        ("POST", "/v1/transfers"),
    ]
    (sent,) = fake.requests_to("POST", "/v1/transfers")
    assert sent.params == transfer_params(engagement, "acct_1Ret")
    assert sent.idempotency_key == f"payout-{payout.pk}"
    assert_paid_once(engagement, the_transfer(fake)["id"])
    assert PayoutAccount.objects.get(user=student).is_ready
    assert fake.unexpected == []


def test_an_account_updated_webhook_rereads_the_account_and_sends_waiting_payouts(
    client, use_stripe, on_commit
):
    engagement = funded_engagement()
    student = engagement.student
    fake = use_stripe()
    PayoutAccount.objects.create(user=student, gateway="stripe", provider_id="acct_1Hook")
    submit(engagement)
    approve(engagement, on_commit)
    assert Payout.objects.get(engagement=engagement).status == "waiting_for_account"
    fake.queue(
        "GET",
        "/v1/accounts/acct_1Hook",
        fake_stripe.account("acct_1Hook", details_submitted=True, payouts_enabled=True),
    )
    fake.serve_transfers()

    # The event's snapshot is stale (not ready): the handler believes Stripe, not the event.
    response = post_event(
        client, on_commit, "evt_1Acct", "account.updated", fake_stripe.account("acct_1Hook")
    )

    assert response.status_code == 200
    assert [(r.method, r.path) for r in fake.requests] == [
        ("GET", "/v1/accounts/acct_1Hook"),
        ("POST", "/v1/transfers"),
    ]
    (sent,) = fake.requests_to("POST", "/v1/transfers")
    assert sent.params == transfer_params(engagement, "acct_1Hook")
    assert sent.idempotency_key == f"payout-{Payout.objects.get().pk}"
    assert_paid_once(engagement, the_transfer(fake)["id"])
    assert WebhookEvent.objects.get(event_id="evt_1Acct").status == "processed"


def test_a_webhook_with_a_wrong_signature_is_refused_and_changes_nothing(client, use_stripe):
    fake = use_stripe()
    payload = json.dumps(
        fake_stripe.event("evt_1Forged", "account.updated", fake_stripe.account("acct_1X"))
    )

    response = client.post(
        reverse("payments:stripe_webhook"),
        data=payload,
        content_type="application/json",
        headers={"Stripe-Signature": signature_header(payload, "whsec_someone_else")},
    )

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
    assert fake.requests == []


# --- Failed transfers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure, requests_per_try, error_shown",
    [
        (
            fake_stripe.error(
                400,
                "Your destination account needs to have at least one of the following "
                "capabilities enabled: transfers, crypto_transfers, legacy_payments",
                code="insufficient_capabilities_for_transfer",
            ),
            1,
            "The payment provider refused the request: Your destination account needs",
        ),
        # The library tries twice more itself (max_network_retries=2), with the same key.
        (fake_stripe.ConnectionFailure(), 3, "Our payment provider could not be reached"),
    ],
    ids=["refused", "unreachable"],
)
def test_a_failed_transfer_is_retried_later(
    client, use_stripe, on_commit, failure, requests_per_try, error_shown
):
    engagement = funded_engagement()
    fake = use_stripe()
    ready_account(engagement.student, "acct_1Retry")
    fake.queue("POST", "/v1/transfers", *[failure] * requests_per_try)
    fake.serve_transfers()
    submit(engagement)

    approve(engagement, on_commit)

    payout = Payout.objects.get(engagement=engagement)
    assert payout.status == "failed" and payout.attempts == 1
    assert payout.last_error.startswith(error_shown)
    assert payout.next_attempt_at > timezone.now()
    assert payout.provider_id is None and payout.paid_at is None
    engagement.refresh_from_db()
    assert engagement.status == "approved"
    assert not LedgerEntry.objects.filter(engagement=engagement, kind="payout").exists()
    assert ledger.balance(engagement.pk) == engagement.fee_cents
    client.force_login(engagement.student)
    page = client.get(reverse("payments:earnings")).content.decode()
    assert "Failed, will retry" in page and "Next try" in page

    assert payments.payouts_retry_due() == 0  # not due yet
    assert len(fake.requests_to("POST", "/v1/transfers")) == requests_per_try

    due = payout.next_attempt_at + timedelta(minutes=1)
    with time_machine.travel(due, tick=False), on_commit():
        assert payments.payouts_retry_due() == 1

    sent = fake.requests_to("POST", "/v1/transfers")
    assert len(sent) == requests_per_try + 1
    keys = [r.idempotency_key for r in sent]
    if requests_per_try == 1:
        # Refused: the provider keeps that answer for the key, so the retry needs a new one.
        assert keys == [f"payout-{payout.pk}", f"payout-{payout.pk}-r1"]
    else:
        # Unreachable: the transfer may have happened, so the same key guards against a double.
        assert set(keys) == {f"payout-{payout.pk}"}
    assert all(r.params == transfer_params(engagement, "acct_1Retry") for r in sent)
    assert_paid_once(engagement, the_transfer(fake)["id"])
    payout.refresh_from_db()
    assert payout.attempts == 2 and payout.last_error == ""
    page = client.get(reverse("payments:earnings")).content.decode()
    assert "Failed, will retry" not in page


# --- Reversals ------------------------------------------------------------------------------


def test_a_reversed_transfer_is_recorded_once_from_stripe_not_from_the_event(
    client, use_stripe, on_commit
):
    engagement = funded_engagement()
    fake = use_stripe()
    ready_account(engagement.student, "acct_1Rev")
    fake.serve_transfers()
    submit(engagement)
    approve(engagement, on_commit)
    transfer = the_transfer(fake)
    assert_paid_once(engagement, transfer["id"])
    fake.transfers[transfer["id"]] = {**transfer, "reversed": True, "amount_reversed": 40000}

    response = post_event(
        client, on_commit, "evt_1Rev", "transfer.reversed", fake.transfers[transfer["id"]]
    )

    assert response.status_code == 200
    assert [r.path for r in fake.requests_to("GET", "/v1/transfers/")] == [
        f"/v1/transfers/{transfer['id']}"
    ]
    payout = Payout.objects.get(engagement=engagement)
    assert payout.status == "reversed"
    reversals = LedgerEntry.objects.filter(payout=payout, kind="reversal")
    assert list(reversals.values_list("amount_cents", flat=True)) == [payout.amount_cents]
    assert ledger.balance(engagement.pk) == payout.amount_cents

    replay = post_event(
        client, on_commit, "evt_1Rev", "transfer.reversed", fake.transfers[transfer["id"]]
    )
    later = post_event(
        client, on_commit, "evt_2Upd", "transfer.updated", fake.transfers[transfer["id"]]
    )

    assert replay.status_code == later.status_code == 200
    # The replay is the same stored event: not handled again. A later event is read again
    # from Stripe and finds nothing left to do.
    assert len(fake.requests_to("GET", "/v1/transfers/")) == 2
    assert WebhookEvent.objects.count() == 2
    payout.refresh_from_db()
    assert payout.status == "reversed"
    assert reversals.count() == 1
    assert LedgerEntry.objects.filter(engagement=engagement, kind="payout").count() == 1
    assert ledger.balance(engagement.pk) == payout.amount_cents
    assert len(fake.requests_to("POST", "/v1/transfers")) == 1


# --- Disputes -------------------------------------------------------------------------------


def test_a_dispute_split_pays_the_student_their_part_and_refunds_the_rest_with_its_fee(
    use_stripe, platform_admin, on_commit
):
    engagement = disputed_engagement()
    payment = engagement.payments.get()
    fake = use_stripe()
    ready_account(engagement.student, "acct_1Split")
    fake.serve_transfers()
    fake.on(
        "POST",
        "/v1/refunds",
        lambda request: fake_stripe.refund(
            "re_1Split",
            amount=int(request.params["amount"]),
            payment_intent=request.params["payment_intent"],
        ),
    )

    with on_commit():
        payout = payments.dispute_settle(
            actor=platform_admin,
            engagement=engagement,
            student_cents=15000,
            note="About a third of the research was delivered.",
        )

    # $400 fee + $40 platform fee funded. The student gets $150; the employer gets back the
    # other $250 and the $25 platform fee on it; the platform keeps $15, its fee on $150.
    (sent,) = fake.requests_to("POST", "/v1/transfers")
    assert sent.params == {
        "amount": "15000",
        "currency": "usd",
        "destination": "acct_1Split",
        "source_transaction": payment.charge_id,
        "metadata[payout_id]": str(payout.pk),
        "metadata[engagement_id]": str(engagement.pk),
    }
    assert sent.idempotency_key == f"payout-{payout.pk}"
    refund = Refund.objects.get()
    (refunded,) = fake.requests_to("POST", "/v1/refunds")
    assert refunded.params == {"payment_intent": payment.provider_id, "amount": "27500"}
    assert refunded.idempotency_key == f"refund-{refund.pk}"
    assert (refund.status, refund.amount_cents, refund.platform_fee_cents) == (
        "succeeded",
        27500,
        2500,
    )
    payout.refresh_from_db()
    assert (payout.status, payout.amount_cents) == ("paid", 15000)
    assert payout.provider_id == the_transfer(fake)["id"]
    assert sorted(
        LedgerEntry.objects.filter(engagement=engagement).values_list("kind", "amount_cents")
    ) == sorted(
        [
            ("funding_received", 44000),
            ("platform_fee", -4000),
            ("refund", -27500),
            ("reversal", 2500),
            ("payout", -15000),
        ]
    )
    assert ledger.balance(engagement.pk) == 0
    engagement.refresh_from_db()
    assert engagement.status == "cancelled" and engagement.settled_at and engagement.paid_at
    assert fake.unexpected == []


def test_a_platform_admin_settles_a_dispute_on_the_admin_page(client, platform_admin, on_commit):
    engagement = disputed_engagement()
    student = engagement.student
    ready_account(student, f"local_acct_{student.pk}", gateway="local")
    url = reverse("admin:payments_settle_dispute", args=[engagement.pk])
    client.force_login(platform_admin)

    page = client.get(url)

    assert page.status_code == 200
    assert "fee funded: $400.00" in page.content.decode()

    with on_commit():
        response = client.post(
            url, {"student_amount": "262.50", "note": "Most of the research was delivered."}
        )

    assert response.status_code == 302
    assert response.url == reverse("admin:engagements_engagement_change", args=[engagement.pk])
    payout = Payout.objects.get(engagement=engagement)
    assert (payout.status, payout.amount_cents) == ("paid", 26250)
    refund = Refund.objects.get()
    # $137.50 of the fee back, with the $13.75 platform fee on it.
    assert (refund.status, refund.amount_cents, refund.platform_fee_cents) == (
        "succeeded",
        15125,
        1375,
    )
    assert ledger.balance(engagement.pk) == 0
    engagement.refresh_from_db()
    assert engagement.status == "cancelled"
    assert engagement.settlement_note == "Most of the research was delivered."


def test_a_settlement_above_the_funded_fee_is_refused(client, platform_admin):
    engagement = disputed_engagement()
    client.force_login(platform_admin)

    response = client.post(
        reverse("admin:payments_settle_dispute", args=[engagement.pk]),
        {"student_amount": "400.01", "note": "All of it, and a cent."},
    )

    assert response.status_code == 200
    assert "Between $0 and $400.00" in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.status == "disputed"
    assert not Payout.objects.exists() and not Refund.objects.exists()


@pytest.mark.parametrize(
    "who, status", [("career_staff", 403), ("employer_of_it", 302), ("its_student", 302)]
)
def test_only_platform_admins_open_the_settle_page(client, request, who, status):
    engagement = disputed_engagement()
    users = {
        "career_staff": lambda: request.getfixturevalue("career_staff"),
        "employer_of_it": lambda: employer_of(engagement.project),
        "its_student": lambda: engagement.student,
    }
    client.force_login(users[who]())
    url = reverse("admin:payments_settle_dispute", args=[engagement.pk])

    opened = client.get(url)
    posted = client.post(url, {"student_amount": "400.00", "note": "All to the student."})

    for response in (opened, posted):
        assert response.status_code == status
        if status == 302:
            assert response.url.startswith(reverse("admin:login"))
    engagement.refresh_from_db()
    assert engagement.status == "disputed"
    assert not Payout.objects.exists() and not Refund.objects.exists()


def test_syncing_payout_accounts_releases_payouts_that_waited_for_tax_information(
    use_stripe, on_commit
):
    engagement = funded_engagement()
    student = engagement.student
    fake = use_stripe()
    # Set up before the tax information was recorded here: Stripe has it, this row does not.
    PayoutAccount.objects.create(
        user=student,
        gateway="stripe",
        provider_id="acct_1Old",
        details_submitted=True,
        payouts_enabled=True,
    )
    idle = PayoutAccount.objects.create(
        user=StudentFactory().user, gateway="stripe", provider_id="acct_1Idle"
    )
    submit(engagement)
    approve(engagement, on_commit)
    assert Payout.objects.get(engagement=engagement).status == "waiting_for_tax"
    fake.queue(
        "GET",
        "/v1/accounts/acct_1Old",
        fake_stripe.account("acct_1Old", details_submitted=True, payouts_enabled=True),
    )
    fake.serve_transfers()
    out = StringIO()

    with on_commit():
        call_command("sync_payout_accounts", stdout=out)

    assert out.getvalue().strip() == "1 payout account read from Stripe; 1 can receive payouts now."
    # Only the account whose payouts waited was read; its payout went out.
    assert [(r.method, r.path) for r in fake.requests] == [
        ("GET", "/v1/accounts/acct_1Old"),
        ("POST", "/v1/transfers"),
    ]
    account = PayoutAccount.objects.get(provider_id="acct_1Old")
    assert account.tax_info_provided and account.tax_form == "w9"
    assert Payout.objects.get(engagement=engagement).status == "paid"
    idle.refresh_from_db()
    assert not idle.tax_info_provided

    with on_commit():
        call_command("sync_payout_accounts", stdout=out)
    assert (
        out.getvalue()
        .strip()
        .endswith("0 payout accounts read from Stripe; 0 can receive payouts now.")
    )
