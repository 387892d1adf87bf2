"""Projects (micro-internships) and the applications students send to them.

The rules of the field are database constraints here as well as form
checks; every change of state goes through projects.services.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

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
# NACE: an internship states what the student will learn. A published project names
# between one and five learning objectives (projects.objectives).
OBJECTIVES_MIN, OBJECTIVES_MAX = 1, 5
OBJECTIVE_LENGTH_MAX = 200


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
    # NACE: the student works under a named supervisor, chosen among the organization's
    # team (`supervisor`) or, for someone without an account, named here with their
    # address. Publishing requires one; projects published before the rule keep their
    # status and simply show the criterion unmet (projects.criteria).
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_projects",
        help_text="A member of the organization's team.",
    )
    supervisor_name = models.CharField(max_length=120, blank=True)
    supervisor_title = models.CharField(max_length=120, blank=True)
    supervisor_email = models.EmailField(blank=True)
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
            # A supervisor without an account is reachable: a name comes with an address.
            models.CheckConstraint(
                condition=Q(supervisor_name="") | ~Q(supervisor_email=""),
                name="project_supervisor_name_has_email",
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
    def supervisor_display_name(self) -> str:
        """The named supervisor as the project page shows them; empty when none."""
        if self.supervisor_id is not None:
            return self.supervisor.get_full_name() or self.supervisor.email
        return self.supervisor_name

    @property
    def has_named_supervisor(self) -> bool:
        return self.supervisor_id is not None or bool(
            self.supervisor_name.strip() and self.supervisor_email.strip()
        )

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


class LearningObjective(models.Model):
    """What the student should be able to do by the end, in the employer's words.

    Once a student is accepted the objectives are the terms of their learning and stay
    as they were (projects.services); the final evaluation marks each one met or not
    (feedback.ObjectiveOutcome) and the student's reflection answers them
    (outcomes.Reflection)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=OBJECTIVE_LENGTH_MAX)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "position"], name="objective_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=OBJECTIVES_MIN, position__lte=OBJECTIVES_MAX),
                name="objective_position_in_range",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="objective_text_not_empty"),
        ]

    def __str__(self):
        return self.text


MILESTONES_MIN, MILESTONES_MAX = 2, 4


