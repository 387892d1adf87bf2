"""F-1 OPT: work must relate directly to the student's major. Applying asks how, the answer is
kept with the application for the student's SEVP reporting, and career services read it."""

import pytest
from django.urls import reverse

from accounts.models import AuthorizationStatus, OptKind, WorkAuthorization
from projects.models import Application
from tests.factories import ProjectFactory, StudentFactory
from tests.test_applications import apply_form

pytestmark = pytest.mark.django_db


def opt_student(school):
    return StudentFactory(
        school=school,
        major="Economics",
        work_authorization=WorkAuthorization.F1_OPT,
        work_authorization_status=AuthorizationStatus.VERIFIED,
        opt_kind=OptKind.POST_COMPLETION,
    ).user


def test_a_student_on_opt_says_how_the_work_relates_to_their_major(client, school, career_staff):
    student = opt_student(school)
    project = ProjectFactory()
    client.force_login(student)
    url = reverse("projects:apply", args=[project.pk])

    assert (
        "How does this work relate to your major (Economics)?" in client.get(url).content.decode()
    )
    response = client.post(
        url, apply_form(project, relation_to_major="Pricing research applies demand theory.")
    )

    assert response.status_code == 302
    application = Application.objects.get(student=student)
    assert application.relation_to_major == "Pricing research applies demand theory."
    client.force_login(career_staff)
    page = client.get(reverse("admin:projects_application_change", args=[application.pk]))
    assert "Pricing research applies demand theory." in page.content.decode()


def test_an_opt_application_without_the_relation_to_the_major_is_refused_beside_the_field(
    client, school
):
    student = opt_student(school)
    project = ProjectFactory()
    client.force_login(student)

    response = client.post(
        reverse("projects:apply", args=[project.pk]), apply_form(project, relation_to_major="  ")
    )

    assert response.status_code == 200
    assert "work must relate directly to your major (Economics)" in response.content.decode()
    assert not Application.objects.exists()


def test_other_students_are_not_asked(client, student):
    project = ProjectFactory()
    client.force_login(student)

    page = client.get(reverse("projects:apply", args=[project.pk])).content.decode()

    assert "relate to your major" not in page
