"""Periodic sweeps: every reminder and automatic step, derived from database state.

Each sweep finds what is due with one query per kind of reminder, works out
the recipients with a few more (not one per row), and hands the reminders to
`notify_many`, which claims each one by inserting a notification with a unique
(recipient, key) pair. So a sweep can run twice at once, be retried, or run
after the broker lost its queue: each reminder is sent once, and the next run
catches up on anything missed. The automatic steps (approving work after a
silence, declining applications nobody decided on) go through the same
services as a person's click, one row at a time, and a failing row is logged
and skipped.
"""

import logging
import zoneinfo
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, User
from accounts.notifications import Reminder, notify_many
from engagements.models import Engagement, EngagementStatus, Submission
from feedback.models import EmployerReview, FeedbackSession, SessionStatus, StudentEvaluation
from projects import applications as application_services
from projects import engagements as engagement_services
from projects.models import PENDING_APPLICATION_STATUSES, Application, Project, ProjectStatus
from projects.rules import apply_by_today

logger = logging.getLogger(__name__)

AUTOMATIC_BATCH = 200  # automatic steps per run; the next run takes the rest


def _local(moment, user: User) -> str:
    """A date and time as the recipient reads it, in their own time zone."""
    try:
        zone = zoneinfo.ZoneInfo(user.time_zone or settings.DEFAULT_USER_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = moment.astimezone(zone)
    return local.strftime("%a, %b %-d at %-I:%M %p ") + local.tzname()


def _workspace(engagement_id: int, anchor: str = "") -> str:
    return reverse("projects:workspace", kwargs={"pk": engagement_id}) + anchor


def _not_sent(key_prefix: str, recipient_field: str) -> Exists:
    """Rows whose reminder `<key_prefix><row id>` already went to that recipient."""
    return Exists(
        Notification.objects.filter(
            recipient_id=OuterRef(recipient_field),
            key=Concat(Value(key_prefix), Cast(OuterRef("pk"), CharField())),
        )
    )


def _sent_to_anyone(key_prefix: str) -> Exists:
    """Rows whose reminder `<key_prefix><row id>` went out (to the organization's employers,
    whoever they are now)."""
    return Exists(
        Notification.objects.filter(
            key=Concat(Value(key_prefix), Cast(OuterRef("pk"), CharField()))
        )
    )


def _employers_by_org(org_ids) -> dict[int, list[User]]:
    people = defaultdict(list)
    for user in User.objects.filter(
        employer_profile__organization_id__in=set(org_ids), is_active=True
    ).select_related("employer_profile"):
        people[user.employer_profile.organization_id].append(user)
    return people


def _staff_by_school(school_ids) -> dict[int, list[User]]:
    people = defaultdict(list)
    for user in User.objects.filter(
        career_staff_profile__school_id__in=set(school_ids), is_active=True
    ).select_related("career_staff_profile"):
        people[user.career_staff_profile.school_id].append(user)
    return people


# --- Deadlines -------------------------------------------------------------------------------

WORKING = (EngagementStatus.ACTIVE, EngagementStatus.REVISION_REQUESTED)
FINISHED = (EngagementStatus.APPROVED, EngagementStatus.PAID)


def sweep_due_soon(now=None) -> int:
    """The student, 72 h and 24 h before the due date (while the work is not handed in)."""
    now = now or timezone.now()
    reminders = []
    for hours in sorted(settings.REMINDER_DUE_HOURS):
        prefix = f"due-{hours}h:engagement-"
        due = (
            Engagement.objects.filter(
                status__in=WORKING, due_at__gt=now, due_at__lte=now + timedelta(hours=hours)
            )
            .exclude(_not_sent(prefix, "student_id"))
            .select_related("student", "project")
        )
        for e in due:
            reminders.append(
                Reminder(
                    recipient=e.student,
                    kind="deadline.soon",
                    key=f"{prefix}{e.pk}",
                    message=f"“{e.project.title}” is due {_local(e.due_at, e.student)}",
                    url=_workspace(e.pk),
                    details=f"You have logged {e.logged_hours:g} of {e.cap_hours:g} hours. "
                    "If you need more time, talk to your employer now.",
                )
            )
    return notify_many(reminders)


def sweep_overdue(now=None) -> int:
    """Both sides and the student's career staff when work is overdue, and again 48 h later."""
    now = now or timezone.now()
    rounds = [(1, timedelta(0)), (2, timedelta(hours=settings.REMINDER_OVERDUE_REPEAT_HOURS))]
    rows = []
    for number, after in rounds:
        prefix = f"overdue-{number}:engagement-"
        rows += [
            (prefix, e)
            for e in Engagement.objects.filter(status__in=WORKING, due_at__lte=now - after)
            .exclude(_not_sent(prefix, "student_id"))
            .select_related("student", "project")
        ]
    employers = _employers_by_org(e.organization_id for _, e in rows)
    staff = _staff_by_school(e.school_id for _, e in rows)
    reminders = []
    for prefix, e in rows:
        again = prefix.startswith("overdue-2")
        for person in [e.student, *employers[e.organization_id], *staff[e.school_id]]:
            reminders.append(
                Reminder(
                    recipient=person,
                    kind="deadline.overdue",
                    key=f"{prefix}{e.pk}",
                    message=f"{'Still overdue' if again else 'Overdue'}: “{e.project.title}” "
                    f"was due {_local(e.due_at, person)}",
                    url=_workspace(e.pk),
                    details="Agree on a new plan in the workspace: an extension, a partial "
                    "delivery, or cancelling fairly.",
                )
            )
    return notify_many(reminders)


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
            .exclude(_not_sent(prefix, "engagement__student_id"))
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
        .exclude(_sent_to_anyone(prefix))
        .select_related("engagement__student", "engagement__project")
    )
    rows += [("unmarked", prefix, s) for s in unmarked]
    employers = _employers_by_org(s.engagement.organization_id for _, _, s in rows)
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
                        f"{_local(s.scheduled_at, person)}",
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


