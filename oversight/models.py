"""Career services oversight: flags to follow up and coaching notes.

The tables keep the names they had in `feedback`, so existing databases move over untouched.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from engagements.models import Engagement


class FlagRule(models.TextChoices):
    """Integrity rules checked automatically (feedback.integrity); "" for a staff flag."""

    HOURS_NEAR_CAP = "hours_near_cap", "Hours at 90% of the cap or more"
    RATE_UNDER_FLOOR = "rate_under_floor", "Effective hourly rate under the floor"
    SESSION_MISSED = "session_missed", "A feedback session was missed"
    NO_RECENT_SESSION = "no_recent_session", "No session held in 10 days"
    OVERDUE = "overdue", "Past its due date"
    AUTHORIZATION_EXPIRED = "authorization_expired", "Work authorization expired"
    CPT_MISMATCH = "cpt_mismatch", "Outside the student's CPT (employer or dates)"


class Flag(models.Model):
    """Something career services follow up: raised by a staff member or by an integrity rule."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    Rule = FlagRule

    school = models.ForeignKey("accounts.School", on_delete=models.PROTECT, related_name="flags")
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.PROTECT, related_name="flags"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="flags",
    )
    rule = models.CharField(max_length=30, choices=FlagRule.choices, blank=True)
    note = models.TextField(max_length=2000)
    follow_up_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default="open")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(max_length=2000, blank=True)

    class Meta:
        db_table = "feedback_flag"
        ordering = ["status", "-raised_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(engagement__isnull=False) | Q(organization__isnull=False),
                name="flag_is_about_something",
            ),
            # An automatic rule raises one open flag per engagement at a time.
            models.UniqueConstraint(
                fields=["engagement", "rule"],
                condition=Q(status="open") & ~Q(rule=""),
                name="flag_one_open_per_rule",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(resolved_at__isnull=False),
                name="flag_resolved_has_date",
            ),
        ]
        indexes = [models.Index(fields=["school", "status"], name="flag_school_status")]

    def __str__(self):
        subject = self.engagement or self.organization
        return f"{self.get_rule_display() or 'Flag'}: {subject}"


class CoachingNote(models.Model):
    """Career services' advice to the student on presenting a finished engagement."""

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="coaching_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "feedback_coachingnote"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Coaching for {self.engagement}"
