"""API tokens and OAuth2 clients: made on the API page, shown once, stored hashed, scoped,
revocable, audited, tied to their maker's membership, and rate limited."""

import base64

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from api.models import ApiClient, ApiToken
from api.tokens import token_for_secret
from tests.api_world import make_token
from tests.factories import EmployerFactory, OrganizationFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return EmployerFactory(organization__verified=True).user


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_made_on_the_page_is_shown_once_and_stored_only_as_a_hash(client, owner):
    client.force_login(owner)

    made = client.post(
        reverse("api_settings:token_create"),
        {"name": "Applicant tracking", "scopes": ["projects:read", "applicants:read"]},
        follow=True,
    )
    secret = made.context["new_token"]["secret"]
    shown_again = client.get(reverse("api_settings:tokens"))

    assert secret.startswith("mkt_")
    assert secret not in shown_again.content.decode()
    token = ApiToken.objects.get()
    assert secret not in (token.secret_hash, token.prefix)
    assert token.scopes == ["applicants:read", "projects:read"]
    assert token.organization_id == owner.employer_profile.organization_id
    assert AuditEvent.objects.filter(action="api.token_created", actor=owner).exists()
    me = client.get(reverse("api:me"), **bearer(secret)).json()
    assert me["token"] == "Applicant tracking"
    assert me["scopes"] == ["applicants:read", "projects:read"]


def test_a_recruiter_sees_the_tokens_but_cannot_make_or_revoke_them(client, owner):
    recruiter = EmployerFactory(
        organization=owner.employer_profile.organization, team_role="member"
    ).user
    make_token(owner)
    client.force_login(recruiter)

    page = client.get(reverse("api_settings:tokens"))
    made = client.post(
        reverse("api_settings:token_create"), {"name": "Mine", "scopes": ["projects:read"]}
    )
    revoked = client.post(reverse("api_settings:token_revoke", args=[ApiToken.objects.get().pk]))

    assert page.status_code == 200 and "Test program" in page.content.decode()
    assert made.status_code == 403
    assert revoked.status_code == 403
    assert ApiToken.objects.get().revoked_at is None


def test_a_token_is_scoped_used_and_revoked(client, owner):
    secret = make_token(owner, scopes=["projects:read"])

    listed = client.get(reverse("api:projects"), **bearer(secret))
    refused = client.get(reverse("api:engagements"), **bearer(secret))
    token = ApiToken.objects.get()
    client.force_login(owner)
    client.post(reverse("api_settings:token_revoke", args=[token.pk]))
    client.logout()
    after = client.get(reverse("api:projects"), **bearer(secret))

    assert listed.status_code == 200
    assert refused.status_code == 403
    token.refresh_from_db()
    assert token.last_used_at is not None and token.revoked_at is not None
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "authentication_failed"
    assert AuditEvent.objects.filter(action="api.token_revoked", actor=owner).exists()


def test_another_organization_cannot_revoke_a_token(client, owner, other_employer):
    make_token(owner)
    client.force_login(other_employer)

    response = client.post(reverse("api_settings:token_revoke", args=[ApiToken.objects.get().pk]))

    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_a_token_stops_working_when_its_maker_leaves_the_organization(client, owner):
    secret = make_token(owner)
    profile = owner.employer_profile
    profile.organization = OrganizationFactory(verified=True)
    profile.save()

    assert token_for_secret(secret) is None
    assert client.get(reverse("api:me"), **bearer(secret)).status_code == 401


def test_a_wrong_secret_with_a_real_prefix_is_refused(client, owner):
    secret = make_token(owner)

    response = client.get(reverse("api:me"), **bearer(secret[:-4] + "AAAA"))

    assert response.status_code == 401


