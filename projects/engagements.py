"""Services for engagements: funding, time, deliverables, review, messages, cancellation
and scope extensions.

Every function locks the engagement row before reading what it checks, so two
requests at once (two time logs, a double-clicked approval) see each other's
result. History rows and notifications are written in the same transaction;
emails leave after commit.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, StudentProfile, User
from accounts.notifications import notify
from accounts.services import audit
from projects.models import (
    LIVE_ENGAGEMENT_STATUSES,
    QUARTERS_PER_HOUR,
    WORKING_STATUSES,
    Application,
    Engagement,
    EngagementEvent,
    EngagementStatus,
    Message,
    Project,
    ProjectStatus,
    ScopeExtension,
    Submission,
    SubmissionFile,
    TimeEntry,
)
from projects.rules import dollars

MESSAGE_MAX = 5000


def workspace_url(engagement: Engagement) -> str:
    return reverse("projects:workspace", kwargs={"pk": engagement.pk})


def _event(engagement: Engagement, actor: User | None, kind: str, description: str) -> None:
    EngagementEvent.objects.create(
        engagement=engagement, actor=actor, kind=kind, description=description[:300]
    )


def _employers(engagement: Engagement) -> list[User]:
    return list(
        User.objects.filter(
            employer_profile__organization_id=engagement.organization_id, is_active=True
        )
    )


def _lock(engagement: Engagement) -> Engagement:
    return (
        Engagement.objects.select_for_update()
        .select_related("project", "student")
        .get(pk=engagement.pk)
    )


def _is_student(actor: User, engagement: Engagement) -> bool:
    return actor.role == Role.STUDENT and actor.pk == engagement.student_id


def _is_employer(actor: User, engagement: Engagement) -> bool:
    profile = getattr(actor, "employer_profile", None)
    return (
        actor.role == Role.EMPLOYER
        and profile is not None
        and profile.organization_id == engagement.organization_id
    )


def _require_student(actor: User, engagement: Engagement) -> None:
    if not _is_student(actor, engagement):
        raise PermissionDenied("Only the student of this engagement can do this.")


def _require_employer(actor: User, engagement: Engagement) -> None:
    if not _is_employer(actor, engagement):
        raise PermissionDenied("Only the employer of this engagement can do this.")


# --- Start --------------------------------------------------------------------------------


def engagement_create(*, actor: User, application: Application, at: datetime) -> Engagement:
    """Called by application_accept inside its transaction: snapshot the terms."""
    project = application.project
    profile = StudentProfile.objects.get(user_id=application.student_id)
    engagement = Engagement.objects.create(
        application=application,
        project=project,
        student_id=application.student_id,
        organization_id=project.organization_id,
        school_id=profile.school_id,
        fee_cents=project.fee_cents,
        cap_quarters=project.hours * QUARTERS_PER_HOUR,
        days_to_complete=project.days_to_complete,
        accepted_at=at,
        due_at=at + timedelta(days=project.days_to_complete),
    )
    _event(
        engagement,
        actor,
        "accepted",
        f"Accepted: {project.hours} hours for {dollars(project.fee_cents)}, "
        f"due in {project.days_to_complete} days.",
    )
    return engagement


@transaction.atomic
def engagement_mark_funded(*, engagement: Engagement, at: datetime | None = None) -> Engagement:
    """The employer's payment arrived: work can start. Safe to call twice."""
    engagement = _lock(engagement)
    if engagement.status != EngagementStatus.AWAITING_FUNDING:
        return engagement
    engagement.status = EngagementStatus.ACTIVE
    engagement.funded_at = at or timezone.now()
    # The days to complete count from when work can start, not from acceptance.
    engagement.due_at = max(
        engagement.due_at, engagement.funded_at + timedelta(days=engagement.days_to_complete)
    )
    engagement.save(update_fields=["status", "funded_at", "due_at"])
    _event(engagement, None, "funded", "Funded by the employer: work can start.")
    feedback_services().sessions_plan(engagement=engagement)
    notify(
        recipients=[engagement.student],
        kind="engagement.funded",
        key=f"engagement-{engagement.pk}-funded",
        message=f"“{engagement.project.title}” is funded: you can start",
        url=workspace_url(engagement),
    )
    return engagement


# --- Time -----------------------------------------------------------------------------------


