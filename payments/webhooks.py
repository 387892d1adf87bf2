"""Stripe webhooks: verified, stored by event id, then handled by re-reading Stripe.

An event is only a trigger. It is stored (unique event id) before anything
else, so a replay is a no-op; the object it names is read again from Stripe
and our rows are brought to that state, so events arriving late, twice or out
of order all end in the same place.

Stripe does not send again an event we answered with 200, so the stored row is
the only record that it must be handled: a task handles it after commit, and if
that task is lost (broker restarted, worker killed) the sweep handles every
event still "received" after TASK_RECOVERY_SECONDS, and failed ones again with
growing delays.
"""

import json
import logging
from datetime import timedelta

import stripe
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.audit import audit
from accounts.models import User
from accounts.notifications import notify
from marketplace.queueing import delay_on_commit
from payments import gateways, services
from payments.gateways import GatewayError
from payments.models import (
    Payment,
    Payout,
    PayoutAccount,
    Refund,
    SponsorDeposit,
    WebhookEvent,
)
from payments.services import sponsors, tracker
from payments.services.common import retry_delay

logger = logging.getLogger(__name__)


class BadWebhook(Exception):
    """The request is not an event we can store: answered 400, nothing stored."""


class BadSignature(BadWebhook):
    pass


class BadPayload(BadWebhook):
    pass


def _event_fields(text: str) -> dict:
    """The verified body as an event: an object with an id, a type and a data object.

    Only Stripe can sign a body, but a signed body is still checked before it is stored,
    so nothing malformed reaches the table or the handlers.
    """
    try:
        data = json.loads(text)
    except ValueError as error:
        raise BadPayload("The body is not JSON.") from error
    if not isinstance(data, dict):
        raise BadPayload("The body is not an event object.")
    event_id, event_type = data.get("id"), data.get("type")
    for name, value in (("id", event_id), ("type", event_type)):
        if not isinstance(value, str) or not 0 < len(value) <= 100:
            raise BadPayload(f"The event has no valid {name}.")
    body = data.get("data")
    if not isinstance(body, dict) or not isinstance(body.get("object"), dict):
        raise BadPayload("The event has no data object.")
    if "\\u0000" in text:  # a NUL character cannot be stored as JSON by PostgreSQL
        raise BadPayload("The event contains a NUL character.")
    return data


def receive(*, payload: bytes, signature: str) -> tuple[WebhookEvent, bool]:
    """Check the signature and the event's shape and store it; returns (event, newly stored)."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise BadSignature("No webhook secret is configured.")
    try:
        text = payload.decode("utf-8")
        # Stripe's tolerance (5 minutes) refuses a replay of an old signed body.
        stripe.WebhookSignature.verify_header(
            text,
            signature,
            settings.STRIPE_WEBHOOK_SECRET,
            tolerance=stripe.Webhook.DEFAULT_TOLERANCE,
        )
    except (UnicodeDecodeError, stripe.SignatureVerificationError) as error:
        raise BadSignature(str(error)) from error
    data = _event_fields(text)
    with transaction.atomic():
        stored, created = WebhookEvent.objects.get_or_create(
            event_id=data["id"], defaults={"type": data.get("type", ""), "payload": data}
        )
        if created:
            from payments.tasks import process_webhook_event

            delay_on_commit(process_webhook_event, stored.pk)
    return stored, created


def _object(event: WebhookEvent) -> dict:
    return (event.payload.get("data") or {}).get("object") or {}


def _payment_for(obj: dict) -> Payment | None:
    payment = Payment.objects.filter(provider_id=obj.get("id")).first()
    if payment is None:
        payment_id = (obj.get("metadata") or {}).get("payment_id")
        if payment_id and str(payment_id).isdigit():
            payment = Payment.objects.filter(pk=int(payment_id)).first()
    return payment


def _deposit_for(obj: dict) -> SponsorDeposit | None:
    deposit = SponsorDeposit.objects.filter(provider_id=obj.get("id")).first()
    if deposit is None:
        deposit_id = (obj.get("metadata") or {}).get("sponsor_deposit_id")
        if deposit_id and str(deposit_id).isdigit():
            deposit = SponsorDeposit.objects.filter(pk=int(deposit_id)).first()
    return deposit


def _on_deposit_intent(event: WebhookEvent) -> bool:
    """A PaymentIntent that tops up a sponsor's budget rather than pays an engagement."""
    deposit = _deposit_for(_object(event))
    if deposit is None:
        return False
    if not deposit.provider_id:
        SponsorDeposit.objects.filter(pk=deposit.pk, provider_id=None).update(
            provider_id=_object(event)["id"]
        )
        deposit.refresh_from_db()
    sponsors.deposit_sync(deposit=deposit, via="Stripe webhook")
    return True


