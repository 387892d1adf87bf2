import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def log_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("student", "dashboard"),
        ("employer", "dashboard"),
        ("career_staff", "dashboard"),
        ("platform_admin", "admin:index"),
    ],
)
def test_each_role_logs_in_with_email_and_password(client, request, who, lands_on):
    user = request.getfixturevalue(who)

    response = log_in(client, user.email.upper())

    assert response.status_code == 302
    assert response.url == reverse(lands_on)
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    ("who", "dashboard"),
    [
        ("student", "student_dashboard"),
        ("employer", "employer_dashboard"),
        ("career_staff", "career_staff_dashboard"),
    ],
)
def test_the_dashboard_address_leads_each_role_to_its_own_dashboard(
    client, request, who, dashboard
):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("dashboard"), follow=True)

    assert response.redirect_chain[-1][0] == reverse(dashboard)
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["student", "employer"])
def test_a_user_without_a_profile_is_asked_for_it_after_login(client, role):
    user = UserFactory(role=role)

    response = log_in(client, user.email)

    assert response.url == reverse("profile")


def test_a_wrong_password_is_refused_with_a_message(client, student):
    response = log_in(client, student.email, "not my password")

    assert response.status_code == 200
    assert b"not correct" in response.content
    assert "_auth_user_id" not in client.session


def test_logging_out_ends_the_session(client, student):
    client.force_login(student)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("student_dashboard")).status_code == 302


def test_repeated_failed_logins_lock_the_account_for_a_while(client, student):
    for _ in range(5):
        log_in(client, student.email, "guessing")

    response = log_in(client, student.email)

    assert response.status_code == 200
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_login_page_offers_password_reset_and_sign_up(client):
    page = client.get(reverse("account_login"))

    assert reverse("account_reset_password").encode() in page.content
    assert reverse("account_signup").encode() in page.content
