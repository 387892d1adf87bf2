"""Paying through Stripe, end to end: Stripe's Python library against a localstripe server.

The employer's browser (Stripe.js) is played by the test: it creates a PaymentMethod with a
test card and confirms our PaymentIntent at localstripe. localstripe then sends its signed
webhook to the live server, and only that webhook funds the engagement.
"""

import hashlib
import hmac
import json
import time

import pytest
import stripe
from django.urls import reverse

from engagements.services import engagement_request_cancel
from payments import ledger
from payments.gateways import GatewayError, get_gateway
from payments.models import Bonus, LedgerEntry, Payment, Payout, Refund, WebhookEvent
from payments.services import engagement_fund
from tests import factories
from tests.stripe_server import (
    PUBLISHABLE_KEY,
    SECRET_KEY,
    WEBHOOK_SECRET,
    StripeServer,
    free_port,
)

# One localstripe server for the module, so every test here runs on the same worker.
pytestmark = pytest.mark.xdist_group("localstripe")

CARD_OK = "4242424242424242"
CARD_DECLINED = "4000000000000341"
FEE_CENTS = 40000  # ProjectFactory's fee; the platform fee is 10% on top
PLATFORM_FEE_CENTS = 4000
TOTAL_CENTS = 44000


@pytest.fixture(scope="module")
def stripe_server():
    server = StripeServer().start()
    yield server
    server.close()


@pytest.fixture
def stripe_settings(settings, stripe_server, monkeypatch):
    """The marketplace configured for Stripe, with Stripe's API at localstripe."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = stripe_server.url
    return settings


@pytest.fixture
def webhooks_to_live_server(stripe_server, stripe_settings, live_server):
    """localstripe sends its events to our endpoint on the live server during the test."""
    stripe_server.register_webhook(live_server.url + reverse("payments:stripe_webhook"))
    yield
    stripe_server.silence_webhook()


@pytest.fixture
def stripe_js(stripe_server):
    """Stripe's library at localstripe, doing what Stripe.js does in the employer's browser."""
    return stripe_server.client()


def pay_by_card(stripe_js, intent_id: str, number: str):
    method = stripe_js.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": number, "exp_month": 12, "exp_year": 2035, "cvc": "123"},
        }
    )
    stripe_js.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
    return stripe_js.v1.payment_intents.confirm(intent_id)


def wait_for(condition, *, what: str, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Waited {timeout:g} s for {what}.")
        time.sleep(0.05)


def handled_event(event_type: str, intent_id: str) -> WebhookEvent:
    """Wait until localstripe's event about the intent has reached us and been handled (its
    status is the last thing written, after the payment's transaction committed)."""
    return wait_for(
        lambda: WebhookEvent.objects.filter(
            type=event_type,
            payload__data__object__id=intent_id,
            status__in=[WebhookEvent.Status.PROCESSED, WebhookEvent.Status.FAILED],
        ).first(),
        what=f"{event_type} about {intent_id}",
    )


def ledger_of(engagement) -> list[tuple[str, int]]:
    return list(
        LedgerEntry.objects.filter(engagement=engagement)
        .order_by("id")
        .values_list("kind", "amount_cents")
    )


def signed(body: str, *, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    """A Stripe-Signature header for `body`, made the way Stripe makes it."""
    timestamp = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def post_webhook(client, body: str, signature: str):
    return client.post(
        reverse("payments:stripe_webhook"),
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )


def awaiting_funding():
    return factories.accepted_engagement(funded=False)


# --- Funding --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_employer_pays_by_card_and_the_engagement_starts_when_stripes_webhook_confirms_it(
    client, stripe_js, webhooks_to_live_server
):
    engagement = awaiting_funding()
    employer = factories.employer_of(engagement.project)
    client.force_login(employer)

    response = client.post(reverse("payments:start_funding", args=[engagement.pk]))

    payment = Payment.objects.get(engagement=engagement)
    assert response.status_code == 302
    assert response.url == reverse("payments:pay", args=[payment.pk])
    assert payment.gateway == "stripe"
    assert payment.provider_id.startswith("pi_")
    assert (payment.fee_cents, payment.platform_fee_cents, payment.amount_cents) == (
        FEE_CENTS,
        PLATFORM_FEE_CENTS,
        TOTAL_CENTS,
    )
    intent = stripe_js.v1.payment_intents.retrieve(payment.provider_id)
    assert intent.amount == TOTAL_CENTS
    assert intent.metadata["payment_id"] == str(payment.pk)

    page = client.get(response.url)

    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-secret="{intent.client_secret}"' in html
    assert f'data-key="{PUBLISHABLE_KEY}"' in html
    assert '<script src="https://js.stripe.com/v3/"></script>' in html
    assert "test mode" not in html.lower()
    assert "test-mode" not in html.lower()

    confirmed = pay_by_card(stripe_js, payment.provider_id, CARD_OK)

    assert confirmed.status == "succeeded"
    # The card went through at Stripe, but nothing here marks the engagement funded:
    # localstripe sends its webhook about a second later.
    engagement.refresh_from_db()
    payment.refresh_from_db()
    assert engagement.status == "awaiting_funding"
    assert payment.status == "created"
    assert ledger_of(engagement) == []

    # Coming back from Stripe is not proof of payment either.
    returned = client.get(reverse("payments:returned", args=[payment.pk]))

    if not WebhookEvent.objects.filter(type="payment_intent.succeeded").exists():
        engagement.refresh_from_db()
        assert returned.status_code == 200
        assert "Waiting for Stripe" in returned.content.decode()
        assert engagement.status == "awaiting_funding"

    event = handled_event("payment_intent.succeeded", payment.provider_id)

    assert event.status == WebhookEvent.Status.PROCESSED
    engagement.refresh_from_db()
    payment.refresh_from_db()
    assert engagement.status == "active"
    assert engagement.funded_at is not None
    assert payment.status == "succeeded"
    assert payment.charge_id.startswith("ch_")
    assert payment.succeeded_at is not None
    assert ledger_of(engagement) == [
        (LedgerEntry.Kind.FUNDING_RECEIVED, TOTAL_CENTS),
        (LedgerEntry.Kind.PLATFORM_FEE, -PLATFORM_FEE_CENTS),
    ]
    # The employer coming back now is sent to the workspace.
    back = client.get(reverse("payments:returned", args=[payment.pk]))
    assert back.status_code == 302
    assert back.url == reverse("engagements:workspace", args=[engagement.pk])


