"""Periodic sweeps of feedback: sessions coming up or left unmarked, evaluations not given.
Derived from database state; see accounts.notifications.notify_many for why each reminder
goes out once however often a sweep runs."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.notifications import Reminder, already_sent, notify_many, sent_to_anyone
from accounts.selectors import employers_by_organization
from engagements.models import Engagement, EngagementStatus
from engagements.services.common import workspace_url
from feedback.models import EmployerReview, FeedbackSession, SessionStatus, StudentEvaluation
from marketplace.timezones import local_text

WORKING = (EngagementStatus.ACTIVE, EngagementStatus.REVISION_REQUESTED)
FINISHED = (EngagementStatus.APPROVED, EngagementStatus.PAID)


def _workspace(engagement_id: int, anchor: str = "") -> str:
    return workspace_url(Engagement(pk=engagement_id), anchor)


# --- Feedback sessions -----------------------------------------------------------------------


def sweep_sessions(now=None) -> int:
    """Both sides, 24 h and 1 h before a session; the employer, the day after a session
    that has no notes and no held/missed mark."""
    now = now or timezone.now()
    rows = []
    for hours in sorted(settings.REMINDER_SESSION_HOURS):
        prefix = f"session-{hours}h:session-"
        rows += [
            ("soon", prefix, s)
            for s in FeedbackSession.objects.filter(
                status=SessionStatus.SCHEDULED,
                scheduled_at__gt=now,
                scheduled_at__lte=now + timedelta(hours=hours),
                # After approval only the final review is still scheduled (see sessions_close).
                engagement__status__in=[*WORKING, EngagementStatus.SUBMITTED, *FINISHED],
            )
            .exclude(already_sent(prefix, "engagement__student_id"))
            .select_related("engagement__student", "engagement__project")
        ]
    prefix = "session-unmarked:session-"
    unmarked = (
        FeedbackSession.objects.filter(
            status=SessionStatus.SCHEDULED,
            # Sessions of the last two weeks: older ones were nudged (or are history).
            scheduled_at__gt=now - timedelta(days=14),
            scheduled_at__lte=now - timedelta(hours=settings.REMINDER_SESSION_UNMARKED_HOURS),
            notes__isnull=True,
            engagement__status__in=[*WORKING, EngagementStatus.SUBMITTED, *FINISHED],
        )
        .exclude(sent_to_anyone(prefix))
        .select_related("engagement__student", "engagement__project")
    )
    rows += [("unmarked", prefix, s) for s in unmarked]
    employers = employers_by_organization(s.engagement.organization_id for _, _, s in rows)
    reminders = []
    for what, prefix, s in rows:
        e = s.engagement
        if what == "soon":
            for person in [e.student, *employers[e.organization_id]]:
                reminders.append(
                    Reminder(
                        recipient=person,
                        kind="session.soon",
                        key=f"{prefix}{s.pk}",
                        message=f"{s.get_kind_display()} for “{e.project.title}” on "
                        f"{local_text(s.scheduled_at, person)}",
                        url=_workspace(e.pk, "#sessions"),
                        details=(f"Meeting link: {s.meeting_link}\n" if s.meeting_link else "")
                        + (f"Agenda: {s.agenda}" if s.agenda else ""),
                    )
                )
        else:
            for person in employers[e.organization_id]:
                reminders.append(
                    Reminder(
                        recipient=person,
                        kind="session.unmarked",
                        key=f"{prefix}{s.pk}",
                        message=f"Did the {s.get_kind_display().lower()} for "
                        f"“{e.project.title}” take place? Mark it held or missed",
                        url=_workspace(e.pk, "#sessions"),
                    )
                )
    return notify_many(reminders)


# --- Evaluations -----------------------------------------------------------------------------


def sweep_evaluations(now=None) -> int:
    """Each side that has not evaluated, 2 and 7 days after approval."""
    now = now or timezone.now()
    rows = []
    for days in sorted(settings.REMINDER_EVALUATION_DAYS):
        approved = Engagement.objects.filter(
            status__in=[EngagementStatus.APPROVED, EngagementStatus.PAID],
            approved_at__lte=now - timedelta(days=days),
            approved_at__gt=now - timedelta(days=settings.EVALUATION_REVEAL_DAYS),
        ).select_related("student", "project")
        missing_evaluation = approved.exclude(
            Exists(StudentEvaluation.objects.filter(engagement=OuterRef("pk")))
        ).exclude(sent_to_anyone(f"evaluation-{days}d:employer:engagement-"))
        missing_review = approved.exclude(
            Exists(EmployerReview.objects.filter(engagement=OuterRef("pk")))
        ).exclude(already_sent(f"evaluation-{days}d:student:engagement-", "student_id"))
        rows += [(days, "employer", e) for e in missing_evaluation]
        rows += [(days, "student", e) for e in missing_review]
    employers = employers_by_organization(
        e.organization_id for _, side, e in rows if side == "employer"
    )
    reminders = []
    for days, side, e in rows:
        people = [e.student] if side == "student" else employers[e.organization_id]
        what = (
            "review your experience with the employer"
            if side == "student"
            else f"evaluate {e.student.get_full_name()}"
        )
        for person in people:
            reminders.append(
                Reminder(
                    recipient=person,
                    kind="evaluation.reminder",
                    key=f"evaluation-{days}d:{side}:engagement-{e.pk}",
                    message=f"Please {what} on “{e.project.title}”",
                    url=_workspace(e.pk, "#evaluations"),
                    details="Neither side sees the other's answers until both are in.",
                )
            )
    return notify_many(reminders)
