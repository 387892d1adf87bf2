"""Feedback sessions and evaluations: every change through one function, in a transaction."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from accounts.audit import audit
from accounts.models import User
from accounts.notifications import notify
from accounts.selectors import organization_employers
from engagements import lifecycle
from engagements.lifecycle import By
from engagements.models import Engagement, EngagementStatus
from engagements.services.common import record_event, side_of, workspace_url
from feedback.models import (
    EMPLOYER_SCORES,
    STUDENT_SCORES,
    EmployerReview,
    FeedbackSession,
    ObjectiveOutcome,
    SessionKind,
    SessionNote,
    SessionStatus,
    StudentEvaluation,
)
from feedback.signals import student_evaluation_submitted
from marketplace.domain_events import send_after_commit
from marketplace.timezones import at_local_hour

logger = logging.getLogger(__name__)

SESSION_HOUR = 10  # sessions are planned at 10:00 in the employer's time zone


def _workspace(engagement: Engagement) -> str:
    return workspace_url(engagement, "#sessions")


def _is_employer(actor: User, engagement: Engagement) -> bool:
    return side_of(actor, engagement) == By.EMPLOYER


def _is_student(actor: User, engagement: Engagement) -> bool:
    return side_of(actor, engagement) == By.STUDENT


def _lock(engagement: Engagement) -> Engagement:
    return lifecycle.lock(engagement, "project__created_by")


def _at_local_hour(moment: datetime, zone_name: str, *, days_later: int) -> datetime:
    """SESSION_HOUR o'clock, `days_later` days after `moment`, in the given zone (as UTC)."""
    return at_local_hour(moment, zone_name, hour=SESSION_HOUR, days_later=days_later)


# --- Planning, in answer to the engagement's signals ---------------------------------------
# Each runs in its own transaction after the engagement's change committed, locks the
# engagement, and does nothing when its work is already done, so a retried task or the
# reconciliation sweep never plans twice.

OVER = (EngagementStatus.APPROVED, EngagementStatus.PAID, EngagementStatus.CANCELLED)


@transaction.atomic
def sessions_plan(*, engagement_id: int) -> list[FeedbackSession]:
    """A funded engagement's sessions: a kickoff on the day after funding, then a check-in
    every seven days until the due date."""
    engagement = lifecycle.lock(engagement_id, "project__created_by")
    if engagement.funded_at is None or engagement.status == EngagementStatus.CANCELLED:
        return []
    if engagement.feedback_sessions.exists():
        return []
    zone = engagement.project.created_by.time_zone
    kickoff = _at_local_hour(engagement.funded_at, zone, days_later=1)
    sessions = [
        FeedbackSession(
            engagement=engagement,
            kind=SessionKind.KICKOFF,
            scheduled_at=kickoff,
            agenda="Meet, walk through the brief, agree on how and when to reach each other.",
        )
    ]
    check_in = kickoff + timedelta(days=7)
    while check_in < engagement.due_at - timedelta(days=1):
        sessions.append(
            FeedbackSession(
                engagement=engagement,
                kind=SessionKind.CHECK_IN,
                scheduled_at=check_in,
                agenda="Progress so far, questions, what comes next.",
            )
        )
        check_in += timedelta(days=7)
    return FeedbackSession.objects.bulk_create(sessions)


@transaction.atomic
def final_review_plan(*, engagement_id: int) -> FeedbackSession | None:
    """Once the work is first handed in, the final review, two days later."""
    engagement = lifecycle.lock(engagement_id, "project__created_by")
    if engagement.submitted_at is None or engagement.status == EngagementStatus.CANCELLED:
        return None
    if engagement.feedback_sessions.filter(kind=SessionKind.FINAL_REVIEW).exists():
        return None
    return FeedbackSession.objects.create(
        engagement=engagement,
        kind=SessionKind.FINAL_REVIEW,
        scheduled_at=_at_local_hour(
            max(engagement.submitted_at, timezone.now() - timedelta(days=1)),
            engagement.project.created_by.time_zone,
            days_later=2,
        ),
        agenda="Go through the deliverables together: what worked, what to improve.",
    )


