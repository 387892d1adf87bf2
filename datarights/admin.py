"""Data exports and account closings in the admin: read-only, for platform admins."""

from django.contrib import admin

from datarights.models import AccountClosure, DataExport


class PlatformAdminReadOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DataExport)
class DataExportAdmin(PlatformAdminReadOnly):
    list_display = ("pk", "user", "status", "requested_at", "ready_at", "expires_at", "size")
    list_filter = ("status",)
    list_select_related = ("user",)
    search_fields = ("user__email",)
    # The archive itself is the user's alone: the admin sees only that it exists.
    exclude = ("file",)
    date_hierarchy = "requested_at"


@admin.register(AccountClosure)
class AccountClosureAdmin(PlatformAdminReadOnly):
    list_display = ("pk", "user", "status", "requested_at", "effective_at", "closed_at")
    list_filter = ("status",)
    list_select_related = ("user",)
    search_fields = ("user__email",)
    date_hierarchy = "requested_at"
