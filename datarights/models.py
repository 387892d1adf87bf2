"""Data rights: a user's downloads of all their data, and the closing of their account."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def export_upload_path(instance, filename):
    # A random name: the archive is only ever served through an access-checked view.
    return f"exports/{uuid.uuid4().hex}.zip"


class DataExport(models.Model):
    """A ZIP of everything the platform holds about one user, prepared by a task."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be prepared"
        EXPIRED = "expired", "Expired and deleted"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to=export_upload_path, blank=True, max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    requested_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="data_export_one_pending_per_user",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "ready", "failed", "expired"]),
                name="data_export_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(ready_at__isnull=False, expires_at__isnull=False),
                name="data_export_ready_has_dates",
            ),
        ]
        indexes = [
            models.Index(
                fields=["expires_at"],
                name="data_export_ready_expiry",
                condition=Q(status="ready"),
            )
        ]

    def __str__(self):
        return f"Data export {self.pk} of user {self.user_id}"

    def is_downloadable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.READY and bool(self.file) and self.expires_at > now


class AccountClosure(models.Model):
    """A user's request to close their account, and what its closing did.

    The user row stays (the ledger, the audit trail and the other side's records point at
    it) under the pseudonym "Former user #<id>"; the closing erases the rest."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_closures"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    keep_records_public = models.BooleanField(
        "keep my verified experiences public",
        default=False,
        help_text="Public verified experiences stay online under the pseudonym; "
        "without this they are revoked.",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    effective_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Why a scheduled closing could not happen when it was due (it is tried again).
    blocked_reason = models.CharField(max_length=300, blank=True)
    # What the closing erased, deleted and revoked, by kind (counts only).
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["scheduled", "closed"]),
                name="account_closure_one_per_user",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "closed", "cancelled"]),
                name="account_closure_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="account_closure_closed_has_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["effective_at"],
                name="account_closure_due",
                condition=Q(status="scheduled"),
            )
        ]

    def __str__(self):
        return f"Closure of user {self.user_id} ({self.get_status_display()})"


class ErasurePermit(models.Model):
    """A row that exists only inside the transaction of an account closing.

    The audit trail is append-only in the database; its triggers let one change through
    while a permit exists, and only a change of the words (summary, data) that keeps who,
    what, which target and when. Other transactions never see the row."""

    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Erasure permit {self.pk}"
