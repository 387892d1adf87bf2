"""Celery tasks for outgoing email: each takes ids and calls the outbox; all are safe to repeat."""

from celery import shared_task

from accounts import outbox


@shared_task(name="accounts.send_outbound_email")
def send_outbound_email(email_id: int) -> bool:
    """Whether this run sent the message (False: already sent, being sent, or failed)."""
    return outbox.email_send(email_id=email_id)


@shared_task(name="accounts.send_unsent_emails")
def send_unsent_emails() -> int:
    """Periodic: messages whose task was lost, failed ones due again, abandoned claims."""
    return outbox.emails_send_due()


@shared_task(name="accounts.purge_old_emails")
def purge_old_emails() -> int:
    return outbox.emails_purge_old()
