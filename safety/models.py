"""Reports of scams, harassment and anything else that should not happen on the platform.

A report is about one thing (a project, an organization, a message or a user), named by
`kind` and the matching column; `subject_key` ("project:12") names it in one string so
the database refuses a second open report by the same person on the same thing. A report
that concerns a student (the reporter, the reported user, or the student of the
engagement a message belongs to) is filed under that student's school: that school's
career services see it, read-only, in the admin.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Reason(models.TextChoices):
    SCAM = "scam", "Scam or fraud"
    ASKS_FOR_MONEY = "asks_for_money", "Asks for money or bank or card details"
    OFF_PLATFORM = "off_platform", "Asks to move off the platform"
    HARASSMENT = "harassment", "Harassment"
    DISCRIMINATION = "discrimination", "Discrimination"
    NOT_REAL = "not_real", "Not a real internship"
    OTHER = "other", "Something else"


class Report(models.Model):
    class Kind(models.TextChoices):
        PROJECT = "project", "Project"
        ORGANIZATION = "organization", "Organization"
        MESSAGE = "message", "Message"
        USER = "user", "User"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_REVIEW = "in_review", "In review"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    # Whose school the audit trail files this under (accounts.audit): `school` itself.

    # Empty for a report the platform filed itself: a message screening held.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports_made",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_key = models.CharField(max_length=40, editable=False)
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        help_text="The organization reported, or the one behind the project or message.",
    )
    message = models.ForeignKey(
        "engagements.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports_against",
        help_text="The user reported, or the author of the message.",
    )
    school = models.ForeignKey(
        "accounts.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The school of the student concerned, whose career services see the report.",
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports_assigned",
    )
    actions_taken = models.TextField(
        blank=True, help_text="What the platform did, one line per action (kept by the services)."
    )
    outcome = models.TextField(max_length=2000, blank=True, help_text="What the reporter is told.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A held message's report: when the student read the warning and confirmed the message
    # (delivered then). The report stays open for an admin to judge: a false positive
    # usually, but a student can be persuaded by a scam too.
    student_confirmed_at = models.DateTimeField(null=True, blank=True)

    OPEN_STATUSES = (Status.OPEN, Status.IN_REVIEW)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="project", project__isnull=False, message__isnull=True)
                    | Q(kind="organization", organization__isnull=False, project__isnull=True)
                    | Q(kind="message", message__isnull=False, project__isnull=True)
                    | Q(kind="user", reported_user__isnull=False, project__isnull=True)
                ),
                name="report_names_its_subject",
            ),
            models.UniqueConstraint(
                fields=["reporter", "subject_key"],
                condition=Q(status__in=["open", "in_review"]),
                name="report_one_open_per_reporter_and_subject",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_review"])
                | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="report_closed_has_date_and_outcome",
            ),
            # Only screening files reports without a reporter, each about one held message.
            models.CheckConstraint(
                condition=Q(reporter__isnull=False, student_confirmed_at__isnull=True)
                | Q(reporter__isnull=True, kind="message"),
                name="report_by_platform_is_a_held_message",
            ),
            models.UniqueConstraint(
                fields=["message"],
                condition=Q(reporter__isnull=True),
                name="report_one_by_platform_per_message",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="report_status_created"),
            models.Index(fields=["school", "status"], name="report_school_status"),
        ]

    def __str__(self):
        return f"Report #{self.pk}: {self.get_reason_display()} ({self.subject_label})"

    @property
    def by_platform(self) -> bool:
        return self.reporter_id is None

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def subject_label(self) -> str:
        if self.kind == self.Kind.PROJECT:
            return f"project “{self.project.title}”"
        if self.kind == self.Kind.ORGANIZATION:
            return f"organization {self.organization.name}"
        if self.kind == self.Kind.MESSAGE:
            return f"a message from {self.reported_user.get_full_name()}"
        return f"user {self.reported_user.get_full_name()}"
