"""Admin for platform admins: projects, applications and engagements, read-mostly.

State changes (publishing, accepting, approving, settling) go through the
services from the site's own pages; here the records are shown as they are.
"""

from django.contrib import admin
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html

from marketplace.templatetags.money import money, money_exact
from projects.models import (
    Application,
    ApplicationAnswer,
    Engagement,
    EngagementEvent,
    Message,
    Project,
    ScopeExtension,
    ScreeningQuestion,
    Submission,
    SubmissionFile,
    TimeEntry,
)


class PlatformAdminOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class QuestionInline(ReadOnlyInline):
    model = ScreeningQuestion
    fields = ("position", "text")


@admin.register(Project)
class ProjectAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = (
        "title",
        "organization",
        "status",
        "category",
        "hours",
        "fee",
        "rate",
        "apply_by",
        "published_at",
    )
    list_filter = ("status", "category", "is_remote")
    search_fields = ("title", "organization__name")
    list_select_related = ("organization",)
    date_hierarchy = "published_at"
    inlines = [QuestionInline]
    readonly_fields = [
        f.name for f in Project._meta.fields if f.name not in ("search_document",)
    ] + ["skills"]
    exclude = ("search_document",)

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="fee", ordering="fee_cents")
    def fee(self, obj):
        return money(obj.fee_cents)

    @admin.display(description="rate", ordering="hourly_rate_cents")
    def rate(self, obj):
        return f"{money_exact(obj.hourly_rate_cents)}/h"


class AnswerInline(ReadOnlyInline):
    model = ApplicationAnswer
    fields = ("question", "text")


@admin.register(Application)
class ApplicationAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("project", "student", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("project__title", "student__email", "student__last_name")
    list_select_related = ("project", "student")
    inlines = [AnswerInline]
    readonly_fields = [f.name for f in Application._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False


class TimeEntryInline(ReadOnlyInline):
    model = TimeEntry
    fields = ("work_date", "quarters", "description", "created_at")


class SubmissionInline(ReadOnlyInline):
    model = Submission
    fields = ("number", "submitted_at", "decision", "note", "links", "review_comment")


class ExtensionInline(ReadOnlyInline):
    model = ScopeExtension
    fields = ("status", "extra_quarters", "extra_fee_cents", "extra_days", "reason", "proposed_at")


class EventInline(ReadOnlyInline):
    model = EngagementEvent
    fields = ("created_at", "actor", "kind", "description")


@admin.register(Engagement)
class EngagementAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = (
        "project",
        "student",
        "organization",
        "school",
        "status",
        "hours",
        "fee",
        "due_at",
    )
    list_filter = ("status", "school")
    search_fields = ("project__title", "student__email", "student__last_name", "organization__name")
    list_select_related = ("project", "student", "organization", "school")
    readonly_fields = ["settle", *[f.name for f in Engagement._meta.fields]]
    inlines = [TimeEntryInline, SubmissionInline, ExtensionInline, EventInline]

    @admin.display(description="dispute")
    def settle(self, obj):
        if obj.status != "disputed":
            return "—"
        url = reverse("admin:payments_settle_dispute", args=[obj.pk])
        return format_html('<a class="button" href="{}">Settle this dispute</a>', url)

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="hours logged / cap")
    def hours(self, obj):
        return f"{floatformat(obj.logged_hours, -2)} / {floatformat(obj.cap_hours, -2)}"

    @admin.display(description="fee", ordering="fee_cents")
    def fee(self, obj):
        return money(obj.fee_cents)


@admin.register(Message)
class MessageAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("engagement", "author", "created_at")
    list_select_related = ("engagement__project", "author")
    search_fields = ("engagement__project__title", "author__email")
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SubmissionFile)
class SubmissionFileAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("original_name", "submission", "size", "content_type")
    list_select_related = ("submission__engagement__project",)
    readonly_fields = [f.name for f in SubmissionFile._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False
