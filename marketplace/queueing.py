"""Celery tasks published after commit, with the database as the record of the work.

Every task published here does work that a periodic sweep also finds from database
state (an unsent email, a webhook event still "received", a refund or payout with no
result): the task only makes it happen sooner. So a broker that cannot be reached at
publishing time is logged, not raised: the change has committed already, and raising
would show an error for a change that was saved.
"""

import logging

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def delay_on_commit(task: Task, *args) -> None:
    """Queue `task(*args)` once the current transaction commits (at once outside one)."""

    def publish():
        try:
            task.delay(*args)
        except OperationalError:
            logger.warning(
                "Could not queue %s%r; its periodic sweep will do the work.",
                task.name,
                args,
                exc_info=True,
            )

    transaction.on_commit(publish)
