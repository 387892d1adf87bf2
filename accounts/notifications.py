"""In-app notifications (the bell) and the emails that go with them.

They live in accounts because a notification is addressed to a user and
every other app already depends on accounts: projects, payments and feedback
all call `notify`.
"""

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.models import Notification, User
from accounts.outbox import Outgoing, emails_enqueue, send_templated_mail
from marketplace.mail import render_templated_mail


@dataclass(frozen=True)
class Sent:
    created: list[Notification]

    @property
    def count(self) -> int:
        return len(self.created)


def notify(
    *,
    recipients: list[User],
    kind: str,
    key: str,
    message: str,
    url: str = "",
    email: bool = True,
    email_template: str = "notification",
    context: dict | None = None,
) -> Sent:
    """Tell each recipient once about one event: a row for the bell and, optionally, an email.

    `key` names the event (e.g. "application-42-accepted"); a recipient who
    already has a notification with that key gets nothing new, so calling this
    again for the same event is harmless. Emails leave after commit.
    """
    created = []
    for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        recipient=user, kind=kind, key=key[:150], message=message[:300], url=url
                    )
                )
        except IntegrityError:
            continue  # already told about this event
    if email and created:
        for notification in created:
            send_templated_mail(
                template=email_template,
                to=[notification.recipient.email],
                context={
                    **(context or {}),
                    "recipient": notification.recipient,
                    "notification": notification,
                },
                key=f"notification-{notification.pk}",
                notification=notification,
            )
    return Sent(created)


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@transaction.atomic
def mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark some (or all) of the user's own notifications as read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


@dataclass(frozen=True)
class Reminder:
    """One notification to send in bulk: to whom, once per `key`."""

    recipient: User
    kind: str
    key: str
    message: str
    url: str = ""
    details: str = ""


def notify_many(reminders: list[Reminder], *, email: bool = True, chunk: int = 1000) -> int:
    """Insert many notifications at once and mail those this call inserted itself.

    Each row is claimed by inserting it (the (recipient, key) pair is unique, and a
    conflicting row is skipped); the rows carrying this call's batch id are the ones
    it won, so two sweeps running at the same moment never mail the same reminder
    twice, and a reminder that is already sent is never sent again. A constant number
    of queries per `chunk` rows.
    """
    sent = 0
    for start in range(0, len(reminders), chunk):
        part = [r for r in reminders[start : start + chunk] if r.recipient.is_active]
        if not part:
            continue
        batch = uuid.uuid4()
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient=r.recipient,
                    kind=r.kind,
                    key=r.key[:150],
                    message=r.message[:300],
                    url=r.url,
                    batch=batch,
                )
                for r in part
            ],
            ignore_conflicts=True,
        )
        won = {
            (recipient_id, key): pk
            for pk, recipient_id, key in Notification.objects.filter(batch=batch).values_list(
                "pk", "recipient_id", "key"
            )
        }
        emails = []
        for reminder in part:
            notification_id = won.get((reminder.recipient.pk, reminder.key[:150]))
            if notification_id is None:
                continue
            sent += 1
            if email:
                message = render_templated_mail(
                    template="notification",
                    to=[reminder.recipient.email],
                    context={
                        "recipient": reminder.recipient,
                        "notification": reminder,
                        "details": reminder.details,
                    },
                )
                emails.append(
                    Outgoing(
                        message,
                        key=f"notification-{notification_id}",
                        notification_id=notification_id,
                    )
                )
        emails_enqueue(emails)
    return sent


# --- For the sweeps: has a reminder keyed `<prefix><row id>` gone out already? ------------


def already_sent(key_prefix: str, recipient_field: str) -> Exists:
    """Rows whose reminder `<key_prefix><row id>` already went to that recipient."""
    return Exists(
        Notification.objects.filter(
            recipient_id=OuterRef(recipient_field),
            key=Concat(Value(key_prefix), Cast(OuterRef("pk"), CharField())),
        )
    )


def sent_to_anyone(key_prefix: str) -> Exists:
    """Rows whose reminder `<key_prefix><row id>` went out to anyone (an organization's
    employers, whoever they are now)."""
    return Exists(
        Notification.objects.filter(
            key=Concat(Value(key_prefix), Cast(OuterRef("pk"), CharField()))
        )
    )
