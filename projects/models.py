"""Projects (micro-internships) and the applications students send to them.

The rules of the field are database constraints here as well as form
checks; every change of state goes through projects.services.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import dateformat, timezone

from accounts.models import Organization, Skill
from projects.rules import apply_by_today

# Hard limits of the field (DESIGN.md). Settings may narrow them for the
# forms (PROJECT_HOURS_MIN, HOURLY_RATE_FLOOR_CENTS, ...) but the database
# never stores a project outside them.
HOURS_MIN, HOURS_MAX = 5, 40
DAYS_MIN, DAYS_MAX = 7, 30
RATE_FLOOR_CENTS, RATE_CEILING_CENTS = 1500, 10000
OPENINGS_MAX = 10
SCREENING_QUESTIONS_MAX = 3


class Category(models.TextChoices):
    CONTENT = "content_creation", "Content creation"
    RESEARCH = "industry_research", "Industry research"
    DATA_ENTRY = "data_entry", "Data entry"
    SOCIAL_MEDIA = "social_media", "Social media support"
    DESIGN = "design", "Design"
    MARKETING = "marketing", "Marketing"
    DATA_ANALYSIS = "data_analysis", "Data analysis"
    SOFTWARE = "software", "Software"
    OPERATIONS = "operations", "Operations"
    OTHER = "other", "Other"


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for applications"
    CLOSED = "closed", "Applications closed"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


PUBLISHED_STATUSES = (ProjectStatus.OPEN, ProjectStatus.CLOSED, ProjectStatus.COMPLETED)


class Project(models.Model):
    Status = ProjectStatus

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="projects"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=280, help_text="One or two sentences shown in lists.")
    description = models.TextField(max_length=10000)
    category = models.CharField(max_length=30, choices=Category.choices)
    skills = models.ManyToManyField(Skill, blank=True, related_name="projects")
    deliverables = models.TextField("expected deliverables", max_length=3000)
    hours = models.PositiveSmallIntegerField(
        "estimated hours", help_text="Also the cap on hours the student may log."
    )
    fee_cents = models.PositiveIntegerField("fixed fee (cents)")
    hourly_rate_cents = models.GeneratedField(
        expression=F("fee_cents") / F("hours"),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    days_to_complete = models.PositiveSmallIntegerField(
        help_text="Counted from the start of the work."
    )
    apply_by = models.DateField("apply by")
    openings = models.PositiveSmallIntegerField(default=1)
    is_remote = models.BooleanField("remote", default=True)
    location = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=12, choices=ProjectStatus.choices, default="draft")
    # Set when the first student is accepted: fee, hours and days no longer change.
    terms_frozen_at = models.DateTimeField(null=True, blank=True)
    duplicated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    # Full-text search document, kept up to date by a PostgreSQL trigger
    # (migration 0002) and indexed with GIN. Always empty on SQLite.
    search_document = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=HOURS_MIN, hours__lte=HOURS_MAX),
                name="project_hours_in_range",
            ),
            models.CheckConstraint(
                condition=Q(days_to_complete__gte=DAYS_MIN, days_to_complete__lte=DAYS_MAX),
                name="project_days_in_range",
            ),
            models.CheckConstraint(
                condition=Q(fee_cents__gte=F("hours") * RATE_FLOOR_CENTS),
                name="project_rate_at_least_floor",
            ),
            models.CheckConstraint(
                condition=Q(fee_cents__lte=F("hours") * RATE_CEILING_CENTS),
                name="project_rate_at_most_ceiling",
            ),
            models.CheckConstraint(
                condition=Q(openings__gte=1, openings__lte=OPENINGS_MAX),
                name="project_openings_in_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProjectStatus.values), name="project_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="project_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(is_remote=True) | ~Q(location=""),
                name="project_onsite_has_location",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=PUBLISHED_STATUSES) | Q(published_at__isnull=False),
                name="project_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="project_status_published"),
            # Also lets PostgreSQL count filtered results from the index alone.
            models.Index(
                fields=["status", "apply_by"],
                include=[
                    "id",
                    "category",
                    "hours",
                    "fee_cents",
                    "days_to_complete",
                    "is_remote",
                    "published_at",
                ],
                name="project_status_apply_by",
            ),
            models.Index(fields=["status", "-fee_cents"], name="project_status_fee"),
            models.Index(fields=["status", "-hourly_rate_cents"], name="project_status_rate"),
            models.Index(fields=["organization", "status"], name="project_org_status"),
        ]

    def __str__(self):
        return self.title

    @property
    def fee_dollars(self):
        return self.fee_cents / 100

    @property
    def terms_frozen(self) -> bool:
        return self.terms_frozen_at is not None

    @property
    def is_editable(self) -> bool:
        return self.status in (ProjectStatus.DRAFT, ProjectStatus.OPEN, ProjectStatus.CLOSED)

    @property
    def is_open_for_applications(self) -> bool:
        return (
            self.status == ProjectStatus.OPEN
            and self.apply_by >= apply_by_today()
            and self.organization.can_take_students
        )


class ScreeningQuestion(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "position"], name="question_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=SCREENING_QUESTIONS_MAX),
                name="question_position_in_range",
            ),
        ]

    def __str__(self):
        return self.text


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    SHORTLISTED = "shortlisted", "Shortlisted"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Applications still waiting for the employer's decision.
PENDING_APPLICATION_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED)


class Application(models.Model):
    Status = ApplicationStatus

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="applications")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    cover_note = models.TextField(max_length=2000)
    confirmed_availability = models.BooleanField(default=False)
    decline_message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    shortlisted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "student"], name="application_one_per_student_project"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["project", "status"], name="application_project_status")]

    def __str__(self):
        return f"{self.student} → {self.project}"


class ApplicationAnswer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ScreeningQuestion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"], name="answer_one_per_question"
            )
        ]

    def __str__(self):
        return self.text[:60]


# --- Engagements: one accepted student on one project -------------------------------------


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

    class Meta:
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


class TimeEntry(models.Model):
    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="time_entries"
    )
    work_date = models.DateField()
    quarters = models.PositiveSmallIntegerField("quarter hours")
    description = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
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

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Approved"
        REVISION = "revision", "Revision requested"

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="submissions")
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
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=deliverable_upload_path, max_length=200)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)

    def __str__(self):
        return self.original_name


class Message(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Message from {self.author} on {self.engagement}"


class EngagementEvent(models.Model):
    """The workspace's history: what happened, who did it, when. Append-only.

    A description that names a moment (a session's time) stores the moment in `at` and a
    placeholder in the text: `{at}` for the date and time, `{day}` for the date. Each reader
    sees it in their own time zone, like every other time on the page.
    """

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

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted, waiting for the employer's payment"
        APPLIED = "applied", "Funded and applied"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="extensions")
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


# --- Career outcomes: talent pools, invitations, full-time interest -----------------------
# Who may see or contact whom is decided in projects.talent, in one place.

TAGS_MAX, TAG_LENGTH_MAX = 10, 30


class TalentPoolEntry(models.Model):
    """A student an organization keeps in mind, with its own tags and private notes."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="talent_pool"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talent_pool_entries"
    )
    # Normalized tags between commas (",data,writing,"), so that one tag is found with a
    # plain `contains` on SQLite and PostgreSQL alike.
    tags = models.CharField(max_length=TAGS_MAX * (TAG_LENGTH_MAX + 1) + 1, blank=True)
    notes = models.TextField("private notes", max_length=2000, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = "talent pool entry"
        verbose_name_plural = "talent pool entries"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "student"], name="talent_one_entry_per_student"
            )
        ]

    def __str__(self):
        return f"{self.student} in {self.organization}'s talent pool"

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]


