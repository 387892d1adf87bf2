"""Student profiles: work authorizations and school affiliation."""

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone

from .schools import School, Skill


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
    SCHOOL_SSO = "school_sso", "Signed in through the school's single sign-on"


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
    # A school address that verified the student and is gone (removed, or mail to it
    # bounced): flagged until the student verifies again.
    affiliation_lapsed_email = models.EmailField(max_length=254, blank=True)
    affiliation_lapsed_at = models.DateTimeField(null=True, blank=True)
    affiliation_lapsed_because = models.CharField(
        max_length=10,
        blank=True,
        choices=[("removed", "removed from the account"), ("bounced", "mail to it bounced")],
    )
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
