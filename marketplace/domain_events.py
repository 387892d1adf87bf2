"""Domain signals, sent once the transaction that caused them has committed.

A state change (an engagement funded, approved, cancelled...) commits first, money
included; then its signal goes out. Each receiver hands the work to a Celery task that
takes ids, re-reads the rows and is idempotent, so a receiver that fails is retried and
never undoes what already happened; a periodic reconciliation in the receiving app catches
up on anything a lost task left undone.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)


def send_after_commit(signal: Signal, sender, **kwargs) -> None:
    """Send `signal` after the current transaction commits (at once outside one)."""

    def send():
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error(
                    "Receiver %s of %s failed: %r",
                    getattr(receiver, "__qualname__", receiver),
                    sender,
                    result,
                    exc_info=result,
                )

    transaction.on_commit(send, robust=True)