@transaction.atomic
def sessions_close(*, engagement_id: int) -> int:
    """The work is over: sessions still to come are cancelled. After an approval the final
    review still takes place: it is where the student hears how it went."""
    engagement = lifecycle.lock(engagement_id)
    if engagement.status not in OVER:
        return 0
    upcoming = FeedbackSession.objects.filter(
        engagement=engagement, status=SessionStatus.SCHEDULED, scheduled_at__gt=timezone.now()
    )
    if engagement.status != EngagementStatus.CANCELLED:
        upcoming = upcoming.exclude(kind=SessionKind.FINAL_REVIEW)
    return upcoming.update(
        status=SessionStatus.CANCELLED, sequence=F("sequence") + 1, updated_at=timezone.now()
    )


RECONCILE_BATCH = 200


def sessions_reconcile() -> int:
    """Periodic: catch up on what a lost task left undone (funded engagements with no
    sessions, handed-in work with no final review, finished work with sessions to come).
    One bad row never stops the rest."""
    now = timezone.now()
    ahead = FeedbackSession.objects.filter(
        engagement=OuterRef("pk"), status=SessionStatus.SCHEDULED, scheduled_at__gt=now
    )
    jobs = [
        (
            sessions_plan,
            Engagement.objects.filter(funded_at__isnull=False)
            .exclude(status=EngagementStatus.CANCELLED)
            .exclude(Exists(FeedbackSession.objects.filter(engagement=OuterRef("pk")))),
        ),
        (
            final_review_plan,
            Engagement.objects.filter(submitted_at__isnull=False)
            .exclude(status=EngagementStatus.CANCELLED)
            .exclude(
                Exists(
                    FeedbackSession.objects.filter(
                        engagement=OuterRef("pk"), kind=SessionKind.FINAL_REVIEW
                    )
                )
            ),
        ),
        (
            sessions_close,
            Engagement.objects.filter(
                Q(status=EngagementStatus.CANCELLED, pk__in=ahead.values("engagement"))
                | Q(
                    status__in=[EngagementStatus.APPROVED, EngagementStatus.PAID],
                    pk__in=ahead.exclude(kind=SessionKind.FINAL_REVIEW).values("engagement"),
                )
            ),
        ),
    ]
    done = 0
    for service, due in jobs:
        for engagement_id in due.order_by("pk").values_list("pk", flat=True)[:RECONCILE_BATCH]:
            try:
                if service(engagement_id=engagement_id):
                    done += 1
            except Exception:  # one bad row must not stop the sweep
                logger.exception("Could not reconcile the sessions of engagement %s", engagement_id)
    return done


# --- Scheduling, notes, attendance ---------------------------------------------------------


@dataclass(frozen=True)
class SessionData:
    scheduled_at: datetime
    duration_minutes: int
    meeting_link: str
    agenda: str


def _check_session_data(data: SessionData, engagement: Engagement) -> None:
    errors = {}
    if data.scheduled_at < timezone.now() - timedelta(minutes=5):
        errors["scheduled_at"] = "Choose a time in the future."
    if data.scheduled_at > engagement.due_at + timedelta(days=14):
        errors["scheduled_at"] = "Choose a time within two weeks of the due date."
    if not 10 <= data.duration_minutes <= 240:
        errors["duration_minutes"] = "Between 10 minutes and 4 hours."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def session_schedule(*, actor: User, engagement: Engagement, data: SessionData) -> FeedbackSession:
    """The employer adds a session."""
    engagement = _lock(engagement)
    if not _is_employer(actor, engagement):
        raise PermissionDenied("Only the employer schedules feedback sessions.")
    if engagement.status in (EngagementStatus.CANCELLED, EngagementStatus.AWAITING_FUNDING):
        raise ValidationError("Sessions are for engagements under way.")
    _check_session_data(data, engagement)
    session = FeedbackSession.objects.create(
        engagement=engagement,
        kind=SessionKind.EXTRA,
        scheduled_at=data.scheduled_at,
        duration_minutes=data.duration_minutes,
        meeting_link=data.meeting_link,
        agenda=data.agenda.strip(),
        created_by=actor,
    )
    record_event(
        engagement, actor, "session_added", "Session planned for {at}.", at=session.scheduled_at
    )
    notify(
        recipients=[engagement.student],
        kind="session.scheduled",
        key=f"session-{session.pk}-scheduled",
        message=f"A feedback session was added on “{engagement.project.title}”",
        url=_workspace(engagement),
    )
    return session


