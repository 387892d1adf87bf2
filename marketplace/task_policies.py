"""How Celery retries our tasks, in one place.

Sweeps derive their work from database state, so a failed run is retried briefly and
otherwise caught up by the next run. Receivers of domain signals retry longer: their work
was asked for once, and their app's reconciliation sweep is the last resort.
"""

from django.db import OperationalError

SWEEP = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 10,
    "retry_backoff_max": 300,
    "max_retries": 5,
}

RECEIVER = {
    "autoretry_for": (Exception,),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 8,
}
