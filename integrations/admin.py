"""Webhooks in the admin: endpoints and deliveries for platform admins, with each attempt's
answer, and "deliver again" for deliveries that failed or that a receiver lost."""

from django.contrib import admin, messages

from integrations import webhooks
from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


class PlatformAdminOnly(admin.ModelAdmin):
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


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(PlatformAdminOnly):
    list_display = ("url", "organization", "school", "is_active", "created_at")
    list_select_related = ("organization", "school")
    search_fields = ("url", "organization__name", "school__name")
    # The signing secret is the owner's alone: never shown here.
    exclude = ("secret",)


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("attempted_at", "status_code", "duration_ms", "response_excerpt", "error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(PlatformAdminOnly):
    list_display = ("event_id", "endpoint", "status", "attempts", "created_at", "delivered_at")
    list_filter = ("status", "event_type")
    list_select_related = ("endpoint",)
    search_fields = ("event_id", "endpoint__url")
    inlines = [AttemptInline]
    actions = ["deliver_again"]

    @admin.action(description="Deliver the selected events again")
    def deliver_again(self, request, queryset):
        for delivery in queryset:
            webhooks.delivery_replay(actor=request.user, delivery=delivery)
        self.message_user(request, f"{queryset.count()} deliveries queued again.", messages.SUCCESS)
