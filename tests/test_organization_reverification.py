"""One rule for organizations: only one that is verified (for its current name and website)
and not suspended publishes, is listed to students and accepts them. A verified organization
that renames itself awaits verification again: its open projects pause, nothing is cancelled,
and engagements under way carry on."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Organization
from engagements import services as engagement_services
from engagements import services as engagements
from outcomes import talent
from payments.models import Payout
from projects import applications
from projects.models import ApplicationStatus, ProjectStatus
from projects.services import project_publish
from tests.factories import (
    AdminFactory,
    ApplicationFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)
from tests.payment_helpers import connect, fund
from tests.test_profiles import employer_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory(title="Price research for next year")


def rename(client, project):
    """An employer of the project's verified organization renames it on their profile."""
    employer = employer_of(project)
    org = project.organization
    client.force_login(employer)
    response = client.post(
        reverse("profile"),
        employer_form(
            name=f"{org.name} Holdings",
            website=org.website,
            industry=org.industry,
            size=org.size,
            description=org.description,
        ),
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.verification_status == Organization.Verification.UNVERIFIED
    return employer


def test_a_renamed_organizations_open_project_leaves_browse_but_is_not_cancelled(
    client, project, student
):
    application = ApplicationFactory(project=project)
    assert project.title in client.get(reverse("projects:browse")).content.decode()

    rename(client, project)

    project.refresh_from_db()
    application.refresh_from_db()
    assert project.status == ProjectStatus.OPEN
    assert application.status == ApplicationStatus.SUBMITTED
    client.force_login(student)
    assert project.title not in client.get(reverse("projects:browse")).content.decode()
    org_page = client.get(reverse("organization_detail", args=[project.organization_id]))
    assert project.title not in org_page.content.decode()
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Applications are paused while the platform verifies" in detail
    assert reverse("projects:apply", args=[project.pk]) not in detail


def test_a_renamed_organization_takes_no_applications_and_accepts_no_one(client, project):
    waiting = ApplicationFactory(project=project)
    employer = rename(client, project)
    newcomer = StudentFactory().user

    with pytest.raises(ValidationError, match="no longer taking applications"):
        applications.application_submit(
            student=newcomer,
            project=project,
            data=applications.ApplicationData(
                cover_note="Hello", answers={}, confirmed_availability=True, consented=True
            ),
        )
    with pytest.raises(ValidationError, match="awaits verification"):
        engagement_services.application_accept(actor=employer, application=waiting)
    client.force_login(employer)
    response = client.post(reverse("engagements:accept", args=[waiting.pk]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.SUBMITTED
    page = client.get(response.url).content.decode()
    assert "awaits verification by the platform" in page


def test_a_renamed_organization_cannot_publish_or_invite(client, project):
    employer = rename(client, project)
    draft = ProjectFactory(organization=project.organization, draft=True)
    student = StudentFactory(contactable=True, discoverable=True).user

    with pytest.raises(ValidationError, match="not verified"):
        project_publish(actor=employer, project=draft)
    with pytest.raises(ValidationError, match="not taking applications"):
        talent.invitation_send(actor=employer, student=student, project_id=project.pk)
    draft.refresh_from_db()
    assert draft.status == ProjectStatus.DRAFT


def test_the_employer_is_told_why_on_the_dashboard_and_the_project_page(client, project):
    engagement = accepted_engagement(project=ProjectFactory(organization=project.organization))
    employer = rename(client, project)
    client.force_login(employer)

    dashboard = client.get(reverse("employer_dashboard")).content.decode()
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert "awaits verification by the platform (Name or website changed" in dashboard
    assert "1 open project is hidden from students and takes no applications" in dashboard
    assert project.title in dashboard
    assert "Students already at work carry on" in dashboard
    assert engagement.project.title in dashboard
    assert 'id="paused-notice"' in page
    assert "Nothing is cancelled" in page


def test_engagements_under_way_carry_on_through_funding_work_approval_and_payout(
    client, project, on_commit
):
    engagement = accepted_engagement(project=project, funded=False)
    connect(engagement.student)
    employer = rename(client, project)

    fund(engagement)
    assert engagement.status == "active"
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=8,
        description="Research",
    )
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(note="Done", links=["https://example.com/r"], files=[]),
    )
    with on_commit():
        engagements.submission_approve(actor=employer, engagement=engagement)

    engagement.refresh_from_db()
    assert engagement.status == "paid"
    assert Payout.objects.get(engagement=engagement).status == "paid"


def test_verified_again_the_project_reopens_and_applicants_can_be_accepted(client, project):
    waiting = ApplicationFactory(project=project)
    employer = rename(client, project)

    account_services.organization_verify(
        actor=AdminFactory(), organization=project.organization, note="New name checked"
    )

    client.force_login(StudentFactory().user)
    assert project.title in client.get(reverse("projects:browse")).content.decode()
    engagement = engagement_services.application_accept(actor=employer, application=waiting)
    assert engagement.project == project


def test_editing_without_renaming_keeps_the_organization_taking_students(client, project):
    employer = employer_of(project)
    org = project.organization
    client.force_login(employer)

    client.post(
        reverse("profile"),
        employer_form(
            name=org.name,
            website=org.website,
            industry=org.industry,
            size=org.size,
            description="Now with more detail.",
        ),
    )

    org.refresh_from_db()
    assert org.can_take_students
    assert project.title in client.get(reverse("projects:browse")).content.decode()
