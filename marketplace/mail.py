"""Outgoing email as plain data: rendered from templates, stored, and built back to send.

Messages are rendered where they are decided (a request, a sweep) and stored in
the outbox (accounts/outbox.py), which sends them after the transaction commits.
"""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string


def message_to_data(message: EmailMessage) -> dict:
    """What the outbox stores of a message: text, HTML, addresses and headers."""
    if message.attachments:
        raise ValueError("Outgoing email carries text and HTML only, no attachments.")
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
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
    }


def data_to_message(data: dict, *, connection=None) -> EmailMultiAlternatives:
    """The message `message_to_data` described, ready to send."""
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data.get("body") or "",
        from_email=data.get("from_email"),
        to=data["to"],
        cc=data.get("cc") or None,
        bcc=data.get("bcc") or None,
        reply_to=data.get("reply_to") or None,
        headers=data.get("headers") or None,
        connection=connection,
    )
    if data.get("html"):
        message.attach_alternative(data["html"], "text/html")
    return message


def render_templated_mail(*, template: str, to: list[str], context: dict) -> EmailMessage:
    """Render `templates/email/<template>_subject.txt` and `_message.txt` into a message."""
    context = {"site_name": "Micro-internships", "site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"email/{template}_subject.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.splitlines()).strip()
    body = render_to_string(f"email/{template}_message.txt", context)
    return EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
