"""The employer funds an engagement (or an extension of it, or a bonus): fee plus platform
fee."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import User
from accounts.notifications import notify
from engagements import services as engagement_services
from engagements.models import Engagement, EngagementStatus, ScopeExtension
from marketplace.money import dollars
from marketplace.pricing import price
from payments import gateways, ledger
from payments import milestones as milestone_ledger
from payments.gateways import GatewayError
from payments.gateways.base import PaymentIntentInfo
from payments.models import (
    Bonus,
    Gateway,
    LedgerEntry,
    Payment,
    PaymentStatus,
    Refund,
)
from payments.services import sponsors
from payments.services.bonuses import bonus_funded, bonus_unpayable_reason
from payments.services.common import (
    gateway_name,
    lock_engagement,
    require_employer,
)
from payments.services.refunds import refund_payment_in_full

logger = logging.getLogger(__name__)


@transaction.atomic
def _payment_prepare(
    *, actor: User, engagement_id: int, extension_id: int | None, bonus_id: int | None = None
) -> Payment:
    engagement = lock_engagement(engagement_id)
    require_employer(actor, engagement)
    extension = bonus = None
    if bonus_id is not None:
        bonus = Bonus.objects.select_for_update().get(pk=bonus_id, engagement=engagement)
        if bonus.status != Bonus.Status.AWAITING_PAYMENT:
            raise ValidationError(bonus_unpayable_reason(bonus=bonus))
        live = Payment.objects.filter(
            bonus=bonus, status__in=[PaymentStatus.CREATED, PaymentStatus.PROCESSING]
        ).first()
        fee_cents, kind = bonus.amount_cents, Payment.Kind.BONUS
    elif extension_id is None:
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
        fee_cents, kind = engagement.fee_cents, Payment.Kind.FUNDING
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
    sponsor, sponsored = None, 0
    if kind != Payment.Kind.BONUS:  # a sponsor pays a share of the fee, not of a bonus
        sponsor, sponsored = sponsors.sponsor_pick(engagement=engagement, fee_cents=fee)
    payment = Payment.objects.create(
        engagement=engagement,
        extension=extension,
        bonus=bonus,
        kind=kind,
        gateway=gateway_name(),
        fee_cents=fee,
        platform_fee_cents=platform_fee,
        sponsor=sponsor,
        sponsored_cents=sponsored,
        amount_cents=total - sponsored,
        currency=settings.CURRENCY,
        created_by=actor,
    )
    if sponsor is not None:
        sponsors.sponsor_reserve(payment=payment, sponsor=sponsor)
    return payment


@transaction.atomic
def _payment_attach(payment_id: int, info: PaymentIntentInfo) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if not payment.provider_id:
        payment.provider_id = info.provider_id
        payment.save(update_fields=["provider_id"])
    return payment


def payment_start(
    *, actor: User, engagement: Engagement, extension=None, bonus: Bonus | None = None
) -> Payment:
    """The employer starts paying for an engagement (or an accepted extension, or a bonus).

    Returns the payment to complete on the payment page. Calling it again
    while a payment is under way returns that same payment.
    """
    payment = _payment_prepare(
        actor=actor,
        engagement_id=engagement.pk,
        extension_id=extension.pk if extension is not None else None,
        bonus_id=bonus.pk if bonus is not None else None,
    )
    if payment.provider_id:
        return payment
    gateway = gateways.get_gateway()
    try:
        info = gateway.create_payment(
            payment_id=payment.pk,
            amount_cents=payment.amount_cents,
            currency=payment.currency,
            description=f"Micro-internship: {payment.engagement.project.title}"[:200],
            metadata={"payment_id": str(payment.pk), "engagement_id": str(payment.engagement_id)},
        )
    except GatewayError as error:
        if Payment.objects.filter(pk=payment.pk, provider_id=None).update(
            status=PaymentStatus.FAILED, failure_message=error.message[:300]
        ):
            sponsors.sponsor_release(payment=payment, why="the payment could not be started")
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
        engagement = lock_engagement(payment.engagement_id)
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
        # A milestone engagement records the payment milestone by milestone.
        sponsor_parts = milestone_ledger.record_received(
            payment=payment, engagement=engagement, actor=actor, via=via
        )
        if sponsor_parts is None:
            ledger.record(
                engagement=engagement,
                kind=LedgerEntry.Kind.FUNDING_RECEIVED,
                amount_cents=payment.amount_cents,
                key=f"payment:{payment.pk}:received",
                description=(
                    f"{payment.get_kind_display()} received (receipt {payment.receipt_number})"
                ),
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
        if not reason:
            sponsors.sponsor_share_received(
                payment=payment, engagement=engagement, actor=actor, via=via, parts=sponsor_parts
            )
        if reason:
            # The money arrived for something that can no longer take it (cancelled while
            # the payment was on its way, an extension withdrawn at approval, a second
            # payment for the same thing): it is recorded above and given back in full.
            _refund_unpayable(payment, engagement, reason=reason, actor=actor, via=via)
        elif payment.kind == Payment.Kind.FUNDING:
            engagement_services.engagement_mark_funded(engagement=engagement)
        elif payment.kind == Payment.Kind.BONUS:
            bonus_funded(payment=payment, engagement=engagement)
        else:
            engagement_services.extension_apply(extension_id=payment.extension_id)
        return payment
    if info.status in ("failed", "canceled") and payment.status != info.status:
        payment.status = info.status
        payment.failure_message = (info.failure_message or "The payment did not go through.")[:300]
        payment.save(update_fields=["status", "failure_message"])
        sponsors.sponsor_release(payment=payment, why=payment.failure_message)
        notify(
            recipients=[payment.created_by],
            kind="payment.failed",
            key=f"payment-{payment.pk}-{info.status}",
            message=f"Your payment for “{payment.engagement.project.title}” did not go through",
            url=reverse("engagements:workspace", kwargs={"pk": payment.engagement_id}),
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
    if payment.kind == Payment.Kind.BONUS:
        return bonus_unpayable_reason(
            bonus=Bonus.objects.select_for_update().get(pk=payment.bonus_id)
        )
    extension = ScopeExtension.objects.select_for_update().get(pk=payment.extension_id)
    return engagement_services.extension_unpayable_reason(
        extension=extension, engagement=engagement
    )


def _refund_unpayable(
    payment: Payment, engagement: Engagement, *, reason: str, actor: User | None, via: str
) -> Refund | None:
    refund = refund_payment_in_full(payment, reason=f"Refunded in full: {reason}")
    # It never drew on a sponsor: the sponsor's share was not received, only reserved.
    sponsors.sponsor_release(payment=payment, why=reason)
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
    what = {"extension": "extension", "bonus": "bonus"}.get(payment.kind, "funding")
    notify(
        recipients=[payment.created_by, engagement.student],
        kind="payment.refunded_unpayable",
        key=f"payment-{payment.pk}-unpayable",
        message=f"A payment for the {what} of “{engagement.project.title}” came too late: "
        "it is refunded in full",
        url=reverse("engagements:workspace", kwargs={"pk": engagement.pk}),
        context={
            "details": f"{reason} The {dollars(payment.amount_cents)} paid, platform fee "
            "included, goes back to the employer; nothing changes on the engagement."
        },
    )
    return refund


def payment_sync(*, payment: Payment, via: str = "automatic") -> Payment:
    """Re-read a payment from the provider and apply what it says."""
    if not payment.provider_id:
        return payment
    info = gateways.get_gateway().retrieve_payment(payment.provider_id)
    return payment_apply(payment_id=payment.pk, info=info, via=via)


def local_payment_complete(*, actor: User, payment: Payment, succeed: bool) -> Payment:
    """The test-mode payment page's buttons: what a card payment at Stripe would do."""
    if payment.gateway != Gateway.LOCAL or gateway_name() != Gateway.LOCAL:
        raise PermissionDenied("Only test-mode payments are completed here.")
    engagement = Engagement.objects.get(pk=payment.engagement_id)
    require_employer(actor, engagement)
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