# --- Reviews of submitted work -----------------------------------------------------------------


def sweep_reviews(now=None) -> int:
    """The employer, 3 and 6 days after a submission not yet reviewed; after 7 days of
    silence the work is approved automatically (and so paid), and both sides are told."""
    now = now or timezone.now()
    rows = []
    for days in sorted(settings.REMINDER_REVIEW_DAYS):
        prefix = f"review-{days}d:submission-"
        waiting = Submission.objects.filter(
            decision=Submission.Decision.PENDING,
            engagement__status=EngagementStatus.SUBMITTED,
            submitted_at__lte=now - timedelta(days=days),
        ).select_related("engagement__project", "engagement__student")
        already = set(
            Notification.objects.filter(key__in=[f"{prefix}{s.pk}" for s in waiting]).values_list(
                "key", flat=True
            )
        )
        rows += [(days, prefix, s) for s in waiting if f"{prefix}{s.pk}" not in already]
    employers = _employers_by_org(s.engagement.organization_id for _, _, s in rows)
    reminders = []
    for days, prefix, s in rows:
        e = s.engagement
        approve_on = s.submitted_at + timedelta(days=settings.AUTO_APPROVE_DAYS)
        for person in employers[e.organization_id]:
            reminders.append(
                Reminder(
                    recipient=person,
                    kind="review.waiting",
                    key=f"{prefix}{s.pk}",
                    message=f"{e.student.get_full_name()} submitted “{e.project.title}” "
                    f"{days} days ago: please review it",
                    url=_workspace(e.pk, "#deliverables"),
                    details="Without an answer, the work is approved automatically on "
                    f"{_local(approve_on, person)} and the student is paid.",
                )
            )
    sent = notify_many(reminders)
    return sent + auto_approve(now=now)


