"""The work of engagements in the admin: time entries, submitted files and messages."""

from django.contrib import admin
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.template.defaultfilters import floatformat
from django.utils.html import format_html

from accounts.admin_scope import SchoolScopedAdmin
from engagements.models import (
    EngagementStatus,
    Message,
    SubmissionFile,
    TimeEntry,
)
from oversight.models import Flag

# --- What hangs off an engagement --------------------------------------------------------------


@admin.register(TimeEntry)
class TimeEntryAdmin(SchoolScopedAdmin):
    school_path = "engagement__school"
    list_display = ("work_date", "hours", "engagement", "student", "created_at")
    list_select_related = ("engagement__project", "engagement__student")
    search_fields = ("engagement__project__title", "engagement__student__email")
    date_hierarchy = "work_date"
    fields = ("engagement", "work_date", "quarters", "description", "created_at")
    readonly_fields = fields

    @admin.display(description="hours", ordering="quarters")
    def hours(self, obj):
        return floatformat(obj.quarters / 4, -2)

    @admin.display(description="student", ordering="engagement__student__last_name")
    def student(self, obj):
        return obj.engagement.student


@admin.register(SubmissionFile)
class SubmissionFileAdmin(SchoolScopedAdmin):
    """Deliverables' metadata only: the files stay with the student and the employer."""

    school_path = "submission__engagement__school"
    list_display = ("original_name", "engagement", "size_text", "content_type", "submitted_at")
    list_select_related = ("submission__engagement__project",)
    search_fields = ("original_name", "submission__engagement__project__title")
    fields = ("submission", "original_name", "size_text", "content_type")
    readonly_fields = fields

    @admin.display(description="engagement")
    def engagement(self, obj):
        return obj.submission.engagement

    @admin.display(description="size", ordering="size")
    def size_text(self, obj):
        return f"{floatformat(obj.size / 1024, 0)} KB"

    @admin.display(description="submitted", ordering="submission__submitted_at")
    def submitted_at(self, obj):
        return obj.submission.submitted_at


class MessageTextFilter(admin.SimpleListFilter):
    title = "text"
    parameter_name = "readable"

    def lookups(self, request, model_admin):
        return [("yes", "Readable (dispute or open flag)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(text_readable=True)
        return queryset


@admin.register(Message)
class MessageAdmin(SchoolScopedAdmin):
    """Messages between student and employer are private: the admin shows that they exist,
    and their text only while the engagement is disputed or has an open flag."""

    school_path = "engagement__school"
    list_display = ("created_at", "engagement", "author", "text")
    list_filter = (MessageTextFilter,)
    list_select_related = ("engagement__project", "author")
    # Never the body: searching it would reveal what the list hides.
    search_fields = ("engagement__project__title", "author__email")
    fields = ("engagement", "author", "created_at", "text")
    readonly_fields = fields

    def get_queryset(self, request):
        open_flag = Flag.objects.filter(engagement=OuterRef("engagement"), status="open")
        return (
            super()
            .get_queryset(request)
            .annotate(
                text_readable=ExpressionWrapper(
                    Q(engagement__status=EngagementStatus.DISPUTED) | Exists(open_flag),
                    output_field=BooleanField(),
                )
            )
        )

    def lookup_allowed(self, lookup, value, request=None):
        # The engagement page links here with the engagement's messages.
        return lookup == "engagement__id__exact" or super().lookup_allowed(lookup, value, request)

    @admin.display(description="text")
    def text(self, obj):
        if obj.text_readable:
            return obj.body
        return format_html("<em>{}</em>", "Private (readable during a dispute or an open flag)")
