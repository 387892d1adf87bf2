"""Bonuses: once the work is approved, the employer may thank the student with extra money.

The employer offers a bonus (any amount up to BONUS_MAX_CENTS per engagement, all bonuses
together), pays it through the gateway with the platform fee on top, and once that payment
succeeds the student is paid the whole bonus. A bonus not paid yet can be withdrawn; a
payment that arrives for a withdrawn bonus is refunded in full.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import User
from accounts.notifications import notify
from engagements.models import Engagement, EngagementStatus
from marketplace.money import dollars
from payments.models import Bonus, Payment
from payments.services.common import lock_engagement, require_employer
from payments.services.payouts import payout_create

# Bonuses are added once the work is approved (and stay possible once it is paid).
BONUS_STATUSES = (EngagementStatus.APPROVED, EngagementStatus.PAID)
MESSAGE_MAX = 1000


def bonus_room_cents(engagement: Engagement) -> int:
    """How much more the employer may still give as bonuses on this engagement."""
    given = (
        Bonus.objects.filter(engagement=engagement)
        .exclude(status=Bonus.Status.WITHDRAWN)
        .aggregate(total=Sum("amount_cents"))["total"]
        or 0
    )
    return max(0, settings.BONUS_MAX_CENTS - given)


@transaction.atomic
def bonus_offer(*, actor: User, engagement: Engagement, amount_cents: int, message: str) -> Bonus:
    """The employer offers a bonus; it waits for their payment (`payment_start`).

    Offering the same bonus again while it waits (a double click) returns that bonus.
    """
    engagement = lock_engagement(engagement.pk)
    require_employer(actor, engagement)
    if engagement.status not in BONUS_STATUSES:
        raise ValidationError("A bonus can be added once the work is approved.")
    if _student_account_closed(engagement):
        raise ValidationError("The student has closed their account: a bonus cannot reach them.")
    message = message.strip()
    waiting = engagement.bonuses.filter(status=Bonus.Status.AWAITING_PAYMENT).first()
    if waiting is not None:
        if waiting.amount_cents == amount_cents and waiting.message == message:
            return waiting
        raise ValidationError(
            f"A bonus of {dollars(waiting.amount_cents)} is waiting for your payment: pay it "
            "or withdraw it before adding another."
        )
    room = bonus_room_cents(engagement)
    errors = {}
    if amount_cents < settings.BONUS_MIN_CENTS:
        errors["amount"] = f"A bonus is at least {dollars(settings.BONUS_MIN_CENTS)}."
    elif amount_cents > room:
        errors["amount"] = (
            f"Bonuses on one engagement add up to at most {dollars(settings.BONUS_MAX_CENTS)}: "
            f"{dollars(room)} is left."
            if room
            else f"This engagement already has the most bonus allowed "
            f"({dollars(settings.BONUS_MAX_CENTS)})."
        )
    if len(message) > MESSAGE_MAX:
        errors["message"] = f"At most {MESSAGE_MAX} characters."
    if errors:
        raise ValidationError(errors)
    bonus = Bonus.objects.create(
        engagement=engagement, amount_cents=amount_cents, message=message, created_by=actor
    )
    audit(
        actor=actor,
        action="bonus.offered",
        target=bonus,
        summary=f"{actor.email} offered a bonus of {amount_cents} cents on "
        f"“{engagement.project.title}”",
        data={"amount_cents": amount_cents, "engagement_id": engagement.pk},
        school=engagement.school_id,
    )
    return bonus


@transaction.atomic
def bonus_withdraw(*, actor: User, bonus: Bonus) -> Bonus:
    """The employer takes back a bonus they have not paid. A payment already on its way
    that succeeds later is refunded in full (see `bonus_unpayable_reason`)."""
    engagement = lock_engagement(bonus.engagement_id)
    require_employer(actor, engagement)
    bonus = Bonus.objects.select_for_update().get(pk=bonus.pk)
    if bonus.status == Bonus.Status.WITHDRAWN:
        return bonus
    if bonus.status != Bonus.Status.AWAITING_PAYMENT:
        raise ValidationError("This bonus is paid: it goes to the student.")
    bonus.status = Bonus.Status.WITHDRAWN
    bonus.withdrawn_at = timezone.now()
    bonus.save(update_fields=["status", "withdrawn_at"])
    audit(
        actor=actor,
        action="bonus.withdrawn",
        target=bonus,
        summary=f"{actor.email} withdrew an unpaid bonus of {bonus.amount_cents} cents",
        data={"amount_cents": bonus.amount_cents, "engagement_id": engagement.pk},
        school=engagement.school_id,
    )
    return bonus


def _student_account_closed(engagement: Engagement) -> bool:
    # A query of its own, after the engagement's lock: closing an account locks the
    # student's engagements, so this reads what a closing that just committed wrote.
    return not User.objects.filter(pk=engagement.student_id, is_active=True).exists()


def bonus_unpayable_reason(*, bonus: Bonus) -> str:
    """Why a payment arriving now cannot fund this bonus ("" when it can); bonus locked."""
    if bonus.status == Bonus.Status.FUNDED:
        return "The bonus was already paid."
    if bonus.status == Bonus.Status.WITHDRAWN:
        return "The bonus was withdrawn before it was paid."
    if _student_account_closed(bonus.engagement):
        return "The student closed their account before the bonus was paid."
    return ""


def bonus_funded(*, payment: Payment, engagement: Engagement) -> Bonus:
    """The employer's payment for a bonus succeeded (inside the payment's transaction, the
    engagement locked): the student is paid the whole bonus."""
    bonus = Bonus.objects.select_for_update().get(pk=payment.bonus_id)
    if bonus.status == Bonus.Status.FUNDED:
        return bonus
    bonus.status = Bonus.Status.FUNDED
    bonus.funded_at = timezone.now()
    bonus.save(update_fields=["status", "funded_at"])
    payout_create(engagement=engagement, amount_cents=bonus.amount_cents, bonus=bonus)
    notify(
        recipients=[engagement.student],
        kind="bonus.funded",
        key=f"bonus-{bonus.pk}-funded",
        message=f"{engagement.organization.name} gave you a bonus of "
        f"{dollars(bonus.amount_cents)} for “{engagement.project.title}”",
        url=reverse("engagements:workspace", kwargs={"pk": engagement.pk}) + "#bonuses",
        context={"details": bonus.message},
    )
    return bonus
