"""Payouts to the student: the fee (or each milestone) and each bonus paid exactly once,
whatever is retried or replayed."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import User
from accounts.notifications import notify
from accounts.selectors import platform_admins
from engagements import services as engagement_services
from engagements.models import Engagement, Milestone
from marketplace.money import dollars
from marketplace.queueing import delay_on_commit
from payments import gateways, ledger, tasks
from payments.gateways import GatewayError
from payments.models import (
    Bonus,
    Gateway,
    LedgerEntry,
    Payment,
    PaymentStatus,
    Payout,
    PayoutAccount,
    PayoutEvent,
)
from payments.services import tracker
from payments.services.common import (
    RETRY_DELAYS_MINUTES,
    gateway_name,
    lock_engagement,
)

logger = logging.getLogger(__name__)

STUCK_AFTER = timedelta(minutes=10)


def ready_account(student_id: int) -> PayoutAccount | None:
    """The student's account if payouts can go to it now (set up, with tax information)."""
    account = PayoutAccount.objects.filter(user_id=student_id).first()
    return account if account is not None and account.can_receive else None


def waiting_status(student_id: int) -> str:
    """What a payout that cannot go out yet waits for."""
    account = PayoutAccount.objects.filter(user_id=student_id).first()
    if account is not None and account.is_ready:
        return Payout.Status.WAITING_FOR_TAX
    return Payout.Status.WAITING_FOR_ACCOUNT


WAITING_STATUSES = (Payout.Status.WAITING_FOR_ACCOUNT, Payout.Status.WAITING_FOR_TAX)


def payout_create(
    *,
    engagement: Engagement,
    amount_cents: int,
    bonus: Bonus | None = None,
    milestone: Milestone | None = None,
) -> Payout | None:
    """Called inside the transaction that approves (or settles) an engagement, or that
    receives a bonus's payment.

    The fee is paid out once per engagement and each bonus once, whatever is retried or
    clicked twice: the engagement row is locked by the caller and the database holds
    one fee payout per engagement and one payout per bonus. It goes out after commit;
    without a ready payout account it waits for the student to connect one.
    """
    if bonus is not None:
        kind, existing = Payout.Kind.BONUS, Payout.objects.filter(bonus=bonus).first()
    elif milestone is not None:
        kind, existing = Payout.Kind.MILESTONE, Payout.objects.filter(milestone=milestone).first()
    else:
        kind = Payout.Kind.FEE
        existing = Payout.objects.filter(engagement=engagement, kind=kind).first()
    if existing is not None:
        return existing
    if amount_cents <= 0:
        return None
    account = ready_account(engagement.student_id)
    payout = Payout.objects.create(
        engagement=engagement,
        kind=kind,
        bonus=bonus,
        milestone=milestone,
        student_id=engagement.student_id,
        amount_cents=amount_cents,
        gateway=gateway_name(),
        status=Payout.Status.PENDING if account else waiting_status(engagement.student_id),
        next_attempt_at=timezone.now() if account else None,
    )
    what = "A bonus of " if bonus is not None else ""
    if milestone is not None:
        what = f"Milestone {milestone.number}: "
    tracker.record_step(
        payout,
        PayoutEvent.Step.APPROVED,
        key=f"payout:{payout.pk}:approved",
        detail=f"{what}{dollars(amount_cents)} approved for “{engagement.project.title}”.",
    )
    if account:
        enqueue_payout(payout.pk)
    else:
        _tell_waiting(payout, engagement)
    return payout


def _tell_waiting(payout: Payout, engagement: Engagement) -> None:
    """Record what the payout waits for and tell the student what to do (once each)."""
    if payout.status == Payout.Status.WAITING_FOR_TAX:
        step, what = PayoutEvent.Step.WAITING_FOR_TAX, "Give your tax information"
        detail = "Give your tax information (W-9 or W-8BEN) in your payout account setup."
    else:
        step, what = PayoutEvent.Step.WAITING_FOR_ACCOUNT, "Connect a payout account"
        detail = "Connect a payout account to receive it."
    tracker.record_step(payout, step, key=f"payout:{payout.pk}:{step}", detail=detail)
    notify(
        recipients=[engagement.student],
        kind="payout.waiting",
        key=f"payout-{payout.pk}-{payout.status}",
        message=f"{what} to receive {dollars(payout.amount_cents)} for "
        f"“{engagement.project.title}”",
        url=reverse("payments:earnings"),
    )


def enqueue_payout(payout_id: int) -> None:
    delay_on_commit(tasks.execute_payout, payout_id)


def _claim_payout(payout_id: int) -> bool:
    """Take a payout to send it: only one worker wins (a conditional update, one row)."""
    now = timezone.now()
    claimable = Q(status__in=[Payout.Status.PENDING, Payout.Status.FAILED]) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    stuck = Q(status=Payout.Status.PROCESSING, next_attempt_at__lte=now - STUCK_AFTER)
    return (
        Payout.objects.filter(claimable | stuck, pk=payout_id).update(
            status=Payout.Status.PROCESSING, attempts=F("attempts") + 1, next_attempt_at=now
        )
        == 1
    )


