"""The Celery application: broker from settings, tasks found in every app."""

import os
from datetime import timedelta
from pathlib import Path

from celery import Celery
from celery.schedules import crontab
from celery.signals import after_setup_logger, task_success, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The schedule lives in code, next to the tasks it runs. Every periodic task derives its
# work from database state, so a lost or doubled beat tick is harmless: the next run catches
# up and nothing is done twice. The reconciliations catch up on work that a signal's task
# left undone (a broker that lost its queue, a worker killed mid-task).
REMINDER_SWEEPS = (
    "engagements.sweep_due_soon",
    "engagements.sweep_overdue",
    "engagements.sweep_reviews",
    "engagements.sweep_opt_reports",
    "engagements.sweep_disputes",
    "feedback.sweep_sessions",
    "feedback.sweep_evaluations",
    "projects.sweep_applications",
)
RECONCILIATIONS = (
    "feedback.reconcile_sessions",
    "outcomes.reconcile",
    "projects.reconcile_suspensions",
    "engagements.reconcile_projects",
    "safety.reconcile_held_messages",
)


def beat_schedule(
    sweep_every: timedelta,
    integrity_every: timedelta | None = None,
    recovery_every: timedelta | None = None,
) -> dict:
    # Work a task should have done after commit, redone from database state when the
    # task was lost (broker restarted, worker killed): emails, webhook events, refunds.
    recovery_every = recovery_every or timedelta(minutes=1)
    return {
        "close-projects-past-apply-by": {
            "task": "projects.close_past_apply_by",
            "schedule": crontab(minute="*/15"),
        },
        "retry-payouts": {"task": "payments.retry_payouts", "schedule": sweep_every},
        "send-unsent-emails": {"task": "accounts.send_unsent_emails", "schedule": recovery_every},
        "retry-refunds": {"task": "payments.retry_refunds", "schedule": recovery_every},
        "reprocess-webhook-events": {
            "task": "payments.reprocess_webhook_events",
            "schedule": recovery_every,
        },
        "retry-webhook-deliveries": {
            "task": "integrations.retry_webhook_deliveries",
            "schedule": recovery_every,
        },
        "purge-old-emails": {
            "task": "accounts.purge_old_emails",
            "schedule": crontab(minute=41, hour=3),
        },
        **{name: {"task": name, "schedule": sweep_every} for name in REMINDER_SWEEPS},
        **{name: {"task": name, "schedule": recovery_every} for name in RECONCILIATIONS},
        # Career services' integrity flags: opened and closed from the same figures the
        # admin shows, so a missed run is caught up by the next.
        "raise-integrity-flags": {
            "task": "oversight.raise_integrity_flags",
            "schedule": integrity_every or timedelta(minutes=15),
        },
        # Data rights: exports whose task was lost, archives past their expiry, closings
        # whose grace period is over.
        "prepare-pending-data-exports": {
            "task": "datarights.prepare_pending_exports",
            "schedule": recovery_every,
        },
        "expire-data-exports": {"task": "datarights.expire_exports", "schedule": sweep_every},
        "close-due-accounts": {"task": "datarights.close_due_accounts", "schedule": sweep_every},
        "clear-expired-sessions": {
            "task": "marketplace.clear_expired_sessions",
            "schedule": crontab(minute=17, hour=3),
        },
    }


@app.on_after_configure.connect
def _set_schedule(sender, **kwargs):
    # Read when Celery is configured (Django's settings are loaded by then).
    from django.conf import settings

    sender.conf.beat_schedule = beat_schedule(
        timedelta(seconds=settings.REMINDER_SWEEP_SECONDS),
        integrity_every=timedelta(seconds=settings.INTEGRITY_SWEEP_SECONDS),
        recovery_every=timedelta(seconds=settings.RECOVERY_SWEEP_SECONDS),
    )


def ensure_file_broker_folders() -> None:
    """kombu's filesystem transport does not create its folders itself."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@worker_init.connect
def _prepare_worker(**kwargs):
    ensure_file_broker_folders()


@after_setup_logger.connect
def _prepare_beat(**kwargs):
    ensure_file_broker_folders()


@task_success.connect
def _remember_sweep(sender=None, **kwargs):
    # The reminder sweeps' lag is a Prometheus gauge (marketplace/metrics.py).
    if sender is not None and sender.name in REMINDER_SWEEPS:
        from marketplace.metrics import sweep_finished

        sweep_finished(sender.name)
