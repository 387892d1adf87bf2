"""Projects, applications and engagements in the admin.

Platform admins see every record; career services staff see, read-only, the
applications, engagements, time entries, deliverables' metadata and messages of
their own school's students (`SchoolScopedAdmin`). State changes (publishing,
accepting, approving, settling) go through the services; here the records are
shown as they are, with the integrity figures career services watch.
"""

from django.contrib import admin

from accounts.admin_scope import PlatformAdminReadOnly, ReadOnlyInlineMixin, SchoolScopedAdmin
from accounts.models import StudentProfile
from marketplace.templatetags.money import money, money_exact
from projects.models import (
    Application,
    ApplicationAnswer,
    LearningObjective,
    Project,
    ProjectMilestone,
    ScreeningQuestion,
)

STUDENT_SCHOOL = "student__student_profile__school"


class ReadOnlyInline(ReadOnlyInlineMixin, admin.TabularInline):
    pass


class QuestionInline(ReadOnlyInline):
    model = ScreeningQuestion
    fields = ("position", "text")


class ObjectiveInline(ReadOnlyInline):
    model = LearningObjective
    fields = ("position", "text")


class MilestoneInline(ReadOnlyInline):
    model = ProjectMilestone
    fields = ("number", "title", "deliverable", "quarters", "amount_cents")


@admin.register(Project)
class ProjectAdmin(PlatformAdminReadOnly, admin.ModelAdmin):
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
    inlines = [ObjectiveInline, QuestionInline, MilestoneInline]
    readonly_fields = [
        f.name for f in Project._meta.fields if f.name not in ("search_document",)
    ] + ["skills"]
    exclude = ("search_document",)

    @admin.display(description="fee", ordering="fee_cents")
    def fee(self, obj):
        return money(obj.fee_cents)

    @admin.display(description="rate", ordering="hourly_rate_cents")
    def rate(self, obj):
        return f"{money_exact(obj.hourly_rate_cents)}/h"


# --- Applications ---------------------------------------------------------------------------


class AnswerInline(ReadOnlyInline):
    model = ApplicationAnswer
    fields = ("question", "text")


@admin.register(Application)
class ApplicationAdmin(SchoolScopedAdmin):
    school_path = STUDENT_SCHOOL

    def scope(self, queryset, school_id: int):
        # Only students whose affiliation with the school is verified.
        return queryset.filter(
            StudentProfile.verified_at_school(school_id, prefix="student__student_profile__")
        )

    list_display = ("project", "student", "organization", "status", "created_at", "decided_at")
    list_filter = ("status", "project__category")
    search_fields = ("project__title", "student__email", "student__last_name")
    list_select_related = ("project__organization", "student")
    inlines = [AnswerInline]
    fields = (
        "project",
        "student",
        "status",
        "cover_note",
        "confirmed_availability",
        "relation_to_major",
        "created_at",
        "decided_at",
        "decline_message",
        "consent_at",
        "consent_basis",
        "consent_fields",
        "consent_withdrawn_at",
    )
    readonly_fields = fields

    @admin.display(description="employer", ordering="project__organization__name")
    def organization(self, obj):
        return obj.project.organization
