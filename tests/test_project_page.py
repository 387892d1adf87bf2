"""A project's own page, as its employer and as an applicant see it."""

import pytest
from django.urls import reverse

from projects import applications
from tests.factories import (
    ApplicationFactory,
    EmployerFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    approved_engagement,
    employer_of,
)

pytestmark = pytest.mark.django_db


def test_the_employer_reaches_the_applicants_from_the_project_page(client):
    project = ProjectFactory(openings=2)
    ApplicationFactory(project=project)
    shortlisted = ApplicationFactory(project=project)
    applications.application_shortlist(actor=employer_of(project), application=shortlisted)
    client.force_login(employer_of(project))

    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    link = reverse("engagements:applicants", args=[project.pk])
    assert f'href="{link}"' in html
    assert "Review 2 applicants" in html
    assert "1 new" in html


def test_a_project_without_applicants_says_so_on_its_page(client):
    project = ProjectFactory()
    client.force_login(employer_of(project))

    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert "No applicants yet" in html


def test_a_draft_has_no_applicants_link(client):
    project = ProjectFactory(draft=True)
    client.force_login(employer_of(project))

    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert reverse("engagements:applicants", args=[project.pk]) not in html


def test_other_employers_and_students_see_no_applicants_link(client):
    project = ProjectFactory()
    ApplicationFactory(project=project)
    link = reverse("engagements:applicants", args=[project.pk])
    for user in (EmployerFactory(organization__verified=True).user, StudentFactory().user):
        client.force_login(user)
        html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
        assert link not in html


def test_a_student_whose_work_is_under_way_sees_its_status_and_the_workspace(client):
    engagement = accepted_engagement()
    client.force_login(engagement.student)

    html = client.get(reverse("projects:detail", args=[engagement.project_id])).content.decode()

    assert "Your engagement: <strong>In progress</strong>" in html
    assert f'href="{reverse("engagements:workspace", args=[engagement.pk])}"' in html
    assert "Status: <strong>Accepted</strong>" not in html


def test_a_student_whose_work_is_finished_sees_it_approved_with_the_workspace_link(client):
    engagement = approved_engagement(accepted_engagement())
    client.force_login(engagement.student)

    html = client.get(reverse("projects:detail", args=[engagement.project_id])).content.decode()

    assert "Your engagement: <strong>Approved</strong>" in html
    assert "Status: <strong>Accepted</strong>" not in html
    assert f'href="{reverse("engagements:workspace", args=[engagement.pk])}"' in html


def test_a_pending_application_still_shows_its_own_status(client):
    application = ApplicationFactory()
    client.force_login(application.student)

    html = client.get(reverse("projects:detail", args=[application.project_id])).content.decode()

    assert "Status: <strong>Submitted</strong>" in html
    assert "/engagements/" not in html
