"""Engagements: one accepted student on one project, and everything that happens in it.

An engagement snapshots the fee, hour cap and due date when the student is accepted;
they change only through a funded scope extension. Its status changes only through
the transition table in `engagements.lifecycle`. The tables keep the names they had
when these models lived in `projects`, so existing databases move over untouched.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import dateformat, timezone

from accounts.models import Organization
from engagements import screening
from projects.models import (
    DAYS_MAX,
    DAYS_MIN,
    HOURS_MAX,
    HOURS_MIN,
    RATE_CEILING_CENTS,
    RATE_FLOOR_CENTS,
    Application,
    Project,
)


class EngagementStatus(models.TextChoices):
    AWAITING_FUNDING = "awaiting_funding", "Awaiting funding"
    ACTIVE = "active", "In progress"
    SUBMITTED = "submitted", "Work submitted"
    REVISION_REQUESTED = "revision_requested", "Revision requested"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"
    DISPUTED = "disputed", "Disputed"


# Engagements that still take the student's time (for the active-engagement limit).
LIVE_ENGAGEMENT_STATUSES = (
    EngagementStatus.AWAITING_FUNDING,
    EngagementStatus.ACTIVE,
    EngagementStatus.SUBMITTED,
    EngagementStatus.REVISION_REQUESTED,
)
# Statuses in which the student may log time.
WORKING_STATUSES = (
    EngagementStatus.ACTIVE,
    EngagementStatus.SUBMITTED,
    EngagementStatus.REVISION_REQUESTED,
)
QUARTERS_PER_HOUR = 4

# Which statuses imply which moment is known: (constraint name, statuses, timestamp field).
# Sorted lists: a set's order changes between runs, and so would the migration.
STATUS_STAMPS = (
    (
        "funded",
        sorted(
            [
                EngagementStatus.ACTIVE,
                EngagementStatus.SUBMITTED,
                EngagementStatus.REVISION_REQUESTED,
                EngagementStatus.APPROVED,
                EngagementStatus.PAID,
                EngagementStatus.DISPUTED,
            ]
        ),
        "funded_at",
    ),
    (
        "submitted",
        sorted(
            [
                EngagementStatus.SUBMITTED,
                EngagementStatus.REVISION_REQUESTED,
                EngagementStatus.APPROVED,
                EngagementStatus.PAID,
            ]
        ),
        "submitted_at",
    ),
    ("approved", sorted([EngagementStatus.APPROVED, EngagementStatus.PAID]), "approved_at"),
    ("paid", [EngagementStatus.PAID], "paid_at"),
    ("cancelled", [EngagementStatus.CANCELLED], "cancelled_at"),
    ("disputed", [EngagementStatus.DISPUTED], "disputed_at"),
)


class Engagement(models.Model):
    """Snapshots the fee, hour cap and due date at acceptance; they change only by extension."""

    Status = EngagementStatus

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="engagement"
    )
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="engagements")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="engagements"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="engagements"
    )
    # The student's school when accepted: what career services oversee.
    school = models.ForeignKey(
        "accounts.School", on_delete=models.PROTECT, related_name="engagements"
    )
    status = models.CharField(
        max_length=20, choices=EngagementStatus.choices, default=EngagementStatus.AWAITING_FUNDING
    )
    fee_cents = models.PositiveIntegerField()
    cap_quarters = models.PositiveSmallIntegerField("hour cap (quarter hours)")
    logged_quarters = models.PositiveSmallIntegerField("logged (quarter hours)", default=0)
    days_to_complete = models.PositiveSmallIntegerField()
    accepted_at = models.DateTimeField()
    due_at = models.DateTimeField()
    funded_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    cancel_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.TextField(blank=True)
    settlement_note = models.TextField(blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    # A student on post-completion OPT reports each employer in the SEVP portal within
    # OPT_REPORT_DAYS of starting; they mark it done on their employment log.
    opt_reported_at = models.DateTimeField("reported to SEVP", null=True, blank=True)

    class Meta:
        db_table = "projects_engagement"
        ordering = ["-accepted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EngagementStatus.values), name="engagement_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    cap_quarters__gte=HOURS_MIN * QUARTERS_PER_HOUR,
                    cap_quarters__lte=HOURS_MAX * QUARTERS_PER_HOUR,
                ),
                name="engagement_cap_in_range",
            ),
            # The hours logged never pass the cap, whatever the code above does.
            models.CheckConstraint(
                condition=Q(logged_quarters__lte=F("cap_quarters")),
                name="engagement_logged_within_cap",
            ),
            models.CheckConstraint(
                condition=Q(fee_cents__gte=F("cap_quarters") * (RATE_FLOOR_CENTS // 4)),
                name="engagement_rate_at_least_floor",
            ),
            # Extensions included, the fee stays within the hourly floor and ceiling.
            models.CheckConstraint(
                condition=Q(fee_cents__lte=F("cap_quarters") * (RATE_CEILING_CENTS // 4)),
                name="engagement_rate_at_most_ceiling",
            ),
            models.CheckConstraint(
                condition=Q(days_to_complete__gte=DAYS_MIN, days_to_complete__lte=DAYS_MAX),
                name="engagement_days_in_range",
            ),
            # Each status says when it was reached (engagements.lifecycle stamps it): a row
            # never says "approved" without saying when.
            *[
                models.CheckConstraint(
                    condition=~Q(status__in=statuses) | Q(**{f"{stamp}__isnull": False}),
                    name=f"engagement_{name}_has_date",
                )
                for name, statuses, stamp in STATUS_STAMPS
            ],
            # Only a dispute the platform settled ends settled, and it ends cancelled.
            models.CheckConstraint(
                condition=Q(settled_at__isnull=True) | Q(status=EngagementStatus.CANCELLED),
                name="engagement_settled_is_cancelled",
            ),
        ]
        indexes = [
            models.Index(fields=["student", "status"], name="engagement_student_status"),
            models.Index(fields=["organization", "status"], name="engagement_org_status"),
            models.Index(fields=["school", "status"], name="engagement_school_status"),
            models.Index(fields=["status", "due_at"], name="engagement_status_due"),
        ]

    def __str__(self):
        return f"{self.student} on {self.project}"

    @property
    def cap_hours(self):
        return self.cap_quarters / QUARTERS_PER_HOUR

    @property
    def logged_hours(self):
        return self.logged_quarters / QUARTERS_PER_HOUR

    @property
    def remaining_quarters(self) -> int:
        return self.cap_quarters - self.logged_quarters

    @property
    def logged_percent(self) -> int:
        return round(100 * self.logged_quarters / self.cap_quarters) if self.cap_quarters else 0

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_ENGAGEMENT_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_live and self.due_at < timezone.now()


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", "Not started"
    SUBMITTED = "submitted", "Submitted"
    REVISION_REQUESTED = "revision_requested", "Revision requested"
    APPROVED = "approved", "Approved"
    CANCELLED = "cancelled", "Cancelled"


# Milestones still to deliver: the current one is the lowest-numbered of these.
OPEN_MILESTONE_STATUSES = (
    MilestoneStatus.PENDING,
    MilestoneStatus.SUBMITTED,
    MilestoneStatus.REVISION_REQUESTED,
)


class Milestone(models.Model):
    """A part of the engagement's fee, snapshotted from the project's plan at acceptance.

    The whole fee is funded up front; each milestone is submitted, reviewed and approved
    on its own, and its approval pays its amount (one payout per milestone). A funded
    extension of a milestone grows its hours and amount with the engagement's cap and fee,
    so the milestones always sum to the engagement's terms.
    """

    Status = MilestoneStatus

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="milestones")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    deliverable = models.TextField(max_length=1000)
    quarters = models.PositiveSmallIntegerField("hours share (quarter hours)")
    amount_cents = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.PENDING
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    # None with approved_at set: approved automatically after a silence.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["engagement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "number"], name="milestone_unique"),
            models.CheckConstraint(
                condition=Q(status__in=MilestoneStatus.values), name="milestone_status_valid"
            ),
            models.CheckConstraint(condition=Q(quarters__gte=1), name="milestone_has_hours"),
            models.CheckConstraint(
                condition=Q(amount_cents__gte=F("quarters") * (RATE_FLOOR_CENTS // 4)),
                name="milestone_rate_at_least_floor",
            ),
            models.CheckConstraint(
                condition=~Q(status=MilestoneStatus.APPROVED) | Q(approved_at__isnull=False),
                name="milestone_approved_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status=MilestoneStatus.PENDING)
                | Q(submitted_at__isnull=False)
                | Q(status=MilestoneStatus.CANCELLED),
                name="milestone_submitted_has_date",
            ),
        ]

    def __str__(self):
        return f"Milestone {self.number}: {self.title}"

    @property
    def hours(self):
        return self.quarters / QUARTERS_PER_HOUR

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MILESTONE_STATUSES


class TimeEntry(models.Model):
    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="time_entries"
    )
    # The milestone that was current when the time was logged (milestone engagements).
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.PROTECT, related_name="time_entries"
    )
    work_date = models.DateField()
    quarters = models.PositiveSmallIntegerField("quarter hours")
    description = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "projects_timeentry"
        ordering = ["-work_date", "-created_at"]
        verbose_name_plural = "time entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(quarters__gte=1, quarters__lte=12 * QUARTERS_PER_HOUR),
                name="time_entry_quarters_in_range",
            )
        ]

    def __str__(self):
        return f"{self.hours} h on {self.work_date}"

    @property
    def hours(self):
        return self.quarters / QUARTERS_PER_HOUR


class Submission(models.Model):
    """One round of delivered work; the employer approves it or asks for a revision."""

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Approved"
        REVISION = "revision", "Revision requested"

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="submissions")
    # The milestone handed in (milestone engagements).
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    number = models.PositiveSmallIntegerField()
    note = models.TextField(max_length=3000)
    links = models.TextField(blank=True, help_text="One address per line.")
    submitted_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, default="pending")
    review_comment = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "projects_submission"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "number"], name="submission_number_unique"
            ),
            models.UniqueConstraint(
                fields=["engagement"],
                condition=Q(decision="pending"),
                name="submission_one_pending_per_engagement",
            ),
        ]

    def __str__(self):
        return f"Submission {self.number} for {self.engagement}"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


def deliverable_upload_path(instance, filename):
    return f"deliverables/{uuid.uuid4().hex}"


class SubmissionFile(models.Model):
    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "submission"

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=deliverable_upload_path, max_length=200)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)

    class Meta:
        db_table = "projects_submissionfile"

    def __str__(self):
        return self.original_name


class Message(models.Model):
    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    # Held by screening (engagements.screening): the rules it matched, comma-separated;
    # the student reads a warning and the message is delivered once they confirm.
    held_at = models.DateTimeField(null=True, blank=True)
    held_for = models.CharField(max_length=200, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "projects_message"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(held_at__isnull=False),
                name="message_released_only_if_held",
            ),
            models.CheckConstraint(
                condition=Q(held_at__isnull=True) | ~Q(held_for=""),
                name="message_held_names_its_rules",
            ),
        ]

    def __str__(self):
        return f"Message from {self.author} on {self.engagement}"

    @property
    def is_held(self) -> bool:
        """Waiting for the student's confirmation: not delivered yet."""
        return self.held_at is not None and self.released_at is None

    @property
    def held_warnings(self) -> list[str]:
        return screening.warnings_for(self.held_for)


