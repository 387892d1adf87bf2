"""Career outcomes' Celery tasks: issuing a verified record after an approval, marking an
invitation answered after an application, and their reconciliation sweep."""

from celery import shared_task

from marketplace.task_policies import RECEIVER, SWEEP
from outcomes import records, talent


@shared_task(name="outcomes.issue_record", **RECEIVER)
def issue_record(engagement_id: int) -> bool:
    return records.experience_record(engagement_id=engagement_id) is not None


@shared_task(name="outcomes.mark_invitation_applied", **RECEIVER)
def mark_invitation_applied(application_id: int) -> int:
    return talent.invitation_mark_applied(application_id=application_id)


@shared_task(name="outcomes.reconcile", **SWEEP)
def reconcile() -> int:
    return records.experiences_reconcile() + talent.invitations_reconcile()
