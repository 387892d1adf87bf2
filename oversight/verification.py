"""The evidence a platform admin weighs before verifying an organization, in a fixed number
of queries: its employers' email domains against its website's, its website, registration
number and LinkedIn page, how long it has been on the platform, reports against it (career
services' flags) and earlier decisions."""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.models import EmployerProfile, Organization, VerificationDecision
from accounts.teams import PUBLIC_EMAIL_DOMAINS, email_domain, website_domain
from oversight.models import Flag


@dataclass(frozen=True)
class DomainRow:
    domain: str
    employers: int
    matches: bool
    public: bool


@dataclass(frozen=True)
class Evidence:
    organization: Organization
    website_domain: str
    domains: list[DomainRow]
    on_platform_for: timedelta
    reports: list[Flag]
    open_reports: int
    decisions: list[VerificationDecision]

    @property
    def every_domain_matches(self) -> bool:
        return bool(self.domains) and all(row.matches for row in self.domains)


def _matches(domain: str, site: str) -> bool:
    return bool(site) and (domain == site or domain.endswith("." + site))


def verification_evidence(organization: Organization, *, reports_shown: int = 20) -> Evidence:
    site = website_domain(organization.website)
    counts = Counter(
        email_domain(email)
        for email in EmployerProfile.objects.filter(organization=organization).values_list(
            "user__email", flat=True
        )
    )
    domains = [
        DomainRow(
            domain=domain,
            employers=n,
            matches=_matches(domain, site),
            public=domain in PUBLIC_EMAIL_DOMAINS,
        )
        for domain, n in sorted(counts.items())
    ]
    reports = list(
        Flag.objects.filter(organization=organization)
        .select_related("school")
        .order_by("-raised_at")[:reports_shown]
    )
    return Evidence(
        organization=organization,
        website_domain=site,
        domains=domains,
        on_platform_for=timezone.now() - organization.created_at,
        reports=reports,
        open_reports=Flag.objects.filter(
            organization=organization, status=Flag.Status.OPEN
        ).count(),
        decisions=list(
            organization.verification_decisions.select_related("decided_by").order_by(
                "-decided_at", "-id"
            )[:10]
        ),
    )
