"""Webhook events arriving early, late, twice or for things we do not know.

Each event only triggers a fresh read from Stripe (answered here by the fake
HTTP client), so the order of events never decides the outcome.
"""

import json
from datetime import timedelta

import pytest
import time_machine
from celery.exceptions import Retry
from django.urls import reverse
from django.utils import timezone

from engagements import services as engagements
from payments import services as payments
from payments.gateways.stripe_gateway import StripeGateway
from payments.models import LedgerEntry, Payment, Payout, PayoutAccount, WebhookEvent
from tests import fake_stripe
from tests.factories import accepted_engagement, employer_of
from tests.fake_stripe import FakeStripe, signature_header

pytestmark = pytest.mark.django_db

SECRET_KEY = "sk_test_fake"
WEBHOOK_SECRET = "whsec_fake"


@pytest.fixture
def use_stripe(settings, monkeypatch):
    """Switch payments to Stripe, answered by a fake HTTP client; returns that client."""
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    client = FakeStripe(api_key=SECRET_KEY)

    def switch() -> FakeStripe:
        settings.STRIPE_SECRET_KEY = SECRET_KEY
        settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        settings.STRIPE_API_BASE = ""

        def gateway():
            return StripeGateway(http_client=client)

        monkeypatch.setattr("payments.gateways.get_gateway", gateway)
        return client

    return switch


@pytest.fixture
def fake(use_stripe):
    return use_stripe()


def intent(id, *, amount, status, metadata, last_error=None):
    return {
        "id": id,
        "object": "payment_intent",
        "amount": amount,
        "currency": "usd",
        "status": status,
        "client_secret": f"{id}_secret_x",
        "latest_charge": "ch_1" if status == "succeeded" else None,
        "last_payment_error": last_error,
        "metadata": metadata,
    }


def post_event(client, on_commit, event_id, event_type, obj):
    payload = json.dumps(fake_stripe.event(event_id, event_type, obj))
    with on_commit():
        return client.post(
            reverse("payments:stripe_webhook"),
            data=payload,
            content_type="application/json",
            headers={"Stripe-Signature": signature_header(payload, WEBHOOK_SECRET)},
        )


def started_payment(fake):
    """An accepted engagement whose employer opened the payment page (Stripe)."""
    engagement = accepted_engagement(funded=False)
    fake.on(
        "POST",
        "/v1/payment_intents",
        lambda r: intent(
            "pi_1",
            amount=int(r.params["amount"]),
            status="requires_payment_method",
            metadata={"payment_id": r.params["metadata[payment_id]"]},
        ),
    )
    payment = payments.engagement_fund(actor=employer_of(engagement.project), engagement=engagement)
    return engagement, payment


def test_a_success_event_arriving_before_we_stored_stripes_id_still_funds(client, on_commit, fake):
    engagement, payment = started_payment(fake)
    Payment.objects.filter(pk=payment.pk).update(provider_id=None)  # our save had not landed
    succeeded = intent(
        "pi_1",
        amount=payment.amount_cents,
        status="succeeded",
        metadata={"payment_id": str(payment.pk)},
    )
    fake.queue("GET", "/v1/payment_intents/pi_1", succeeded)

    post_event(client, on_commit, "evt_1", "payment_intent.succeeded", succeeded)

    payment.refresh_from_db()
    engagement.refresh_from_db()
    assert payment.provider_id == "pi_1" and payment.status == "succeeded"
    assert engagement.status == "active"
    assert WebhookEvent.objects.get(event_id="evt_1").status == "processed"


def test_a_late_failure_event_does_not_undo_a_success(client, on_commit, fake):
    engagement, payment = started_payment(fake)
    succeeded = intent(
        "pi_1",
        amount=payment.amount_cents,
        status="succeeded",
        metadata={"payment_id": str(payment.pk)},
    )
    fake.on("GET", "/v1/payment_intents/pi_1", lambda r: succeeded)
    post_event(client, on_commit, "evt_ok", "payment_intent.succeeded", succeeded)
    stale = intent(
        "pi_1",
        amount=payment.amount_cents,
        status="requires_payment_method",
        metadata={"payment_id": str(payment.pk)},
        last_error={"message": "Your card was declined."},
    )

    post_event(client, on_commit, "evt_old_failure", "payment_intent.payment_failed", stale)

    payment.refresh_from_db()
    engagement.refresh_from_db()
    assert payment.status == "succeeded"
    assert engagement.status == "active"
    assert LedgerEntry.objects.filter(kind="funding_received").count() == 1


def test_the_event_body_is_not_trusted_stripe_is_asked(client, on_commit, fake):
    engagement, payment = started_payment(fake)
    forged = intent(
        "pi_1",
        amount=payment.amount_cents,
        status="succeeded",
        metadata={"payment_id": str(payment.pk)},
    )
    fake.queue(
        "GET",
        "/v1/payment_intents/pi_1",
        intent(
            "pi_1",
            amount=payment.amount_cents,
            status="requires_payment_method",
            metadata={"payment_id": str(payment.pk)},
        ),
    )

    post_event(client, on_commit, "evt_forged", "payment_intent.succeeded", forged)

    engagement.refresh_from_db()
    assert engagement.status == "awaiting_funding"
    assert not LedgerEntry.objects.exists()