class EngagementEvent(models.Model):
    """The workspace's history: what happened, who did it, when. Append-only.

    A description that names a moment (a session's time) stores the moment in `at` and a
    placeholder in the text: `{at}` for the date and time, `{day}` for the date. Each reader
    sees it in their own time zone, like every other time on the page.
    """

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=40)
    description = models.CharField(max_length=300)
    at = models.DateTimeField(
        null=True, blank=True, help_text="The moment the description names, if any."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "projects_engagementevent"
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        """The description, with its moment written in the current (the reader's) zone."""
        if self.at is None:
            return self.description
        local = timezone.localtime(self.at)
        return self.description.replace("{at}", dateformat.format(local, "M j, g:i A T")).replace(
            "{day}", dateformat.format(local, "M j")
        )


class ScopeExtension(models.Model):
    """More hours for a matching fee increase: the employer proposes, the student accepts,
    the employer funds it, and only then do the cap, fee and due date grow."""

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted, waiting for the employer's payment"
        APPLIED = "applied", "Funded and applied"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="extensions")
    # The milestone whose hours and amount grow (required on a milestone engagement).
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.PROTECT, related_name="extensions"
    )
    extra_quarters = models.PositiveSmallIntegerField()
    extra_fee_cents = models.PositiveIntegerField()
    extra_days = models.PositiveSmallIntegerField(default=0)
    reason = models.TextField(max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default="proposed")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "projects_scopeextension"
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement"],
                condition=Q(status__in=["proposed", "accepted"]),
                name="extension_one_open_per_engagement",
            ),
            models.CheckConstraint(condition=Q(extra_quarters__gte=1), name="extension_adds_time"),
            models.CheckConstraint(
                condition=Q(extra_fee_cents__gte=F("extra_quarters") * (RATE_FLOOR_CENTS // 4)),
                name="extension_rate_at_least_floor",
            ),
            models.CheckConstraint(
                condition=Q(extra_fee_cents__lte=F("extra_quarters") * (RATE_CEILING_CENTS // 4)),
                name="extension_rate_at_most_ceiling",
            ),
        ]

    def __str__(self):
        return f"+{self.extra_hours:g} h on {self.engagement}"

    @property
    def extra_hours(self):
        return self.extra_quarters / QUARTERS_PER_HOUR


class DisputeStatus(models.TextChoices):
    AWAITING_RESPONSE = "awaiting_response", "Waiting for the other side's response"
    AWAITING_DECISION = "awaiting_decision", "Waiting for the platform's decision"
    DECIDED = "decided", "Decided"


class Dispute(models.Model):
    """A cancellation asked for after hours were logged, and its deadlines: the other side
    responds with evidence within DISPUTE_RESPONSE_BUSINESS_DAYS, then a platform admin
    decides within DISPUTE_DECISION_BUSINESS_DAYS, with written reasons and a split. A
    response deadline that passes with no response moves it on to the decision, on the
    evidence in (the sweep `engagements.sweep_disputes`)."""

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    class Side(models.TextChoices):
        STUDENT = "student", "Student"
        EMPLOYER = "employer", "Employer"

    engagement = models.OneToOneField(Engagement, on_delete=models.PROTECT, related_name="dispute")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_by_side = models.CharField(max_length=10, choices=Side.choices)
    opened_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.AWAITING_RESPONSE
    )
    response_due_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    # Set when the dispute moves on to the decision: after the response, or the deadline.
    decision_due_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reasons = models.TextField(blank=True)
    student_cents = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(response_due_at__gt=F("opened_at")), name="dispute_response_due_later"
            ),
            models.CheckConstraint(
                condition=Q(status="awaiting_response") | Q(decision_due_at__isnull=False),
                name="dispute_decision_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status="decided")
                | (
                    Q(decided_at__isnull=False, student_cents__isnull=False)
                    & ~Q(decision_reasons="")
                ),
                name="dispute_decided_with_reasons",
            ),
        ]
        indexes = [
            models.Index(
                fields=["response_due_at"],
                name="dispute_awaiting_response",
                condition=Q(status="awaiting_response"),
            ),
            models.Index(
                fields=["decision_due_at"],
                name="dispute_awaiting_decision",
                condition=Q(status="awaiting_decision"),
            ),
        ]

    def __str__(self):
        return f"Dispute on {self.engagement}"

    @property
    def responding_side(self) -> str:
        return self.Side.EMPLOYER if self.opened_by_side == self.Side.STUDENT else self.Side.STUDENT


class DisputeEvidence(models.Model):
    """What one side puts before the platform: a statement, and the messages, time entries
    and delivered files of the engagement it points to."""

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "dispute"

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="evidence")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Dispute.Side.choices)
    statement = models.TextField(max_length=4000)
    messages = models.ManyToManyField(Message, blank=True, related_name="+")
    time_entries = models.ManyToManyField(TimeEntry, blank=True, related_name="+")
    files = models.ManyToManyField(SubmissionFile, blank=True, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name_plural = "dispute evidence"
        constraints = [
            models.CheckConstraint(
                condition=~Q(statement=""), name="dispute_evidence_has_statement"
            )
        ]

    def __str__(self):
        return f"{self.get_side_display()}'s evidence on {self.dispute}"