def _on_payment_intent(event: WebhookEvent) -> bool:
    payment = _payment_for(_object(event))
    if payment is None:
        return _on_deposit_intent(event)
    if not payment.provider_id:
        Payment.objects.filter(pk=payment.pk, provider_id=None).update(
            provider_id=_object(event)["id"]
        )
        payment.refresh_from_db()
    services.payment_sync(payment=payment, via="Stripe webhook")
    return True


def _on_account(event: WebhookEvent) -> bool:
    account = PayoutAccount.objects.filter(provider_id=_object(event).get("id")).first()
    if account is None:
        return False
    services.payout_account_sync(account=account)
    return True


def _on_transfer(event: WebhookEvent) -> bool:
    obj = _object(event)
    payout = Payout.objects.filter(provider_id=obj.get("id")).first()
    if payout is None:
        payout_id = (obj.get("metadata") or {}).get("payout_id")
        if payout_id and str(payout_id).isdigit():
            payout = Payout.objects.filter(pk=int(payout_id)).first()
    if payout is None:
        return False
    info = gateways.get_gateway().retrieve_transfer(obj["id"])
    services.payout_apply(
        payout_id=payout.pk,
        provider_id=info.provider_id,
        reversed=info.reversed,
        via="Stripe webhook",
    )
    return True


def _on_bank_payout(event: WebhookEvent) -> bool:
    """A payout of a student's connected account to their bank: created, updated, paid or
    failed. Connect events name the account; the payout is read again from Stripe."""
    account_id = event.payload.get("account")
    payout_id = _object(event).get("id")
    if not isinstance(account_id, str) or not isinstance(payout_id, str):
        return False
    if not PayoutAccount.objects.filter(provider_id=account_id).exists():
        return False
    info = gateways.get_gateway().retrieve_bank_payout(
        account_provider_id=account_id, provider_id=payout_id
    )
    tracker.bank_payout_apply(account_provider_id=account_id, info=info)
    return True


def _payment_for_charge(obj: dict) -> Payment | None:
    payment = Payment.objects.filter(charge_id=obj.get("id")).first()
    if payment is None and obj.get("payment_intent"):
        intent = obj["payment_intent"]
        intent_id = intent if isinstance(intent, str) else intent.get("id")
        payment = Payment.objects.filter(provider_id=intent_id).first()
    return payment


def _platform_fee_share(payment: Payment, amount_cents: int) -> int:
    """The part of a refund of `amount_cents` that is platform fee: in proportion to the
    payment, never more than the fee not yet returned by earlier refunds."""
    returned = sum(
        payment.refunds.exclude(status=Refund.Status.FAILED).values_list(
            "platform_fee_cents", flat=True
        )
    )
    share = (amount_cents * payment.platform_fee_cents + payment.amount_cents // 2) // max(
        payment.amount_cents, 1
    )
    return max(0, min(share, payment.platform_fee_cents - returned, amount_cents))


def _on_charge_refunded(event: WebhookEvent) -> bool:
    payment = _payment_for_charge(_object(event))
    if payment is None:
        return False
    for info in gateways.get_gateway().list_refunds(payment.provider_id):
        refund = Refund.objects.filter(provider_id=info.provider_id).first()
        if refund is None:
            # Refunded from Stripe's dashboard: record it as it happened, with the share of
            # the platform fee it gave back, so the ledger still balances.
            refund = Refund.objects.create(
                payment=payment,
                amount_cents=info.amount_cents,
                platform_fee_cents=_platform_fee_share(payment, info.amount_cents),
                reason="Refunded at the payment provider",
                provider_id=info.provider_id,
            )
        services.refund_apply(
            refund_id=refund.pk,
            provider_id=info.provider_id,
            status=info.status,
            via="Stripe webhook",
        )
    return True