@pytest.mark.django_db(transaction=True)
def test_a_declined_card_leaves_the_engagement_waiting_and_the_employer_can_pay_again(
    stripe_js, webhooks_to_live_server
):
    engagement = awaiting_funding()
    employer = factories.employer_of(engagement.project)
    payment = engagement_fund(actor=employer, engagement=engagement)

    with pytest.raises(stripe.CardError):
        pay_by_card(stripe_js, payment.provider_id, CARD_DECLINED)

    event = handled_event("payment_intent.payment_failed", payment.provider_id)

    assert event.status == WebhookEvent.Status.PROCESSED
    payment.refresh_from_db()
    engagement.refresh_from_db()
    assert payment.status == "failed"
    assert payment.failure_message == "Your card was declined."
    assert engagement.status == "awaiting_funding"
    assert ledger_of(engagement) == []

    second = engagement_fund(actor=employer, engagement=engagement)

    assert second.pk != payment.pk
    assert second.status == "created"
    assert second.provider_id.startswith("pi_")
    assert second.provider_id != payment.provider_id


# --- Webhook deliveries ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_replayed_webhook_is_stored_once_and_funds_the_engagement_once(
    client, stripe_js, stripe_settings, on_commit
):
    engagement = awaiting_funding()
    payment = engagement_fund(
        actor=factories.employer_of(engagement.project), engagement=engagement
    )
    pay_by_card(stripe_js, payment.provider_id, CARD_OK)
    # localstripe's own event for this payment, delivered twice with the same signature.
    event = next(
        e
        for e in stripe_js.v1.events.list(params={"type": "payment_intent.succeeded"}).data
        if e.data.object.id == payment.provider_id
    )
    body = json.dumps(event.to_dict())
    signature = signed(body)

    with on_commit():
        first = post_webhook(client, body, signature)
    funded = ledger_of(engagement)
    with on_commit():
        again = post_webhook(client, body, signature)

    assert (first.status_code, again.status_code) == (200, 200)
    assert WebhookEvent.objects.filter(event_id=event.id).count() == 1
    assert WebhookEvent.objects.get(event_id=event.id).status == WebhookEvent.Status.PROCESSED
    engagement.refresh_from_db()
    assert engagement.status == "active"
    assert ledger_of(engagement) == funded
    assert funded == [
        (LedgerEntry.Kind.FUNDING_RECEIVED, TOTAL_CENTS),
        (LedgerEntry.Kind.PLATFORM_FEE, -PLATFORM_FEE_CENTS),
    ]


@pytest.mark.django_db
def test_a_webhook_with_a_tampered_body_or_a_wrong_signature_is_refused_and_nothing_is_stored(
    client, stripe_settings
):
    body = json.dumps(
        {
            "id": "evt_forged",
            "object": "event",
            "type": "payment_intent.succeeded",
            "data": {"object": {"id": "pi_forged", "object": "payment_intent", "amount": 100}},
        }
    )
    tampered = body.replace('"amount": 100', '"amount": 1')
    ten_minutes_ago = int(time.time()) - 600

    answers = [
        post_webhook(client, tampered, signed(body)),
        post_webhook(client, body, signed(body, secret="whsec_someone_else")),
        post_webhook(client, body, signed(body, at=ten_minutes_ago)),
        post_webhook(client, body, ""),
    ]

    assert [a.status_code for a in answers] == [400, 400, 400, 400]
    assert WebhookEvent.objects.count() == 0


