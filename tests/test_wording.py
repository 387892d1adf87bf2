"""Words a newcomer reads: one name for logging in, and a real contact wherever we say
"contact us"."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = re.compile(r"sign[ -]?in|sign[ -]?out|signed (in|out)", re.IGNORECASE)


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_the_login_page_says_log_in_like_the_navigation(client):
    html = client.get(reverse("account_login")).content.decode()

    assert re.search(r"<h1[^>]*>\s*Log in\s*</h1>", html)
    assert re.search(r'<button[^>]*type="submit"[^>]*>\s*Log in\s*</button>', html)
    assert not SIGN_IN.search(visible_text(html))


def test_logging_in_and_out_say_log_in_and_log_out(client):
    user = StudentFactory().user

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert "Logged in as" in response.content.decode()
    confirm = client.get(reverse("account_logout")).content.decode()
    assert re.search(r"<h1[^>]*>\s*Log out\s*</h1>", confirm)
    assert not SIGN_IN.search(visible_text(confirm))
    response = client.post(reverse("account_logout"), follow=True)
    html = response.content.decode()
    assert "You have logged out." in html
    assert not SIGN_IN.search(visible_text(html))


@override_settings(SUPPORT_EMAIL="help@interns.example.org")
@pytest.mark.parametrize(
    "page",
    ["account_reset_password", "account_reset_password_done", "account_email_verification_sent"],
)
def test_pages_that_say_contact_us_give_the_support_address(client, page):
    html = client.get(reverse(page)).content.decode()

    assert 'href="mailto:help@interns.example.org"' in html
    assert not SIGN_IN.search(visible_text(html))


@override_settings(SUPPORT_EMAIL="help@interns.example.org")
def test_every_page_footer_gives_the_support_address(client):
    html = client.get(reverse("home")).content.decode()

    assert 'href="mailto:help@interns.example.org"' in html


@override_settings(SUPPORT_EMAIL="help@interns.example.org")
def test_an_unconfirmed_address_is_told_whom_to_contact(client):
    user = UserFactory(confirmed_email=False)

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )

    assert 'href="mailto:help@interns.example.org"' in response.content.decode()