@transaction.atomic
def time_entry_log(
    *, actor: User, engagement: Engagement, work_date: date, quarters: int, description: str
) -> TimeEntry:
    """Log time in quarter hours. The total never passes the cap.

    The engagement row is locked, so two logs sent at once are added one
    after the other; the database refuses a total over the cap as well.
    """
    engagement = _lock(engagement)
    _require_student(actor, engagement)
    if engagement.status not in WORKING_STATUSES:
        if engagement.status == EngagementStatus.AWAITING_FUNDING:
            raise ValidationError("Work starts once the employer has funded the project.")
        raise ValidationError(
            f"Time cannot be logged on an engagement that is "
            f"{engagement.get_status_display().lower()}."
        )
    today = timezone.localdate()
    errors = {}
    if work_date > today:
        errors["work_date"] = "You can only log time for today or earlier."
    elif work_date < timezone.localdate(engagement.accepted_at):
        errors["work_date"] = "That date is before the engagement started."
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
    if errors:
        raise ValidationError(errors)
    entry = TimeEntry.objects.create(
        engagement=engagement,
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


@transaction.atomic
def submission_create(*, actor: User, engagement: Engagement, data: SubmissionData) -> Submission:
    """The student hands in the work (first time, or after a revision request)."""
    engagement = _lock(engagement)
    _require_student(actor, engagement)
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
    number = engagement.submissions.count() + 1
    submission = Submission.objects.create(
        engagement=engagement,
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
    feedback_services().final_review_plan(engagement=engagement)
    engagement.status = EngagementStatus.SUBMITTED
    engagement.submitted_at = timezone.now()
    engagement.save(update_fields=["status", "submitted_at"])
    _event(
        engagement,
        actor,
        "submitted",
        f"{'Resubmitted' if revision else 'Submitted'} the work (round {number}).",
    )
    notify(
        recipients=_employers(engagement),
        kind="engagement.submitted",
        key=f"submission-{submission.pk}",
        message=(
            f"Work {'resubmitted' if revision else 'submitted'} for “{engagement.project.title}”"
        ),
        url=workspace_url(engagement),
    )
    return submission


def _pending_submission(engagement: Engagement) -> Submission:
    submission = (
        Submission.objects.select_for_update()
        .filter(engagement=engagement, decision=Submission.Decision.PENDING)
        .first()
    )
    if submission is None:
        raise ValidationError("There is no submitted work waiting for review.")
    return submission


@transaction.atomic
def submission_approve(
    *, actor: User | None, engagement: Engagement, comment: str = ""
) -> Engagement:
    """Approve the submitted work: the engagement is complete and the student gets paid.

    `actor` is None when the work is approved automatically after a silence.
    """
    engagement = _lock(engagement)
    if actor is not None:
        _require_employer(actor, engagement)
    if engagement.status in (EngagementStatus.APPROVED, EngagementStatus.PAID):
        return engagement
    if engagement.status != EngagementStatus.SUBMITTED:
        raise ValidationError("Only submitted work can be approved.")
    submission = _pending_submission(engagement)
    now = timezone.now()
    submission.decision = Submission.Decision.APPROVED
    submission.review_comment = comment.strip()
    submission.reviewed_at = now
    submission.reviewed_by = actor
    submission.save(update_fields=["decision", "review_comment", "reviewed_at", "reviewed_by"])
    engagement.status = EngagementStatus.APPROVED
    engagement.approved_at = now
    engagement.save(update_fields=["status", "approved_at"])
    _event(engagement, actor, "approved", "Work approved: the engagement is complete.")
    # An extension the student accepted but the employer never funded lapses.
    engagement.extensions.filter(
        status__in=[ScopeExtension.Status.PROPOSED, ScopeExtension.Status.ACCEPTED]
    ).update(status=ScopeExtension.Status.WITHDRAWN, decided_at=now)
    payments_services().payout_create(engagement=engagement, amount_cents=engagement.fee_cents)
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
            recipients=_employers(engagement),
            kind="engagement.auto_approved",
            key=f"engagement-{engagement.pk}-auto-approved",
            message=f"“{engagement.project.title}” was approved automatically after "
            f"{settings.AUTO_APPROVE_DAYS} days without a review",
            url=workspace_url(engagement),
            context={"details": "The student is being paid the whole fee."},
        )
    feedback_services().sessions_close(engagement=engagement, keep_final_review=True)
    feedback_services().experience_record(engagement=engagement)
    _complete_project_if_done(engagement)
    return engagement


def _complete_project_if_done(engagement: Engagement) -> None:
    """The project is completed once none of its engagements is still under way."""
    project = Project.objects.select_for_update().get(pk=engagement.project_id)
    if project.status != ProjectStatus.CLOSED:
        return
    still_live = project.engagements.filter(status__in=LIVE_ENGAGEMENT_STATUSES).exists()
    accepted = project.applications.filter(status="accepted").count()
    if not still_live and accepted >= project.openings:
        project.status = ProjectStatus.COMPLETED
        project.save(update_fields=["status", "updated_at"])


@transaction.atomic
def submission_request_revision(*, actor: User, engagement: Engagement, comment: str) -> Engagement:
    engagement = _lock(engagement)
    _require_employer(actor, engagement)
    if engagement.status == EngagementStatus.REVISION_REQUESTED:
        return engagement
    if engagement.status != EngagementStatus.SUBMITTED:
        raise ValidationError("Only submitted work can be sent back for a revision.")
    if not comment.strip():
        raise ValidationError({"comment": "Say what should change."})
    submission = _pending_submission(engagement)
    submission.decision = Submission.Decision.REVISION
    submission.review_comment = comment.strip()
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = actor
    submission.save(update_fields=["decision", "review_comment", "reviewed_at", "reviewed_by"])
    engagement.status = EngagementStatus.REVISION_REQUESTED
    engagement.save(update_fields=["status"])
    _event(
        engagement, actor, "revision_requested", f"Revision requested (round {submission.number})."
    )
    notify(
        recipients=[engagement.student],
        kind="engagement.revision_requested",
        key=f"submission-{submission.pk}-revision",
        message=f"A revision is requested on “{engagement.project.title}”",
        url=workspace_url(engagement),
        context={"details": f"The employer's comments:\n{comment.strip()}"},
    )
    return engagement


# --- Messages -------------------------------------------------------------------------------------


@transaction.atomic
def message_post(*, actor: User, engagement: Engagement, body: str) -> Message:
    engagement = _lock(engagement)
    student_side = _is_student(actor, engagement)
    if not (student_side or _is_employer(actor, engagement)):
        raise PermissionDenied("Only the student and the employer write in this thread.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write a message first."})
    if len(body) > MESSAGE_MAX:
        raise ValidationError({"body": f"At most {MESSAGE_MAX:,} characters."})
    message = Message.objects.create(engagement=engagement, author=actor, body=body)
    recipients = _employers(engagement) if student_side else [engagement.student]
    notify(
        recipients=recipients,
        kind="engagement.message",
        key=f"message-{message.pk}",
        message=f"New message from {actor.get_full_name()} on “{engagement.project.title}”",
        url=workspace_url(engagement) + "#messages",
    )
    return message


