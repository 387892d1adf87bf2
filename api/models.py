"""API tokens: the credential a program presents for an organization, a school or a student.

Only a hash of the secret is stored (SHA-256: the secret is long and random, so no slow hash
is needed); the secret is shown once, when the token is made. A token acts as the person who
made it, within its scopes, and only while that person still belongs to its organization or
school: a member who leaves takes their tokens' power with them. Revoking is for good.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ApiToken(models.Model):
    name = models.CharField(max_length=100)
    # Exactly one holder kind: an organization, a school, or neither (a student's own token).
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    school = models.ForeignKey(
        "accounts.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="Who made the token; the API acts as them.",
    )
    scopes = models.JSONField(default=list)
    # The first characters of the secret find the row; the hash proves the holder.
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=True) | Q(school__isnull=True),
                name="api_token_one_holder",
            ),
            models.CheckConstraint(
                condition=~Q(secret_hash="") & ~Q(prefix=""), name="api_token_secret_set"
            ),
            models.CheckConstraint(condition=~Q(scopes=[]), name="api_token_has_scopes"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def kind(self) -> str:
        from api.scopes import ORGANIZATION, SCHOOL, STUDENT

        if self.organization_id:
            return ORGANIZATION
        if self.school_id:
            return SCHOOL
        return STUDENT

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiClient(models.Model):
    """An OAuth2 client (client credentials grant) of an organization or a school.

    The django-oauth-toolkit application holds the client id and the hashed secret; this row
    says whose it is, what it may do, and who made it (the API acts as them). Revoking deletes
    the application, and with it every access token it was given; this row stays as the
    record."""

    name = models.CharField(max_length=100)
    application = models.OneToOneField(
        "oauth2_provider.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="api_client",
    )
    client_id = models.CharField(max_length=100, unique=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_clients",
    )
    school = models.ForeignKey(
        "accounts.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_clients",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_clients",
        help_text="Who made the client; the API acts as them.",
    )
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=True, school__isnull=False)
                | Q(organization__isnull=False, school__isnull=True),
                name="api_client_one_holder",
            ),
            models.CheckConstraint(condition=~Q(scopes=[]), name="api_client_has_scopes"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=False) | Q(application__isnull=False),
                name="api_client_live_has_application",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.client_id})"
