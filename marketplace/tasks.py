"""Tasks shared by every app: outgoing mail and housekeeping."""

import logging
import smtplib

from celery import shared_task
from django.core import mail
from django.core.management import call_command

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
    """Deliver one email given as plain data (see marketplace.mail.message_to_data)."""
    email = mail.EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message.get("from_email"),
        to=message["to"],
        headers=message.get("headers") or None,
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    email.send()
    logger.info("Sent email %r to %s", message["subject"], ", ".join(message["to"]))


@shared_task(name="marketplace.clear_expired_sessions")
def clear_expired_sessions() -> None:
    call_command("clearsessions")
