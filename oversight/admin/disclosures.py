"""The disclosure log of a school's students: what organizations came to see, when and why.
Read-only for everyone; career services see their own school's verified students only."""

from django.contrib import admin

from accounts.admin_scope import SchoolScopedAdmin
from accounts.models import StudentProfile
from projects.models import Disclosure


@admin.register(Disclosure)
class DisclosureAdmin(SchoolScopedAdmin):
    school_path = "student__student_profile__school"

    def scope(self, queryset, school_id: int):
        # As for applications: only students whose affiliation with the school is verified.
        return queryset.filter(
            StudentProfile.verified_at_school(school_id, prefix="student__student_profile__")
        )

    list_display = ("at", "student", "organization", "viewer", "reason", "shown")
    list_filter = ("reason", "organization")
    search_fields = ("student__email", "student__last_name", "organization__name")
    list_select_related = ("student", "organization", "viewer")
    date_hierarchy = "at"
    fields = (
        "at",
        "student",
        "organization",
        "viewer",
        "reason",
        "fields",
        "file_name",
        "project",
        "subject",
    )
    readonly_fields = fields

    @admin.display(description="what was shown")
    def shown(self, obj):
        labels = ", ".join(obj.field_labels)
        return f"{labels} ({obj.file_name})" if obj.file_name else labels