def payout_execute(*, payout_id: int) -> Payout:
    """Send one payout to the student's account. Safe to run concurrently and to repeat."""
    if not _claim_payout(payout_id):
        return Payout.objects.get(pk=payout_id)
    payout = Payout.objects.select_related("engagement").get(pk=payout_id)
    account = ready_account(payout.student_id)
    if account is None:
        return _payout_wait(payout.pk)
    paid_by = (
        Payment.objects.filter(bonus_id=payout.bonus_id)
        if payout.bonus_id
        else Payment.objects.filter(engagement_id=payout.engagement_id, kind=Payment.Kind.FUNDING)
    )
    charge = (
        paid_by.filter(status=PaymentStatus.SUCCEEDED, unpayable_reason="")
        .values_list("charge_id", flat=True)
        .first()
    )
    try:
        info = gateways.get_gateway().transfer(
            payout_id=payout.pk,
            idempotency_key=payout.idempotency_key,
            amount_cents=payout.amount_cents,
            currency=settings.CURRENCY,
            destination=account.provider_id,
            source_charge_id=charge or "",
            metadata={"payout_id": str(payout.pk), "engagement_id": str(payout.engagement_id)},
        )
    except GatewayError as error:
        return _payout_failed(payout.pk, error.message, refused=not error.temporary)
    payout = payout_apply(payout_id=payout.pk, provider_id=info.provider_id, reversed=info.reversed)
    if payout.gateway == Gateway.LOCAL:
        tracker.local_bank_payout_start(payout=payout)
    return payout


@transaction.atomic
def _payout_wait(payout_id: int) -> Payout:
    """The account is gone or not ready, or the tax information is missing: wait for it."""
    payout = (
        Payout.objects.select_for_update().select_related("engagement__project").get(pk=payout_id)
    )
    if payout.status != Payout.Status.PROCESSING:
        return payout
    payout.status = waiting_status(payout.student_id)
    payout.next_attempt_at = None
    payout.save(update_fields=["status", "next_attempt_at"])
    _tell_waiting(payout, payout.engagement)
    return payout


@transaction.atomic
def _payout_failed(payout_id: int, message: str, *, refused: bool) -> Payout:
    payout = Payout.objects.select_for_update().get(pk=payout_id)
    if payout.status == Payout.Status.PAID:
        return payout
    if refused:
        payout.refusals += 1
    delay = RETRY_DELAYS_MINUTES[min(payout.attempts, len(RETRY_DELAYS_MINUTES)) - 1]
    payout.status = Payout.Status.FAILED
    payout.last_error = message[:300]
    payout.next_attempt_at = timezone.now() + timedelta(minutes=delay)
    payout.save(update_fields=["status", "last_error", "next_attempt_at", "refusals"])
    logger.warning("Payout %s failed (attempt %s): %s", payout.pk, payout.attempts, message)
    audit(
        actor=None,
        action="payout.failed",
        target=payout,
        summary=f"Payout {payout.pk} of {payout.amount_cents} cents failed on attempt "
        f"{payout.attempts}, retried automatically: {message}",
        data={
            "amount_cents": payout.amount_cents,
            "engagement_id": payout.engagement_id,
            "attempt": payout.attempts,
            "refused": refused,
            "error": payout.last_error,
            "next_attempt_at": payout.next_attempt_at.isoformat(),
        },
    )
    return payout


@transaction.atomic
def payout_apply(
    *, payout_id: int, provider_id: str, reversed: bool = False, via: str = "automatic"
) -> Payout:
    """The provider made the transfer: record it once, and the engagement is paid."""
    payout = (
        Payout.objects.select_for_update(of=("self",)).select_related("milestone").get(pk=payout_id)
    )
    engagement = lock_engagement(payout.engagement_id)
    if reversed:
        return _payout_reversed(payout, engagement, via=via)
    if payout.status == Payout.Status.PAID:
        return payout
    payout.status = Payout.Status.PAID
    payout.provider_id = payout.provider_id or provider_id
    payout.paid_at = timezone.now()
    payout.last_error = ""
    payout.save(update_fields=["status", "provider_id", "paid_at", "last_error"])
    tracker.record_step(
        payout,
        PayoutEvent.Step.SENT,
        key=f"payout:{payout.pk}:sent",
        detail="Sent to your Stripe account, which pays it out to your bank.",
        at=payout.paid_at,
    )
    ledger.record(
        engagement=engagement,
        kind=LedgerEntry.Kind.PAYOUT,
        amount_cents=-payout.amount_cents,
        key=f"payout:{payout.pk}",
        description="Payout to the student"
        + (f" (milestone {payout.milestone.number})" if payout.milestone_id else ""),
        actor=None,
        action="payout.paid",
        via=via,
        payout=payout,
        milestone=payout.milestone,
    )
    if payout.kind != Payout.Kind.BONUS and _fee_all_paid(engagement):
        engagement_services.engagement_mark_paid(engagement=engagement)
    what = "a bonus of " if payout.kind == Payout.Kind.BONUS else ""
    notify(
        recipients=[engagement.student],
        kind="payout.paid",
        key=f"payout-{payout.pk}-paid",
        message=f"You were paid {what}{dollars(payout.amount_cents)} for "
        f"“{engagement.project.title}”",
        url=reverse("payments:earnings"),
    )
    return payout


