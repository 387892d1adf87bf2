"""Headers every response carries: the Content-Security-Policy (no inline code, Stripe only
with Stripe keys) and, on signed-in pages, Cache-Control: private, no-store."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from marketplace.csp import content_security_policy
from tests.factories import ProjectFactory, accepted_engagement
from tests.test_settings import run_with_env

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_public_pages_carry_a_policy_without_inline_code(client):
    project = ProjectFactory()
    for url in ("/", "/projects/", f"/projects/{project.pk}/", "/accounts/login/", "/nowhere/"):
        policy = directives(client.get(url))
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]


def test_signed_in_and_admin_pages_carry_the_policy(client, student, platform_admin):
    client.force_login(student)
    assert directives(client.get(reverse("student_dashboard")))["script-src"] == ["'self'"]
    client.force_login(platform_admin)
    assert directives(client.get("/admin/accounts/user/"))["script-src"] == ["'self'"]


def test_without_stripe_keys_no_stripe_domain_is_allowed(client):
    assert "stripe" not in client.get("/").headers["Content-Security-Policy"]


def test_with_stripe_keys_the_card_form_and_payout_onboarding_are_allowed(client, settings):
    settings.CONTENT_SECURITY_POLICY = content_security_policy(stripe=True)

    policy = directives(client.get("/"))

    assert policy["script-src"] == ["'self'", "https://js.stripe.com", "https://*.js.stripe.com"]
    assert "https://hooks.stripe.com" in policy["frame-src"]
    assert policy["connect-src"] == ["'self'", "https://api.stripe.com"]
    assert policy["form-action"] == ["'self'", "https://connect.stripe.com"]
    assert policy["style-src"] == ["'self'"]


@pytest.mark.parametrize("stripe", [True, False])
def test_the_policy_follows_the_stripe_keys_in_the_environment(stripe):
    keys = {"STRIPE_PUBLISHABLE_KEY": "pk_test_123", "STRIPE_SECRET_KEY": "sk_test_123"}
    result = run_with_env(
        [
            "-c",
            "import json, django; from django.conf import settings; django.setup(); "
            "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))",
        ],
        DEBUG="true",
        **(keys if stripe else {}),
    )

    assert result.returncode == 0, result.stderr
    policy = json.loads(result.stdout.strip().splitlines()[-1])
    assert ("https://js.stripe.com" in policy["script-src"]) is stripe
    assert ("https://api.stripe.com" in policy["connect-src"]) is stripe


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I), "script"),
    (re.compile(r"<style[\s>]", re.I), "style element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_inline_code_or_styles():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert found == []


# --- Cache-Control -------------------------------------------------------------------------------


def test_signed_in_pages_are_private_and_not_stored(client, student):
    engagement = accepted_engagement(student=student)
    client.force_login(student)

    for url in (
        reverse("student_dashboard"),
        reverse("projects:browse"),
        reverse("engagements:workspace", args=[engagement.pk]),
        reverse("notifications"),
        "/",
        "/nowhere/",
    ):
        assert client.get(url)["Cache-Control"] == "private, no-store", url


def test_admin_pages_are_private_and_not_stored(client, platform_admin):
    client.force_login(platform_admin)

    assert client.get("/admin/accounts/user/")["Cache-Control"] == "private, no-store"


def test_public_pages_for_visitors_are_not_marked_private(client):
    ProjectFactory()

    for url in ("/", "/projects/"):
        assert "no-store" not in client.get(url).get("Cache-Control", ""), url


def test_static_files_keep_their_caching_for_signed_in_users(client, student, settings):
    settings.WHITENOISE_USE_FINDERS = True  # served from static/ as in development
    client.force_login(student)

    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
