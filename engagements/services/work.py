"""The work itself: time logged, deliverables handed in, and the employer's review.

Every function locks the engagement row before reading what it checks, so two requests at
once (two time logs, a double-clicked approval) see each other's result. History rows and
notifications are written in the same transaction; mail leaves after commit, and the rest
of the product hears of a submission or an approval through a signal after commit.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit
from accounts.models import StudentProfile, User
from accounts.notifications import notify
from accounts.selectors import organization_employers
from engagements import lifecycle, ports
from engagements.lifecycle import By
from engagements.models import (
    QUARTERS_PER_HOUR,
    WORKING_STATUSES,
    Engagement,
    EngagementStatus,
    Milestone,
    MilestoneStatus,
    ScopeExtension,
    Submission,
    SubmissionFile,
    TimeEntry,
)
from engagements.services.common import (
    record_event,
    require_employer,
    require_student,
    workspace_url,
)
from engagements.services.milestones import (
    current_milestone,
    milestone_approve,
    milestone_revise,
    milestone_submit,
    milestones_left,
)
from engagements.signals import announce, engagement_approved, engagement_submitted
from engagements.weekly_hours import weekly_cap_error
from marketplace.money import format_cents

# --- Time -----------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def time_entry_log(
    *, actor: User, engagement: Engagement, work_date: date, quarters: int, description: str
) -> TimeEntry:
    """Log time in quarter hours. The total never passes the cap, nor (for a student on CPT
    or pre-completion OPT) the F-1 weekly cap across all their engagements.

    The student's row is locked first (the weekly cap spans engagements; lock order: student,
    then engagement), then the engagement's, so two logs sent at once are added one after
    the other; the database refuses a total over the engagement's cap as well.
    """
    User.objects.select_for_update().filter(pk=engagement.student_id).first()
    engagement = lifecycle.lock(engagement)
    require_student(actor, engagement)
    if engagement.status not in WORKING_STATUSES:
        if engagement.status == EngagementStatus.AWAITING_FUNDING:
            raise ValidationError("Work starts once the employer has funded the project.")
        raise ValidationError(
            f"Time cannot be logged on an engagement that is "
            f"{engagement.get_status_display().lower()}."
        )
    today = timezone.localdate()
    profile = (
        StudentProfile.objects.select_related("school")
        .filter(user_id=engagement.student_id)
        .first()
    )
    errors = {}
    if work_date > today:
        errors["work_date"] = "You can only log time for today or earlier."
    elif work_date < timezone.localdate(engagement.accepted_at):
        errors["work_date"] = "That date is before the engagement started."
    elif profile is not None and not profile.cpt_covers_day(work_date):
        errors["work_date"] = (
            "Your CPT allows work only from "
            f"{profile.authorization_valid_from:%B %-d, %Y} to "
            f"{profile.authorization_valid_until:%B %-d, %Y}: time outside those dates "
            "cannot be logged. Ask career services if your CPT was extended."
        )
    if quarters < 1:
        errors["hours"] = "Log at least a quarter of an hour."
    elif quarters > 12 * QUARTERS_PER_HOUR:
        errors["hours"] = "At most 12 hours in one entry."
    elif quarters > engagement.remaining_quarters:
        left = engagement.remaining_quarters / QUARTERS_PER_HOUR
        errors["hours"] = (
            f"That would pass the {engagement.cap_hours:g}-hour cap: {left:g} hours are left. "
            "If the work needs more time, ask the employer for an extension."
        )
    if not description.strip():
        errors["description"] = "Say briefly what you did."
    if not errors:
        over = weekly_cap_error(profile, work_date, quarters)
        if over:
            errors["hours"] = over
    if errors:
        raise ValidationError(errors)
    entry = TimeEntry.objects.create(
        engagement=engagement,
        milestone=current_milestone(engagement),
        work_date=work_date,
        quarters=quarters,
        description=description.strip()[:500],
    )
    engagement.logged_quarters += quarters
    engagement.save(update_fields=["logged_quarters"])
    return entry


# --- Deliverables and review ---------------------------------------------------------------------


@dataclass(frozen=True)
class SubmissionData:
    note: str
    links: list[str]
    files: list[UploadedFile]


@transaction.atomic(durable=True)
def submission_create(*, actor: User, engagement: Engagement, data: SubmissionData) -> Submission:
    """The student hands in the work (first time, or after a revision request)."""
    engagement = lifecycle.lock(engagement)
    require_student(actor, engagement)
    if engagement.status not in (EngagementStatus.ACTIVE, EngagementStatus.REVISION_REQUESTED):
        if engagement.status == EngagementStatus.SUBMITTED:
            raise ValidationError("Your work is already waiting for the employer's review.")
        raise ValidationError(
            f"Work cannot be submitted on an engagement that is "
            f"{engagement.get_status_display().lower()}."
        )
    if not data.note.strip():
        raise ValidationError({"note": "Add a note: what you deliver and anything to know."})
    if not data.files and not data.links:
        raise ValidationError("Attach at least one file or link.")
    milestone = current_milestone(engagement, lock=True)
    number = engagement.submissions.count() + 1
    submission = Submission.objects.create(
        engagement=engagement,
        milestone=milestone,
        number=number,
        note=data.note.strip(),
        links="\n".join(data.links),
    )
    for upload in data.files:
        stored = SubmissionFile(
            submission=submission,
            original_name=upload.name[:200],
            size=upload.size,
            content_type=(getattr(upload, "content_type", "") or "application/octet-stream")[:100],
        )
        stored.file.save(upload.name, upload, save=False)
        stored.save()
    revision = engagement.status == EngagementStatus.REVISION_REQUESTED
    if milestone is not None:
        milestone_submit(milestone=milestone, at=submission.submitted_at)
    lifecycle.transition(engagement, to=EngagementStatus.SUBMITTED, by=By.STUDENT)
    what = f"milestone {milestone.number} ({milestone.title})" if milestone else "the work"
    record_event(
        engagement,
        actor,
        "submitted",
        f"{'Resubmitted' if revision else 'Submitted'} {what} (round {number}).",
    )
    work = f"Milestone {milestone.number}" if milestone else "Work"
    notify(
        recipients=organization_employers(engagement.organization_id),
        kind="engagement.submitted",
        key=f"submission-{submission.pk}",
        message=(
            f"{work} {'resubmitted' if revision else 'submitted'} for “{engagement.project.title}”"
        ),
        url=workspace_url(engagement),
    )
    # On a milestone engagement the work is handed in with its last milestone (the final
    # review follows it); the earlier ones are parts of it.
    if milestone is None or milestone.number == _last_milestone_number(engagement):
        announce(engagement_submitted, engagement)
    return submission


def _last_milestone_number(engagement: Engagement) -> int | None:
    return (
        Milestone.objects.filter(engagement=engagement)
        .exclude(status=MilestoneStatus.CANCELLED)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )


def _pending_submission(engagement: Engagement) -> Submission:
    submission = (
        Submission.objects.select_for_update()
        .filter(engagement=engagement, decision=Submission.Decision.PENDING)
        .first()
    )
    if submission is None:
        raise ValidationError("There is no submitted work waiting for review.")
    return submission


def _decide(submission: Submission, decision: str, actor: User | None, comment: str) -> None:
    submission.decision = decision
    submission.review_comment = comment.strip()
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = actor
    submission.save(update_fields=["decision", "review_comment", "reviewed_at", "reviewed_by"])


@transaction.atomic(durable=True)
def submission_approve(
    *,
    actor: User | None,
    engagement: Engagement,
    comment: str = "",
    milestone_number: int | None = None,
    submitted_before: datetime | None = None,
) -> Engagement:
    """Approve the submitted work: the engagement is complete and the student gets paid.

    `actor` is None when the work is approved automatically after a silence. The payout is
    created here, in the same transaction (money first); sessions, the verified record and
    the project's completion follow the `engagement_approved` signal after commit.

    On a milestone engagement this approves the submitted milestone and pays it; unless it
    was the last, the engagement goes back to work on the next one. `milestone_number` is
    the milestone the employer saw when they clicked: if it is approved already, a second
    click does nothing. `submitted_before` is the automatic approval's deadline: work
    handed in since (the next milestone) waits for its own silence.
    """
    engagement = lifecycle.lock(engagement)
    if actor is not None:
        require_employer(actor, engagement)
    if engagement.status in (EngagementStatus.APPROVED, EngagementStatus.PAID):
        return engagement
    if (
        milestone_number is not None
        and engagement.milestones.filter(
            number=milestone_number, status=MilestoneStatus.APPROVED
        ).exists()
    ):
        return engagement
    if submitted_before is not None and (
        engagement.status != EngagementStatus.SUBMITTED
        or engagement.submitted_at > submitted_before
    ):
        return engagement
    if engagement.status != EngagementStatus.SUBMITTED:
        raise ValidationError("Only submitted work can be approved.")
    submission = _pending_submission(engagement)
    _decide(submission, Submission.Decision.APPROVED, actor, comment)
    if submission.milestone_id is not None:
        milestone = Milestone.objects.select_for_update().get(pk=submission.milestone_id)
        milestone_approve(milestone=milestone, actor=actor, at=submission.reviewed_at)
        ports.money().pay_for_milestone(engagement=engagement, milestone=milestone)
        if milestones_left(engagement):
            return _milestone_approved(engagement, milestone, actor, comment)
    lifecycle.transition(
        engagement,
        to=EngagementStatus.APPROVED,
        by=By.EMPLOYER if actor is not None else By.SYSTEM,
        at=submission.reviewed_at,
    )
    record_event(engagement, actor, "approved", "Work approved: the engagement is complete.")
    # An extension the student accepted but the employer never funded lapses.
    engagement.extensions.filter(
        status__in=[ScopeExtension.Status.PROPOSED, ScopeExtension.Status.ACCEPTED]
    ).update(status=ScopeExtension.Status.WITHDRAWN, decided_at=submission.reviewed_at)
    if submission.milestone_id is None:
        ports.money().pay_for_approved_work(engagement=engagement)
    audit(
        actor=actor,
        action="engagement.approved",
        target=engagement,
        summary=f"Work approved on “{engagement.project.title}”",
    )
    notify(
        recipients=[engagement.student],
        kind="engagement.approved",
        key=f"engagement-{engagement.pk}-approved",
        message=f"Your work on “{engagement.project.title}” is approved",
        url=workspace_url(engagement),
        context={"details": comment.strip()},
    )
    if actor is None:
        notify(
            recipients=organization_employers(engagement.organization_id),
            kind="engagement.auto_approved",
            key=f"engagement-{engagement.pk}-auto-approved",
            message=f"“{engagement.project.title}” was approved automatically after "
            f"{settings.AUTO_APPROVE_DAYS} days without a review",
            url=workspace_url(engagement),
            context={
                "details": "The student is being paid the last milestone."
                if submission.milestone_id
                else "The student is being paid the whole fee."
            },
        )
    announce(engagement_approved, engagement)
    return engagement


def _milestone_approved(
    engagement: Engagement, milestone: Milestone, actor: User | None, comment: str
) -> Engagement:
    """A milestone that is not the last is approved (and paid): work goes on to the next."""
    # An extension of this milestone that was never funded lapses with it.
    engagement.extensions.filter(
        milestone=milestone,
        status__in=[ScopeExtension.Status.PROPOSED, ScopeExtension.Status.ACCEPTED],
    ).update(status=ScopeExtension.Status.WITHDRAWN, decided_at=milestone.approved_at)
    lifecycle.transition(
        engagement,
        to=EngagementStatus.ACTIVE,
        by=By.EMPLOYER if actor is not None else By.SYSTEM,
    )
    paid = format_cents(milestone.amount_cents, exact=True)
    record_event(
        engagement,
        actor,
        "milestone_approved",
        f"Milestone {milestone.number} ({milestone.title}) approved: {paid} paid.",
    )
    audit(
        actor=actor,
        action="engagement.milestone_approved",
        target=engagement,
        summary=f"Milestone {milestone.number} approved on “{engagement.project.title}”",
        data={"milestone": milestone.number, "amount_cents": milestone.amount_cents},
    )
    notify(
        recipients=[engagement.student],
        kind="engagement.milestone_approved",
        key=f"milestone-{milestone.pk}-approved",
        message=f"Milestone {milestone.number} of “{engagement.project.title}” is approved: "
        f"you are paid {paid}",
        url=workspace_url(engagement),
        context={"details": comment.strip()},
    )
    if actor is None:
        notify(
            recipients=organization_employers(engagement.organization_id),
            kind="engagement.auto_approved",
            key=f"milestone-{milestone.pk}-auto-approved",
            message=f"Milestone {milestone.number} of “{engagement.project.title}” was approved "
            f"automatically after {settings.AUTO_APPROVE_DAYS} days without a review",
            url=workspace_url(engagement),
            context={"details": f"The student is being paid {paid} for it."},
        )
    return engagement


@transaction.atomic(durable=True)
def submission_request_revision(*, actor: User, engagement: Engagement, comment: str) -> Engagement:
    engagement = lifecycle.lock(engagement)
    require_employer(actor, engagement)
    if engagement.status == EngagementStatus.REVISION_REQUESTED:
        return engagement
    if engagement.status != EngagementStatus.SUBMITTED:
        raise ValidationError("Only submitted work can be sent back for a revision.")
    if not comment.strip():
        raise ValidationError({"comment": "Say what should change."})
    submission = _pending_submission(engagement)
    _decide(submission, Submission.Decision.REVISION, actor, comment)
    milestone = None
    if submission.milestone_id is not None:
        milestone = Milestone.objects.select_for_update().get(pk=submission.milestone_id)
        milestone_revise(milestone=milestone)
    lifecycle.transition(engagement, to=EngagementStatus.REVISION_REQUESTED, by=By.EMPLOYER)
    on = f" on milestone {milestone.number}" if milestone else ""
    record_event(
        engagement,
        actor,
        "revision_requested",
        f"Revision requested{on} (round {submission.number}).",
    )
    notify(
        recipients=[engagement.student],
        kind="engagement.revision_requested",
        key=f"submission-{submission.pk}-revision",
        message=f"A revision is requested{on + ' of' if milestone else ' on'} "
        f"“{engagement.project.title}”",
        url=workspace_url(engagement),
        context={"details": f"The employer's comments:\n{comment.strip()}"},
    )
    return engagement
