"""Tasks shared by every app: housekeeping, and email queued by earlier releases."""

import logging
import smtplib

from celery import shared_task
from django.core.management import call_command

from marketplace.mail import data_to_message

logger = logging.getLogger(__name__)


@shared_task(
    name="marketplace.send_email",
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=8,
)
def send_email(message: dict) -> None:
    """Deliver one email carried in the task itself.

    Nothing queues this any more (email leaves through the outbox, accounts/outbox.py);
    it stays so that messages already in the broker when a release with the outbox
    is deployed are still delivered.
    """
    data_to_message(message).send()
    logger.info("Sent email %r to %s", message["subject"], ", ".join(message["to"]))


@shared_task(name="marketplace.clear_expired_sessions")
def clear_expired_sessions() -> None:
    call_command("clearsessions")
