"""Webhook bodies that are signed but not events, and the refund and chargeback events: each
sent signed through the endpoint, as Stripe sends them."""

import json
import time

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from payments import ledger
from payments.models import LedgerEntry, Payment, Refund, WebhookEvent
from tests import fake_stripe
from tests.factories import AdminFactory
from tests.fake_stripe import signature_header
from tests.test_stripe_webhooks import (
    WEBHOOK_SECRET,
    intent,
    post_event,
    started_payment,
    use_stripe,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stripe_fake(request):
    """Payments through Stripe, answered by the fake HTTP client of test_stripe_webhooks."""
    return request.getfixturevalue("use_stripe")()


def post_signed(client, body: str):
    return client.post(
        reverse("payments:stripe_webhook"),
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": signature_header(body, WEBHOOK_SECRET)},
    )


@pytest.mark.parametrize(
    "body",
    [
        "{}",
        '{"type": "payment_intent.succeeded", "data": {"object": {}}}',
        "[]",
        '[{"id": "evt_1", "type": "payment_intent.succeeded"}]',
        '"evt_1"',
        "null",
        "42",
        '{"id": 42, "type": "payment_intent.succeeded", "data": {"object": {}}}',
        '{"id": "", "type": "payment_intent.succeeded", "data": {"object": {}}}',
        '{"id": "evt_1", "data": {"object": {}}}',
        '{"id": "evt_1", "type": ["x"], "data": {"object": {}}}',
        '{"id": "evt_1", "type": "payment_intent.succeeded"}',
        '{"id": "evt_1", "type": "payment_intent.succeeded", "data": []}',
        '{"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": "pi_1"}}',
        json.dumps({"id": "evt_" + "x" * 200, "type": "charge.refunded", "data": {"object": {}}}),
        json.dumps({"id": "evt_1", "type": "x" * 200, "data": {"object": {}}}),
        '{"id": "evt_1", "type": "charge.refunded", "data": {"object": {"id": "ch_\\u0000"}}}',
        "not json",
    ],
)
def test_a_signed_body_that_is_not_an_event_is_refused_and_nothing_is_stored(
    client, stripe_fake, body
):
    response = post_signed(client, body)

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
    assert stripe_fake.requests == []


def test_a_bad_signature_is_still_refused(client, stripe_fake):
    body = json.dumps(fake_stripe.event("evt_1", "charge.refunded", {"id": "ch_1"}))

    response = client.post(
        reverse("payments:stripe_webhook"),
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": signature_header(body, "whsec_someone_else")},
    )

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_body_signed_more_than_five_minutes_ago_is_refused(client, stripe_fake):
    body = json.dumps(fake_stripe.event("evt_1", "charge.refunded", {"id": "ch_1"}))

    response = client.post(
        reverse("payments:stripe_webhook"),
        data=body,
        content_type="application/json",
        headers={
            "Stripe-Signature": signature_header(
                body, WEBHOOK_SECRET, timestamp=int(time.time()) - 600
            )
        },
    )

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


# --- Refunds made in Stripe's dashboard ------------------------------------------------------


def paid_with_stripe(client, on_commit, stripe_fake):
    """An engagement funded through Stripe: payment pi_1, charge ch_1."""
    engagement, payment = started_payment(stripe_fake)
    succeeded = intent(
        "pi_1", amount=payment.amount_cents, status="succeeded", metadata={"payment_id": "x"}
    )
    stripe_fake.on("GET", "/v1/payment_intents/pi_1", lambda r: succeeded)
    post_event(client, on_commit, "evt_paid", "payment_intent.succeeded", succeeded)
    payment.refresh_from_db()
    assert payment.status == "succeeded" and payment.charge_id == "ch_1"
    return engagement, payment


def stripe_refunds(stripe_fake, *refunds):
    stripe_fake.on(
        "GET",
        "/v1/refunds",
        lambda r: {
            "object": "list",
            "data": list(refunds),
            "has_more": False,
            "url": "/v1/refunds",
        },
    )


def charge(payment, refunded_cents):
    return {
        "id": "ch_1",
        "object": "charge",
        "amount": payment.amount_cents,
        "amount_refunded": refunded_cents,
        "payment_intent": "pi_1",
        "refunded": refunded_cents == payment.amount_cents,
    }


def test_a_dashboard_refund_is_recorded_with_its_ledger_entries_once(
    client, on_commit, stripe_fake
):
    engagement, payment = paid_with_stripe(client, on_commit, stripe_fake)
    stripe_refunds(
        stripe_fake, fake_stripe.refund("re_1", amount=payment.amount_cents, payment_intent="pi_1")
    )

    for event_id in ("evt_refund", "evt_refund", "evt_refund_again"):
        response = post_event(
            client, on_commit, event_id, "charge.refunded", charge(payment, payment.amount_cents)
        )
        assert response.status_code == 200

    refund = Refund.objects.get()
    assert (refund.provider_id, refund.status, refund.amount_cents) == (
        "re_1",
        "succeeded",
        payment.amount_cents,
    )
    assert refund.platform_fee_cents == payment.platform_fee_cents
    assert list(
        LedgerEntry.objects.filter(engagement=engagement)
        .order_by("id")
        .values_list("kind", "amount_cents")
    ) == [
        ("funding_received", payment.amount_cents),
        ("platform_fee", -payment.platform_fee_cents),
        ("refund", -payment.amount_cents),
        ("reversal", payment.platform_fee_cents),
    ]
    assert ledger.balance(engagement.pk) == 0
    assert (
        Notification.objects.filter(recipient=payment.created_by, kind="payment.refunded").count()
        == 1
    )
    assert AuditEvent.objects.filter(action="refund.succeeded").count() == 1
    assert WebhookEvent.objects.filter(type="charge.refunded", status="processed").count() == 2


def test_two_partial_dashboard_refunds_return_the_platform_fee_in_proportion(
    client, on_commit, stripe_fake
):
    engagement, payment = paid_with_stripe(client, on_commit, stripe_fake)
    half = payment.amount_cents // 2
    first = fake_stripe.refund("re_1", amount=half, payment_intent="pi_1")
    stripe_refunds(stripe_fake, first)
    post_event(client, on_commit, "evt_r1", "charge.refunded", charge(payment, half))
    rest = fake_stripe.refund("re_2", amount=payment.amount_cents - half, payment_intent="pi_1")
    stripe_refunds(stripe_fake, rest, first)

    post_event(client, on_commit, "evt_r2", "charge.refunded", charge(payment, 0))

    refunds = list(Refund.objects.order_by("provider_id"))
    assert [r.provider_id for r in refunds] == ["re_1", "re_2"]
    assert sum(r.platform_fee_cents for r in refunds) == payment.platform_fee_cents
    assert ledger.balance(engagement.pk) == 0


# --- Chargebacks -----------------------------------------------------------------------------


def test_a_chargeback_is_audited_and_told_to_the_admins_once(client, on_commit, stripe_fake):
    admin = AdminFactory()
    _engagement, payment = paid_with_stripe(client, on_commit, stripe_fake)
    dispute = {
        "id": "dp_1",
        "object": "dispute",
        "charge": "ch_1",
        "amount": payment.amount_cents,
        "reason": "fraudulent",
        "status": "needs_response",
    }

    for event_id in ("evt_dp", "evt_dp", "evt_dp_updated"):
        response = post_event(client, on_commit, event_id, "charge.dispute.created", dispute)
        assert response.status_code == 200

    payment.refresh_from_db()
    assert payment.disputed_at is not None
    [event] = AuditEvent.objects.filter(action="payment.chargeback")
    assert event.actor is None and payment.receipt_number in event.summary
    [told] = Notification.objects.filter(kind="payment.chargeback")
    assert told.recipient == admin
    assert told.url == reverse("admin:payments_payment_change", args=[payment.pk])
    assert WebhookEvent.objects.filter(type="charge.dispute.created").count() == 2


def test_a_chargeback_on_a_charge_we_do_not_know_is_ignored(client, on_commit, stripe_fake):
    AdminFactory()

    post_event(
        client,
        on_commit,
        "evt_dp",
        "charge.dispute.created",
        {"id": "dp_1", "object": "dispute", "charge": "ch_unknown"},
    )

    assert WebhookEvent.objects.get(event_id="evt_dp").status == "ignored"
    assert not Notification.objects.filter(kind="payment.chargeback").exists()
    assert not Payment.objects.filter(disputed_at__isnull=False).exists()