@transaction.atomic
def session_move(*, actor: User, session: FeedbackSession, data: SessionData) -> FeedbackSession:
    """The employer moves a session (or changes its link and agenda)."""
    session = FeedbackSession.objects.select_for_update().get(pk=session.pk)
    engagement = _lock(session.engagement)
    if not _is_employer(actor, engagement):
        raise PermissionDenied("Only the employer moves feedback sessions.")
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError("Only a session still to come can be moved.")
    _check_session_data(data, engagement)
    moved = session.scheduled_at != data.scheduled_at
    if moved or session.duration_minutes != data.duration_minutes:
        session.sequence += 1
    session.scheduled_at = data.scheduled_at
    session.duration_minutes = data.duration_minutes
    session.meeting_link = data.meeting_link
    session.agenda = data.agenda.strip()
    session.updated_at = timezone.now()
    session.save(
        update_fields=[
            "scheduled_at",
            "duration_minutes",
            "meeting_link",
            "agenda",
            "sequence",
            "updated_at",
        ]
    )
    if moved:
        record_event(
            engagement, actor, "session_moved", "Session moved to {at}.", at=session.scheduled_at
        )
        notify(
            recipients=[engagement.student],
            kind="session.moved",
            key=f"session-{session.pk}-moved-{session.scheduled_at:%Y%m%d%H%M}",
            message=f"A feedback session on “{engagement.project.title}” moved",
            url=_workspace(engagement),
        )
    return session


@transaction.atomic
def session_note_save(
    *, actor: User, session: FeedbackSession, went_well: str, to_change: str, next_steps: str
) -> SessionNote:
    """Either side writes (or rewrites) their note on a session that has started."""
    session = (
        FeedbackSession.objects.select_for_update().select_related("engagement").get(pk=session.pk)
    )
    engagement = session.engagement
    if not (_is_student(actor, engagement) or _is_employer(actor, engagement)):
        raise PermissionDenied("Only the student and the employer write session notes.")
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError("This session was cancelled.")
    if session.scheduled_at > timezone.now():
        raise ValidationError("Notes can be added once the session has started.")
    fields = {
        "went_well": went_well.strip(),
        "to_change": to_change.strip(),
        "next_steps": next_steps.strip(),
    }
    if not any(fields.values()):
        raise ValidationError("Write at least one of the three parts.")
    note, _ = SessionNote.objects.update_or_create(
        session=session, author=actor, defaults={**fields, "updated_at": timezone.now()}
    )
    return note


@transaction.atomic
def session_mark(*, actor: User, session: FeedbackSession, held: bool) -> FeedbackSession:
    """The employer records whether the session took place."""
    session = (
        FeedbackSession.objects.select_for_update().select_related("engagement").get(pk=session.pk)
    )
    engagement = session.engagement
    if not _is_employer(actor, engagement):
        raise PermissionDenied("Only the employer marks sessions held or missed.")
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError("This session was cancelled.")
    if session.scheduled_at > timezone.now():
        raise ValidationError("A session can be marked once it has started.")
    status = SessionStatus.HELD if held else SessionStatus.MISSED
    if session.status == status:
        return session
    session.status = status
    session.marked_by = actor
    session.marked_at = session.updated_at = timezone.now()
    session.save(update_fields=["status", "marked_by", "marked_at", "updated_at"])
    record_event(
        engagement,
        actor,
        f"session_{status}",
        f"{session.get_kind_display()} of {{day}} marked {status}.",
        at=session.scheduled_at,
    )
    return session


# --- Evaluations ---------------------------------------------------------------------------

EVALUABLE = (EngagementStatus.APPROVED, EngagementStatus.PAID)


def _scores(data: dict, names: tuple[str, ...]) -> dict:
    errors = {name: "Choose 1 to 5." for name in names if data.get(name) not in (1, 2, 3, 4, 5)}
    if errors:
        raise ValidationError(errors)
    return {name: data[name] for name in names}


def _objective_marks(engagement: Engagement, marks: dict) -> dict[int, bool]:
    """Each of the project's learning objectives marked met (True) or not (False): all of
    them, and only them."""
    objectives = list(engagement.project.objectives.all())
    missing = [o for o in objectives if not isinstance(marks.get(o.pk), bool)]
    if missing:
        raise ValidationError(
            {f"objective_{o.pk}": "Say whether the student met this objective." for o in missing}
        )
    if set(marks) - {o.pk for o in objectives}:
        raise ValidationError("An objective marked is not one of this project's.")
    return {o.pk: marks[o.pk] for o in objectives}


