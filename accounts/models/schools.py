"""Schools, their other email domains and academic terms, and skills."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


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
    sso_required_for_staff = models.BooleanField(
        "staff must use single sign-on",
        default=False,
        help_text="Career services staff of this school sign in through the school's single "
        "sign-on only: their password login is refused.",
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
