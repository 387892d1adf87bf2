"""The outbox: every email leaves through a row written with the change that sent it.

Invariants:
- A message is stored (OutboundEmail) in the caller's transaction, so it exists
  exactly when its cause committed: a rolled back change sends nothing, and a
  committed one never depends on the broker keeping a message.
- After commit, a task sends it by id. If that task never runs (the broker
  restarted and lost it, a worker was killed), the sweep sends every message
  still unsent TASK_RECOVERY_SECONDS after it was stored.
- Sending first claims the row with a conditional update that must change exactly
  one row, so a task and a sweep (or two sweeps) never both send it. A claim that
  is never finished (the worker died mid-send) expires after OUTBOX_CLAIM_SECONDS
  and the row is taken again: each message is sent at least once, and once in
  practice (its Message-ID is derived from its key, so even a resend after a crash
  is recognised as the same message by mail systems that de-duplicate).
- `key` is unique: a message with a natural key (one per notification) is stored once.
- A failed send is retried later, waiting twice as long each time, up to
  OUTBOX_MAX_ATTEMPTS; then it stays "failed", listed for platform admins, who
  can send it again. One bad message never stops the sweep.
- Once sent, the body is erased: it may hold a one-time link (a password reset,
  an email confirmation) that nobody should read back from the database.
"""

import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.audit import audit
from accounts.models import Notification, OutboundEmail, User
from marketplace.mail import data_to_message, message_to_data, render_templated_mail
from marketplace.queueing import delay_on_commit

logger = logging.getLogger(__name__)

Status = OutboundEmail.Status
KEY_MAX_LENGTH = OutboundEmail._meta.get_field("key").max_length
# However many failures, a message is tried again at least this often until it gives up.
LONGEST_RETRY_DELAY = timedelta(hours=6)


@dataclass(frozen=True)
class Outgoing:
    """One message to store, and the key that makes it happen once (generated if empty)."""

    message: EmailMessage
    key: str = ""
    notification_id: int | None = None