@transaction.atomic
def student_evaluation_submit(
    *, actor: User, engagement: Engagement, data: dict
) -> StudentEvaluation:
    """The employer's evaluation of the student, once, after approval."""
    engagement = _lock(engagement)
    if not _is_employer(actor, engagement):
        raise PermissionDenied("Only the employer evaluates the student.")
    if engagement.status not in EVALUABLE:
        raise ValidationError("Evaluations open once the work is approved.")
    for field in ("strengths", "growth_areas"):
        if not (data.get(field) or "").strip():
            raise ValidationError({field: "Please write a few words."})
    marks = _objective_marks(engagement, data.get("objectives") or {})
    try:
        with transaction.atomic():
            evaluation = StudentEvaluation.objects.create(
                engagement=engagement,
                author=actor,
                strengths=data["strengths"].strip(),
                growth_areas=data["growth_areas"].strip(),
                would_work_again=bool(data.get("would_work_again")),
                interested_full_time=bool(data.get("interested_full_time")),
                **_scores(data, STUDENT_SCORES),
            )
    except IntegrityError as error:
        raise ValidationError("This engagement is already evaluated.") from error
    ObjectiveOutcome.objects.bulk_create(
        ObjectiveOutcome(evaluation=evaluation, objective_id=objective_id, met=met)
        for objective_id, met in marks.items()
    )
    record_event(engagement, actor, "evaluated", "The employer submitted the final evaluation.")
    audit(
        actor=actor,
        action="evaluation.submitted",
        target=evaluation,
        summary=f"{actor.email} evaluated the student on “{engagement.project.title}”",
        data={"objectives_met": sum(marks.values()), "objectives": len(marks)},
    )
    _tell_other_side(engagement, to=[engagement.student], who="The employer", side="employer")
    send_after_commit(student_evaluation_submitted, sender=Engagement, engagement_id=engagement.pk)
    return evaluation


@transaction.atomic
def employer_review_submit(*, actor: User, engagement: Engagement, data: dict) -> EmployerReview:
    """The student's review of the employer, once, after approval."""
    engagement = _lock(engagement)
    if not _is_student(actor, engagement):
        raise PermissionDenied("Only the student reviews the employer.")
    if engagement.status not in EVALUABLE:
        raise ValidationError("Reviews open once the work is approved.")
    if not (data.get("comment") or "").strip():
        raise ValidationError({"comment": "Please write a few words."})
    try:
        with transaction.atomic():
            review = EmployerReview.objects.create(
                engagement=engagement,
                author=actor,
                comment=data["comment"].strip(),
                **_scores(data, EMPLOYER_SCORES),
            )
    except IntegrityError as error:
        raise ValidationError("You have already reviewed this engagement.") from error
    record_event(
        engagement, actor, "reviewed", "The student submitted their review of the employer."
    )
    _tell_other_side(
        engagement,
        to=organization_employers(engagement.organization_id),
        who=actor.get_full_name(),
        side="student",
    )
    return review


def _tell_other_side(engagement: Engagement, *, to: list[User], who: str, side: str) -> None:
    visible = evaluations_visible(engagement, both_in=None)
    notify(
        recipients=to,
        kind="evaluation.submitted",
        key=f"engagement-{engagement.pk}-evaluation-by-{side}",
        message=(
            f"{who} submitted their evaluation of “{engagement.project.title}”"
            + (": both are now visible" if visible else "")
        ),
        url=_workspace(engagement).replace("#sessions", "#evaluations"),
    )


def evaluations_visible(engagement: Engagement, *, both_in: bool | None) -> bool:
    """Neither side sees the other's evaluation until both are in, or the reveal delay passed."""
    if both_in is None:
        both_in = (
            StudentEvaluation.objects.filter(engagement=engagement).exists()
            and EmployerReview.objects.filter(engagement=engagement).exists()
        )
    if both_in:
        return True
    approved = engagement.approved_at
    return bool(
        approved and timezone.now() >= approved + timedelta(days=settings.EVALUATION_REVEAL_DAYS)
    )
