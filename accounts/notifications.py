"""In-app notifications (the bell) and the emails that go with them.

They live in accounts because a notification is addressed to a user and
every other app already depends on accounts: projects, payments and feedback
all call `notify`.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Notification, User
from marketplace.mail import send_templated_mail


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
