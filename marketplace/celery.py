"""The Celery application: broker from settings, tasks found in every app."""

import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab
from celery.signals import after_setup_logger, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The schedule lives in code, next to the tasks it runs. Every periodic task
# derives its work from database state, so a lost or doubled beat tick is
# harmless: the next run catches up and nothing is done twice.
app.conf.beat_schedule = {
    "close-projects-past-apply-by": {
        "task": "projects.close_past_apply_by",
        "schedule": crontab(minute="*/15"),
    },
    "retry-payouts": {
        "task": "payments.retry_payouts",
        "schedule": crontab(minute="*/5"),
    },
    "reprocess-webhook-events": {
        "task": "payments.reprocess_webhook_events",
        "schedule": crontab(minute="*/10"),
    },
    **{
        f"feedback-{name}": {"task": f"feedback.sweep_{name}", "schedule": crontab(minute="*/5")}
        for name in ("due_soon", "overdue", "sessions", "reviews", "applications", "evaluations")
    },
    "clear-expired-sessions": {
        "task": "marketplace.clear_expired_sessions",
        "schedule": crontab(minute=17, hour=3),
    },
}


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
