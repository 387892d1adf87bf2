"""Scope extensions: more hours for a matching fee increase. The employer proposes, the
student accepts, the employer funds it, and only then do the cap, fee and due date grow."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from accounts.notifications import notify
from accounts.selectors import organization_employers
from engagements import lifecycle
from engagements.models import (
    OPEN_MILESTONE_STATUSES,
    QUARTERS_PER_HOUR,
    WORKING_STATUSES,
    Engagement,
    Milestone,
    ScopeExtension,
)
from engagements.services.common import (
    record_event,
    require_employer,
    require_student,
    workspace_url,
)
from marketplace.money import dollars


def _extension_terms_errors(
    engagement: Engagement, *, extra_quarters: int, extra_fee_cents: int
) -> dict[str, str]:
    """The same rules as a project's: never past the hour limit, the added hours paid between
    the hourly floor and ceiling, and the whole engagement's fee within them too."""
    floor, ceiling = settings.HOURLY_RATE_FLOOR_CENTS, settings.HOURLY_RATE_CEILING_CENTS
    max_quarters = settings.PROJECT_HOURS_MAX * QUARTERS_PER_HOUR
    if engagement.cap_quarters + extra_quarters > max_quarters:
        room = (max_quarters - engagement.cap_quarters) / QUARTERS_PER_HOUR
        return {
            "extra_hours": f"A micro-internship never passes {settings.PROJECT_HOURS_MAX} hours: "
            f"at most {room:g} more hours."
        }
    hours = extra_quarters / QUARTERS_PER_HOUR
    if extra_fee_cents * QUARTERS_PER_HOUR < floor * extra_quarters:
        return {
            "extra_fee": f"The added hours must be paid at least {dollars(floor)} an hour: "
            f"at least {dollars(-(-floor * extra_quarters // QUARTERS_PER_HOUR))} "
            f"for {hours:g} hours."
        }
    if extra_fee_cents * QUARTERS_PER_HOUR > ceiling * extra_quarters:
        return {
            "extra_fee": f"That is more than {dollars(ceiling)} an hour, the limit: at most "
            f"{dollars(ceiling * extra_quarters // QUARTERS_PER_HOUR)} for {hours:g} hours. "
            "Check the pay and the hours."
        }
    total_fee = engagement.fee_cents + extra_fee_cents
    total_quarters = engagement.cap_quarters + extra_quarters
    if not floor * total_quarters <= total_fee * QUARTERS_PER_HOUR <= ceiling * total_quarters:
        return {
            "extra_fee": f"With it the engagement would pay {dollars(total_fee)} for "
            f"{total_quarters / QUARTERS_PER_HOUR:g} hours, outside {dollars(floor)}–"
            f"{dollars(ceiling)} an hour."
        }
    return {}


@transaction.atomic(durable=True)
def extension_propose(
    *,
    actor: User,
    engagement: Engagement,
    extra_quarters: int,
    extra_fee_cents: int,
    extra_days: int,
    reason: str,
    milestone_number: int | None = None,
) -> ScopeExtension:
    """The employer offers more hours for more pay; the student decides.

    On a milestone engagement the extension names the milestone it grows (one not yet
    approved or cancelled): its hours and amount grow with the engagement's when funded.
    """
    engagement = lifecycle.lock(engagement)
    require_employer(actor, engagement)
    if engagement.status not in WORKING_STATUSES:
        raise ValidationError("Scope can only be extended while the work is under way.")
    waiting = engagement.extensions.filter(
        status__in=[ScopeExtension.Status.PROPOSED, ScopeExtension.Status.ACCEPTED]
    ).first()
    if waiting is not None and waiting.status == ScopeExtension.Status.PROPOSED:
        raise ValidationError("An extension is already waiting for the student's answer.")
    if waiting is not None:
        raise ValidationError(
            "The student accepted an extension that is waiting for your payment: fund it "
            "first, then propose another if the work needs more."
        )
    errors = {}
    if extra_quarters < 1:
        errors["extra_hours"] = "Add at least a quarter of an hour."
    else:
        errors.update(
            _extension_terms_errors(
                engagement, extra_quarters=extra_quarters, extra_fee_cents=extra_fee_cents
            )
        )
    if extra_days < 0 or extra_days > settings.PROJECT_DAYS_MAX:
        errors["extra_days"] = f"Between 0 and {settings.PROJECT_DAYS_MAX} more days."
    if not reason.strip():
        errors["reason"] = "Say what the extra hours are for."
    milestone = None
    if engagement.milestones.exists():
        milestone = engagement.milestones.filter(
            number=milestone_number or 0, status__in=OPEN_MILESTONE_STATUSES
        ).first()
        if milestone is None:
            errors["milestone"] = "Choose the milestone the extra hours are for (one not done)."
    if errors:
        raise ValidationError(errors)
    extension = ScopeExtension.objects.create(
        engagement=engagement,
        milestone=milestone,
        extra_quarters=extra_quarters,
        extra_fee_cents=extra_fee_cents,
        extra_days=extra_days,
        reason=reason.strip(),
        proposed_by=actor,
    )
    record_event(
        engagement,
        actor,
        "extension_proposed",
        f"Extension proposed: +{extra_quarters / QUARTERS_PER_HOUR:g} hours for "
        f"+{dollars(extra_fee_cents)}"
        + (f" on milestone {milestone.number}." if milestone else "."),
    )
    notify(
        recipients=[engagement.student],
        kind="engagement.extension",
        key=f"extension-{extension.pk}-proposed",
        message=f"The employer proposes more hours on “{engagement.project.title}”",
        url=workspace_url(engagement),
    )
    return extension


