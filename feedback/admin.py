"""Feedback in the admin, read-only: platform admins see every session, note and evaluation."""

from django.contrib import admin

from feedback.models import EmployerReview, FeedbackSession, SessionNote, StudentEvaluation


class ReadOnly(admin.ModelAdmin):
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


class NoteInline(admin.StackedInline):
    model = SessionNote
    extra = 0
    can_delete = False
    readonly_fields = ("author", "went_well", "to_change", "next_steps", "updated_at")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FeedbackSession)
class FeedbackSessionAdmin(ReadOnly):
    list_display = ("engagement", "kind", "scheduled_at", "status", "marked_at")
    list_filter = ("status", "kind")
    list_select_related = ("engagement__project",)
    search_fields = ("engagement__project__title", "engagement__student__email")
    date_hierarchy = "scheduled_at"
    readonly_fields = [f.name for f in FeedbackSession._meta.fields]
    inlines = [NoteInline]


@admin.register(StudentEvaluation)
class StudentEvaluationAdmin(ReadOnly):
    list_display = ("engagement", "author", "average", "interested_full_time", "submitted_at")
    list_filter = ("interested_full_time", "would_work_again")
    list_select_related = ("engagement__project", "author")
    readonly_fields = [f.name for f in StudentEvaluation._meta.fields]


@admin.register(EmployerReview)
class EmployerReviewAdmin(ReadOnly):
    list_display = ("engagement", "author", "average", "submitted_at")
    list_select_related = ("engagement__project", "author")
    readonly_fields = [f.name for f in EmployerReview._meta.fields]
