"""Refunds to the employer: one row per refund, sent to the provider after commit."""

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.notifications import notify
from accounts.services import audit
from engagements.models import Engagement
from payments import gateways, ledger
from payments.gateways import GatewayError
from payments.models import LedgerEntry, Payment, PaymentStatus, Refund


def refundable_cents(payment: Payment) -> int:
    done = payment.refunds.exclude(status=Refund.Status.FAILED).aggregate(s=Sum("amount_cents"))
    return payment.amount_cents - (done["s"] or 0)


def refund_payment_in_full(payment: Payment, *, reason: str) -> Refund | None:
    remaining = refundable_cents(payment)
    if remaining <= 0:
        return None
    fee_part = max(
        0,
        payment.platform_fee_cents
        - (
            payment.refunds.exclude(status=Refund.Status.FAILED).aggregate(
                s=Sum("platform_fee_cents")
            )["s"]
            or 0
        ),
    )
    refund = Refund.objects.create(
        payment=payment,
        amount_cents=remaining,
        platform_fee_cents=min(fee_part, remaining),
        reason=reason[:300],
    )
    enqueue_refund(refund.pk)
    return refund


def enqueue_refund(refund_id: int) -> None:
    from payments.tasks import execute_refund

    transaction.on_commit(lambda: execute_refund.delay(refund_id))


def engagement_refund_all(*, engagement: Engagement, reason: str) -> list[Refund]:
    """Refund everything paid for an engagement (it was cancelled before any work).

    Called inside the cancelling transaction; the refunds leave after commit.
    """
    refunds = []
    for payment in Payment.objects.select_for_update().filter(
        engagement=engagement, status=PaymentStatus.SUCCEEDED
    ):
        refund = refund_payment_in_full(payment, reason=reason)
        if refund is not None:
            refunds.append(refund)
    # A payment still on its way is cancelled; if it succeeds anyway, payment_apply refunds it.
    Payment.objects.filter(
        engagement=engagement, status__in=[PaymentStatus.CREATED, PaymentStatus.PROCESSING]
    ).update(status=PaymentStatus.CANCELED, failure_message="The engagement was cancelled.")
    return refunds


def refund_execute(*, refund_id: int) -> Refund:
    """Send one refund to the provider (outside any transaction) and record the result."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status == Refund.Status.SUCCEEDED:
        return refund
    try:
        info = gateways.get_gateway().refund(
            refund_id=refund.pk,
            payment_provider_id=refund.payment.provider_id,
            amount_cents=refund.amount_cents,
        )
    except GatewayError as error:
        Refund.objects.filter(pk=refund.pk, status=Refund.Status.PENDING).update(
            failure_message=error.message[:300]
        )
        raise
    return refund_apply(refund_id=refund.pk, provider_id=info.provider_id, status=info.status)


@transaction.atomic
def refund_apply(
    *, refund_id: int, provider_id: str, status: str, via: str = "automatic"
) -> Refund:
    refund = Refund.objects.select_for_update().select_related("payment").get(pk=refund_id)
    if refund.status == Refund.Status.SUCCEEDED:
        return refund
    refund.provider_id = refund.provider_id or provider_id
    if status == "succeeded":
        payment = refund.payment
        refund.status = Refund.Status.SUCCEEDED
        refund.succeeded_at = timezone.now()
        refund.save(update_fields=["provider_id", "status", "succeeded_at"])
        ledger.record(
            engagement=payment.engagement,
            kind=LedgerEntry.Kind.REFUND,
            amount_cents=-refund.amount_cents,
            key=f"refund:{refund.pk}",
            description=f"Refund to the employer: {refund.reason}",
            actor=None,
            action="refund.succeeded",
            via=via,
            payment=payment,
            refund=refund,
        )
        if refund.platform_fee_cents:
            ledger.record(
                engagement=payment.engagement,
                kind=LedgerEntry.Kind.REVERSAL,
                amount_cents=refund.platform_fee_cents,
                key=f"refund:{refund.pk}:platform_fee",
                description="Platform fee returned with the refund",
                actor=None,
                action="refund.platform_fee_returned",
                via=via,
                payment=payment,
                refund=refund,
            )
        notify(
            recipients=[payment.created_by],
            kind="payment.refunded",
            key=f"refund-{refund.pk}",
            message=f"Refunded ${refund.amount_cents / 100:,.2f} for "
            f"“{payment.engagement.project.title}”",
            url=reverse("payments:receipts"),
            context={"details": refund.reason},
        )
    elif status == "failed" and refund.status != Refund.Status.FAILED:
        refund.status = Refund.Status.FAILED
        refund.save(update_fields=["provider_id", "status"])
        audit(
            actor=None,
            action="refund.failed",
            target=refund,
            summary=f"Refund {refund.pk} of {refund.amount_cents} cents failed at the provider "
            f"({via})",
            data={
                "amount_cents": refund.amount_cents,
                "engagement_id": refund.payment.engagement_id,
                "provider_id": refund.provider_id,
                "via": via,
            },
        )
    else:
        refund.save(update_fields=["provider_id"])
    return refund
