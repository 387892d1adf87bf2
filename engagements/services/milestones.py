"""Milestones: the fee split into parts the student hands in and is paid for one by one.

The project's plan (projects.ProjectMilestone) is snapshotted at acceptance. The current
milestone is the lowest-numbered one not approved or cancelled: time logged counts toward
it, a submission hands it in, and an approval pays it (`ports.Money.pay_for_milestone`).
Every function here runs inside the caller's transaction with the engagement's row locked,
and locks the milestone rows it changes.
"""

from datetime import datetime

from accounts.models import User
from engagements.models import OPEN_MILESTONE_STATUSES, Engagement, Milestone, MilestoneStatus


def milestones_snapshot(*, engagement: Engagement) -> list[Milestone]:
    """Copy the project's milestone plan into the engagement (at acceptance)."""
    return Milestone.objects.bulk_create(
        Milestone(
            engagement=engagement,
            number=planned.number,
            title=planned.title,
            deliverable=planned.deliverable,
            quarters=planned.quarters,
            amount_cents=planned.amount_cents,
        )
        for planned in engagement.project.milestones.order_by("number")
    )


def current_milestone(engagement: Engagement, *, lock: bool = False) -> Milestone | None:
    """The milestone being worked on: the lowest-numbered still open (None without any)."""
    rows = Milestone.objects.filter(engagement=engagement, status__in=OPEN_MILESTONE_STATUSES)
    if lock:
        rows = rows.select_for_update()
    return rows.order_by("number").first()


def milestone_submit(*, milestone: Milestone, at: datetime) -> None:
    milestone.status = MilestoneStatus.SUBMITTED
    milestone.submitted_at = at
    milestone.save(update_fields=["status", "submitted_at"])


def milestone_revise(*, milestone: Milestone) -> None:
    milestone.status = MilestoneStatus.REVISION_REQUESTED
    milestone.save(update_fields=["status"])


def milestone_approve(*, milestone: Milestone, actor: User | None, at: datetime) -> bool:
    """Mark a submitted milestone approved; False when it was approved already."""
    if milestone.status == MilestoneStatus.APPROVED:
        return False
    milestone.status = MilestoneStatus.APPROVED
    milestone.approved_at = at
    milestone.approved_by = actor
    milestone.save(update_fields=["status", "approved_at", "approved_by"])
    return True


def milestones_left(engagement: Engagement) -> bool:
    return Milestone.objects.filter(
        engagement=engagement, status__in=OPEN_MILESTONE_STATUSES
    ).exists()


def milestones_cancel_open(*, engagement: Engagement) -> list[Milestone]:
    """Cancel every milestone not yet approved (the engagement ends); returns them."""
    open_ones = list(
        Milestone.objects.select_for_update()
        .filter(engagement=engagement, status__in=OPEN_MILESTONE_STATUSES)
        .order_by("number")
    )
    Milestone.objects.filter(pk__in=[m.pk for m in open_ones]).update(
        status=MilestoneStatus.CANCELLED
    )
    return open_ones
