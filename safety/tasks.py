"""Safety's Celery tasks: the platform's report of each message screening held, its mark
when the student confirms it, and their reconciliation."""

from celery import shared_task

from marketplace.task_policies import RECEIVER, SWEEP
from safety import services


@shared_task(name="safety.report_held_message", **RECEIVER)
def report_held_message(message_id: int) -> bool:
    return services.report_file_for_held_message(message_id=message_id) is not None


@shared_task(name="safety.mark_held_message_confirmed", **RECEIVER)
def mark_held_message_confirmed(message_id: int) -> bool:
    return services.report_mark_student_confirmed(message_id=message_id) is not None


@shared_task(name="safety.reconcile_held_messages", **SWEEP)
def reconcile_held_messages() -> int:
    return services.held_reports_reconcile()