def auto_approve(now=None) -> int:
    """Approve work left without a review for AUTO_APPROVE_DAYS days."""
    now = now or timezone.now()
    due = list(
        Engagement.objects.filter(
            status=EngagementStatus.SUBMITTED,
            submitted_at__lte=now - timedelta(days=settings.AUTO_APPROVE_DAYS),
        )
        .order_by("submitted_at")
        .values_list("pk", flat=True)[:AUTOMATIC_BATCH]
    )
    done = 0
    for engagement_id in due:
        try:
            engagement_services.submission_approve(
                actor=None,
                engagement=Engagement(pk=engagement_id),
                comment=f"Approved automatically after {settings.AUTO_APPROVE_DAYS} days "
                "without a review.",
            )
            done += 1
        except Exception:  # one bad row must not stop the sweep
            logger.exception("Could not approve engagement %s automatically", engagement_id)
    return done


# --- Applications nobody decided on -----------------------------------------------------------


def sweep_applications(today=None) -> int:
    """Every applicant gets a decision: the employer is warned, then applications still
    open APPLICATION_DECISION_DAYS after the apply-by date are declined with a notice."""
    today = today or apply_by_today()
    days, warning = settings.APPLICATION_DECISION_DAYS, settings.APPLICATION_DECISION_WARNING_DAYS
    waiting = Exists(
        Application.objects.filter(project=OuterRef("pk"), status__in=PENDING_APPLICATION_STATUSES)
    )
    prefix = "decide-soon:project-"
    to_warn = list(
        Project.objects.filter(
            waiting,
            status__in=[ProjectStatus.OPEN, ProjectStatus.CLOSED],
            apply_by__lte=today - timedelta(days=days - warning),
            apply_by__gt=today - timedelta(days=days),
        ).exclude(
            Exists(
                Notification.objects.filter(
                    key=Concat(Value(prefix), Cast(OuterRef("pk"), CharField()))
                )
            )
        )
    )
    employers = _employers_by_org(p.organization_id for p in to_warn)
    reminders = [
        Reminder(
            recipient=person,
            kind="applications.decide",
            key=f"{prefix}{p.pk}",
            message=f"Applicants to “{p.title}” are waiting for your decision",
            url=reverse("projects:applicants", kwargs={"pk": p.pk}),
            details=f"Applications still open on {p.apply_by + timedelta(days=days):%B %-d} are "
            "declined automatically, so that every applicant hears back.",
        )
        for p in to_warn
        for person in employers[p.organization_id]
    ]
    sent = notify_many(reminders)
    return sent + auto_decline(today=today)


def auto_decline(today=None) -> int:
    today = today or apply_by_today()
    stale = list(
        Application.objects.filter(
            status__in=PENDING_APPLICATION_STATUSES,
            project__apply_by__lte=today - timedelta(days=settings.APPLICATION_DECISION_DAYS),
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:AUTOMATIC_BATCH]
    )
    done = 0
    for application_id in stale:
        try:
            application_services.application_expire(application_id=application_id)
            done += 1
        except Exception:  # one bad row must not stop the sweep
            logger.exception("Could not close application %s", application_id)
    return done


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
        ).exclude(_sent_to_anyone(f"evaluation-{days}d:employer:engagement-"))
        missing_review = approved.exclude(
            Exists(EmployerReview.objects.filter(engagement=OuterRef("pk")))
        ).exclude(_not_sent(f"evaluation-{days}d:student:engagement-", "student_id"))
        rows += [(days, "employer", e) for e in missing_evaluation]
        rows += [(days, "student", e) for e in missing_review]
    employers = _employers_by_org(e.organization_id for _, side, e in rows if side == "employer")
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


SWEEPS = {
    "due_soon": sweep_due_soon,
    "overdue": sweep_overdue,
    "sessions": sweep_sessions,
    "reviews": sweep_reviews,
    "applications": sweep_applications,
    "evaluations": sweep_evaluations,
}
