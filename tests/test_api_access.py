"""Who may call what in the REST API: every endpoint under /api/v1/ against every role —
the owner, another user of the same kind, the other roles, anonymous callers, a revoked token
and a token without the endpoint's scope. A new endpoint fails
`test_every_endpoint_is_in_the_matrix` until it is added here."""

import json
from datetime import timedelta

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from api import urls as api_urls
from tests.api_world import build_world, other_scopes, revoked_token, token_with

pytestmark = pytest.mark.django_db

USERS = ["student", "other_student", "employer", "other_employer", "career_staff", "other_staff"]
CALLERS = [*USERS, "anonymous", "revoked", "wrong_scope"]
EMPLOYERS = {"employer", "other_employer"}
STUDENTS = {"student", "other_student"}
STAFF = {"career_staff", "other_staff"}


def new_project() -> dict:
    return {
        "title": "Survey our customers",
        "summary": "Write and send a short survey, then summarise the answers.",
        "description": "We want to know what our customers value most.",
        "category": "industry_research",
        "deliverables": "A survey\nA summary",
        "hours": 20,
        "fee_cents": 40000,
        "days_to_complete": 14,
        "apply_by": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }


# (name, method): (object in the URL, whose kind of token the revoked and wrong-scope
# callers hold, the scope it needs, who succeeds (and with what), who gets 404).
# Every other user gets 403; anonymous callers and revoked tokens 401.
MATRIX = {
    ("me", "GET"): (None, "student", None, dict.fromkeys(USERS, 200), set()),
    ("projects", "GET"): (None, "employer", "projects:read", dict.fromkeys(EMPLOYERS, 200), set()),
    ("projects", "POST"): (
        None,
        "employer",
        "projects:write",
        dict.fromkeys(EMPLOYERS, 201),
        set(),
    ),
    ("project", "GET"): (
        "project",
        "employer",
        "projects:read",
        {"employer": 200},
        {"other_employer"},
    ),
    ("project_publish", "POST"): (
        "draft",
        "employer",
        "projects:write",
        {"employer": 200},
        {"other_employer"},
    ),
    ("project_close", "POST"): (
        "open_project",
        "employer",
        "projects:write",
        {"employer": 200},
        {"other_employer"},
    ),
    ("applicants", "GET"): (
        "open_project",
        "employer",
        "applicants:read",
        {"employer": 200},
        {"other_employer"},
    ),
    ("engagements", "GET"): (
        None,
        "employer",
        "engagements:read",
        dict.fromkeys(EMPLOYERS | STUDENTS, 200),
        set(),
    ),
    ("engagement", "GET"): (
        "engagement",
        "student",
        "engagements:read",
        {"employer": 200, "student": 200},
        {"other_employer", "other_student"},
    ),
    ("applications", "GET"): (
        None,
        "student",
        "applications:read",
        dict.fromkeys(STUDENTS, 200),
        set(),
    ),
    ("records", "GET"): (None, "student", "records:read", dict.fromkeys(STUDENTS, 200), set()),
    **{
        (name, "GET"): (None, "career_staff", "school:read", dict.fromkeys(STAFF, 200), set())
        for name in (
            "school_students",
            "school_engagements",
            "school_evaluations",
            "school_flags",
            "school_dashboard",
        )
    },
}
# Open to anyone, tested below; the OAuth2 token endpoint in tests/test_api_tokens.py.
PUBLIC = {"schema", "docs", "not_found", "oauth_token"}


def _methods(pattern: URLPattern) -> set[str]:
    view = pattern.callback.cls
    return {m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)}


def test_every_endpoint_is_in_the_matrix():
    endpoints = {
        (pattern.name, method)
        for pattern in api_urls.urlpatterns
        if pattern.name not in PUBLIC
        for method in _methods(pattern)
    }

    assert endpoints == set(MATRIX)


def _expected(entry, who: str) -> int:
    _, _, scope, ok, not_found = entry
    if who in ("anonymous", "revoked"):
        return 401
    if who == "wrong_scope":
        return 200 if scope is None else 403
    if who in ok:
        return ok[who]
    return 404 if who in not_found else 403


@pytest.mark.parametrize("who", CALLERS)
@pytest.mark.parametrize("endpoint", list(MATRIX), ids=lambda e: f"{e[1]} {e[0]}")
def test_each_endpoint_answers_each_caller_as_the_matrix_says(client, endpoint, who):
    world = build_world()
    name, method = endpoint
    entry = MATRIX[endpoint]
    obj_key, primary, scope = entry[0], entry[1], entry[2]
    args = [world.objects[obj_key].pk] if obj_key else []
    if who == "revoked":
        headers = {"HTTP_AUTHORIZATION": f"Bearer {revoked_token(world.users[primary])}"}
    elif who == "wrong_scope":
        secret = token_with(world.users[primary], other_scopes(scope))
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    else:
        headers = world.header(who)
    url = reverse(f"api:{name}", args=args)

    if method == "GET":
        response = client.get(url, **headers)
    else:
        body = new_project() if name == "projects" else {}
        response = client.post(url, json.dumps(body), content_type="application/json", **headers)

    assert response.status_code == _expected(entry, who), response.content
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"] and error["message"]
    if response.status_code == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("who", ["student", "employer", "career_staff"])
def test_a_signed_in_session_reads_what_its_role_reads(client, who):
    world = build_world()
    client.force_login(world.users[who])
    names = {
        "student": ["applications", "records", "engagements"],
        "employer": ["projects", "engagements"],
        "career_staff": ["school_students", "school_flags", "school_dashboard"],
    }[who]

    for name in names:
        assert client.get(reverse(f"api:{name}")).status_code == 200
    assert client.get(reverse("api:me")).json()["role"] == who


def test_the_schema_and_the_docs_page_are_public_and_the_docs_use_no_cdn(client):
    schema = client.get(reverse("api:schema"))
    docs = client.get(reverse("api:docs"))

    assert schema.status_code == 200
    assert b"/api/v1/projects/" in schema.content
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "https://" not in html.replace("https://swagger.io", "")
    assert "cdn" not in html.lower()


def test_an_unknown_address_under_the_api_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_method_an_endpoint_does_not_take_is_a_json_405(client):
    world = build_world()

    response = client.delete(reverse("api:projects"), **world.header("employer"))

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_a_malformed_authorization_header_is_refused_in_the_error_shape(client):
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION="Bearer two words")

    assert response.status_code == 401
    assert "Bearer" in response.json()["error"]["message"]
