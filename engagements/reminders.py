"""Periodic sweeps of engagements: deadlines, work waiting for review, and approving work
left without a review. Derived from database state; see accounts.notifications.notify_many
for why each reminder goes out once however often a sweep runs.

The automatic approval goes through the same service as the employer's click, one row at
a time; a failing row is logged and skipped.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, OptKind, WorkAuthorization
from accounts.notifications import Reminder, already_sent, notify_many
from accounts.selectors import career_staff_by_school, employers_by_organization
from engagements import services as engagement_services
from engagements.models import Engagement, EngagementStatus, Submission
from engagements.services.common import workspace_url
from engagements.signals import announce, engagement_overdue
from marketplace.timezones import local_text

logger = logging.getLogger(__name__)

AUTOMATIC_BATCH = 200  # automatic steps per run; the next run takes the rest


def _workspace(engagement_id: int, anchor: str = "") -> str:
    return workspace_url(Engagement(pk=engagement_id), anchor)


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
            .exclude(already_sent(prefix, "student_id"))
            .select_related("student", "project")
        )
        for e in due:
            reminders.append(
                Reminder(
                    recipient=e.student,
                    kind="deadline.soon",
                    key=f"{prefix}{e.pk}",
                    message=f"“{e.project.title}” is due {local_text(e.due_at, e.student)}",
                    url=_workspace(e.pk),
                    details=f"You have logged {e.logged_hours:g} of {e.cap_hours:g} hours. "
                    "If you need more time, talk to your employer now.",
                )
            )
    return notify_many(reminders)


def opt_reporting_engagements():
    """Engagements a student on post-completion OPT must report to SEVP: funded (the work
    started), not cancelled."""
    return Engagement.objects.filter(
        funded_at__isnull=False,
        student__student_profile__work_authorization=WorkAuthorization.F1_OPT,
        student__student_profile__opt_kind=OptKind.POST_COMPLETION,
    ).exclude(status=EngagementStatus.CANCELLED)


def sweep_opt_reports(now=None) -> int:
    """A student on post-completion OPT, when the work starts and again before the deadline
    (OPT_REPORT_REMINDER_DAYS), until they mark the employer reported to SEVP."""
    now = now or timezone.now()
    window = timedelta(days=settings.OPT_REPORT_DAYS)
    reminders = []
    for day in sorted(d for d in settings.OPT_REPORT_REMINDER_DAYS if d < settings.OPT_REPORT_DAYS):
        prefix = f"opt-report-{day}d:engagement-"
        due = (
            opt_reporting_engagements()
            .filter(
                opt_reported_at__isnull=True,
                funded_at__lte=now - timedelta(days=day),
                funded_at__gt=now - window,
            )
            .exclude(already_sent(prefix, "student_id"))
            .select_related("student", "organization")
        )
        for e in due:
            deadline = e.funded_at + window
            reminders.append(
                Reminder(
                    recipient=e.student,
                    kind="opt.report",
                    key=f"{prefix}{e.pk}",
                    message=f"Report {e.organization.name} in the SEVP portal by "
                    f"{local_text(deadline, e.student)}",
                    url=reverse("outcomes:employment_log"),
                    details="On post-completion OPT, each employer goes into the SEVP portal "
                    f"within {settings.OPT_REPORT_DAYS} days of starting. Your employment log "
                    "has the details to enter; mark it reported there once done.",
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
            .exclude(already_sent(prefix, "student_id"))
            .select_related("student", "project")
        ]
    employers = employers_by_organization(e.organization_id for _, e in rows)
    staff = career_staff_by_school(e.school_id for _, e in rows)
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
                    f"was due {local_text(e.due_at, person)}",
                    url=_workspace(e.pk),
                    details="Agree on a new plan in the workspace: an extension, a partial "
                    "delivery, or cancelling fairly.",
                )
            )
    sent = notify_many(reminders)
    for prefix, e in rows:
        if prefix.startswith("overdue-1"):
            announce(engagement_overdue, e)
    return sent


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
    employers = employers_by_organization(s.engagement.organization_id for _, _, s in rows)
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
                    f"{local_text(approve_on, person)} and the student is paid.",
                )
            )
    sent = notify_many(reminders)
    return sent + auto_approve(now=now)


def auto_approve(now=None) -> int:
    """Approve work left without a review for AUTO_APPROVE_DAYS days."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AUTO_APPROVE_DAYS)
    due = list(
        Engagement.objects.filter(status=EngagementStatus.SUBMITTED, submitted_at__lte=cutoff)
        .order_by("submitted_at")
        .values_list("pk", flat=True)[:AUTOMATIC_BATCH]
    )
    done = 0
    for engagement_id in due:
        try:
            engagement_services.submission_approve(
                actor=None,
                engagement=Engagement(pk=engagement_id),
                # Checked again under the lock: the employer may have approved meanwhile,
                # and the student handed in the next milestone.
                submitted_before=cutoff,
                comment=f"Approved automatically after {settings.AUTO_APPROVE_DAYS} days "
                "without a review.",
            )
            done += 1
        except Exception:  # one bad row must not stop the sweep
            logger.exception("Could not approve engagement %s automatically", engagement_id)
    return done
