"""The reminder sweeps and the integrity flags as Celery tasks, run by beat every few minutes.

A sweep that fails (the database briefly unreachable, say) is retried with
backoff; since sweeps are derived from database state, a lost run is simply
caught up by the next one.
"""

from celery import shared_task
from django.db import OperationalError

from feedback import integrity, reminders

RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 10,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


@shared_task(name="feedback.sweep_due_soon", **RETRY)
def sweep_due_soon() -> int:
    return reminders.sweep_due_soon()


@shared_task(name="feedback.sweep_overdue", **RETRY)
def sweep_overdue() -> int:
    return reminders.sweep_overdue()


@shared_task(name="feedback.sweep_sessions", **RETRY)
def sweep_sessions() -> int:
    return reminders.sweep_sessions()


@shared_task(name="feedback.sweep_reviews", **RETRY)
def sweep_reviews() -> int:
    return reminders.sweep_reviews()


@shared_task(name="feedback.sweep_applications", **RETRY)
def sweep_applications() -> int:
    return reminders.sweep_applications()


@shared_task(name="feedback.sweep_evaluations", **RETRY)
def sweep_evaluations() -> int:
    return reminders.sweep_evaluations()


@shared_task(name="feedback.raise_integrity_flags", **RETRY)
def raise_integrity_flags() -> int:
    """Open the integrity flags career services follow, and close those fixed since."""
    return integrity.raise_automatic_flags()
