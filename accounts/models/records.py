"""What the platform keeps about what happened: audit events, notifications, emails."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .schools import School


class AuditEvent(models.Model):
    """Append-only record of who changed what, and when: the database refuses to change or
    delete a row. An account that has acted cannot be deleted either (deactivate it), so
    the trail never loses who did something."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=60)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    # The school whose student the event concerns: its career services staff see it.
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (school, created_at) index serves lookups by school
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["school", "created_at"], name="auditevent_school_created"),
        ]

    def __str__(self):
        return self.summary


class Notification(models.Model):
    """Something a user should know, shown under the bell and usually also emailed.

    `key` makes each notification happen once: the same event for the same
    recipient (a retried task, a replayed webhook, a doubled sweep) is not
    notified twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=150)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Which bulk insert created the row: a sweep sends mail only for the rows it inserted
    # itself, so two sweeps at once never mail the same reminder twice.
    batch = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            # Reminders to every employer of an organization are found as sent by key alone.
            models.Index(fields=["key"], name="notification_key"),
        ]

    def __str__(self):
        return self.message


class OutboundEmail(models.Model):
    """One email to send (or sent): the outbox every email leaves through.

    The row is written in the transaction of the change that sends it, so the
    message exists exactly when its cause committed; nothing about it lives only
    in the broker. See accounts/outbox.py for how it is sent, once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up"

    # Names the message, e.g. "notification-42": the same message is stored once.
    key = models.CharField(max_length=200, unique=True)
    notification = models.ForeignKey(
        Notification,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emails",
    )
    subject = models.TextField()
    # Erased once sent: it may hold a one-time link (password reset, email confirmation).
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    from_email = models.CharField(max_length=300)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Pending: when the sweep sends it if no task did. Sending: when the claim expires.
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outgoing email"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sending", "sent", "failed"]),
                name="outbound_email_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outbound_email_sent_has_date",
            ),
        ]
        indexes = [
            # The sweep reads only the unsent rows, whatever the number sent.
            models.Index(
                fields=["next_attempt_at"],
                name="outbound_email_unsent",
                condition=models.Q(status__in=["pending", "sending"]),
            ),
            models.Index(fields=["created_at"], name="outbound_email_created"),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"


class EmailBounce(models.Model):
    """Mail to an address came back for good (a hard bounce or a complaint), as reported by
    the mail provider's webhook or entered by an operator (accounts.bounces). Until the
    address is confirmed again (`cleared_at`), it verifies no school affiliation."""

    class Kind(models.TextChoices):
        BOUNCE = "bounce", "Hard bounce"
        COMPLAINT = "complaint", "Spam complaint"

    email = models.EmailField(max_length=254)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BOUNCE)
    detail = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=20, help_text="webhook or command")
    # The provider's own id for the event: the same event delivered twice is kept once.
    event_id = models.CharField(max_length=200, blank=True)
    bounced_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["email"], name="emailbounce_email")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "event_id"],
                condition=~models.Q(event_id=""),
                name="emailbounce_event_once",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["bounce", "complaint"]), name="emailbounce_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.kind})"
