"""Feedback and oversight in the admin.

Feedback sessions, their notes and the evaluations are read-only records; career
services staff see their own school's. Flags and coaching notes are what staff
write: through the oversight services, on their own school's engagements and the
employers their students work with.
"""

from django.contrib import admin

from accounts.admin_scope import ReadOnlyInlineMixin, SchoolScopedAdmin
from engagements.models import EngagementStatus
from feedback.models import (
    EmployerReview,
    FeedbackSession,
    ObjectiveOutcome,
    SessionNote,
    StudentEvaluation,
)

FINISHED = (EngagementStatus.APPROVED, EngagementStatus.PAID)


class NoteInline(ReadOnlyInlineMixin, admin.StackedInline):
    model = SessionNote
    readonly_fields = ("author", "went_well", "to_change", "next_steps", "updated_at")


@admin.register(FeedbackSession)
class FeedbackSessionAdmin(SchoolScopedAdmin):
    school_path = "engagement__school"
    list_display = ("engagement", "kind", "scheduled_at", "status", "marked_at")
    list_filter = ("status", "kind")
    list_select_related = ("engagement__project",)
    search_fields = ("engagement__project__title", "engagement__student__email")
    date_hierarchy = "scheduled_at"
    readonly_fields = [f.name for f in FeedbackSession._meta.fields]
    inlines = [NoteInline]


class ObjectiveOutcomeInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ObjectiveOutcome
    fields = readonly_fields = ("objective", "met")


@admin.register(StudentEvaluation)
class StudentEvaluationAdmin(SchoolScopedAdmin):
    school_path = "engagement__school"
    list_display = ("engagement", "author", "average", "interested_full_time", "submitted_at")
    list_filter = ("interested_full_time", "would_work_again")
    list_select_related = ("engagement__project", "author")
    search_fields = ("engagement__project__title", "engagement__student__email")
    readonly_fields = [f.name for f in StudentEvaluation._meta.fields]
    inlines = [ObjectiveOutcomeInline]


@admin.register(EmployerReview)
class EmployerReviewAdmin(SchoolScopedAdmin):
    school_path = "engagement__school"
    list_display = ("engagement", "author", "average", "submitted_at")
    list_select_related = ("engagement__project", "author")
    search_fields = ("engagement__project__title", "engagement__organization__name")
    readonly_fields = [f.name for f in EmployerReview._meta.fields]