# --- Cancellation -----------------------------------------------------------------


CANCELLABLE = (
    EngagementStatus.AWAITING_FUNDING,
    EngagementStatus.ACTIVE,
    EngagementStatus.SUBMITTED,
    EngagementStatus.REVISION_REQUESTED,
)


@transaction.atomic
def engagement_request_cancel(*, actor: User, engagement: Engagement, reason: str) -> Engagement:
    """Either side asks to stop.

    Before any hours are logged the engagement is cancelled at once (the
    employer's funding is refunded in full). After that, hours were worked and
    must be paid fairly: the engagement becomes disputed and a platform admin
    settles it.
    """
    engagement = _lock(engagement)
    if not (_is_student(actor, engagement) or _is_employer(actor, engagement)):
        raise PermissionDenied("Only the student and the employer can ask to cancel.")
    if engagement.status in (EngagementStatus.CANCELLED, EngagementStatus.DISPUTED):
        return engagement
    if engagement.status not in CANCELLABLE:
        raise ValidationError("An approved engagement cannot be cancelled.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why; the other side and our team will read it."})
    now = timezone.now()
    engagement.cancel_requested_by = actor
    engagement.cancel_reason = reason.strip()
    other_side = _employers(engagement) if _is_student(actor, engagement) else [engagement.student]
    if engagement.logged_quarters == 0:
        engagement.status = EngagementStatus.CANCELLED
        engagement.cancelled_at = now
        engagement.save(
            update_fields=["status", "cancelled_at", "cancel_requested_by", "cancel_reason"]
        )
        feedback_services().sessions_close(engagement=engagement)
        # No work was done: the employer gets back everything they paid.
        payments_services().engagement_refund_all(
            engagement=engagement, reason=f"Cancelled before any work: {reason.strip()}"
        )
        _event(
            engagement,
            actor,
            "cancelled",
            f"Cancelled by {actor.get_full_name()}: {reason.strip()}",
        )
        message = f"“{engagement.project.title}” was cancelled"
    else:
        engagement.status = EngagementStatus.DISPUTED
        engagement.disputed_at = now
        engagement.save(
            update_fields=["status", "disputed_at", "cancel_requested_by", "cancel_reason"]
        )
        _event(
            engagement,
            actor,
            "disputed",
            f"{actor.get_full_name()} asked to cancel after {engagement.logged_hours:g} hours: "
            "a platform admin will settle it.",
        )
        message = f"Cancellation requested on “{engagement.project.title}”: our team will settle it"
        admins = list(User.objects.filter(is_superuser=True, is_active=True))
        other_side = other_side + admins
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
        context={"details": f"Reason given: {engagement.cancel_reason}"},
    )
    return engagement


