"""Every applicant hears back: the employer is warned, then applications nobody decided on
are declined with a kind notice. Derived from database state (see
accounts.notifications.notify_many)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse

from accounts.notifications import Reminder, notify_many, sent_to_anyone
from accounts.selectors import employers_by_organization
from projects import applications as application_services
from projects.models import PENDING_APPLICATION_STATUSES, Application, Project, ProjectStatus
from projects.rules import apply_by_today

logger = logging.getLogger(__name__)

AUTOMATIC_BATCH = 200  # automatic steps per run; the next run takes the rest


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
        ).exclude(sent_to_anyone(prefix))
    )
    employers = employers_by_organization(p.organization_id for p in to_warn)
    reminders = [
        Reminder(
            recipient=person,
            kind="applications.decide",
            key=f"{prefix}{p.pk}",
            message=f"Applicants to “{p.title}” are waiting for your decision",
            url=reverse("engagements:applicants", kwargs={"pk": p.pk}),
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
