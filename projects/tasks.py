"""Projects' Celery tasks: apply-by closing and the applications sweep run by beat, and
closing a suspended organization's projects."""

from celery import shared_task

from marketplace.task_policies import RECEIVER, SWEEP
from projects import reminders, services


@shared_task(name="projects.close_past_apply_by", **SWEEP)
def close_past_apply_by() -> int:
    return services.projects_close_past_apply_by()


@shared_task(name="projects.sweep_applications", **SWEEP)
def sweep_applications() -> int:
    return reminders.sweep_applications()


@shared_task(name="projects.close_for_suspension", **RECEIVER)
def close_for_suspension(organization_id: int) -> int:
    return services.projects_close_for_suspension(organization_id=organization_id)


@shared_task(name="projects.reconcile_suspensions", **SWEEP)
def reconcile_suspensions() -> int:
    return services.projects_close_for_suspensions_reconcile()
