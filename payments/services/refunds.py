"""Refunds to the employer: one row per refund, sent to the provider after commit and
retried by a sweep until the provider says it is done."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.notifications import notify
from accounts.selectors import platform_admins
from engagements.models import Engagement, Milestone
from marketplace.money import dollars
from marketplace.queueing import delay_on_commit
from payments import gateways, ledger, tasks
from payments import milestones as milestone_ledger
from payments.gateways import GatewayError
from payments.models import (
    LedgerEntry,
    Payment,
    PaymentStatus,
    Refund,
)
from payments.services import sponsors
from payments.services.common import (
    retry_delay,
)

logger = logging.getLogger(__name__)

# Platform admins hear (once) about a refund tried this many times without success; it
# is still retried.
REFUND_ATTEMPTS_BEFORE_ALERT = 3


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
    delay_on_commit(tasks.execute_refund, refund_id)


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
        if not payment.unpayable_reason:
            sponsors.sponsor_return(
                payment=payment,
                engagement=engagement,
                cents=payment.sponsored_cents,
                key=f"payment:{payment.pk}:cancelled",
                why=reason,
            )
    # A payment still on its way is cancelled; if it succeeds anyway, payment_apply refunds it.
    on_the_way = list(
        Payment.objects.select_for_update().filter(
            engagement=engagement, status__in=[PaymentStatus.CREATED, PaymentStatus.PROCESSING]
        )
    )
    Payment.objects.filter(pk__in=[p.pk for p in on_the_way]).update(
        status=PaymentStatus.CANCELED, failure_message="The engagement was cancelled."
    )
    for payment in on_the_way:
        sponsors.sponsor_release(payment=payment, why="the engagement was cancelled")
    return refunds


def milestones_refund(
    *, engagement: Engagement, milestones: list[Milestone], reason: str
) -> list[Refund]:
    """Refund milestones cancelled before any work on them: for each, what every payment
    brought for it, platform fee part included (one refund row per milestone and payment,
    so the ledger balances per milestone), and its sponsor's share back to the sponsor.
    Called inside the cancelling transaction."""
    refunds = []
    for payment in Payment.objects.select_for_update().filter(
        engagement=engagement, status=PaymentStatus.SUCCEEDED, unpayable_reason=""
    ):
        for milestone in milestones:
            held = milestone_ledger.held_for(milestone=milestone, payment=payment)
            sponsors.sponsor_return(
                payment=payment,
                engagement=engagement,
                cents=held.sponsor_share,
                key=f"payment:{payment.pk}:cancelled:m{milestone.number}",
                why=reason,
                milestone=milestone,
            )
            if held.received <= 0:
                continue
            refund = Refund.objects.create(
                payment=payment,
                milestone=milestone,
                amount_cents=held.received,
                platform_fee_cents=held.platform_fee,
                reason=f"Milestone {milestone.number}: {reason}"[:300],
            )
            enqueue_refund(refund.pk)
            refunds.append(refund)
    Payment.objects.filter(
        engagement=engagement, status__in=[PaymentStatus.CREATED, PaymentStatus.PROCESSING]
    ).update(status=PaymentStatus.CANCELED, failure_message="The engagement was cancelled.")
    return refunds


def _claim_refund(refund_id: int) -> bool:
    """Take a pending refund to send it: only one worker wins (a conditional update, one row).

    A new refund is taken at once (by the task queued at commit); one tried before
    waits for its next attempt. The claim lasts TASK_RECOVERY_SECONDS: if the worker
    dies on the way, the sweep takes the refund again after that.
    """
    now = timezone.now()
    return (
        Refund.objects.filter(pk=refund_id, status=Refund.Status.PENDING)
        .filter(Q(attempts=0) | Q(next_attempt_at__lte=now))
        .update(
            attempts=F("attempts") + 1,
            next_attempt_at=now + timedelta(seconds=settings.TASK_RECOVERY_SECONDS),
        )
        == 1
    )


def refund_execute(*, refund_id: int) -> Refund:
    """Send one refund to the provider (outside any transaction) and record the result.

    Safe to repeat and to run concurrently: the refund is claimed first; the provider
    call carries an idempotency key made from the refund's id, so a retry after a lost
    answer gets the first refund back instead of a second one; and a refund the
    provider already holds (pending there) is read back rather than asked for again.
    """
    if not _claim_refund(refund_id):
        return Refund.objects.get(pk=refund_id)
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    gateway = gateways.get_gateway()
    try:
        if refund.provider_id:
            info = next(
                (
                    found
                    for found in gateway.list_refunds(refund.payment.provider_id)
                    if found.provider_id == refund.provider_id
                ),
                None,
            )
            if info is None:
                return _refund_failed(refund.pk, "The payment provider does not list it.")
        else:
            info = gateway.refund(
                refund_id=refund.pk,
                payment_provider_id=refund.payment.provider_id,
                amount_cents=refund.amount_cents,
            )
    except GatewayError as error:
        return _refund_failed(refund.pk, error.message)
    return refund_apply(refund_id=refund.pk, provider_id=info.provider_id, status=info.status)


@transaction.atomic
def _refund_failed(refund_id: int, message: str) -> Refund:
    refund = Refund.objects.select_for_update().select_related("payment").get(pk=refund_id)
    if refund.status != Refund.Status.PENDING:
        return refund
    refund.failure_message = message[:300]
    refund.next_attempt_at = timezone.now() + retry_delay(refund.attempts)
    refund.save(update_fields=["failure_message", "next_attempt_at"])
    logger.warning("Refund %s failed (attempt %s): %s", refund.pk, refund.attempts, message)
    audit(
        actor=None,
        action="refund.attempt_failed",
        target=refund,
        summary=f"Refund {refund.pk} of {refund.amount_cents} cents failed on attempt "
        f"{refund.attempts}, retried automatically: {message}",
        data={
            "amount_cents": refund.amount_cents,
            "engagement_id": refund.payment.engagement_id,
            "attempt": refund.attempts,
            "error": refund.failure_message,
            "next_attempt_at": refund.next_attempt_at.isoformat(),
        },
    )
    if refund.attempts >= REFUND_ATTEMPTS_BEFORE_ALERT:  # told once: one key per refund
        notify(
            recipients=platform_admins(),
            kind="refund.failing",
            key=f"refund-{refund.pk}-failing",
            message=f"Refund {refund.pk} of {dollars(refund.amount_cents)} keeps failing: "
            f"{refund.failure_message}",
            url=reverse("admin:payments_refund_change", args=[refund.pk]),
        )
    return refund


def refunds_retry_due() -> int:
    """Periodic sweep: pending refunds that no task finished (the task was lost, the
    provider was unreachable, or it holds the refund as pending); how many succeeded."""
    now = timezone.now()
    lost = Q(
        next_attempt_at__isnull=True,
        created_at__lte=now - timedelta(seconds=settings.TASK_RECOVERY_SECONDS),
    )
    due = (
        Refund.objects.filter(lost | Q(next_attempt_at__lte=now), status=Refund.Status.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)[:200]
    )
    done = 0
    for refund_id in list(due):
        try:
            if refund_execute(refund_id=refund_id).status == Refund.Status.SUCCEEDED:
                done += 1
        except Exception:  # one bad refund must not stop the sweep
            logger.exception("Refund %s could not be sent", refund_id)
    return done


@transaction.atomic
def refund_apply(
    *, refund_id: int, provider_id: str, status: str, via: str = "automatic"
) -> Refund:
    refund = (
        Refund.objects.select_for_update(of=("self", "payment"))
        .select_related("payment", "milestone")
        .get(pk=refund_id)
    )
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
            milestone=refund.milestone,
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
                milestone=refund.milestone,
            )
        notify(
            recipients=[payment.created_by],
            kind="payment.refunded",
            key=f"refund-{refund.pk}",
            message=f"Refunded {dollars(refund.amount_cents)} for "
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
        # Still pending at the provider: the sweep asks again, less and less often.
        refund.next_attempt_at = timezone.now() + retry_delay(refund.attempts)
        refund.save(update_fields=["provider_id", "next_attempt_at"])
    return refund