def test_calls_over_the_rate_limit_get_429_in_the_error_shape(client, owner, settings):
    settings.API_RATE_LIMIT = "3/minute"
    secret, other = make_token(owner), make_token(owner, name="Another program")

    answers = [client.get(reverse("api:me"), **bearer(secret)) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["error"]["code"] == "throttled"
    assert int(answers[-1]["Retry-After"]) > 0
    assert client.get(reverse("api:me"), **bearer(other)).status_code == 200


def test_anonymous_calls_are_limited_by_address(client, settings):
    settings.API_ANONYMOUS_RATE_LIMIT = "2/minute"

    codes = [client.get(reverse("api:projects")).status_code for _ in range(3)]

    assert codes == [401, 401, 429]


# --- OAuth2 client credentials -------------------------------------------------------------


def make_client(client, user, scopes) -> tuple[str, str]:
    client.force_login(user)
    made = client.post(
        reverse("api_settings:client_create"),
        {"client-name": "HR system", "client-scopes": scopes},
        follow=True,
    )
    client.logout()
    shown = made.context["new_client"]
    return shown["client_id"], shown["secret"]


def access_token(client, client_id, secret, **extra):
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return client.post(
        reverse("api:oauth_token"),
        {"grant_type": "client_credentials", **extra},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )


def test_a_client_gets_an_access_token_with_its_scopes_and_acts_as_its_maker(client, owner):
    client_id, secret = make_client(client, owner, ["projects:read", "projects:write"])

    answer = access_token(client, client_id, secret)
    token = answer.json()["access_token"]
    listed = client.get(reverse("api:projects"), **bearer(token))
    refused = client.get(reverse("api:engagements"), **bearer(token))
    me = client.get(reverse("api:me"), **bearer(token)).json()

    assert answer.status_code == 200
    assert set(answer.json()["scope"].split()) == {"projects:read", "projects:write"}
    assert listed.status_code == 200
    assert refused.status_code == 403
    assert me["id"] == owner.pk
    assert me["scopes"] == ["projects:read", "projects:write"]
    assert AuditEvent.objects.filter(action="api.client_created", actor=owner).exists()
    draft = ProjectFactory(organization=owner.employer_profile.organization, draft=True)
    published = client.post(
        reverse("api:project_publish", args=[draft.pk]),
        "{}",
        content_type="application/json",
        **bearer(token),
    )
    assert published.status_code == 200
    event = AuditEvent.objects.get(action="api.project_published")
    assert event.actor == owner
    assert event.data == {"client_id": client_id}
    assert "OAuth2 client “HR system”" in event.summary


def test_a_client_cannot_ask_for_more_than_it_was_given(client, owner):
    client_id, secret = make_client(client, owner, ["projects:read"])

    answer = access_token(client, client_id, secret, scope="projects:read projects:write")

    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_scope"


def test_a_revoked_client_gets_no_token_and_its_tokens_stop_working(client, owner):
    client_id, secret = make_client(client, owner, ["projects:read"])
    token = access_token(client, client_id, secret).json()["access_token"]
    client.force_login(owner)
    client.post(reverse("api_settings:client_revoke", args=[ApiClient.objects.get().pk]))
    client.logout()

    assert client.get(reverse("api:projects"), **bearer(token)).status_code == 401
    assert access_token(client, client_id, secret).status_code == 401
    assert ApiClient.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(action="api.client_revoked", actor=owner).exists()


def test_a_wrong_client_secret_gets_no_token(client, owner):
    client_id, _ = make_client(client, owner, ["projects:read"])

    assert access_token(client, client_id, "not-the-secret").status_code == 401


def test_students_have_no_oauth_clients(client, student):
    client.force_login(student)

    response = client.post(
        reverse("api_settings:client_create"),
        {"client-name": "Mine", "client-scopes": ["records:read"]},
    )

    assert response.status_code == 403
    assert not ApiClient.objects.exists()


def test_a_data_export_lists_the_user_s_tokens_and_clients_without_their_secrets(client, owner):
    from datarights import exporting

    make_token(owner)
    make_client(client, owner, ["projects:read"])

    document, _ = exporting.build_document(owner)
    tables = document["tables"]

    assert len(tables["api.ApiToken"]) == 1
    assert "secret_hash" not in tables["api.ApiToken"][0]["fields"]
    assert "client_secret" not in tables["oauth2_provider.Application"][0]["fields"]