def _recovery_delay() -> timedelta:
    return timedelta(seconds=settings.TASK_RECOVERY_SECONDS)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed send: 5, 10, 20, 40 minutes…"""
    return min(_recovery_delay() * 2 ** max(attempts - 1, 0), LONGEST_RETRY_DELAY)


def _row(item: Outgoing, now: datetime) -> OutboundEmail:
    if len(item.key) > KEY_MAX_LENGTH:
        raise ValueError(f"An email key is at most {KEY_MAX_LENGTH} characters: {item.key!r}")
    data = message_to_data(item.message)
    return OutboundEmail(
        key=item.key or f"message-{uuid.uuid4()}",
        notification_id=item.notification_id,
        subject=data["subject"],
        body=data["body"],
        html=data["html"] or "",
        from_email=data["from_email"] or settings.DEFAULT_FROM_EMAIL,
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        created_at=now,
        next_attempt_at=now + _recovery_delay(),
    )


def _send_after_commit(email_id: int) -> None:
    from accounts.tasks import send_outbound_email

    delay_on_commit(send_outbound_email, email_id)


def email_enqueue(
    *, message: EmailMessage, key: str = "", notification: Notification | None = None
) -> OutboundEmail:
    """Store `message` in the caller's transaction; it is sent once that commits.

    A message whose key is already stored is not stored or sent again: the stored
    one is returned.
    """
    row = _row(Outgoing(message, key, notification.pk if notification else None), timezone.now())
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        existing = OutboundEmail.objects.filter(key=key).first() if key else None
        if existing is None:
            raise
        return existing
    _send_after_commit(row.pk)
    return row


def emails_enqueue(items: list[Outgoing]) -> list[OutboundEmail]:
    """Store many new messages in one query (a sweep's reminders); sent after commit.

    Their keys must be new (e.g. one per notification the caller has just created).
    """
    if not items:
        return []
    now = timezone.now()
    rows = OutboundEmail.objects.bulk_create([_row(item, now) for item in items])
    for row in rows:
        _send_after_commit(row.pk)
    return rows


def send_templated_mail(
    *,
    template: str,
    to: list[str],
    context: dict,
    key: str = "",
    notification: Notification | None = None,
) -> OutboundEmail:
    """Render `templates/email/<template>_*.txt` and store it; it is sent after commit."""
    message = render_templated_mail(template=template, to=to, context=context)
    return email_enqueue(message=message, key=key, notification=notification)


# --- Sending -----------------------------------------------------------------------------


def _claim(email_id: int, now: datetime) -> bool:
    """Take one message to send it; only one worker wins (a conditional update, one row).

    A new message is taken at once (by the task queued at commit); one that failed
    before waits for its next attempt; one whose claim expired is taken again.
    """
    new_or_due = Q(status=Status.PENDING) & (Q(attempts=0) | Q(next_attempt_at__lte=now))
    abandoned = Q(
        status=Status.SENDING,
        next_attempt_at__lte=now,
        attempts__lt=settings.OUTBOX_MAX_ATTEMPTS,
    )
    claimed = OutboundEmail.objects.filter(new_or_due | abandoned, pk=email_id).update(
        status=Status.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=now + timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS),
    )
    return claimed == 1


def message_id(email: OutboundEmail) -> str:
    """The same Message-ID every time this message is sent."""
    domain = parseaddr(email.from_email)[1].rpartition("@")[2] or "localhost"
    digest = hashlib.sha256(email.key.encode()).hexdigest()[:32]
    return f"<{digest}.outbox@{domain}>"


def _message(email: OutboundEmail) -> EmailMessage:
    headers = dict(email.headers)
    if not any(name.lower() == "message-id" for name in headers):
        headers["Message-ID"] = message_id(email)
    return data_to_message(
        {
            "subject": email.subject,
            "body": email.body,
            "html": email.html,
            "from_email": email.from_email,
            "to": email.to,
            "cc": email.cc,
            "bcc": email.bcc,
            "reply_to": email.reply_to,
            "headers": headers,
        }
    )


def email_send(*, email_id: int) -> bool:
    """Send one stored message unless it is sent, being sent, or not due yet; whether
    this call sent it. Safe to run twice, concurrently, or from a task and a sweep at once.
    """
    if not _claim(email_id, timezone.now()):
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        _message(email).send()
    except Exception as error:  # whatever the mail server or the message did: retry later
        _send_failed(email, error)
        return False
    OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), body="", html="", last_error=""
    )
    logger.info("Sent email %s %r to %s", email.pk, email.subject, ", ".join(email.to))
    return True


def _send_failed(email: OutboundEmail, error: Exception) -> None:
    message = f"{type(error).__name__}: {error}"[:1000]
    now = timezone.now()
    if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        status, next_attempt_at = Status.FAILED, now
        logger.error("Gave up on email %s after %s attempts: %s", email.pk, email.attempts, message)
    else:
        status, next_attempt_at = Status.PENDING, now + retry_delay(email.attempts)
        logger.warning("Email %s failed (attempt %s): %s", email.pk, email.attempts, message)
    OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
        status=status, next_attempt_at=next_attempt_at, last_error=message
    )


def emails_send_due(*, limit: int = 500) -> int:
    """Periodic sweep: send what no task sent (lost, or failed and due again). How many sent."""
    now = timezone.now()
    # A worker died while sending a message that had used its last attempt: give up on it.
    OutboundEmail.objects.filter(
        status=Status.SENDING,
        next_attempt_at__lte=now,
        attempts__gte=settings.OUTBOX_MAX_ATTEMPTS,
    ).update(
        status=Status.FAILED,
        last_error="The last attempt never finished (the sending worker stopped).",
    )
    due = list(
        OutboundEmail.objects.filter(
            status__in=[Status.PENDING, Status.SENDING], next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for email_id in due:
        try:
            if email_send(email_id=email_id):
                sent += 1
        except Exception:  # one bad message must not stop the sweep
            logger.exception("Email %s could not be sent", email_id)
    return sent


def emails_purge_old(*, now: datetime | None = None) -> int:
    """Delete sent and abandoned messages older than OUTBOX_KEEP_DAYS; how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _ = OutboundEmail.objects.filter(
        status__in=[Status.SENT, Status.FAILED], created_at__lt=cutoff
    ).delete()
    return deleted


@transaction.atomic
def email_send_again(*, actor: User, email: OutboundEmail) -> bool:
    """A platform admin sends a message the outbox gave up on (once the cause is fixed)."""
    if not actor.is_platform_admin:
        raise PermissionDenied("Only platform admins send email again.")
    restarted = OutboundEmail.objects.filter(pk=email.pk, status=Status.FAILED).update(
        status=Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now() + _recovery_delay(),
    )
    if not restarted:
        return False
    audit(
        actor=actor,
        action="email.sent_again",
        target=email,
        summary=f"{actor.email} sent again the email “{email.subject}” to {', '.join(email.to)}",
        data={"attempts_before": email.attempts, "last_error": email.last_error},
        school=None,
    )
    _send_after_commit(email.pk)
    return True
