"""Withdrawing an application is final, so the student is asked first (no script needed)."""

import pytest
from django.urls import reverse

from projects import applications
from tests.factories import ApplicationFactory, StudentFactory, employer_of

pytestmark = pytest.mark.django_db


def test_the_dashboard_leads_to_a_confirmation_instead_of_withdrawing_at_once(client):
    application = ApplicationFactory()
    client.force_login(application.student)

    html = client.get(reverse("student_dashboard")).content.decode()

    url = reverse("projects:withdraw", args=[application.pk])
    assert f'<a class="btn btn-link btn-sm p-0" href="{url}">' in html
    assert f'action="{url}"' not in html


def test_the_confirmation_says_it_is_final_and_changes_nothing(client):
    application = ApplicationFactory()
    client.force_login(application.student)

    response = client.get(reverse("projects:withdraw", args=[application.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert application.project.title in html
    assert "This is final" in html
    assert "cannot apply to this project again" in html
    assert 'method="post"' in html and "Withdraw my application" in html
    assert f'href="{reverse("student_dashboard")}"' in html  # keep it
    application.refresh_from_db()
    assert application.status == "submitted"


def test_confirming_withdraws_and_tells_the_student(client):
    application = ApplicationFactory()
    client.force_login(application.student)

    response = client.post(reverse("projects:withdraw", args=[application.pk]), follow=True)

    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert f"You withdrew from “{application.project.title}”" in response.content.decode()


def test_an_application_already_decided_has_nothing_to_confirm(client):
    application = ApplicationFactory()
    applications.application_decline(
        actor=employer_of(application.project), application=application, message=""
    )
    client.force_login(application.student)

    response = client.get(reverse("projects:withdraw", args=[application.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("student_dashboard")
    assert "The employer has already decided on this application." in (response.content.decode())


def test_nobody_else_sees_the_confirmation(client):
    application = ApplicationFactory()
    url = reverse("projects:withdraw", args=[application.pk])

    client.force_login(StudentFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(employer_of(application.project))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
