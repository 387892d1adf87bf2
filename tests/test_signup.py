import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import Role, User
from tests.factories import PASSWORD, UserFactory
from tests.helpers import link_in_last_mail, path_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def sign_up(client, on_commit, role_url, email="new.person@example.edu", **extra):
    data = {
        "first_name": "Noor",
        "last_name": "Haddad",
        "email": email,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **extra,
    }
    with on_commit():
        return client.post(reverse(role_url), data)


@pytest.mark.parametrize(
    ("url_name", "role"),
    [("signup_student", Role.STUDENT), ("signup_employer", Role.EMPLOYER)],
)
def test_signing_up_creates_an_account_of_that_role_and_mails_a_confirmation_link(
    client, on_commit, url_name, role
):
    response = sign_up(client, on_commit, url_name)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.person@example.edu")
    assert user.role == role
    assert (user.first_name, user.last_name) == ("Noor", "Haddad")
    assert not user.emailaddress_set.get().verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.edu"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


@pytest.mark.parametrize("url_name", ["signup_student", "signup_employer"])
def test_confirming_the_address_logs_in_and_leads_to_the_profile_form(client, on_commit, url_name):
    sign_up(client, on_commit, url_name)
    confirm_path = path_of(link_in_last_mail(r"https?://\S+/confirm-email/\S+"))

    assert client.get(confirm_path).status_code == 200
    response = client.post(confirm_path)

    assert response.status_code == 302
    assert response.url == reverse("profile")
    user = User.objects.get(email="new.person@example.edu")
    assert user.emailaddress_set.get().verified
    assert client.get(reverse("profile")).status_code == 200


def test_an_unconfirmed_account_cannot_log_in_and_gets_a_fresh_link_at_most_every_3_minutes(
    client, on_commit
):
    with time_machine.travel("2026-11-02 09:00Z", tick=False) as clock:
        sign_up(client, on_commit, "signup_student")
        client.logout()
        mail.outbox.clear()
        login = {"login": "new.person@example.edu", "password": NEW_PASSWORD}

        with on_commit():
            response = client.post(reverse("account_login"), login)
        assert response.status_code == 302
        assert response.url == reverse("account_email_verification_sent")
        assert "_auth_user_id" not in client.session
        assert mail.outbox == [], "the link sent at sign-up is still fresh"

        clock.shift(4 * 60)
        with on_commit():
            client.post(reverse("account_login"), login)
        assert "_auth_user_id" not in client.session
        assert len(mail.outbox) == 1
        assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_the_role_cannot_be_chosen_by_posting_it(client, on_commit):
    sign_up(client, on_commit, "signup_student", role=Role.CAREER_STAFF, is_staff="on")

    user = User.objects.get(email="new.person@example.edu")
    assert user.role == Role.STUDENT
    assert not user.is_staff


def test_there_is_no_sign_up_page_for_career_staff(client):
    page = client.get(reverse("account_signup"))

    assert page.status_code == 200
    assert reverse("signup_student").encode() in page.content
    assert reverse("signup_employer").encode() in page.content
    assert reverse("staff_access_request").encode() in page.content
    # The generic sign-up address only offers the two roles; it creates no account.
    assert client.post(reverse("account_signup"), {"email": "x@example.edu"}).status_code == 405
    assert client.get("/accounts/signup/career_staff/").status_code == 404
    assert not User.objects.filter(email="x@example.edu").exists()


def test_a_bad_sign_up_shows_what_to_fix_and_creates_nothing(client, on_commit):
    response = sign_up(
        client, on_commit, "signup_student", email="not-an-email", password2="something else"
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "email" in form.errors
    assert "password2" in form.errors or "__all__" in form.errors
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_signing_up_with_a_taken_address_reveals_nothing_and_mails_the_owner(client, on_commit):
    UserFactory(email="taken@example.edu")

    response = sign_up(client, on_commit, "signup_employer", email="taken@example.edu")

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email="taken@example.edu").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["taken@example.edu"]


def test_password_reset_by_mail(client, on_commit):
    user = UserFactory(email="forgetful@example.edu")

    with on_commit():
        client.post(reverse("account_reset_password"), {"email": "forgetful@example.edu"})
    reset_path = path_of(link_in_last_mail(r"https?://\S+/password/reset/key/\S+"))
    form_page = client.get(reset_path, follow=True)
    with on_commit():
        response = client.post(
            form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_path,
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)


# --- Password length (ASVS 2.1.1) -------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["signup_student", "signup_employer"])
def test_the_sign_up_form_states_the_password_rule(client, url_name):
    page = client.get(reverse(url_name)).content.decode()

    assert "Use at least 12 characters" in page


@pytest.mark.parametrize("url_name", ["signup_student", "signup_employer"])
def test_a_password_shorter_than_12_characters_is_refused_with_a_helpful_message(
    client, on_commit, url_name
):
    eleven = "Qx7-vbn-Lm2"
    response = sign_up(client, on_commit, url_name, password1=eleven, password2=eleven)

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("password1", []))
    assert "use at least 12 characters" in errors
    assert "passphrase" in errors
    assert not User.objects.exists()
    assert mail.outbox == []


def test_a_password_of_12_characters_is_enough(client, on_commit):
    twelve = "Qx7-vbn-Lm2w"
    response = sign_up(client, on_commit, "signup_student", password1=twelve, password2=twelve)

    assert response.status_code == 302
    assert User.objects.get(email="new.person@example.edu").check_password(twelve)


def test_changing_a_password_follows_the_same_rule(client):
    user = UserFactory()
    client.force_login(user)
    short = "Qx7-vbn-Lm2"

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": short, "password2": short},
    )

    assert response.status_code == 200
    assert "use at least 12 characters" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_demo_and_test_passwords_meet_the_rule():
    from django.contrib.auth.password_validation import validate_password

    from demo.accounts import DEMO_PASSWORD

    validate_password(DEMO_PASSWORD)
    validate_password(PASSWORD)