# --- Refunds --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_cancelling_a_funded_engagement_before_any_work_refunds_the_employer_in_full(
    stripe_js, webhooks_to_live_server
):
    engagement = awaiting_funding()
    payment = engagement_fund(
        actor=factories.employer_of(engagement.project), engagement=engagement
    )
    pay_by_card(stripe_js, payment.provider_id, CARD_OK)
    handled_event("payment_intent.succeeded", payment.provider_id)
    engagement.refresh_from_db()
    assert engagement.status == "active"

    engagement_request_cancel(
        actor=engagement.student, engagement=engagement, reason="I fell ill and cannot start."
    )

    engagement.refresh_from_db()
    refund = Refund.objects.get(payment=payment)
    assert engagement.status == "cancelled"
    assert refund.status == Refund.Status.SUCCEEDED
    assert refund.provider_id.startswith("re_")
    assert (refund.amount_cents, refund.platform_fee_cents) == (TOTAL_CENTS, PLATFORM_FEE_CENTS)
    at_stripe = stripe_js.v1.refunds.retrieve(refund.provider_id)
    assert (at_stripe.status, at_stripe.amount, at_stripe.payment_intent) == (
        "succeeded",
        TOTAL_CENTS,
        payment.provider_id,
    )
    assert ledger_of(engagement) == [
        (LedgerEntry.Kind.FUNDING_RECEIVED, TOTAL_CENTS),
        (LedgerEntry.Kind.PLATFORM_FEE, -PLATFORM_FEE_CENTS),
        (LedgerEntry.Kind.REFUND, -TOTAL_CENTS),
        (LedgerEntry.Kind.REVERSAL, PLATFORM_FEE_CENTS),
    ]
    assert ledger.balance(engagement.pk) == 0


# --- Stripe unreachable ---------------------------------------------------------------------


@pytest.fixture
def stripe_unreachable(stripe_settings):
    """Stripe's API address is a port nothing listens on."""
    stripe_settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"
    return stripe_settings


@pytest.mark.django_db
def test_when_stripe_cannot_be_reached_starting_a_payment_fails_clearly_and_a_later_one_works(
    stripe_unreachable, stripe_server
):
    engagement = awaiting_funding()
    employer = factories.employer_of(engagement.project)

    with pytest.raises(GatewayError) as error:
        engagement_fund(actor=employer, engagement=engagement)

    assert "could not be reached" in error.value.message
    assert error.value.temporary
    failed = Payment.objects.get(engagement=engagement)
    assert failed.status == "failed"
    assert failed.provider_id is None
    assert "could not be reached" in failed.failure_message

    stripe_unreachable.STRIPE_API_BASE = stripe_server.url
    later = engagement_fund(actor=employer, engagement=engagement)

    assert later.pk != failed.pk
    assert later.status == "created"
    assert later.provider_id.startswith("pi_")
    assert get_gateway().retrieve_payment(later.provider_id).amount_cents == TOTAL_CENTS


@pytest.mark.django_db
def test_when_stripe_cannot_be_reached_the_pay_button_returns_to_the_workspace_with_the_reason(
    client, stripe_unreachable
):
    engagement = awaiting_funding()
    client.force_login(factories.employer_of(engagement.project))

    response = client.post(reverse("payments:start_funding", args=[engagement.pk]))

    assert response.status_code == 302
    assert response.url == reverse("engagements:workspace", args=[engagement.pk]) + "#status"
    workspace = client.get(response.url)
    assert "could not be reached" in workspace.content.decode()
    assert Payment.objects.get(engagement=engagement).status == "failed"
    engagement.refresh_from_db()
    assert engagement.status == "awaiting_funding"


# --- Bonuses ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_bonus_paid_by_card_reaches_the_student_when_stripes_webhook_confirms_it(
    client, stripe_js, webhooks_to_live_server
):
    engagement = factories.approved_engagement(factories.accepted_engagement())
    employer = factories.employer_of(engagement.project)
    client.force_login(employer)

    response = client.post(
        reverse("payments:bonus", args=[engagement.pk]), {"amount": "60", "message": "Thank you"}
    )

    payment = Payment.objects.get(engagement=engagement, kind="bonus")
    assert response.url == reverse("payments:pay", args=[payment.pk])
    assert payment.provider_id.startswith("pi_")
    assert stripe_js.v1.payment_intents.retrieve(payment.provider_id).amount == 6600
    assert pay_by_card(stripe_js, payment.provider_id, CARD_OK).status == "succeeded"
    handled_event("payment_intent.succeeded", payment.provider_id)

    bonus = Bonus.objects.get(engagement=engagement)
    assert bonus.status == "funded"
    # The student has no payout account yet: the bonus waits for it, like the fee.
    payout = Payout.objects.get(bonus=bonus)
    assert (payout.amount_cents, payout.status) == (6000, "waiting_for_account")
    assert LedgerEntry.objects.filter(payment=payment).count() == 2
    # Held for the student until the payout goes (the fee here was funded outside the ledger).
    assert ledger.balance(engagement.pk) == 6000