# --- Scope extensions -------------------------------------------------------------


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


@transaction.atomic
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
    engagement = _lock(engagement)
    _require_employer(actor, engagement)
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
    _event(
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


@transaction.atomic
def extension_decide(*, actor: User, extension: ScopeExtension, accept: bool) -> ScopeExtension:
    """The student accepts (then the employer funds it) or declines."""
    engagement = _lock(extension.engagement)
    extension = ScopeExtension.objects.select_for_update().get(pk=extension.pk)
    _require_student(actor, engagement)
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
    _event(engagement, actor, f"extension_{extension.status}", description)
    notify(
        recipients=_employers(engagement),
        kind="engagement.extension",
        key=f"extension-{extension.pk}-{extension.status}",
        message=(
            f"{actor.get_full_name()} accepted the extension on “{engagement.project.title}”: "
            "fund it to apply it"
            if accept
            else f"{actor.get_full_name()} declined the extension on “{engagement.project.title}”"
        ),
        url=workspace_url(engagement) + "#scope",
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
    if _extension_terms_errors(
        engagement,
        extra_quarters=extension.extra_quarters,
        extra_fee_cents=extension.extra_fee_cents,
    ):
        return "With it the engagement would fall outside the rules on hours and hourly pay."
    return ""


@transaction.atomic
def extension_apply(*, extension_id: int) -> ScopeExtension:
    """Called when the employer's payment for an accepted extension succeeded.

    The payment checks `extension_unpayable_reason` first and refunds what cannot apply.
    """
    extension = ScopeExtension.objects.select_for_update().get(pk=extension_id)
    engagement = _lock(extension.engagement)
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
    _event(
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


# --- Payment outcomes (called by payments.services) ---------------------------------


def engagement_mark_paid(*, engagement: Engagement) -> Engagement:
    """The student's payout went through (inside the payout's transaction)."""
    if engagement.status == EngagementStatus.APPROVED:
        engagement.status = EngagementStatus.PAID
        engagement.paid_at = timezone.now()
        engagement.save(update_fields=["status", "paid_at"])
        _event(engagement, None, "paid", f"The student was paid {dollars(engagement.fee_cents)}.")
    elif engagement.paid_at is None:
        engagement.paid_at = timezone.now()
        engagement.save(update_fields=["paid_at"])
        _event(engagement, None, "paid", "The settled amount was paid to the student.")
    return engagement


def engagement_settle(
    *, engagement: Engagement, actor: User, student_cents: int, note: str
) -> Engagement:
    """A platform admin settled the dispute (inside payments.services.dispute_settle)."""
    now = timezone.now()
    engagement.status = EngagementStatus.CANCELLED
    engagement.cancelled_at = now
    engagement.settled_at = now
    engagement.settlement_note = note
    engagement.save(update_fields=["status", "cancelled_at", "settled_at", "settlement_note"])
    feedback_services().sessions_close(engagement=engagement)
    _event(
        engagement,
        actor,
        "settled",
        f"Dispute settled by the platform: {dollars(student_cents)} to the student. {note}",
    )
    notify(
        recipients=[engagement.student, *_employers(engagement)],
        kind="engagement.settled",
        key=f"engagement-{engagement.pk}-settled",
        message=f"The dispute on “{engagement.project.title}” is settled",
        url=workspace_url(engagement),
        context={"details": f"{dollars(student_cents)} goes to the student. {note}"},
    )
    return engagement


def feedback_services():
    # Imported when needed: feedback builds on engagements.
    from feedback import services

    return services


def payments_services():
    # Imported when needed: payments builds on the engagement services above.
    from payments import services

    return services