def _on_charge_dispute(event: WebhookEvent) -> bool:
    charge_id = _object(event).get("charge")
    payment = Payment.objects.filter(charge_id=charge_id).first() if charge_id else None
    if payment is None:
        return False
    with transaction.atomic():
        updated = Payment.objects.filter(pk=payment.pk, disputed_at__isnull=True).update(
            disputed_at=timezone.now()
        )
        if updated:
            audit(
                actor=None,
                action="payment.chargeback",
                target=payment,
                summary=f"The employer's bank disputed payment {payment.receipt_number}",
            )
            notify(
                recipients=list(User.objects.filter(is_superuser=True, is_active=True)),
                kind="payment.chargeback",
                key=f"payment-{payment.pk}-chargeback",
                message=f"Chargeback opened on payment {payment.receipt_number}",
                url=f"/admin/payments/payment/{payment.pk}/change/",
            )
    return True


HANDLERS = {
    "payment_intent.succeeded": _on_payment_intent,
    "payment_intent.payment_failed": _on_payment_intent,
    "payment_intent.processing": _on_payment_intent,
    "payment_intent.canceled": _on_payment_intent,
    "account.updated": _on_account,
    "charge.refunded": _on_charge_refunded,
    "charge.dispute.created": _on_charge_dispute,
    "transfer.created": _on_transfer,
    "transfer.updated": _on_transfer,
    "transfer.reversed": _on_transfer,
    "payout.created": _on_bank_payout,
    "payout.updated": _on_bank_payout,
    "payout.paid": _on_bank_payout,
    "payout.failed": _on_bank_payout,
    "payout.canceled": _on_bank_payout,
}


MAX_ATTEMPTS = 10


def process(*, event_pk: int) -> str:
    """Handle one stored event; finished events are left alone."""
    event = WebhookEvent.objects.get(pk=event_pk)
    if event.status in (WebhookEvent.Status.PROCESSED, WebhookEvent.Status.IGNORED):
        return event.status
    WebhookEvent.objects.filter(pk=event.pk).update(attempts=F("attempts") + 1)
    event.attempts += 1
    handler = HANDLERS.get(event.type)
    try:
        handled = handler(event) if handler else False
    except GatewayError as error:
        _finish(event, WebhookEvent.Status.FAILED, error.message)
        raise
    except Exception as error:
        logger.exception("Webhook event %s (%s) failed", event.event_id, event.type)
        _finish(event, WebhookEvent.Status.FAILED, repr(error)[:1000])
        return WebhookEvent.Status.FAILED
    status = WebhookEvent.Status.PROCESSED if handled else WebhookEvent.Status.IGNORED
    _finish(event, status, "" if handled else "No local object for this event.")
    return status


def _finish(event: WebhookEvent, status: str, error: str) -> None:
    now = timezone.now()
    retry_at = None
    if status == WebhookEvent.Status.FAILED:
        retry_at = now + retry_delay(event.attempts)
    WebhookEvent.objects.filter(pk=event.pk).update(
        status=status, error=error, processed_at=now, next_attempt_at=retry_at
    )


def _due(now) -> Q:
    recovery = timedelta(seconds=settings.TASK_RECOVERY_SECONDS)
    lost = Q(status=WebhookEvent.Status.RECEIVED, received_at__lte=now - recovery)
    failed = Q(status=WebhookEvent.Status.FAILED, attempts__lt=MAX_ATTEMPTS)
    return (lost | failed) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def reprocess_failed() -> int:
    """Periodic sweep: events whose task was lost, and failed events due again.

    Each is claimed first (a conditional update that must change one row, which also
    sets when the claim expires), so two sweeps never handle the same event at once.
    Returns how many were processed.
    """
    now = timezone.now()
    claim_until = now + timedelta(seconds=settings.TASK_RECOVERY_SECONDS)
    due = (
        WebhookEvent.objects.filter(_due(now))
        .order_by("received_at")
        .values_list("pk", flat=True)[:200]
    )
    done = 0
    for event_pk in list(due):
        if not WebhookEvent.objects.filter(_due(now), pk=event_pk).update(
            next_attempt_at=claim_until
        ):
            continue
        try:
            if process(event_pk=event_pk) == WebhookEvent.Status.PROCESSED:
                done += 1
        except GatewayError:
            continue  # recorded as failed, with its next attempt
        except Exception:  # one bad event must not stop the sweep
            logger.exception("Webhook event %s could not be handled", event_pk)
    return done
