"""Feedback's Celery tasks: reminder sweeps run by beat, and the answers to engagement
signals (plan sessions, plan the final review, close what is over). Each takes ids and
calls a service that is safe to repeat."""

from celery import shared_task

from feedback import reminders, services
from marketplace.task_policies import RECEIVER, SWEEP


@shared_task(name="feedback.sweep_sessions", **SWEEP)
def sweep_sessions() -> int:
    return reminders.sweep_sessions()


@shared_task(name="feedback.sweep_evaluations", **SWEEP)
def sweep_evaluations() -> int:
    return reminders.sweep_evaluations()


@shared_task(name="feedback.reconcile_sessions", **SWEEP)
def reconcile_sessions() -> int:
    return services.sessions_reconcile()


@shared_task(name="feedback.plan_sessions", **RECEIVER)
def plan_sessions(engagement_id: int) -> int:
    return len(services.sessions_plan(engagement_id=engagement_id))


@shared_task(name="feedback.plan_final_review", **RECEIVER)
def plan_final_review(engagement_id: int) -> bool:
    return services.final_review_plan(engagement_id=engagement_id) is not None


@shared_task(name="feedback.close_sessions", **RECEIVER)
def close_sessions(engagement_id: int) -> int:
    return services.sessions_close(engagement_id=engagement_id)
