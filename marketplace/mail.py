"""Outgoing email: rendered in the request, delivered by a Celery task after commit.

Mail never leaves before the transaction that caused it commits, so a rolled
back change sends nothing, and a slow mail server never slows a page.
"""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def message_to_data(message: EmailMessage) -> dict:
    html = None
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                html = content
    body = message.body
    if getattr(message, "content_subtype", "plain") == "html":
        html, body = body, ""
    return {
        "subject": message.subject,
        "body": body,
        "html": html,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
    }


def enqueue_message(message: EmailMessage) -> None:
    """Queue a built message for delivery once the current transaction commits."""
    from marketplace.tasks import send_email

    data = message_to_data(message)
    transaction.on_commit(lambda: send_email.delay(data))


def send_templated_mail(*, template: str, to: list[str], context: dict) -> None:
    """Render `templates/email/<template>_subject.txt` and `_message.txt` and queue them."""
    context = {"site_name": "Micro-internships", "site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"email/{template}_subject.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.splitlines()).strip()
    body = render_to_string(f"email/{template}_message.txt", context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    enqueue_message(message)