class ProjectMilestone(models.Model):
    """A part of the project's fee the student is paid for on its own: the employer may
    split the fee into MILESTONES_MIN to MILESTONES_MAX milestones, each with its
    deliverable, its share of the hours (in quarter hours) and its amount. Together they
    make the project's hours and fee (projects.forms checks it); each keeps the floor rate.
    Accepting a student snapshots them into the engagement (engagements.Milestone)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    deliverable = models.TextField(max_length=1000)
    quarters = models.PositiveSmallIntegerField("hours share (quarter hours)")
    amount_cents = models.PositiveIntegerField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="project_milestone_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=MILESTONES_MAX),
                name="project_milestone_number_in_range",
            ),
            models.CheckConstraint(
                condition=Q(quarters__gte=1), name="project_milestone_has_hours"
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gte=F("quarters") * (RATE_FLOOR_CENTS // 4)),
                name="project_milestone_rate_at_least_floor",
            ),
        ]

    def __str__(self):
        return f"Milestone {self.number}: {self.title}"

    @property
    def hours(self):
        return self.quarters / 4


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    SHORTLISTED = "shortlisted", "Shortlisted"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Applications still waiting for the employer's decision.
PENDING_APPLICATION_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED)


class DisclosedField(models.TextChoices):
    """What of a student an organization may come to see, by name (consent and log)."""

    NAME = "name", "Name"
    SCHOOL = "school", "School"
    MAJOR = "major", "Major"
    GRADUATION_YEAR = "graduation_year", "Graduation year"
    RESUME = "resume", "Résumé"
    EVALUATION_AVERAGES = "evaluation_averages", "Evaluation averages"
    PROFILE = "profile", "Bio as you wrote it"
    EXPERIENCE = "experience", "Verified experience"


# What shortlisting reveals, and so what a student consents to when applying; the
# evaluation averages only if they choose to share them.
SHORTLIST_FIELDS = (
    DisclosedField.NAME,
    DisclosedField.SCHOOL,
    DisclosedField.MAJOR,
    DisclosedField.GRADUATION_YEAR,
    DisclosedField.PROFILE,
    DisclosedField.RESUME,
)


class ConsentBasis(models.TextChoices):
    EXPLICIT = "explicit", "Ticked when applying"
    # Applications sent before the question was asked: the apply page then said, above the
    # button, that shortlisting reveals name, school, major and résumé. The moment of applying
    # stands for the consent; the student can withdraw it like any other.
    NOTICE = "notice", "Applied after reading the disclosure notice"


class Application(models.Model):
    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "student"

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
    # A student on F-1 OPT may take only work directly related to their major: asked when
    # they apply, kept for their SEVP reporting and shown to career services.
    relation_to_major = models.TextField("how the work relates to the major", blank=True)
    decline_message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    shortlisted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The student's consent to disclose to the project's organization what shortlisting
    # reveals (`consent_fields`, DisclosedField values), dated. No application without it.
    consent_at = models.DateTimeField("consent given")
    consent_fields = models.JSONField(default=list)
    consent_basis = models.CharField(
        max_length=10, choices=ConsentBasis.choices, default=ConsentBasis.EXPLICIT
    )
    # Withdrawing the consent withdraws the application (projects.applications).
    consent_withdrawn_at = models.DateTimeField("consent withdrawn", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "student"], name="application_one_per_student_project"
            ),
            models.CheckConstraint(
                condition=Q(consent_basis__in=ConsentBasis.values),
                name="application_consent_basis_valid",
            ),
            models.CheckConstraint(
                condition=Q(consent_withdrawn_at__isnull=True) | Q(status="withdrawn"),
                name="application_consent_withdrawn_only_if_withdrawn",
            ),
            models.CheckConstraint(
                condition=Q(consent_withdrawn_at__isnull=True)
                | Q(consent_withdrawn_at__gte=F("consent_at")),
                name="application_consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["project", "status"], name="application_project_status")]

    def __str__(self):
        return f"{self.student} → {self.project}"

    @property
    def consent_field_labels(self) -> list[str]:
        labels = dict(DisclosedField.choices)
        return [labels.get(name, name) for name in self.consent_fields]


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


class DisclosureReason(models.TextChoices):
    SHORTLIST = "shortlist", "Shortlisted (or accepted) for a project"
    RESUME = "resume", "Résumé downloaded after shortlisting"
    APPLICATION = "application", "Application reviewed (averages you share)"
    TALENT_POOL = "talent_pool", "Saved to a talent pool"
    INVITATION = "invitation", "Applied to a project you were invited to"
    RECORD_VIEW = "record_view", "Verified record viewed"


class Disclosure(models.Model):
    """One disclosure of a student's information to an organization (projects.disclosures).

    A disclosure event is written once: `once_key` names it (reason, organization and
    subject, e.g. "shortlist:org3:application12") and is unique, so a repeated page view,
    a double click or a retried task finds the row already there. A file handed over again
    is a new disclosure each time: a résumé download has no `once_key`."""

    # Whose school the audit trail and the admin file this under.
    audit_school_via = "student"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="disclosures"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="disclosures"
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="disclosures_seen",
        help_text="The organization's member who saw it (empty once their account is gone).",
    )
    reason = models.CharField(max_length=20, choices=DisclosureReason.choices)
    fields = models.JSONField(default=list, help_text="DisclosedField values.")
    file_name = models.CharField(max_length=255, blank=True)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(max_length=80, help_text="What was shown: application:12, …")
    once_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=DisclosureReason.values), name="disclosure_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(reason="resume", once_key__isnull=True)
                | (~Q(reason="resume") & Q(once_key__isnull=False)),
                name="disclosure_once_unless_a_file",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=["resume"], file_name__gt="") | ~Q(reason="resume"),
                name="disclosure_file_named",
            ),
        ]
        indexes = [models.Index(fields=["student", "-at"], name="disclosure_student_at")]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.student} → {self.organization}"

    @property
    def field_labels(self) -> list[str]:
        labels = dict(DisclosedField.choices)
        return [labels.get(name, name) for name in self.fields]
