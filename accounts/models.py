"""People, the places they belong to, and what they tell us about themselves.

Invariants live here as database constraints; every change to these rows
goes through accounts.services.
"""

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    EMPLOYER = "employer", "Employer"
    CAREER_STAFF = "career_staff", "Career services staff"
    PLATFORM_ADMIN = "platform_admin", "Platform admin"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        if not extra_fields.get("role"):
            raise ValueError("A role is required.")
        user = self.model(email=email.strip().lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.PLATFORM_ADMIN)
        if extra_fields["role"] != Role.PLATFORM_ADMIN or not extra_fields["is_superuser"]:
            raise ValueError("A superuser is a platform admin.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. The email address is the login; the role never changes after sign-up."""

    email = models.EmailField("email address", max_length=254, unique=True)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    time_zone = models.CharField(
        max_length=64,
        default=settings.DEFAULT_USER_TIME_ZONE,
        help_text="Dates and times are shown in this zone.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False,
        help_text="May log in to the admin site (career services and platform admins).",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
            # Only platform admins are superusers; students and employers never
            # reach the admin site.
            models.CheckConstraint(
                condition=models.Q(is_superuser=False) | models.Q(role=Role.PLATFORM_ADMIN),
                name="user_superuser_is_platform_admin",
            ),
            models.CheckConstraint(
                condition=models.Q(is_staff=False)
                | models.Q(role__in=[Role.CAREER_STAFF, Role.PLATFORM_ADMIN]),
                name="user_staff_flag_only_for_staff_roles",
            ),
        ]

    def __str__(self):
        return self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def is_student(self):
        return self.role == Role.STUDENT

    @property
    def is_employer(self):
        return self.role == Role.EMPLOYER

    @property
    def is_career_staff(self):
        return self.role == Role.CAREER_STAFF

    @property
    def is_platform_admin(self):
        return self.role == Role.PLATFORM_ADMIN and self.is_superuser


class School(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    email_domain = models.CharField(
        max_length=100, blank=True, help_text="Students' email domain, e.g. northbridge.edu."
    )
    is_active = models.BooleanField(
        default=True, help_text="Inactive schools are not offered to new students."
    )
    # Where a school is stricter than the F-1 rule (20 hours a week during term).
    f1_weekly_hours_in_term = models.PositiveSmallIntegerField(
        "F-1 weekly hours during term",
        null=True,
        blank=True,
        help_text="Most hours a week a student on CPT or pre-completion OPT may work during "
        "term, across all engagements. Empty: the platform's setting (20).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(f1_weekly_hours_in_term__isnull=True)
                | models.Q(f1_weekly_hours_in_term__gte=1, f1_weekly_hours_in_term__lte=40),
                name="school_f1_weekly_hours_in_range",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def weekly_hours_in_term(self) -> int:
        return self.f1_weekly_hours_in_term or settings.F1_WEEKLY_HOURS_IN_TERM

    def owns_address(self, email: str) -> bool:
        """Is this address at one of the school's email domains (its main one or another)?"""
        domain = email.rsplit("@", 1)[-1].strip().lower()
        if not domain:
            return False
        if self.email_domain and domain == self.email_domain.strip().lower():
            return True
        return any(d.domain == domain for d in self.other_domains.all())


class AcademicTerm(models.Model):
    """One term of a school's academic calendar, entered by its career services. During a
    term, F-1 students on CPT or pre-completion OPT work part time only."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=60, help_text="e.g. Fall 2026")
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")

    class Meta:
        ordering = ["school", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="academic_term_ends_after_it_starts",
            ),
            models.UniqueConstraint(fields=["school", "name"], name="academic_term_name_unique"),
        ]

    def __str__(self):
        if self.starts_on is None or self.ends_on is None:
            return self.name
        return f"{self.name} ({self.starts_on:%b %-d} – {self.ends_on:%b %-d, %Y})"


class SchoolDomain(models.Model):
    """Another email domain of a school (a medical school, an alumni or staff domain):
    a confirmed address at any of a school's domains verifies a student's affiliation."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="other_domains")
    domain = models.CharField(max_length=100, help_text="e.g. med.northbridge.edu")

    class Meta:
        ordering = ["domain"]
        verbose_name = "other email domain"
        constraints = [
            models.UniqueConstraint(fields=["domain"], name="school_domain_unique"),
            models.CheckConstraint(
                condition=models.Q(domain=Lower("domain")) & ~models.Q(domain__contains="@"),
                name="school_domain_lowercase_bare",
            ),
        ]

    def __str__(self):
        return self.domain


class Skill(models.Model):
    name = models.CharField(max_length=50)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="skill_name_ci_unique")]

    def __str__(self):
        return self.name


class OrganizationIndustry(models.TextChoices):
    TECHNOLOGY = "technology", "Technology"
    FINANCE = "finance", "Finance and insurance"
    HEALTHCARE = "healthcare", "Healthcare"
    EDUCATION = "education", "Education"
    NONPROFIT = "nonprofit", "Nonprofit"
    MEDIA = "media", "Marketing, media and communications"
    RETAIL = "retail", "Retail and consumer goods"
    MANUFACTURING = "manufacturing", "Manufacturing"
    PROFESSIONAL = "professional", "Professional services"
    REAL_ESTATE = "real_estate", "Real estate"
    GOVERNMENT = "government", "Government and public sector"
    OTHER = "other", "Other"


class OrganizationSize(models.TextChoices):
    MICRO = "1-10", "1–10 people"
    SMALL = "11-50", "11–50 people"
    MEDIUM = "51-200", "51–200 people"
    LARGE = "201-1000", "201–1,000 people"
    ENTERPRISE = "1000+", "More than 1,000 people"


class OrganizationVerification(models.TextChoices):
    UNVERIFIED = "unverified", "Awaiting verification"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Not verified"


class Organization(models.Model):
    """An employer's company or nonprofit. Verified by the platform before it may publish;
    a platform admin can suspend it (its open projects close)."""

    Industry = OrganizationIndustry
    Size = OrganizationSize
    Verification = OrganizationVerification

    name = models.CharField(max_length=200)
    website = models.URLField(max_length=300)
    industry = models.CharField(max_length=20, choices=OrganizationIndustry.choices)
    size = models.CharField(max_length=10, choices=OrganizationSize.choices)
    description = models.TextField(max_length=2000)
    verification_status = models.CharField(
        max_length=12,
        choices=OrganizationVerification.choices,
        default=OrganizationVerification.UNVERIFIED,
    )
    verification_note = models.TextField(
        blank=True, help_text="Shown to the organization's employers."
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)
    # Evidence for verification, both optional.
    registration_number = models.CharField(
        "registration number",
        max_length=40,
        blank=True,
        help_text="EIN, company number or charity number: it helps us verify you faster.",
    )
    linkedin_url = models.URLField("LinkedIn page", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verification_status__in=OrganizationVerification.values),
                name="organization_verification_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(verification_status="verified")
                | models.Q(verified_at__isnull=False),
                name="organization_verified_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(industry__in=OrganizationIndustry.values),
                name="organization_industry_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(size__in=OrganizationSize.values), name="organization_size_valid"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def can_take_students(self) -> bool:
        """The one rule for publishing projects, being listed to students and accepting them:
        verified by the platform (for its current name and website) and not suspended.
        Engagements already under way continue either way."""
        return self.verification_status == self.Verification.VERIFIED and not self.suspended_at

    @property
    def is_verified(self):
        return self.can_take_students

    def not_taking_students_reason(self) -> str:
        """Why the organization cannot take students now, for its employers ("" if it can)."""
        if self.suspended_at:
            return "Your organization's account is suspended: it cannot take students on now."
        if self.verification_status == self.Verification.REJECTED:
            return (
                "Your organization is not verified, so it cannot publish projects or accept "
                "students." + (f" {self.verification_note}" if self.verification_note else "")
            )
        if self.verification_status != self.Verification.VERIFIED:
            return (
                "Your organization awaits verification by the platform"
                + (f" ({self.verification_note.rstrip('.')})" if self.verification_note else "")
                + ": until then it cannot publish projects or accept students, and its open "
                "projects are hidden from students. Engagements under way continue as usual."
            )
        return ""


def organizations_taking_students(prefix: str = "") -> models.Q:
    """`Organization.can_take_students` for querysets (prefix e.g. "organization__")."""
    return models.Q(
        **{
            f"{prefix}verification_status": OrganizationVerification.VERIFIED,
            f"{prefix}suspended_at__isnull": True,
        }
    )


class VerificationCheck(models.TextChoices):
    """What a platform admin checks before deciding on an organization."""

    WEBSITE = "website", "The website loads and describes this organization"
    DOMAINS = "domains", "Its employers' email domains match the website's domain"
    REGISTRATION = "registration", "The registration number matches a public registry"
    LINKEDIN = "linkedin", "The LinkedIn page matches its name and website"
    REPORTS = "reports", "Reports against it were read and weighed"


class VerificationDecision(models.Model):
    """One decision on an organization's verification: the checks ticked and the reasons.
    Kept for good (the audit trail records it too)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="verification_decisions"
    )
    status = models.CharField(max_length=12, choices=OrganizationVerification.choices)
    checks = models.JSONField(default=list, blank=True)
    reasons = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["verified", "rejected"]),
                name="verification_decision_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(reasons=""), name="verification_decision_has_reasons"
            ),
        ]

    def __str__(self):
        return f"{self.organization}: {self.status}"

    def check_labels(self) -> list[str]:
        return [VerificationCheck(c).label for c in self.checks if c in VerificationCheck.values]


class WorkAuthorization(models.TextChoices):
    US_AUTHORIZED = "us_authorized", "US citizen or permanent resident"
    F1_CPT = "f1_cpt", "F-1 student, Curricular Practical Training (CPT)"
    F1_OPT = "f1_opt", "F-1 student, Optional Practical Training (OPT)"
    OTHER_VISA = "other_visa", "Other work visa"
    NOT_AUTHORIZED = "not_authorized", "Not yet authorized to work in the US"


# Declared statuses that career services must check against a document
# before the student can be accepted for paid work.
AUTHORIZATIONS_NEEDING_VERIFICATION = frozenset(
    {WorkAuthorization.F1_CPT, WorkAuthorization.F1_OPT, WorkAuthorization.OTHER_VISA}
)


class AuthorizedSchedule(models.TextChoices):
    """What an F-1 authorization allows outside term: part time (20 hours a week) or full time."""

    PART_TIME = "part_time", "Part time (up to 20 hours a week)"
    FULL_TIME = "full_time", "Full time"


class OptKind(models.TextChoices):
    PRE_COMPLETION = "pre_completion", "Pre-completion OPT (before graduating)"
    POST_COMPLETION = "post_completion", "Post-completion OPT (after graduating)"
    STEM_EXTENSION = "stem_extension", "STEM OPT extension"


class AuthorizationStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", "No verification needed"
    PENDING = "pending", "Awaiting career services verification"
    VERIFIED = "verified", "Verified by career services"
    REJECTED = "rejected", "Not verified by career services"
    NOT_AUTHORIZED = "not_authorized", "Not authorized to work"


# The statuses of a declaration that career services review (verify or reject).
REVIEWED_AUTHORIZATION_STATUSES = (
    AuthorizationStatus.PENDING,
    AuthorizationStatus.VERIFIED,
    AuthorizationStatus.REJECTED,
)


class Affiliation(models.TextChoices):
    """Is the student really at the school they named? Verified, never just claimed."""

    UNVERIFIED = "unverified", "School not verified"
    PENDING = "pending", "Claim awaiting career services"
    VERIFIED = "verified", "School verified"
    DECLINED = "declined", "Claim declined by career services"


class AffiliationMethod(models.TextChoices):
    SCHOOL_EMAIL = "school_email", "Confirmed a school email address"
    CAREER_STAFF = "career_staff", "Approved by career services"


def authorization_upload_path(instance, filename):
    return f"authorizations/{uuid.uuid4().hex}"


def resume_upload_path(instance, filename):
    # A random name: the file is only ever served through an access-checked view.
    return f"resumes/{uuid.uuid4().hex}.pdf"


class StudentProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="student_profile",
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students")
    major = models.CharField(max_length=120)
    graduation_year = models.PositiveSmallIntegerField()
    skills = models.ManyToManyField(Skill, blank=True, related_name="students")
    bio = models.TextField("short bio", max_length=1000, blank=True)
    linkedin_url = models.URLField("LinkedIn", max_length=300, blank=True)
    github_url = models.URLField("GitHub", max_length=300, blank=True)
    portfolio_url = models.URLField("portfolio or website", max_length=300, blank=True)
    resume = models.FileField(upload_to=resume_upload_path, blank=True, max_length=200)
    resume_filename = models.CharField(max_length=200, blank=True)
    resume_uploaded_at = models.DateTimeField(null=True, blank=True)
    work_authorization = models.CharField(max_length=20, choices=WorkAuthorization.choices)
    work_authorization_status = models.CharField(max_length=20, choices=AuthorizationStatus.choices)
    work_authorization_note = models.TextField(
        blank=True, help_text="Career services' reason, shown to the student."
    )
    # What the student had declared before changing to a status that would otherwise need
    # no check (e.g. from F-1 CPT to US citizen): career services confirm such a change
    # before it lifts the block on acceptance. Empty when the declaration is not a change.
    authorization_changed_from = models.CharField(
        "declared before", max_length=20, choices=WorkAuthorization.choices, blank=True
    )
    # The document behind a declared CPT, OPT or visa, and the dates it is valid for.
    authorization_document = models.FileField(
        upload_to=authorization_upload_path, blank=True, max_length=200
    )
    authorization_document_name = models.CharField(max_length=200, blank=True)
    authorization_valid_from = models.DateField(null=True, blank=True)
    authorization_valid_until = models.DateField(null=True, blank=True)
    authorization_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    authorization_reviewed_at = models.DateTimeField(null=True, blank=True)
    # A CPT is granted for one employer, between two dates, part or full time (the I-20 says
    # which); career services record them when they verify it.
    cpt_organization = models.ForeignKey(
        "Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cpt_students",
        verbose_name="CPT employer",
    )
    authorized_schedule = models.CharField(
        "authorized schedule", max_length=10, choices=AuthorizedSchedule.choices, blank=True
    )
    opt_kind = models.CharField("kind of OPT", max_length=20, choices=OptKind.choices, blank=True)
    # School affiliation (accounts.affiliation changes it).
    affiliation = models.CharField(
        "school affiliation",
        max_length=12,
        choices=Affiliation.choices,
        default=Affiliation.UNVERIFIED,
    )
    affiliation_method = models.CharField(
        max_length=20, choices=AffiliationMethod.choices, blank=True
    )
    # The confirmed school address behind a verification by email.
    affiliation_email = models.EmailField(max_length=254, blank=True)
    affiliation_verified_at = models.DateTimeField(null=True, blank=True)
    # What the student tells career services when they claim the affiliation.
    affiliation_claim = models.TextField(max_length=1000, blank=True)
    affiliation_claimed_at = models.DateTimeField(null=True, blank=True)
    affiliation_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Career services' reason for approving or declining the claim.
    affiliation_reason = models.TextField(blank=True)
    # A school address that verified the student and is gone (removed): flagged until
    # the student verifies again.
    affiliation_lapsed_email = models.EmailField(max_length=254, blank=True)
    affiliation_lapsed_at = models.DateTimeField(null=True, blank=True)
    show_evaluations_to_employers = models.BooleanField(
        "show my evaluation averages to employers",
        default=False,
        help_text="Employers who review your applications see your average scores.",
    )
    # Talent pools and outreach (projects.talent decides what these allow).
    discoverable = models.BooleanField(
        "employers I have applied to may save me to their talent pool",
        default=False,
        help_text="Employers who have shortlisted you may keep you in their talent pool and "
        "see your profile there. Employers you have worked for always can.",
    )
    contactable = models.BooleanField(
        "employers may invite me to projects and tell me about full-time roles",
        default=False,
        help_text="Without this, no employer can send you an invitation or a full-time "
        "message, not even one you have worked for.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [
            ("verify_work_authorization", "Can verify or reject a student's work authorization"),
            ("verify_school_affiliation", "Can approve or decline a student's school claim"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(graduation_year__gte=1950, graduation_year__lte=2100),
                name="student_graduation_year_range",
            ),
            models.CheckConstraint(
                condition=models.Q(work_authorization__in=WorkAuthorization.values),
                name="student_work_authorization_valid",
            ),
            # The status must fit the declared authorization. A US citizen or permanent
            # resident needs no check, unless it is a change from another declaration: then
            # career services review the change like any document.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        work_authorization=WorkAuthorization.US_AUTHORIZED,
                        work_authorization_status=AuthorizationStatus.NOT_REQUIRED,
                        authorization_changed_from="",
                    )
                    | (
                        models.Q(
                            work_authorization=WorkAuthorization.US_AUTHORIZED,
                            work_authorization_status__in=list(REVIEWED_AUTHORIZATION_STATUSES),
                        )
                        & ~models.Q(authorization_changed_from="")
                    )
                    | models.Q(
                        work_authorization=WorkAuthorization.NOT_AUTHORIZED,
                        work_authorization_status=AuthorizationStatus.NOT_AUTHORIZED,
                    )
                    | models.Q(
                        # Sorted: a set's order changes between runs, and so would the migration.
                        work_authorization__in=sorted(AUTHORIZATIONS_NEEDING_VERIFICATION),
                        work_authorization_status__in=list(REVIEWED_AUTHORIZATION_STATUSES),
                    )
                ),
                name="student_authorization_status_fits",
            ),
            models.CheckConstraint(
                condition=models.Q(authorization_changed_from="")
                | models.Q(authorization_changed_from__in=WorkAuthorization.values),
                name="student_authorization_changed_from_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(authorization_valid_from__isnull=True)
                | models.Q(authorization_valid_until__isnull=True)
                | models.Q(authorization_valid_until__gte=models.F("authorization_valid_from")),
                name="student_authorization_dates_ordered",
            ),
            # A verified CPT names its employer, its dates and its schedule: acceptance and
            # time logging are checked against them.
            models.CheckConstraint(
                condition=~models.Q(
                    work_authorization=WorkAuthorization.F1_CPT,
                    work_authorization_status=AuthorizationStatus.VERIFIED,
                )
                | models.Q(
                    cpt_organization__isnull=False,
                    authorization_valid_from__isnull=False,
                    authorization_valid_until__isnull=False,
                    authorized_schedule__in=AuthorizedSchedule.values,
                ),
                name="student_verified_cpt_is_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(authorized_schedule="")
                | models.Q(authorized_schedule__in=AuthorizedSchedule.values),
                name="student_authorized_schedule_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(opt_kind="") | models.Q(opt_kind__in=OptKind.values),
                name="student_opt_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(affiliation__in=Affiliation.values),
                name="student_affiliation_valid",
            ),
            # Verified says how and when; anything else keeps no method.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        affiliation=Affiliation.VERIFIED,
                        affiliation_method__in=AffiliationMethod.values,
                        affiliation_verified_at__isnull=False,
                    )
                    | (
                        ~models.Q(affiliation=Affiliation.VERIFIED)
                        & models.Q(affiliation_method="", affiliation_verified_at__isnull=True)
                    )
                ),
                name="student_affiliation_verified_has_method",
            ),
            # A verification by email names the address; one by career services, a reason.
            models.CheckConstraint(
                condition=~models.Q(affiliation_method=AffiliationMethod.SCHOOL_EMAIL)
                | ~models.Q(affiliation_email=""),
                name="student_affiliation_email_named",
            ),
            models.CheckConstraint(
                condition=~models.Q(affiliation_method=AffiliationMethod.CAREER_STAFF)
                | ~models.Q(affiliation_reason=""),
                name="student_affiliation_approval_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "affiliation"], name="student_school_affiliation"),
        ]

    def __str__(self):
        return f"{self.user.get_full_name()} ({self.school})"

    @property
    def affiliation_verified(self) -> bool:
        return self.affiliation == Affiliation.VERIFIED

    @classmethod
    def verified_at_school(cls, school_id, prefix: str = "") -> models.Q:
        """Students whose affiliation with that school is verified (`prefix` e.g.
        "student__student_profile__"): what oversight lists and figures count."""
        return models.Q(
            **{f"{prefix}school_id": school_id, f"{prefix}affiliation": Affiliation.VERIFIED}
        )

    @property
    def resume_display_name(self):
        return self.resume_filename or PurePath(self.resume.name).name if self.resume else ""

    @property
    def authorization_needs_verification(self):
        return self.work_authorization in AUTHORIZATIONS_NEEDING_VERIFICATION

    @property
    def authorization_is_reviewed(self):
        """Career services verify or reject this declaration (a document, or a change)."""
        return self.work_authorization_status in REVIEWED_AUTHORIZATION_STATUSES

    # Validity of a verified authorization: the one place its dates are compared with a day.

    def authorization_expired_on(self, day: date) -> bool:
        until = self.authorization_valid_until
        return until is not None and until < day

    def authorization_not_yet_valid_on(self, day: date) -> bool:
        valid_from = self.authorization_valid_from
        return valid_from is not None and valid_from > day

    @property
    def is_verified_cpt(self) -> bool:
        return (
            self.work_authorization == WorkAuthorization.F1_CPT
            and self.work_authorization_status == AuthorizationStatus.VERIFIED
        )

    @property
    def works_part_time_in_term(self) -> bool:
        """A verified CPT or pre-completion OPT: hours are capped during term. An OPT whose
        kind was not recorded counts as pre-completion, the stricter reading."""
        if self.work_authorization_status != AuthorizationStatus.VERIFIED:
            return False
        if self.work_authorization == WorkAuthorization.F1_CPT:
            return True
        return self.work_authorization == WorkAuthorization.F1_OPT and self.opt_kind in (
            "",
            OptKind.PRE_COMPLETION,
        )

    def cpt_covers_day(self, day: date) -> bool:
        """Whether a verified CPT allows work on this day (always True for other statuses)."""
        if not self.is_verified_cpt:
            return True
        return self.authorization_valid_from <= day <= self.authorization_valid_until

    @property
    def authorization_expired(self) -> bool:
        return self.authorization_expired_on(timezone.localdate())

    @classmethod
    def expired_authorizations(cls, day: date, prefix: str = "") -> models.Q:
        """The same rule as a filter, for querysets of this model (or, with `prefix`, of
        a model that reaches it, e.g. "student__student_profile__")."""
        return models.Q(
            **{
                f"{prefix}work_authorization_status": AuthorizationStatus.VERIFIED,
                f"{prefix}authorization_valid_until__lt": day,
            }
        )

    @property
    def authorization_change_display(self):
        """ "from F-1 CPT to US citizen…" for a declared change under review, else ""."""
        if not self.authorization_changed_from:
            return ""
        before = WorkAuthorization(self.authorization_changed_from).label
        return f"from {before} to {self.get_work_authorization_display()}"


class AffiliationClaim(StudentProfile):
    """A student's school affiliation as career services review it (the claims queue)."""

    class Meta:
        proxy = True
        verbose_name = "school affiliation claim"


class TeamRole(models.TextChoices):
    """An employer's role in their organization's team (accounts.teams)."""

    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"


class EmployerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="employer_profile",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="employers"
    )
    job_title = models.CharField(max_length=120)
    # Admins edit the organization, invite colleagues, decide join requests and set roles.
    team_role = models.CharField(
        "role in the team", max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team_role__in=TeamRole.values), name="employer_team_role_valid"
            )
        ]

    def __str__(self):
        return f"{self.user.get_full_name()} — {self.organization}"

    @property
    def is_team_admin(self) -> bool:
        return self.team_role == TeamRole.ADMIN


class OrganizationJoinRequest(models.Model):
    """An employer asks to join an organization that already exists; its admins decide."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the organization's admins"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="join_requests"
    )
    job_title = models.CharField(max_length=120)
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="join_request_one_pending_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "declined", "withdrawn"]),
                name="join_request_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.organization}"


class OrganizationInvitation(models.Model):
    """An admin invites a colleague by email to join the organization's team."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=models.Q(status="pending"),
                name="org_invitation_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "accepted", "revoked"]),
                name="org_invitation_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=TeamRole.values), name="org_invitation_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organization}"


class CareerStaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="career_staff_profile",
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="career_staff")
    job_title = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = "career services staff member"
        verbose_name_plural = "career services staff"

    def __str__(self):
        return f"{self.user.get_full_name()} — {self.school}"


class StaffAccessRequest(models.Model):
    """Someone from a school's career services asks for an oversight account."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    email = models.EmailField("work email address", max_length=254)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="staff_requests")
    job_title = models.CharField(max_length=120)
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "career services access request"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(status="pending"),
                name="staff_request_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "declined"]),
                name="staff_request_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} <{self.email}> — {self.school}"


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
