"""Engagements' Celery tasks: deadline and review sweeps run by beat, and completing a
project once its last engagement is approved."""

from celery import shared_task

from engagements import reminders, services
from marketplace.task_policies import RECEIVER, SWEEP


@shared_task(name="engagements.sweep_due_soon", **SWEEP)
def sweep_due_soon() -> int:
    return reminders.sweep_due_soon()


@shared_task(name="engagements.sweep_overdue", **SWEEP)
def sweep_overdue() -> int:
    return reminders.sweep_overdue()


@shared_task(name="engagements.sweep_opt_reports", **SWEEP)
def sweep_opt_reports() -> int:
    return reminders.sweep_opt_reports()


@shared_task(name="engagements.sweep_disputes", **SWEEP)
def sweep_disputes() -> int:
    return services.sweep_disputes()


@shared_task(name="engagements.sweep_reviews", **SWEEP)
def sweep_reviews() -> int:
    return reminders.sweep_reviews()


@shared_task(name="engagements.complete_project", **RECEIVER)
def complete_project(engagement_id: int) -> bool:
    return services.project_complete_if_done(engagement_id=engagement_id)


@shared_task(name="engagements.reconcile_projects", **SWEEP)
def reconcile_projects() -> int:
    return services.projects_complete_reconcile()
