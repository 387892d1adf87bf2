"""Organizations that post projects, whether they may take students, and the evidence behind
their verification."""

from django.conf import settings
from django.db import models
from django.utils import timezone


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
    # Students on post-completion OPT report their employer's address to SEVP.
    address = models.TextField(
        "postal address",
        max_length=500,
        blank=True,
        help_text="Students on OPT report it to the government with their employment.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set by an owner on the team page: once the platform has verified the organization,
    # colleagues with a confirmed address at its website's domain join without waiting.
    auto_join_domain = models.BooleanField(
        "let colleagues at our domain join without approval", default=False
    )
    # A duplicate merged into another organization by a platform admin (accounts.merging):
    # empty, kept for its history, offered to nobody.
    archived_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

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
            models.CheckConstraint(
                condition=models.Q(merged_into__isnull=True) | models.Q(archived_at__isnull=False),
                name="organization_merged_is_archived",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def can_take_students(self) -> bool:
        """The one rule for publishing projects, being listed to students and accepting them:
        verified by the platform (for its current name and website) and not suspended.
        Engagements already under way continue either way."""
        return (
            self.verification_status == self.Verification.VERIFIED
            and not self.suspended_at
            and not self.archived_at
        )

    @property
    def is_verified(self):
        return self.can_take_students

    def not_taking_students_reason(self) -> str:
        """Why the organization cannot take students now, for its employers ("" if it can)."""
        if self.archived_at:
            return "This organization was merged into another one and is archived."
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
            f"{prefix}archived_at__isnull": True,
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
