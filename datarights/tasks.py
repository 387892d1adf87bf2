"""Celery tasks for data rights: each takes ids and calls a service; all are safe to repeat."""

import logging

from celery import shared_task

from datarights import closing, exporting
from marketplace.task_policies import SWEEP

logger = logging.getLogger(__name__)


@shared_task(name="datarights.prepare_data_export")
def prepare_data_export(export_id: int) -> None:
    try:
        exporting.data_export_prepare(export_id=export_id)
    except Exception:
        logger.exception("Could not prepare data export %s", export_id)
        exporting.data_export_mark_failed(export_id)


@shared_task(name="datarights.prepare_pending_exports", **SWEEP)
def prepare_pending_exports() -> int:
    """Periodic: exports whose task was lost."""
    return exporting.data_exports_prepare_pending()


@shared_task(name="datarights.expire_exports", **SWEEP)
def expire_exports() -> int:
    """Periodic: archives past their expiry are deleted from storage."""
    return exporting.data_exports_expire()


@shared_task(name="datarights.close_due_accounts", **SWEEP)
def close_due_accounts() -> int:
    """Periodic: closures whose grace period is over."""
    return closing.account_closures_run_due()
