"""Tables of academic credit: each school's policy, the requests, their steps and the
faculty members' review links. Imported by `outcomes.models`, so they belong to `outcomes`."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone

from accounts.models import AcademicTerm, School
from engagements.models import Engagement

HOURS_PER_CREDIT_DEFAULT = 45
HOURS_PER_CREDIT_MAX = 200


class FacultyApproval(models.TextChoices):
    NONE = "none", "Career services decide alone"
    OPTIONAL = "optional", "Career services may name a faculty member"
    REQUIRED = "required", "A faculty member always decides after career services"


class CreditPolicy(models.Model):
    """How a school turns hours into credit and who approves. A school without a row uses
    the defaults (45 hours a credit, a faculty member optional)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="credit_policy")
    hours_per_credit = models.PositiveSmallIntegerField(
        default=HOURS_PER_CREDIT_DEFAULT,
        help_text="Logged hours that make one credit, e.g. 45.",
    )
    faculty_approval = models.CharField(
        max_length=10, choices=FacultyApproval.choices, default=FacultyApproval.OPTIONAL
    )
    default_faculty_email = models.EmailField(
        "default faculty approver",
        blank=True,
        help_text="Suggested when career services send a request on to a faculty member.",
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "credit policy"
        verbose_name_plural = "credit policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_credit__gte=1, hours_per_credit__lte=HOURS_PER_CREDIT_MAX),
                name="credit_policy_hours_per_credit_range",
            ),
            models.CheckConstraint(
                condition=Q(faculty_approval__in=FacultyApproval.values),
                name="credit_policy_faculty_approval_valid",
            ),
        ]

    def __str__(self):
        return f"Credit policy of {self.school}"

    @property
    def faculty_allowed(self) -> bool:
        return self.faculty_approval != FacultyApproval.NONE

    @property
    def faculty_required(self) -> bool:
        return self.faculty_approval == FacultyApproval.REQUIRED


class CreditStatus(models.TextChoices):
    SUBMITTED = "submitted", "With career services"
    WITH_FACULTY = "with_faculty", "With faculty"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned to the student"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (CreditStatus.SUBMITTED, CreditStatus.WITH_FACULTY, CreditStatus.RETURNED)


def credit_tenths(*, quarters: int, hours_per_credit: int) -> int:
    """Tenths of a credit for `quarters` quarter hours, rounded down: a school never grants
    more than its rate gives."""
    return (quarters * 10) // (hours_per_credit * 4)


class CreditRequest(models.Model):
    # The student's school when they asked: career services of that school decide, and the
    # audit trail files the request under it (accounts.audit reads `school_id`).
    Status = CreditStatus

    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="credit_requests"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credit_requests"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="credit_requests")
    course_code = models.CharField(max_length=20)
    # The student's number at their school, for the registrar; optional.
    student_number = models.CharField("student ID", max_length=30, blank=True)
    term = models.ForeignKey(
        AcademicTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The term as the registrar reads it: the calendar's name, or the student's words when
    # the school has entered no calendar.
    term_name = models.CharField(max_length=60)
    quarters = models.PositiveSmallIntegerField("hours (quarter hours)")
    hours_per_credit = models.PositiveSmallIntegerField()
    credits_tenths = models.PositiveSmallIntegerField("credits (tenths)")
    status = models.CharField(
        max_length=12, choices=CreditStatus.choices, default=CreditStatus.SUBMITTED
    )
    faculty_email = models.EmailField(blank=True)
    faculty_name = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement"],
                condition=~Q(status="withdrawn"),
                name="credit_one_request_per_engagement",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CreditStatus.values), name="credit_status_valid"
            ),
            models.CheckConstraint(condition=Q(quarters__gt=0), name="credit_hours_positive"),
            models.CheckConstraint(
                condition=Q(credits_tenths__gt=0), name="credit_credits_positive"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_credit__gte=1), name="credit_rate_positive"
            ),
            models.CheckConstraint(
                condition=~Q(course_code="") & Q(course_code=Upper(F("course_code"))),
                name="credit_course_code_upper",
            ),
            models.CheckConstraint(condition=~Q(term_name=""), name="credit_term_named"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="credit_approved_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="with_faculty") | ~Q(faculty_email=""),
                name="credit_with_faculty_has_email",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status"], name="credit_school_status"),
            models.Index(fields=["school", "approved_at"], name="credit_school_approved"),
        ]

    def __str__(self):
        return f"Credit for {self.engagement} ({self.course_code}, {self.term_name})"

    @property
    def hours(self):
        return self.quarters / 4

    @property
    def credits(self) -> str:
        """e.g. "0.4", "2" — tenths written out without a float."""
        whole, tenth = divmod(self.credits_tenths, 10)
        return f"{whole}.{tenth}" if tenth else str(whole)

    @property
    def credits_label(self) -> str:
        return "1 credit" if self.credits_tenths == 10 else f"{self.credits} credits"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CreditRole(models.TextChoices):
    STUDENT = "student", "Student"
    CAREER_STAFF = "career_staff", "Career services"
    FACULTY = "faculty", "Faculty"


class CreditDecision(models.TextChoices):
    SUBMITTED = "submitted", "Sent"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CreditStep(models.Model):
    """One step of a request: who (an account, or a faculty member known by email), what,
    when and why."""

    audit_school_via = "request"

    request = models.ForeignKey(CreditRequest, on_delete=models.CASCADE, related_name="steps")
    role = models.CharField(max_length=12, choices=CreditRole.choices)
    decision = models.CharField(max_length=10, choices=CreditDecision.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=120)
    actor_email = models.EmailField()
    comment = models.TextField(max_length=2000, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=CreditRole.values), name="credit_step_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=CreditDecision.values),
                name="credit_step_decision_valid",
            ),
            models.CheckConstraint(
                condition=~Q(decision="returned") | ~Q(comment=""),
                name="credit_step_return_has_comment",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_role_display()} {self.get_decision_display().lower()} ({self.at:%Y-%m-%d})"
        )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FacultyReviewLink(models.Model):
    """The emailed link a faculty member opens to review one request. Only the hash of its
    token is stored: the database alone never opens a review."""

    audit_school_via = "request"

    request = models.ForeignKey(
        CreditRequest, on_delete=models.CASCADE, related_name="faculty_links"
    )
    email = models.EmailField()
    name = models.CharField(max_length=120, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_opened_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="credit_one_live_faculty_link",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="credit_link_expires_later"
            ),
        ]

    def __str__(self):
        return f"Faculty review link for {self.email}"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and self.expires_at > now
