"""Scope extensions: more hours for a matching fee increase. The employer proposes, the
student accepts, the employer funds it, and only then do the cap, fee and due date grow."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.notifications import notify
from accounts.selectors import organization_employers
from engagements import lifecycle
from engagements.models import QUARTERS_PER_HOUR, WORKING_STATUSES, Engagement, ScopeExtension
from engagements.services.common import (
    record_event,
    require_employer,
    require_student,
    workspace_url,
)
from marketplace.money import dollars


@transaction.atomic(durable=True)
def extension_propose(
    *,
    actor: User,
    engagement: Engagement,
    extra_quarters: int,
    extra_fee_cents: int,
    extra_days: int,
    reason: str,
) -> ScopeExtension:
    """The employer offers more hours for more pay; the student decides."""
    engagement = lifecycle.lock(engagement)
    require_employer(actor, engagement)
    if engagement.status not in WORKING_STATUSES:
        raise ValidationError("Scope can only be extended while the work is under way.")
    if engagement.extensions.filter(status=ScopeExtension.Status.PROPOSED).exists():
        raise ValidationError("An extension is already waiting for the student's answer.")
    floor = settings.HOURLY_RATE_FLOOR_CENTS
    max_quarters = settings.PROJECT_HOURS_MAX * QUARTERS_PER_HOUR
    errors = {}
    if extra_quarters < 1:
        errors["extra_hours"] = "Add at least a quarter of an hour."
    elif engagement.cap_quarters + extra_quarters > max_quarters:
        room = (max_quarters - engagement.cap_quarters) / QUARTERS_PER_HOUR
        errors["extra_hours"] = (
            f"A micro-internship never passes {settings.PROJECT_HOURS_MAX} hours: "
            f"at most {room:g} more hours."
        )
    elif extra_fee_cents * QUARTERS_PER_HOUR < floor * extra_quarters:
        errors["extra_fee"] = (
            f"The added hours must be paid at least {dollars(floor)} an hour: "
            f"at least {dollars(-(-floor * extra_quarters // QUARTERS_PER_HOUR))}."
        )
    if extra_days < 0 or extra_days > settings.PROJECT_DAYS_MAX:
        errors["extra_days"] = f"Between 0 and {settings.PROJECT_DAYS_MAX} more days."
    if not reason.strip():
        errors["reason"] = "Say what the extra hours are for."
    if errors:
        raise ValidationError(errors)
    extension = ScopeExtension.objects.create(
        engagement=engagement,
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
        f"+{dollars(extra_fee_cents)}.",
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


def extension_apply(*, extension_id: int) -> ScopeExtension:
    """The employer's payment for an accepted extension succeeded (inside the payment's
    transaction)."""
    extension = ScopeExtension.objects.select_for_update().get(pk=extension_id)
    engagement = lifecycle.lock(extension.engagement_id)
    if extension.status == ScopeExtension.Status.APPLIED:
        return extension
    if extension.status != ScopeExtension.Status.ACCEPTED:
        raise ValidationError("Only an accepted extension can be applied.")
    extension.status = ScopeExtension.Status.APPLIED
    extension.save(update_fields=["status"])
    engagement.cap_quarters += extension.extra_quarters
    engagement.fee_cents += extension.extra_fee_cents
    engagement.due_at += timedelta(days=extension.extra_days)
    engagement.save(update_fields=["cap_quarters", "fee_cents", "due_at"])
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