@transaction.atomic(durable=True)
def extension_decide(*, actor: User, extension: ScopeExtension, accept: bool) -> ScopeExtension:
    """The student accepts (then the employer funds it) or declines."""
    engagement = lifecycle.lock(extension.engagement_id)
    extension = ScopeExtension.objects.select_for_update().get(pk=extension.pk)
    require_student(actor, engagement)
    if extension.status != ScopeExtension.Status.PROPOSED:
        if extension.status == (
            ScopeExtension.Status.ACCEPTED if accept else ScopeExtension.Status.DECLINED
        ):
            return extension
        raise ValidationError("This extension was already decided.")
    now = timezone.now()
    extension.decided_at = now
    if accept:
        if engagement.status not in WORKING_STATUSES:
            raise ValidationError("The engagement is no longer under way.")
        if engagement.cap_quarters + extension.extra_quarters > (
            settings.PROJECT_HOURS_MAX * QUARTERS_PER_HOUR
        ):
            raise ValidationError(f"That would pass {settings.PROJECT_HOURS_MAX} hours.")
        extension.status = ScopeExtension.Status.ACCEPTED
        description = (
            "Extension accepted by the student: it applies once the employer has paid "
            f"the extra {dollars(extension.extra_fee_cents)}."
        )
    else:
        extension.status = ScopeExtension.Status.DECLINED
        description = "Extension declined by the student."
    extension.save(update_fields=["status", "decided_at"])
    record_event(engagement, actor, f"extension_{extension.status}", description)
    notify(
        recipients=organization_employers(engagement.organization_id),
        kind="engagement.extension",
        key=f"extension-{extension.pk}-{extension.status}",
        message=(
            f"{actor.get_full_name()} accepted the extension on “{engagement.project.title}”: "
            "fund it to apply it"
            if accept
            else f"{actor.get_full_name()} declined the extension on “{engagement.project.title}”"
        ),
        url=workspace_url(engagement, "#scope"),
    )
    return extension


def extension_unpayable_reason(*, extension: ScopeExtension, engagement: Engagement) -> str:
    """Why a payment arriving now for this extension cannot apply it ("" when it can).

    Called with the engagement and the extension locked, by the payment that arrived.
    """
    if extension.status == ScopeExtension.Status.APPLIED:
        return "The extension was already paid for and applied."
    if extension.status != ScopeExtension.Status.ACCEPTED:
        return f"The extension was {extension.get_status_display().lower()} before it was paid for."
    if engagement.status not in WORKING_STATUSES:
        return (
            f"The engagement is {engagement.get_status_display().lower()}: "
            "the extension can no longer apply."
        )
    if (
        extension.milestone_id is not None
        and not (
            Milestone.objects.filter(pk=extension.milestone_id, status__in=OPEN_MILESTONE_STATUSES)
        ).exists()
    ):
        return "Its milestone was approved or cancelled before the extension was paid for."
    if _extension_terms_errors(
        engagement,
        extra_quarters=extension.extra_quarters,
        extra_fee_cents=extension.extra_fee_cents,
    ):
        return "With it the engagement would fall outside the rules on hours and hourly pay."
    return ""


def extension_apply(*, extension_id: int) -> ScopeExtension:
    """The employer's payment for an accepted extension succeeded (inside the payment's
    transaction).

    The payment checks `extension_unpayable_reason` first and refunds what cannot apply.
    """
    extension = ScopeExtension.objects.select_for_update().get(pk=extension_id)
    engagement = lifecycle.lock(extension.engagement_id)
    if extension.status == ScopeExtension.Status.APPLIED:
        return extension
    reason = extension_unpayable_reason(extension=extension, engagement=engagement)
    if reason:
        raise ValidationError(reason)
    extension.status = ScopeExtension.Status.APPLIED
    extension.save(update_fields=["status"])
    engagement.cap_quarters += extension.extra_quarters
    engagement.fee_cents += extension.extra_fee_cents
    engagement.due_at += timedelta(days=extension.extra_days)
    engagement.save(update_fields=["cap_quarters", "fee_cents", "due_at"])
    if extension.milestone_id is not None:
        # The milestones keep summing to the engagement's hours and fee.
        Milestone.objects.select_for_update().filter(pk=extension.milestone_id).update(
            quarters=F("quarters") + extension.extra_quarters,
            amount_cents=F("amount_cents") + extension.extra_fee_cents,
        )
    record_event(
        engagement,
        None,
        "extension_applied",
        f"Extension funded: the cap is now {engagement.cap_hours:g} hours and the fee "
        f"{dollars(engagement.fee_cents)}.",
    )
    notify(
        recipients=[engagement.student],
        kind="engagement.extension",
        key=f"extension-{extension.pk}-applied",
        message=f"More hours on “{engagement.project.title}”: the cap is now "
        f"{engagement.cap_hours:g} hours",
        url=workspace_url(engagement),
    )
    return extension