class InvitationStatus(models.TextChoices):
    SENT = "sent", "Sent"
    APPLIED = "applied", "Applied"
    DECLINED = "declined", "Declined"


class Invitation(models.Model):
    """An employer asks a student it knows to apply to one of its open projects."""

    Status = InvitationStatus

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.SENT
    )
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "student"], name="invitation_one_per_student_project"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InvitationStatus.values), name="invitation_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["student", "status"], name="invitation_student_status")]

    def __str__(self):
        return f"Invitation of {self.student} to {self.project}"


class FullTimeInterestStatus(models.TextChoices):
    OPEN = "open", "Waiting for the student"
    REPLIED = "replied", "Replied"
    WITHDRAWN = "withdrawn", "Withdrawn"


class FullTimeAnswer(models.TextChoices):
    INTERESTED = "interested", "Interested"
    NOT_NOW = "not_now", "Not now"


class FullTimeInterest(models.Model):
    """An organization would like to hire the student full-time. The student hears of it only
    if they accept being contacted (`told_student`); the mark counts in career services'
    reports either way."""

    Status = FullTimeInterestStatus
    Answer = FullTimeAnswer

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="fulltime_interests"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fulltime_interests"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(max_length=1000)
    told_student = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=FullTimeInterestStatus.choices, default=FullTimeInterestStatus.OPEN
    )
    answer = models.CharField(max_length=12, choices=FullTimeAnswer.choices, blank=True)
    student_reply = models.TextField(max_length=500, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "full-time interest"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "student"],
                condition=Q(status="open"),
                name="fulltime_one_open_per_student",
            ),
            models.CheckConstraint(
                condition=Q(status__in=FullTimeInterestStatus.values),
                name="fulltime_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="replied") | ~Q(answer=""), name="fulltime_reply_has_answer"
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="fulltime_created")]

    def __str__(self):
        return f"{self.organization} interested in {self.student} full-time"
