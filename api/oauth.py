"""OAuth2 client credentials (django-oauth-toolkit) for an organization or a school.

A program exchanges its client id and secret at /api/v1/oauth/token/ for an access token
that lasts an hour, with the scopes its client was given (or fewer, if it asks for fewer).
It then calls the API as with an API token. The client acts as the person who made it, and
only while they still belong to its organization or school; revoking deletes the
application, so its secret and every token it was given stop working at once. Making and
revoking are audited.
"""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import Application
from oauth2_provider.scopes import BaseScopes
from rest_framework import exceptions

from accounts.access import is_member, staff_school_id
from accounts.audit import audit
from accounts.models import User
from api import scopes as api_scopes
from api.models import ApiClient
from api.tokens import Holder, holder_of, may_manage

CLIENT_KINDS = (api_scopes.ORGANIZATION, api_scopes.SCHOOL)


def clients_of(holder: Holder):
    if holder.kind not in CLIENT_KINDS:
        return ApiClient.objects.none()
    return ApiClient.objects.filter(**holder.filter).select_related("user", "revoked_by")


def client_for_owner_or_404(user: User, pk: int) -> ApiClient:
    holder = holder_of(user)
    client = clients_of(holder).filter(pk=pk).first() if holder else None
    if client is None:
        raise Http404("No such client.")
    return client


@transaction.atomic
def client_create(*, actor: User, name: str, scopes: list[str]) -> tuple[ApiClient, str]:
    """A new client and its secret (returned once: only its hash is kept)."""
    holder = holder_of(actor)
    if holder is None or holder.kind not in CLIENT_KINDS or not may_manage(actor):
        raise PermissionDenied(
            "Only an organization's owners and admins or career services make clients."
        )
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the client after the program that uses it."})
    wanted = sorted(set(scopes))
    if not wanted:
        raise ValidationError({"scopes": "Choose at least one scope."})
    unknown = [s for s in wanted if s not in api_scopes.SCOPES_OF[holder.kind]]
    if unknown:
        raise ValidationError({"scopes": f"Not available here: {', '.join(unknown)}."})
    secret = secrets.token_urlsafe(40)
    application = Application(
        name=name,
        user=actor,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
    )
    application.save()  # hashes the secret
    client = ApiClient.objects.create(
        name=name,
        application=application,
        client_id=application.client_id,
        organization_id=holder.organization_id,
        school_id=holder.school_id,
        user=actor,
        scopes=wanted,
    )
    audit(
        actor=actor,
        action="api.client_created",
        target=client,
        summary=f"{actor.email} made the OAuth2 client “{name}” ({', '.join(wanted)})",
        data={"scopes": wanted, "client_id": client.client_id},
        school=holder.school_id,
    )
    return client, secret


@transaction.atomic
def client_revoke(*, actor: User, client: ApiClient) -> ApiClient:
    """Stop a client for good: its secret and its access tokens no longer work."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    holder = holder_of(actor)
    if (
        holder is None
        or not may_manage(actor)
        or not clients_of(holder).filter(pk=client.pk).exists()
    ):
        raise PermissionDenied("This client is not yours to revoke.")
    if client.revoked_at is not None:
        return client
    application = client.application
    client.revoked_at = timezone.now()
    client.revoked_by = actor
    client.application = None
    client.save(update_fields=["revoked_at", "revoked_by", "application"])
    if application is not None:
        application.delete()  # and its access tokens with it
    audit(
        actor=actor,
        action="api.client_revoked",
        target=client,
        summary=f"{actor.email} revoked the OAuth2 client “{client.name}”",
        data={"client_id": client.client_id},
        school=client.school_id,
    )
    return client


def _live_client(application) -> ApiClient | None:
    client = (
        ApiClient.objects.select_related(
            "user", "user__employer_profile", "user__career_staff_profile"
        )
        .filter(application=application, revoked_at__isnull=True)
        .first()
    )
    if client is None or not client.user.is_active:
        return None
    if client.organization_id and not is_member(client.user, client.organization_id):
        return None
    if client.school_id and staff_school_id(client.user) != client.school_id:
        return None
    return client


class ClientScopes(BaseScopes):
    """django-oauth-toolkit's scopes: a client may ask for the scopes it was given."""

    def get_all_scopes(self):
        return dict(api_scopes.SCOPES)

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        client = _live_client(application) if application is not None else None
        return list(client.scopes) if client else []

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request)


class ClientAuthentication(OAuth2Authentication):
    """An access token of a client: the request acts as the client's maker."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        _, access_token = result
        client = _live_client(access_token.application)
        if client is None:
            raise exceptions.AuthenticationFailed("This client is revoked or no longer valid.")
        request.api_client = client
        return client.user, access_token


class ClientAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.oauth.ClientAuthentication"
    name = "oauth2"

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/api/v1/oauth/token/",
                    "scopes": dict(api_scopes.SCOPES),
                }
            },
        }