def _fee_all_paid(engagement: Engagement) -> bool:
    """Every payout of the engagement's fee has gone out (bonuses aside)."""
    return (
        not engagement.payouts.exclude(kind=Payout.Kind.BONUS)
        .exclude(status=Payout.Status.PAID)
        .exists()
    )


def _payout_reversed(payout: Payout, engagement: Engagement, *, via: str) -> Payout:
    if payout.status == Payout.Status.REVERSED:
        return payout
    if payout.status == Payout.Status.PAID:
        ledger.record(
            engagement=engagement,
            kind=LedgerEntry.Kind.REVERSAL,
            amount_cents=payout.amount_cents,
            key=f"payout:{payout.pk}:reversed",
            description="The transfer to the student was reversed",
            actor=None,
            action="payout.reversed",
            via=via,
            payout=payout,
            milestone=payout.milestone,
        )
    payout.status = Payout.Status.REVERSED
    payout.save(update_fields=["status"])
    tracker.record_step(
        payout,
        PayoutEvent.Step.REVERSED,
        key=f"payout:{payout.pk}:reversed",
        detail="The transfer was taken back. We are looking into it and will contact you.",
    )
    notify(
        recipients=platform_admins(),
        kind="payout.reversed",
        key=f"payout-{payout.pk}-reversed",
        message=f"A payout was reversed on “{engagement.project.title}”: please look into it",
        url=reverse("admin:payments_payout_change", args=[payout.pk]),
    )
    return payout


def payouts_retry_due() -> int:
    """Periodic sweep: send payouts that are due (new, failed and due again, or stuck)."""
    now = timezone.now()
    due = Payout.objects.filter(
        Q(status__in=[Payout.Status.PENDING, Payout.Status.FAILED], next_attempt_at__lte=now)
        | Q(status=Payout.Status.PROCESSING, next_attempt_at__lte=now - STUCK_AFTER)
    ).values_list("pk", flat=True)[:500]
    sent = 0
    for payout_id in due:
        try:
            if payout_execute(payout_id=payout_id).status == Payout.Status.PAID:
                sent += 1
        except Exception:  # one bad payout must not stop the sweep
            logger.exception("Payout %s could not be sent", payout_id)
    return sent


def payout_retry_now(*, actor: User, payout: Payout) -> Payout:
    """A platform admin sends a failed payout now rather than at its next automatic retry."""
    if not actor.is_platform_admin:
        raise PermissionDenied("Only platform admins retry payouts.")
    with transaction.atomic():
        # Due now, for the sweep too: if this process stops before sending it, the next
        # sweep does (a payout due "never" would wait for nobody).
        if not Payout.objects.filter(pk=payout.pk, status=Payout.Status.FAILED).update(
            next_attempt_at=timezone.now()
        ):
            return Payout.objects.get(pk=payout.pk)
        audit(
            actor=actor,
            action="payout.retried",
            target=payout,
            summary=f"{actor.email} retried payout {payout.pk} of {payout.amount_cents} cents "
            f"on engagement {payout.engagement_id}",
            data={
                "amount_cents": payout.amount_cents,
                "engagement_id": payout.engagement_id,
                "attempts_before": payout.attempts,
            },
        )
    return payout_execute(payout_id=payout.pk)


@transaction.atomic
def release_waiting_payouts(student_id: int) -> list[int]:
    """The account can receive payouts now: send the ones that waited for it."""
    waiting = list(
        Payout.objects.select_for_update()
        .filter(student_id=student_id, status__in=WAITING_STATUSES)
        .values_list("pk", flat=True)
    )
    Payout.objects.filter(pk__in=waiting).update(
        status=Payout.Status.PENDING, next_attempt_at=timezone.now()
    )
    for payout_id in waiting:
        enqueue_payout(payout_id)
    return waiting


@transaction.atomic
def hold_for_tax_information(student_id: int) -> list[int]:
    """The account is set up but the tax information is missing: what waited for the
    account now waits for that."""
    waiting = list(
        Payout.objects.select_for_update()
        .filter(student_id=student_id, status=Payout.Status.WAITING_FOR_ACCOUNT)
        .select_related("engagement__project", "engagement__student")
    )
    for payout in waiting:
        payout.status = Payout.Status.WAITING_FOR_TAX
        payout.save(update_fields=["status"])
        _tell_waiting(payout, payout.engagement)
    return [payout.pk for payout in waiting]
