"""Either side asks to stop; a platform admin settles what cannot simply be cancelled."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit
from accounts.models import User
from accounts.notifications import notify
from accounts.selectors import organization_employers, platform_admins
from engagements import lifecycle, ports
from engagements.lifecycle import By
from engagements.models import LIVE_ENGAGEMENT_STATUSES, Engagement, EngagementStatus
from engagements.services import disputes
from engagements.services.common import record_event, require_side, workspace_url
from engagements.services.milestones import current_milestone, milestones_cancel_open
from engagements.signals import announce, engagement_cancelled, engagement_settled
from marketplace.money import dollars
from marketplace.timezones import local_text


@transaction.atomic(durable=True)
def engagement_request_cancel(*, actor: User, engagement: Engagement, reason: str) -> Engagement:
    """Either side asks to stop.

    Before any hours are logged the engagement is cancelled at once (the employer's funding
    is refunded in full). After that, hours were worked and must be paid fairly: the
    engagement becomes disputed and a platform admin settles it.
    """
    engagement = lifecycle.lock(engagement)
    side = require_side(actor, engagement, "can ask to cancel")
    if engagement.status in (EngagementStatus.CANCELLED, EngagementStatus.DISPUTED):
        return engagement
    if engagement.status not in LIVE_ENGAGEMENT_STATUSES:
        raise ValidationError("An approved engagement cannot be cancelled.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why; the other side and our team will read it."})
    engagement.cancel_requested_by = actor
    engagement.cancel_reason = reason.strip()
    other_side = (
        organization_employers(engagement.organization_id)
        if side == By.STUDENT
        else [engagement.student]
    )
    current = current_milestone(engagement, lock=True)
    if current is not None and not current.time_entries.exists():
        # Milestones: what was approved stays paid; the rest, with no hours logged on the
        # current one, is refunded at once and the engagement ends.
        _cancel_open_milestones(engagement, side=side, actor=actor, reason=reason.strip())
        message = f"“{engagement.project.title}” was cancelled"
        announce(engagement_cancelled, engagement)
    elif current is None and engagement.logged_quarters == 0:
        lifecycle.transition(
            engagement,
            to=EngagementStatus.CANCELLED,
            by=side,
            also=("cancel_requested_by", "cancel_reason"),
        )
        # No work was done: the employer gets back everything they paid.
        ports.money().refund_unstarted(
            engagement=engagement, reason=f"Cancelled before any work: {reason.strip()}"
        )
        record_event(
            engagement,
            actor,
            "cancelled",
            f"Cancelled by {actor.get_full_name()}: {reason.strip()}",
        )
        message = f"“{engagement.project.title}” was cancelled"
        announce(engagement_cancelled, engagement)
    else:
        lifecycle.transition(
            engagement,
            to=EngagementStatus.DISPUTED,
            by=side,
            also=("cancel_requested_by", "cancel_reason"),
        )
        dispute = disputes.dispute_open(
            engagement=engagement, actor=actor, side=side, reason=engagement.cancel_reason
        )
        record_event(
            engagement,
            actor,
            "disputed",
            f"{actor.get_full_name()} asked to cancel after {engagement.logged_hours:g} hours: "
            "a platform admin will decide, after the other side responds by {at}.",
            at=dispute.response_due_at,
        )
        message = f"Cancellation requested on “{engagement.project.title}”: our team will settle it"
        other_side = other_side + disputes.school_staff(engagement) + platform_admins()
    details = f"Reason given: {engagement.cancel_reason}"
    if engagement.status == EngagementStatus.DISPUTED:
        details += (
            "\n\nThe other side responds, with evidence, on the workspace by "
            f"{local_text(dispute.response_due_at, None)}; then a platform admin decides."
        )
    audit(
        actor=actor,
        action=f"engagement.{engagement.status}",
        target=engagement,
        summary=f"{actor.email} asked to cancel “{engagement.project.title}”",
        data={"reason": engagement.cancel_reason, "logged_quarters": engagement.logged_quarters},
    )
    notify(
        recipients=other_side,
        kind="engagement.cancelled",
        key=f"engagement-{engagement.pk}-{engagement.status}",
        message=message,
        url=workspace_url(engagement),
        context={"details": details},
    )
    return engagement


def _cancel_open_milestones(engagement: Engagement, *, side: str, actor: User, reason: str):
    lifecycle.transition(
        engagement,
        to=EngagementStatus.CANCELLED,
        by=side,
        also=("cancel_requested_by", "cancel_reason"),
    )
    cancelled = milestones_cancel_open(engagement=engagement)
    ports.money().refund_open_milestones(
        engagement=engagement,
        milestones=cancelled,
        reason=f"Cancelled before any work on it: {reason}",
    )
    numbers = ", ".join(str(m.number) for m in cancelled)
    record_event(
        engagement,
        actor,
        "cancelled",
        f"Cancelled by {actor.get_full_name()}: {reason} "
        f"(milestones {numbers} refunded; approved milestones stay paid)",
    )


def engagement_settle(
    *, engagement: Engagement, actor: User, student_cents: int, note: str
) -> Engagement:
    """A platform admin settled the dispute (inside payments' settlement, which holds the
    engagement's lock and moves the money)."""
    now = timezone.now()
    engagement.settled_at = now
    engagement.settlement_note = note
    lifecycle.transition(
        engagement,
        to=EngagementStatus.CANCELLED,
        by=By.PLATFORM_ADMIN,
        at=now,
        also=("settled_at", "settlement_note"),
    )
    disputes.dispute_decided(
        engagement=engagement, actor=actor, student_cents=student_cents, reasons=note, at=now
    )
    # Milestones not approved end with the dispute; what was approved stays paid.
    milestones_cancel_open(engagement=engagement)
    record_event(
        engagement,
        actor,
        "settled",
        f"Dispute settled by the platform: {dollars(student_cents)} to the student. {note}",
    )
    notify(
        recipients=[
            engagement.student,
            *organization_employers(engagement.organization_id),
            *disputes.school_staff(engagement),
        ],
        kind="engagement.settled",
        key=f"engagement-{engagement.pk}-settled",
        message=f"The dispute on “{engagement.project.title}” is settled",
        url=workspace_url(engagement),
        context={"details": f"{dollars(student_cents)} goes to the student. {note}"},
    )
    announce(engagement_settled, engagement)
    return engagement


def engagement_mark_paid(*, engagement: Engagement) -> Engagement:
    """The student's payout went through (inside the payout's transaction, engagement locked)."""
    if engagement.status == EngagementStatus.APPROVED:
        lifecycle.transition(engagement, to=EngagementStatus.PAID, by=By.SYSTEM)
        record_event(
            engagement, None, "paid", f"The student was paid {dollars(engagement.fee_cents)}."
        )
    elif engagement.status == EngagementStatus.CANCELLED and engagement.paid_at is None:
        # A settled dispute, or milestones approved before a cancellation, stay cancelled;
        # the date says what the student was owed went out.
        engagement.paid_at = timezone.now()
        engagement.save(update_fields=["paid_at"])
        record_event(
            engagement,
            None,
            "paid",
            "The settled amount was paid to the student."
            if engagement.settled_at
            else "The milestones approved before the cancellation were paid to the student.",
        )
    return engagement
