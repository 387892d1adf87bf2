"""The audit trail, the email outbox and mail bounces in the admin."""

from django.contrib import admin, messages
from django.utils.html import format_html

from accounts import outbox
from accounts.admin_scope import PlatformAdminOnly, SchoolScopedAdmin
from accounts.audit import pretty
from accounts.models import (
    AuditEvent,
    EmailBounce,
    OutboundEmail,
)


@admin.register(AuditEvent)
class AuditEventAdmin(SchoolScopedAdmin):
    """The audit trail, read-only for everyone: platform admins see every event, career
    services staff the events about their own school's students."""

    school_path = "school"
    list_display = ("created_at", "who", "action", "summary", "school")
    list_filter = ("action", ("created_at", admin.DateFieldListFilter), "school")
    search_fields = ("summary", "actor__email")
    list_select_related = ("actor", "school")
    fields = (
        "created_at",
        "actor",
        "action",
        "summary",
        "school",
        "target_type",
        "target_id",
        "details",
    )
    readonly_fields = fields

    @admin.display(description="actor", ordering="actor__email")
    def who(self, obj):
        return obj.actor.email if obj.actor else "the platform (automatic)"

    @admin.display(description="what changed")
    def details(self, obj):
        return format_html("<pre>{}</pre>", pretty(obj.data))

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(PlatformAdminOnly, admin.ModelAdmin):
    """The outbox, read-only: what was sent, what waits, what failed and why. The body
    is not shown: it may hold a one-time link (password reset, email confirmation)."""

    list_display = ("created_at", "subject", "recipients", "status", "attempts", "sent_at")
    list_filter = ("status", ("created_at", admin.DateFieldListFilter))
    search_fields = ("subject", "key", "to")
    fields = (
        "key",
        "subject",
        "from_email",
        "to",
        "cc",
        "bcc",
        "reply_to",
        "notification",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    )
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description="to")
    def recipients(self, obj):
        return ", ".join(obj.to)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected failed emails again")
    def send_again(self, request, queryset):
        restarted = sum(
            outbox.email_send_again(actor=request.user, email=email)
            for email in queryset.filter(status=OutboundEmail.Status.FAILED)
        )
        skipped = queryset.exclude(status=OutboundEmail.Status.FAILED).count()
        self.message_user(request, f"{restarted} email(s) will be sent again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} email(s) skipped: only emails that failed are sent again.",
                messages.WARNING,
            )


@admin.register(EmailBounce)
class EmailBounceAdmin(PlatformAdminOnly, admin.ModelAdmin):
    """Bounces reported by the mail provider's webhook or the `email_bounce` command,
    read-only (accounts.bounces)."""

    list_display = ("email", "kind", "source", "bounced_at", "cleared_at")
    list_filter = ("kind", "source", ("cleared_at", admin.EmptyFieldListFilter))
    search_fields = ("email",)
    readonly_fields = (
        "email",
        "kind",
        "detail",
        "source",
        "event_id",
        "bounced_at",
        "received_at",
        "cleared_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
