"""Verifying an organization from evidence: what the queue shows, the checklist, the
recorded and audited decision, and the reasons a rejected organization reads."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    AuditEvent,
    Organization,
    OutboundEmail,
    TeamRole,
    VerificationDecision,
)
from oversight.models import Flag
from tests.factories import EmployerFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def harbor():
    org = OrganizationFactory(
        name="Harbor & Pine Studio",
        website="https://www.harborandpine.example/about",
        registration_number="84-1234567",
        linkedin_url="https://www.linkedin.com/company/harbor-pine",
        created_at=timezone.now() - timedelta(days=40),
    )
    EmployerFactory(organization=org, user__email="lena@harborandpine.example")
    EmployerFactory(
        organization=org, user__email="max@studio.harborandpine.example", team_role="member"
    )
    EmployerFactory(organization=org, user__email="lena.f@gmail.com", team_role="member")
    return org


def url(org):
    return reverse("admin:accounts_organization_verification", args=[org.pk])


def test_the_queue_shows_the_evidence(client, platform_admin, harbor, school):
    Flag.objects.create(
        school=school, organization=harbor, note="Asked a student to work unpaid hours"
    )
    client.force_login(platform_admin)

    page = client.get(url(harbor)).content.decode()

    assert "harborandpine.example · 1 employer · <strong>matches the website" in page
    assert "studio.harborandpine.example · 1 employer · <strong>matches the website" in page
    assert 'gmail.com · 1 employer · <strong class="integrity-flag">⚠ a public mail' in page
    assert "84-1234567" in page
    assert "https://www.linkedin.com/company/harbor-pine" in page
    assert "1\xa0month" in page  # timesince joins with a no-break space
    assert "Asked a student to work unpaid hours" in page
    listing = client.get(
        reverse("admin:accounts_organization_changelist") + "?verification_status__exact=unverified"
    ).content.decode()
    assert url(harbor) in listing


def test_a_domain_unlike_the_website_is_flagged(client, platform_admin):
    org = OrganizationFactory(website="https://brightline.example")
    EmployerFactory(organization=org, user__email="sam@bright-line-consulting.example")
    client.force_login(platform_admin)

    page = client.get(url(org)).content.decode()

    assert "⚠ does not match the website" in page


def test_verifying_records_the_checks_and_reasons_and_audits_them(client, platform_admin, harbor):
    client.force_login(platform_admin)

    response = client.post(
        url(harbor),
        {
            "checks": ["website", "domains", "registration"],
            "reasons": "EIN matches the IRS listing; two staff on the company domain.",
            "decision": "verify",
        },
    )

    assert response.status_code == 302
    harbor.refresh_from_db()
    assert harbor.is_verified
    decision = VerificationDecision.objects.get(organization=harbor)
    assert decision.checks == ["website", "domains", "registration"]
    assert decision.decided_by == platform_admin
    event = AuditEvent.objects.get(action="organization.verification_decided")
    assert event.data["checks"] == ["website", "domains", "registration"]
    assert "EIN matches" in event.data["reasons"]
    assert "EIN matches" in client.get(url(harbor)).content.decode()


def test_verifying_without_checking_website_and_domains_is_refused(client, platform_admin, harbor):
    client.force_login(platform_admin)

    response = client.post(
        url(harbor), {"checks": ["linkedin"], "reasons": "Looks fine", "decision": "verify"}
    )

    assert response.status_code == 200
    assert "at least the website" in str(response.context["form"].errors["checks"])
    harbor.refresh_from_db()
    assert not harbor.is_verified
    assert not VerificationDecision.objects.exists()


def test_a_decision_needs_reasons(client, platform_admin, harbor):
    client.force_login(platform_admin)

    response = client.post(url(harbor), {"checks": [], "reasons": " ", "decision": "reject"})

    assert response.status_code == 200
    assert response.context["form"].errors["reasons"]
    harbor.refresh_from_db()
    assert harbor.verification_status == Organization.Verification.UNVERIFIED


def test_a_rejected_organization_is_told_why(
    client, platform_admin, harbor, django_capture_on_commit_callbacks
):
    client.force_login(platform_admin)

    client.post(
        url(harbor),
        {
            "checks": ["website"],
            "reasons": "The website belongs to another company; send your EIN.",
            "decision": "reject",
        },
    )

    harbor.refresh_from_db()
    assert harbor.verification_status == Organization.Verification.REJECTED
    assert harbor.verification_note == "The website belongs to another company; send your EIN."
    mail = OutboundEmail.objects.get(subject__contains="could not be verified")
    assert "lena@harborandpine.example" in mail.to
    assert "send your EIN" in mail.body
    employer = harbor.employers.get(user__email="lena@harborandpine.example").user
    client.force_login(employer)
    assert "send your EIN" in client.get(reverse("employer_dashboard")).content.decode()


def test_career_staff_and_employers_never_open_the_evidence(client, career_staff, harbor):
    client.force_login(career_staff)
    assert client.get(url(harbor)).status_code == 404
    client.force_login(harbor.employers.get(team_role=TeamRole.OWNER).user)
    response = client.get(url(harbor))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_evidence_page_costs_the_same_queries_for_few_or_many_employers(
    client, platform_admin, harbor, school
):
    client.force_login(platform_admin)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(harbor)).status_code == 200
    for n in range(10):
        EmployerFactory(organization=harbor, user__email=f"e{n}@harborandpine.example")
        Flag.objects.create(school=school, organization=harbor, note=f"Report {n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(harbor)).status_code == 200

    assert len(many) == len(few)


def test_employers_give_a_registration_number_and_linkedin_page(client):
    employer = EmployerFactory()
    client.force_login(employer.user)
    org = employer.organization

    client.post(
        reverse("profile"),
        {
            "account-first_name": "Lee",
            "account-last_name": "Tran",
            "account-time_zone": "America/Chicago",
            "job_title": "Founder",
            "name": org.name,
            "website": org.website,
            "industry": org.industry,
            "size": org.size,
            "description": org.description,
            "registration_number": " 12-3456789 ",
            "linkedin_url": "linkedin.com/company/acme",
        },
    )

    org.refresh_from_db()
    assert org.registration_number == "12-3456789"
    assert org.linkedin_url == "https://linkedin.com/company/acme"
