"""API tokens in the admin, read-only: platform admins see every token, career services
staff their own school's. Tokens are made and revoked on the API page (api.pages)."""

from django.contrib import admin

from accounts.admin_scope import SchoolScopedAdmin
from api.models import ApiClient, ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(SchoolScopedAdmin):
    school_path = "school"
    list_display = (
        "name",
        "prefix",
        "organization",
        "school",
        "user",
        "last_used_at",
        "revoked_at",
    )
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("organization", "school", "user")
    search_fields = ("name", "prefix", "organization__name", "user__email")
    fields = (
        "name",
        "prefix",
        "organization",
        "school",
        "user",
        "scopes",
        "created_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    readonly_fields = fields


@admin.register(ApiClient)
class ApiClientAdmin(SchoolScopedAdmin):
    school_path = "school"
    list_display = ("name", "client_id", "organization", "school", "user", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("organization", "school", "user")
    search_fields = ("name", "client_id", "organization__name", "user__email")
    fields = (
        "name",
        "client_id",
        "organization",
        "school",
        "user",
        "scopes",
        "created_at",
        "revoked_at",
        "revoked_by",
    )
    readonly_fields = fields
