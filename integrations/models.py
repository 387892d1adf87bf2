"""What connects the marketplace to the other systems its users live in.

A calendar feed is one user's private subscription address. Its secret is the only thing
that admits a calendar program (which cannot log in), so it is long, random and compared in
constant time; a new secret replaces the old one, and turning the feed off deletes it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CalendarFeed(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    # The address holds both: the key finds the row, the secret proves the holder.
    key = models.CharField(max_length=16, unique=True)
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(key="") & ~models.Q(secret=""),
                name="calendar_feed_key_and_secret_set",
            )
        ]

    def __str__(self):
        return f"Calendar feed of {self.user}"


class WebhookEvent(models.TextChoices):
    APPLICATION_RECEIVED = "application.received", "Application received"
    ENGAGEMENT_FUNDED = "engagement.funded", "Engagement funded"
    ENGAGEMENT_APPROVED = "engagement.approved", "Engagement approved"
    ENGAGEMENT_OVERDUE = "engagement.overdue", "Engagement overdue"
    FLAG_RAISED = "flag.raised", "Flag raised"
    EVALUATION_SUBMITTED = "evaluation.submitted", "Evaluation submitted"


class WebhookEndpoint(models.Model):
    """An address of an organization's or a school's own system that hears about events.

    The secret signs every delivery; it is shown once, when the endpoint is added."""

    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    school = models.ForeignKey(
        "accounts.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    url = models.URLField("address", max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=80)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organization__isnull=True, school__isnull=False)
                | models.Q(organization__isnull=False, school__isnull=True),
                name="webhook_endpoint_one_owner",
            ),
            models.CheckConstraint(condition=~models.Q(secret=""), name="webhook_secret_set"),
        ]

    def __str__(self):
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event for one endpoint. The event id makes it once only: however often an event is
    announced, an endpoint gets one delivery (and as many attempts as it takes)."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.CharField(max_length=100)
    event_type = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="webhook_delivery_once_per_event"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values),
                name="webhook_delivery_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="succeeded") | models.Q(delivered_at__isnull=False),
                name="webhook_delivered_has_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"{self.event_type} to {self.endpoint}"

    @property
    def last_attempt(self):
        """The newest attempt (from the prefetched log, so a list costs no extra query)."""
        attempts = list(self.log.all())
        return attempts[-1] if attempts else None


class WebhookAttempt(models.Model):
    """One POST of a delivery, with what came back."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["attempted_at", "pk"]

    def __str__(self):
        return f"Attempt at {self.attempted_at:%Y-%m-%d %H:%M:%S}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
