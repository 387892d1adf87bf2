"""Every money movement goes through these functions; the rest of the code calls only them.

The pattern, each time:
  1. in a transaction, lock the engagement (or payout) row, check the state,
     and write our own row first (a Payment, Refund or Payout);
  2. outside any transaction, call the provider with an idempotency key made
     from that row's id (a retry returns the first answer, never a second
     movement);
  3. in a transaction again, apply what the provider said, write the ledger
     entry (unique key) and change the engagement's state.
Nothing is marked paid unless the provider said so; a replayed call or event
finds the work done and does nothing.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from accounts.notifications import notify
from accounts.services import audit
from marketplace.queueing import delay_on_commit
from payments import ledger
from payments.gateways import GatewayError, get_gateway
from payments.gateways.base import PaymentIntentInfo
from payments.models import (
    Gateway,
    LedgerEntry,
    Payment,
    PaymentStatus,
    Payout,
    PayoutAccount,
    Refund,
)
from projects import engagements as engagement_services
from projects.models import Engagement, EngagementStatus, ScopeExtension

logger = logging.getLogger(__name__)

RETRY_DELAYS_MINUTES = [5, 15, 60, 180, 720, 1440]
STUCK_AFTER = timedelta(minutes=10)
# Platform admins hear (once) about a refund tried this many times without success; it
# is still retried.
REFUND_ATTEMPTS_BEFORE_ALERT = 3


def _gateway_name() -> str:
    return get_gateway().name


def _lock_engagement(engagement_id: int) -> Engagement:
    return (
        Engagement.objects.select_for_update()
        .select_related("project", "student", "organization")
        .get(pk=engagement_id)
    )


def _require_employer(actor: User, engagement: Engagement) -> None:
    profile = getattr(actor, "employer_profile", None)
    if actor.role != Role.EMPLOYER or profile is None:
        raise PermissionDenied("Only the employer pays for an engagement.")
    if profile.organization_id != engagement.organization_id:
        raise PermissionDenied("This engagement belongs to another organization.")


def _employers(organization_id: int) -> list[User]:
    return list(
        User.objects.filter(employer_profile__organization_id=organization_id, is_active=True)
    )


def price(fee_cents: int) -> tuple[int, int, int]:
    """(student's fee, platform fee, total the employer pays)."""
    platform_fee = ledger.platform_fee_for(fee_cents, settings.PLATFORM_FEE_PERCENT)
    return fee_cents, platform_fee, fee_cents + platform_fee


# --- Funding -------------------------------------------------------------------------------


@transaction.atomic
def _payment_prepare(*, actor: User, engagement_id: int, extension_id: int | None) -> Payment:
    engagement = _lock_engagement(engagement_id)
    _require_employer(actor, engagement)
    if extension_id is None:
        if engagement.status != EngagementStatus.AWAITING_FUNDING:
            if engagement.funded_at is not None:
                raise ValidationError("This engagement is already funded.")
            raise ValidationError(
                f"An engagement that is {engagement.get_status_display().lower()} cannot be funded."
            )
        live = engagement.payments.filter(
            kind=Payment.Kind.FUNDING,
            status__in=[PaymentStatus.CREATED, PaymentStatus.PROCESSING],
        ).first()
        fee_cents, kind, extension = engagement.fee_cents, Payment.Kind.FUNDING, None
    else:
        extension = ScopeExtension.objects.select_for_update().get(
            pk=extension_id, engagement=engagement
        )
        if extension.status != ScopeExtension.Status.ACCEPTED:
            raise ValidationError("Only an extension the student accepted can be funded.")
        live = Payment.objects.filter(
            extension=extension, status__in=[PaymentStatus.CREATED, PaymentStatus.PROCESSING]
        ).first()
        fee_cents, kind = extension.extra_fee_cents, Payment.Kind.EXTENSION
    if live is not None:
        return live
    fee, platform_fee, total = price(fee_cents)
    payment = Payment.objects.create(
        engagement=engagement,
        extension=extension,
        kind=kind,
        gateway=_gateway_name(),
        fee_cents=fee,
        platform_fee_cents=platform_fee,
        amount_cents=total,
        currency=settings.CURRENCY,
        created_by=actor,
    )
    return payment


@transaction.atomic
def _payment_attach(payment_id: int, info: PaymentIntentInfo) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if not payment.provider_id:
        payment.provider_id = info.provider_id
        payment.save(update_fields=["provider_id"])
    return payment


def payment_start(*, actor: User, engagement: Engagement, extension=None) -> Payment:
    """The employer starts paying for an engagement (or an accepted extension).

    Returns the payment to complete on the payment page. Calling it again
    while a payment is under way returns that same payment.
    """
    payment = _payment_prepare(
        actor=actor,
        engagement_id=engagement.pk,
        extension_id=extension.pk if extension is not None else None,
    )
    if payment.provider_id:
        return payment
    gateway = get_gateway()
    try:
        info = gateway.create_payment(
            payment_id=payment.pk,
            amount_cents=payment.amount_cents,
            currency=payment.currency,
            description=f"Micro-internship: {payment.engagement.project.title}"[:200],
            metadata={"payment_id": str(payment.pk), "engagement_id": str(payment.engagement_id)},
        )
    except GatewayError as error:
        Payment.objects.filter(pk=payment.pk, provider_id=None).update(
            status=PaymentStatus.FAILED, failure_message=error.message[:300]
        )
        raise
    return _payment_attach(payment.pk, info)


def engagement_fund(*, actor: User, engagement: Engagement) -> Payment:
    """Start funding an accepted engagement: the single entry point for its payment."""
    return payment_start(actor=actor, engagement=engagement)


@transaction.atomic
def payment_apply(
    *,
    payment_id: int,
    info: PaymentIntentInfo,
    actor: User | None = None,
    via: str = "automatic",
) -> Payment:
    """Apply the provider's word about a payment. Safe to call any number of times.

    `actor` is the employer when they completed the payment themselves; otherwise `via`
    says what told us (for the audit trail).
    """
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.status == PaymentStatus.SUCCEEDED:
        return payment
    if info.status == "succeeded":
        if info.amount_cents != payment.amount_cents:
            logger.error("Payment %s: provider amount %s differs", payment.pk, info.amount_cents)
            raise ValidationError("The amount paid does not match the amount due.")
        engagement = _lock_engagement(payment.engagement_id)
        reason = _unpayable_reason(payment, engagement)
        payment.status = PaymentStatus.SUCCEEDED
        payment.charge_id = info.charge_id or payment.charge_id
        payment.succeeded_at = timezone.now()
        payment.failure_message = ""
        payment.unpayable_reason = reason[:300]
        payment.save(
            update_fields=[
                "status",
                "charge_id",
                "succeeded_at",
                "failure_message",
                "unpayable_reason",
            ]
        )
        ledger.record(
            engagement=engagement,
            kind=LedgerEntry.Kind.FUNDING_RECEIVED,
            amount_cents=payment.amount_cents,
            key=f"payment:{payment.pk}:received",
            description=f"{payment.get_kind_display()} received (receipt {payment.receipt_number})",
            actor=actor,
            action="payment.succeeded",
            via=via,
            payment=payment,
        )
        ledger.record(
            engagement=engagement,
            kind=LedgerEntry.Kind.PLATFORM_FEE,
            amount_cents=-payment.platform_fee_cents,
            key=f"payment:{payment.pk}:platform_fee",
            description=f"Platform fee ({settings.PLATFORM_FEE_PERCENT}%)",
            actor=actor,
            action="payment.platform_fee",
            via=via,
            payment=payment,
        )
        if reason:
            # The money arrived for something that can no longer take it (cancelled while
            # the payment was on its way, an extension withdrawn at approval, a second
            # payment for the same thing): it is recorded above and given back in full.
            _refund_unpayable(payment, engagement, reason=reason, actor=actor, via=via)
        elif payment.kind == Payment.Kind.FUNDING:
            engagement_services.engagement_mark_funded(engagement=engagement)
        else:
            engagement_services.extension_apply(extension_id=payment.extension_id)
        return payment
    if info.status in ("failed", "canceled") and payment.status != info.status:
        payment.status = info.status
        payment.failure_message = (info.failure_message or "The payment did not go through.")[:300]
        payment.save(update_fields=["status", "failure_message"])
        notify(
            recipients=[payment.created_by],
            kind="payment.failed",
            key=f"payment-{payment.pk}-{info.status}",
            message=f"Your payment for “{payment.engagement.project.title}” did not go through",
            url=reverse("projects:workspace", kwargs={"pk": payment.engagement_id}),
            context={"details": payment.failure_message},
        )
    elif info.status == "processing" and payment.status == PaymentStatus.CREATED:
        payment.status = PaymentStatus.PROCESSING
        payment.save(update_fields=["status"])
    return payment


def _unpayable_reason(payment: Payment, engagement: Engagement) -> str:
    """Why this succeeded payment cannot fund what it was for ("" when it can).

    Called under the engagement's lock (and the extension's, for an extension).
    """
    if payment.kind == Payment.Kind.FUNDING:
        if engagement.status == EngagementStatus.AWAITING_FUNDING:
            return ""
        if engagement.funded_at is not None:
            return "The engagement was already funded by another payment."
        return (
            f"The engagement was {engagement.get_status_display().lower()} "
            "before the payment arrived."
        )
    extension = ScopeExtension.objects.select_for_update().get(pk=payment.extension_id)
    return engagement_services.extension_unpayable_reason(
        extension=extension, engagement=engagement
    )


def _refund_unpayable(
    payment: Payment, engagement: Engagement, *, reason: str, actor: User | None, via: str
) -> Refund | None:
    refund = _refund_payment_in_full(payment, reason=f"Refunded in full: {reason}")
    audit(
        actor=actor,
        action="payment.refunded_unpayable",
        target=payment,
        summary=f"Payment {payment.pk} of {payment.amount_cents} cents arrived for something "
        f"that could no longer take it; refunded in full ({reason})",
        data={
            "amount_cents": payment.amount_cents,
            "engagement_id": engagement.pk,
            "extension_id": payment.extension_id,
            "refund_id": refund.pk if refund is not None else None,
            "reason": reason,
            **({"via": via} if actor is None else {}),
        },
        school=engagement.school_id,
    )
    what = "extension" if payment.kind == Payment.Kind.EXTENSION else "funding"
    notify(
        recipients=[payment.created_by, engagement.student],
        kind="payment.refunded_unpayable",
        key=f"payment-{payment.pk}-unpayable",
        message=f"A payment for the {what} of “{engagement.project.title}” came too late: "
        "it is refunded in full",
        url=reverse("projects:workspace", kwargs={"pk": engagement.pk}),
        context={
            "details": f"{reason} The ${payment.amount_cents / 100:,.2f} paid, platform fee "
            "included, goes back to the employer; nothing changes on the engagement."
        },
    )
    return refund


def payment_sync(*, payment: Payment, via: str = "automatic") -> Payment:
    """Re-read a payment from the provider and apply what it says."""
    if not payment.provider_id:
        return payment
    info = get_gateway().retrieve_payment(payment.provider_id)
    return payment_apply(payment_id=payment.pk, info=info, via=via)


def local_payment_complete(*, actor: User, payment: Payment, succeed: bool) -> Payment:
    """The test-mode payment page's buttons: what a card payment at Stripe would do."""
    if payment.gateway != Gateway.LOCAL or _gateway_name() != Gateway.LOCAL:
        raise PermissionDenied("Only test-mode payments are completed here.")
    engagement = Engagement.objects.get(pk=payment.engagement_id)
    _require_employer(actor, engagement)
    if payment.status not in (PaymentStatus.CREATED, PaymentStatus.PROCESSING):
        return payment
    info = PaymentIntentInfo(
        provider_id=payment.provider_id or f"local_pi_{payment.pk}",
        status="succeeded" if succeed else "failed",
        amount_cents=payment.amount_cents,
        charge_id=f"local_ch_{payment.pk}",
        failure_message="" if succeed else "Test-mode card declined.",
    )
    return payment_apply(payment_id=payment.pk, info=info, actor=actor)


# --- Refunds -------------------------------------------------------------------------------


def _refundable(payment: Payment) -> int:
    done = payment.refunds.exclude(status=Refund.Status.FAILED).aggregate(s=Sum("amount_cents"))
    return payment.amount_cents - (done["s"] or 0)


def _refund_payment_in_full(payment: Payment, *, reason: str) -> Refund | None:
    remaining = _refundable(payment)
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
    _after_commit_execute_refund(refund.pk)
    return refund


def _after_commit_execute_refund(refund_id: int) -> None:
    from payments.tasks import execute_refund

    delay_on_commit(execute_refund, refund_id)


def engagement_refund_all(*, engagement: Engagement, reason: str) -> list[Refund]:
    """Refund everything paid for an engagement (it was cancelled before any work).

    Called inside the cancelling transaction; the refunds leave after commit.
    """
    refunds = []
    for payment in Payment.objects.select_for_update().filter(
        engagement=engagement, status=PaymentStatus.SUCCEEDED
    ):
        refund = _refund_payment_in_full(payment, reason=reason)
        if refund is not None:
            refunds.append(refund)
    # A payment still on its way is cancelled; if it succeeds anyway, payment_apply refunds it.
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
    gateway = get_gateway()
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


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(
        minutes=RETRY_DELAYS_MINUTES[min(max(attempts, 1), len(RETRY_DELAYS_MINUTES)) - 1]
    )


@transaction.atomic
def _refund_failed(refund_id: int, message: str) -> Refund:
    refund = Refund.objects.select_for_update().select_related("payment").get(pk=refund_id)
    if refund.status != Refund.Status.PENDING:
        return refund
    refund.failure_message = message[:300]
    refund.next_attempt_at = timezone.now() + _retry_delay(refund.attempts)
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
            recipients=list(User.objects.filter(is_superuser=True, is_active=True)),
            kind="refund.failing",
            key=f"refund-{refund.pk}-failing",
            message=f"Refund {refund.pk} of ${refund.amount_cents / 100:,.2f} keeps failing: "
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
        # Still pending at the provider: the sweep asks again, less and less often.
        refund.next_attempt_at = timezone.now() + _retry_delay(refund.attempts)
        refund.save(update_fields=["provider_id", "next_attempt_at"])
    return refund


# --- Payouts -------------------------------------------------------------------------------


def _ready_account(student_id: int) -> PayoutAccount | None:
    account = PayoutAccount.objects.filter(user_id=student_id).first()
    return account if account is not None and account.is_ready else None


def payout_create(*, engagement: Engagement, amount_cents: int) -> Payout | None:
    """Called inside the transaction that approves (or settles) an engagement.

    At most one payout per engagement, whatever is retried or clicked twice:
    the engagement row is locked by the caller and the payout is unique per
    engagement. It goes out after commit; without a ready payout account it
    waits for the student to connect one.
    """
    existing = Payout.objects.filter(engagement=engagement).first()
    if existing is not None:
        return existing
    if amount_cents <= 0:
        return None
    account = _ready_account(engagement.student_id)
    payout = Payout.objects.create(
        engagement=engagement,
        student_id=engagement.student_id,
        amount_cents=amount_cents,
        gateway=_gateway_name(),
        status=Payout.Status.PENDING if account else Payout.Status.WAITING_FOR_ACCOUNT,
        next_attempt_at=timezone.now() if account else None,
    )
    if account:
        _after_commit_execute_payout(payout.pk)
    else:
        notify(
            recipients=[engagement.student],
            kind="payout.waiting",
            key=f"payout-{payout.pk}-waiting",
            message="Connect a payout account to receive "
            f"${amount_cents / 100:,.2f} for “{engagement.project.title}”",
            url=reverse("payments:earnings"),
        )
    return payout


def _after_commit_execute_payout(payout_id: int) -> None:
    from payments.tasks import execute_payout

    delay_on_commit(execute_payout, payout_id)


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
    account = _ready_account(payout.student_id)
    if account is None:
        Payout.objects.filter(pk=payout.pk, status=Payout.Status.PROCESSING).update(
            status=Payout.Status.WAITING_FOR_ACCOUNT, next_attempt_at=None
        )
        return Payout.objects.get(pk=payout.pk)
    charge = (
        Payment.objects.filter(
            engagement_id=payout.engagement_id,
            kind=Payment.Kind.FUNDING,
            status=PaymentStatus.SUCCEEDED,
            unpayable_reason="",
        )
        .values_list("charge_id", flat=True)
        .first()
    )
    try:
        info = get_gateway().transfer(
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
    return payout_apply(payout_id=payout.pk, provider_id=info.provider_id, reversed=info.reversed)


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
    payout = Payout.objects.select_for_update().get(pk=payout_id)
    engagement = _lock_engagement(payout.engagement_id)
    if reversed:
        return _payout_reversed(payout, engagement, via=via)
    if payout.status == Payout.Status.PAID:
        return payout
    payout.status = Payout.Status.PAID
    payout.provider_id = payout.provider_id or provider_id
    payout.paid_at = timezone.now()
    payout.last_error = ""
    payout.save(update_fields=["status", "provider_id", "paid_at", "last_error"])
    ledger.record(
        engagement=engagement,
        kind=LedgerEntry.Kind.PAYOUT,
        amount_cents=-payout.amount_cents,
        key=f"payout:{payout.pk}",
        description="Payout to the student",
        actor=None,
        action="payout.paid",
        via=via,
        payout=payout,
    )
    engagement_services.engagement_mark_paid(engagement=engagement)
    notify(
        recipients=[engagement.student],
        kind="payout.paid",
        key=f"payout-{payout.pk}-paid",
        message=f"You were paid ${payout.amount_cents / 100:,.2f} for “{engagement.project.title}”",
        url=reverse("payments:earnings"),
    )
    return payout


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
        )
    payout.status = Payout.Status.REVERSED
    payout.save(update_fields=["status"])
    notify(
        recipients=list(User.objects.filter(is_superuser=True, is_active=True)),
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
def _release_waiting(student_id: int) -> list[int]:
    waiting = list(
        Payout.objects.select_for_update()
        .filter(student_id=student_id, status=Payout.Status.WAITING_FOR_ACCOUNT)
        .values_list("pk", flat=True)
    )
    Payout.objects.filter(pk__in=waiting).update(
        status=Payout.Status.PENDING, next_attempt_at=timezone.now()
    )
    for payout_id in waiting:
        _after_commit_execute_payout(payout_id)
    return waiting


# --- Payout accounts -----------------------------------------------------------------------


def payout_account_start(*, user: User, refresh_url: str, return_url: str) -> str:
    """Open (once) the student's payout account and return where they finish onboarding."""
    if user.role != Role.STUDENT:
        raise PermissionDenied("Only students receive payouts.")
    gateway = get_gateway()
    with transaction.atomic():
        account, _ = PayoutAccount.objects.select_for_update().get_or_create(
            user=user, defaults={"gateway": gateway.name}
        )
    if not account.provider_id:
        info = gateway.create_account(user_id=user.pk, email=user.email)
        with transaction.atomic():
            PayoutAccount.objects.filter(pk=account.pk, provider_id=None).update(
                provider_id=info.provider_id
            )
        account.refresh_from_db()
    return gateway.account_link(
        provider_id=account.provider_id, refresh_url=refresh_url, return_url=return_url
    )


@transaction.atomic
def payout_account_apply(*, provider_id: str, details_submitted: bool, payouts_enabled: bool):
    account = PayoutAccount.objects.select_for_update().filter(provider_id=provider_id).first()
    if account is None:
        return None
    was_ready = account.is_ready
    account.details_submitted = details_submitted
    account.payouts_enabled = payouts_enabled
    account.save(update_fields=["details_submitted", "payouts_enabled", "updated_at"])
    if account.is_ready and not was_ready:
        _release_waiting(account.user_id)
    return account


def payout_account_sync(*, account: PayoutAccount) -> PayoutAccount:
    """Re-read the account from the provider (after onboarding, or on account.updated)."""
    if not account.provider_id:
        return account
    info = get_gateway().retrieve_account(account.provider_id)
    return payout_account_apply(
        provider_id=info.provider_id,
        details_submitted=info.details_submitted,
        payouts_enabled=info.payouts_enabled,
    )


def local_account_complete(*, user: User) -> PayoutAccount:
    """The test-mode onboarding page: what finishing Stripe's onboarding would do."""
    if _gateway_name() != Gateway.LOCAL:
        raise PermissionDenied("Only test-mode accounts are completed here.")
    account = PayoutAccount.objects.get(user=user)
    return payout_account_apply(
        provider_id=account.provider_id, details_submitted=True, payouts_enabled=True
    )


# --- Disputes ------------------------------------------------------------------------------


@transaction.atomic
def dispute_settle(*, actor: User, engagement: Engagement, student_cents: int, note: str):
    """A platform admin splits a disputed engagement: part paid to the student, the rest
    refunded to the employer. The platform keeps its fee only on the part paid out."""
    if not actor.is_platform_admin:
        raise PermissionDenied("Only platform admins settle disputes.")
    engagement = _lock_engagement(engagement.pk)
    if engagement.status != EngagementStatus.DISPUTED:
        raise ValidationError("Only a disputed engagement can be settled.")
    payments = list(
        Payment.objects.select_for_update()
        .filter(engagement=engagement, status=PaymentStatus.SUCCEEDED, unpayable_reason="")
        .order_by("-created_at")
    )
    funded_fee = sum(p.fee_cents for p in payments)
    if not 0 <= student_cents <= funded_fee:
        raise ValidationError(
            {"student_amount": f"Between $0 and ${funded_fee / 100:,.2f}, the fee that was funded."}
        )
    if not note.strip():
        raise ValidationError({"note": "Explain the decision: both sides will read it."})
    platform_fee = sum(p.platform_fee_cents for p in payments)
    fee_kept = (platform_fee * student_cents + funded_fee // 2) // funded_fee if funded_fee else 0
    refund_fee_part = platform_fee - fee_kept
    refund_total = funded_fee - student_cents + refund_fee_part
    refunds = []
    for payment in payments:
        if refund_total <= 0:
            break
        amount = min(refund_total, _refundable(payment))
        if amount <= 0:
            continue
        fee_part = min(refund_fee_part, payment.platform_fee_cents, amount)
        refund = Refund.objects.create(
            payment=payment,
            amount_cents=amount,
            platform_fee_cents=fee_part,
            reason=f"Dispute settled: {note.strip()}"[:300],
        )
        refunds.append(refund)
        _after_commit_execute_refund(refund.pk)
        refund_total -= amount
        refund_fee_part -= fee_part
    payout = payout_create(engagement=engagement, amount_cents=student_cents)
    engagement_services.engagement_settle(
        engagement=engagement, actor=actor, student_cents=student_cents, note=note.strip()
    )
    audit(
        actor=actor,
        action="engagement.settled",
        target=engagement,
        summary=f"{actor.email} settled the dispute: {student_cents} cents to the student, "
        f"{sum(r.amount_cents for r in refunds)} cents refunded to the employer",
        data={
            "student_cents": student_cents,
            "platform_fee_kept_cents": fee_kept,
            "payout_id": payout.pk if payout is not None else None,
            "refunds": [{"refund_id": r.pk, "amount_cents": r.amount_cents} for r in refunds],
            "note": note.strip(),
        },
    )
    return payout


# --- Reads for pages -----------------------------------------------------------------------


def student_earnings(student: User) -> dict:
    """Pending, paid and this year's total, in a few aggregate queries."""
    year_start = timezone.localtime().replace(
        month=1, day=1, hour=0, minute=0, second=0, microsecond=0
    )
    payouts = list(
        Payout.objects.filter(student=student)
        .select_related("engagement__project", "engagement__organization")
        .order_by("-created_at")
    )
    pending_statuses = {
        Payout.Status.WAITING_FOR_ACCOUNT,
        Payout.Status.PENDING,
        Payout.Status.PROCESSING,
        Payout.Status.FAILED,
    }
    approved_without_payout = list(
        Engagement.objects.filter(
            student=student, status=EngagementStatus.APPROVED, payout__isnull=True
        ).select_related("project")
    )
    return {
        "payouts": payouts,
        "pending_cents": sum(p.amount_cents for p in payouts if p.status in pending_statuses)
        + sum(e.fee_cents for e in approved_without_payout),
        "paid_cents": sum(p.amount_cents for p in payouts if p.status == Payout.Status.PAID),
        "year_cents": sum(
            p.amount_cents
            for p in payouts
            if p.status == Payout.Status.PAID and p.paid_at and p.paid_at >= year_start
        ),
        "account": PayoutAccount.objects.filter(user=student).first(),
        "in_progress": list(
            Engagement.objects.filter(
                student=student, status__in=["active", "submitted", "revision_requested"]
            ).select_related("project")
        ),
    }