def test_a_transfer_event_arriving_before_our_call_returned_pays_once(
    client, on_commit, use_stripe
):
    engagement = accepted_engagement(funded=False)
    employer = employer_of(engagement.project)
    payment = payments.engagement_fund(actor=employer, engagement=engagement)  # test mode
    payments.local_payment_complete(actor=employer, payment=payment, succeed=True)
    fake = use_stripe()
    PayoutAccount.objects.create(
        user=engagement.student,
        gateway="stripe",
        provider_id="acct_1",
        details_submitted=True,
        payouts_enabled=True,
        tax_form="w9",
        tax_info_provided=True,
    )
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(note="Done", links=["https://example.com"], files=[]),
    )
    # Approved, but the payout task has not run yet (no commit): Stripe made the transfer
    # from an earlier attempt, and its event comes first.
    engagements.submission_approve(actor=employer, engagement=engagement)
    payout = Payout.objects.get(engagement=engagement)
    made = fake_stripe.transfer(
        "tr_1",
        amount=payout.amount_cents,
        destination="acct_1",
        metadata={"payout_id": str(payout.pk)},
    )
    fake.on("GET", "/v1/transfers/tr_1", lambda r: made)
    fake.on("POST", "/v1/transfers", lambda r: made)

    post_event(client, on_commit, "evt_tr", "transfer.created", made)
    payments.payout_execute(payout_id=payout.pk)
    post_event(client, on_commit, "evt_tr", "transfer.created", made)

    payout.refresh_from_db()
    assert payout.status == "paid" and payout.provider_id == "tr_1"
    assert LedgerEntry.objects.filter(kind="payout").count() == 1
    assert WebhookEvent.objects.filter(event_id="evt_tr").count() == 1
    assert len(fake.requests_to("POST", "/v1/transfers")) == 0


@pytest.mark.parametrize(
    ("event_type", "obj"),
    [
        ("customer.created", {"id": "cus_1", "object": "customer"}),
        ("checkout.session.completed", {"id": "cs_1", "object": "checkout.session"}),
        ("payment_intent.succeeded", {"id": "pi_unknown", "object": "payment_intent"}),
        ("account.updated", {"id": "acct_unknown", "object": "account"}),
    ],
)
def test_events_for_nothing_of_ours_are_stored_and_ignored(
    client, on_commit, fake, event_type, obj
):
    response = post_event(client, on_commit, "evt_x", event_type, obj)

    assert response.status_code == 200
    event = WebhookEvent.objects.get(event_id="evt_x")
    assert event.status == "ignored"
    assert fake.requests == []


def test_a_failed_handling_is_retried_by_the_sweep(client, on_commit, fake):
    from payments import webhooks

    engagement, payment = started_payment(fake)
    succeeded = intent(
        "pi_1",
        amount=payment.amount_cents,
        status="succeeded",
        metadata={"payment_id": str(payment.pk)},
    )
    fake.queue(
        "GET",
        "/v1/payment_intents/pi_1",
        *[fake_stripe.ConnectionFailure()] * 3,
    )
    fake.on("GET", "/v1/payment_intents/pi_1", lambda r: succeeded)

    # Stripe unreachable: the task asks Celery to try again later.
    with pytest.raises(Retry):
        post_event(client, on_commit, "evt_retry", "payment_intent.succeeded", succeeded)
    failed = WebhookEvent.objects.get(event_id="evt_retry")
    assert failed.status == "failed"
    assert failed.next_attempt_at > timezone.now()

    assert webhooks.reprocess_failed() == 0  # not due yet: Stripe gets a few minutes
    with time_machine.travel(failed.next_attempt_at + timedelta(seconds=1), tick=False):
        assert webhooks.reprocess_failed() == 1

    engagement.refresh_from_db()
    assert engagement.status == "active"
    assert WebhookEvent.objects.get(event_id="evt_retry").status == "processed"


def test_an_event_whose_task_was_lost_is_handled_by_the_sweep(
    client, on_commit, fake, monkeypatch, settings
):
    from payments import webhooks
    from payments.tasks import process_webhook_event

    engagement, payment = started_payment(fake)
    succeeded = intent(
        "pi_1",
        amount=payment.amount_cents,
        status="succeeded",
        metadata={"payment_id": str(payment.pk)},
    )
    fake.on("GET", "/v1/payment_intents/pi_1", lambda r: succeeded)
    monkeypatch.setattr(process_webhook_event, "delay", lambda *args: None)  # broker lost it

    response = post_event(client, on_commit, "evt_lost", "payment_intent.succeeded", succeeded)

    # Answered 200, so Stripe will not send it again: our row is the only record.
    assert response.status_code == 200
    assert WebhookEvent.objects.get(event_id="evt_lost").status == "received"
    assert webhooks.reprocess_failed() == 0  # its task may still be on the way
    later = timezone.now() + timedelta(seconds=settings.TASK_RECOVERY_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert webhooks.reprocess_failed() == 1
        assert webhooks.reprocess_failed() == 0

    engagement.refresh_from_db()
    assert engagement.status == "active"
    event = WebhookEvent.objects.get(event_id="evt_lost")
    assert (event.status, event.attempts) == ("processed", 1)
    assert len(fake.requests_to("GET", "/v1/payment_intents/pi_1")) == 1


def test_an_event_that_keeps_failing_is_left_for_an_admin_after_its_last_attempt(
    client, on_commit, fake
):
    from payments import webhooks

    started_payment(fake)  # the event names this payment: handling it would ask Stripe
    event = WebhookEvent.objects.create(
        event_id="evt_bad",
        type="payment_intent.succeeded",
        payload=fake_stripe.event("evt_bad", "payment_intent.succeeded", {"id": "pi_1"}),
        status="failed",
        attempts=webhooks.MAX_ATTEMPTS,
    )

    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        assert webhooks.reprocess_failed() == 0

    event.refresh_from_db()
    assert (event.status, event.attempts) == ("failed", webhooks.MAX_ATTEMPTS)
    assert fake.requests_to("GET", "/v1/payment_intents") == []
