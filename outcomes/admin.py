"""Career outcomes in the admin: verified experiences (school-scoped, revocable by platform
admins) and, read-only for platform admins, talent pools, invitations and full-time interest."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html

from accounts.admin_scope import PlatformAdminReadOnly, ReadOnlyInlineMixin, SchoolScopedAdmin
from outcomes import records
from outcomes.forms import RevokeForm
from outcomes.models import (
    CreditPolicy,
    CreditRequest,
    CreditStep,
    FacultyReviewLink,
    FullTimeInterest,
    Invitation,
    Reflection,
    ReflectionNote,
    TalentPoolEntry,
    VerifiedExperience,
)

# --- Verified experiences ------------------------------------------------------------------------


class RevokedFilter(admin.SimpleListFilter):
    title = "revoked"
    parameter_name = "revoked"

    def lookups(self, request, model_admin):
        return [("yes", "Revoked"), ("no", "Valid")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(revoked_at__isnull=True)
        return queryset


@admin.register(VerifiedExperience)
class VerifiedExperienceAdmin(SchoolScopedAdmin):
    """Read-only; a platform admin may revoke a record (after a dispute, or fraud)."""

    school_path = "engagement__school"
    list_display = ("engagement", "student", "shown", "created_at", "revoked_at")
    list_filter = ("is_public", "show_evaluation", RevokedFilter)
    list_select_related = ("engagement__project", "engagement__student")
    search_fields = ("engagement__project__title", "engagement__student__email", "code")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in VerifiedExperience._meta.fields] + ["public_page"]
    actions = ("revoke_selected",)

    @admin.display(description="student", ordering="engagement__student__email")
    def student(self, obj):
        return obj.engagement.student.get_full_name()

    @admin.display(description="public page")
    def shown(self, obj):
        if obj.is_revoked:
            return "Revoked"
        return "Public" if obj.is_public else "Hidden by the student"

    @admin.display(description="public page")
    def public_page(self, obj):
        url = reverse("outcomes:verify", args=[obj.code])
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.action(description="Revoke selected verified experiences")
    def revoke_selected(self, request, queryset):
        form = RevokeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for record in queryset.filter(revoked_at__isnull=True):
                try:
                    records.experience_revoke(
                        actor=request.user, record=record, reason=form.cleaned_data["reason"]
                    )
                    done += 1
                except (ValidationError, PermissionDenied) as error:
                    self.message_user(
                        request, f"{record}: {' '.join(error.messages)}", messages.ERROR
                    )
            self.message_user(request, f"{done} record(s) revoked.", messages.SUCCESS)
            return None
        return render(
            request,
            "admin/outcomes/verifiedexperience/revoke.html",
            {
                **self.admin_site.each_context(request),
                "title": "Revoke verified experiences",
                "records": queryset.select_related("engagement__project", "engagement__student"),
                "form": form,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )


# --- Reflections ---------------------------------------------------------------------------------


class ReflectionNoteInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ReflectionNote
    fields = readonly_fields = ("objective", "text")


@admin.register(Reflection)
class ReflectionAdmin(SchoolScopedAdmin):
    """Read-only: the student writes it (outcomes.reflections); their school's career staff
    and platform admins read it here."""

    school_path = "engagement__school"
    list_display = ("engagement", "student", "word_count", "share_on_record", "submitted_at")
    list_filter = ("share_on_record",)
    list_select_related = ("engagement__project", "engagement__student")
    search_fields = ("engagement__project__title", "engagement__student__email")
    date_hierarchy = "submitted_at"
    readonly_fields = [f.name for f in Reflection._meta.fields]
    inlines = (ReflectionNoteInline,)

    @admin.display(description="student", ordering="engagement__student__email")
    def student(self, obj):
        return obj.engagement.student.get_full_name()


# --- Career outcomes: read-only, for platform admins -------------------------------------
# Talent pools hold an organization's private notes: career services do not browse them.
# Their school's full-time figure is on the school dashboard.


class _ReadOnlyForAdmins(PlatformAdminReadOnly, admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TalentPoolEntry)
class TalentPoolEntryAdmin(_ReadOnlyForAdmins):
    list_display = ("student", "organization", "tags", "added_by", "created_at", "updated_at")
    list_select_related = ("student", "organization", "added_by")
    search_fields = ("student__email", "organization__name", "tags")


@admin.register(Invitation)
class InvitationAdmin(_ReadOnlyForAdmins):
    list_display = ("student", "project", "status", "invited_by", "created_at", "responded_at")
    list_filter = ("status",)
    list_select_related = ("student", "project", "invited_by")
    search_fields = ("student__email", "project__title")


@admin.register(FullTimeInterest)
class FullTimeInterestAdmin(_ReadOnlyForAdmins):
    list_display = (
        "student",
        "organization",
        "status",
        "told_student",
        "answer",
        "created_at",
        "replied_at",
    )
    list_filter = ("status", "told_student", "answer")
    list_select_related = ("student", "organization")
    search_fields = ("student__email", "organization__name")


# --- Academic credit ------------------------------------------------------------------------
# Read-only: students, career services and faculty change requests through their pages
# (outcomes.credit.services), which write the steps and the audit trail.


class CreditStepInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = CreditStep
    fields = ("at", "role", "decision", "actor_name", "actor_email", "comment")
    readonly_fields = fields


class FacultyReviewLinkInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The links sent, never their tokens (only a hash is stored, and not shown either)."""

    model = FacultyReviewLink
    fields = ("email", "created_at", "expires_at", "last_opened_at", "used_at", "revoked_at")
    readonly_fields = fields


@admin.register(CreditRequest)
class CreditRequestAdmin(SchoolScopedAdmin):
    school_path = "school"
    list_display = (
        "student_name",
        "course_code",
        "term_name",
        "credits",
        "status",
        "submitted_at",
        "approved_at",
    )
    list_filter = ("status", "term_name")
    list_select_related = ("student", "school")
    search_fields = ("student__email", "student__last_name", "course_code", "term_name")
    date_hierarchy = "submitted_at"
    readonly_fields = [f.name for f in CreditRequest._meta.fields]
    inlines = (CreditStepInline, FacultyReviewLinkInline)

    @admin.display(description="student", ordering="student__last_name")
    def student_name(self, obj):
        return obj.student.get_full_name()


@admin.register(CreditPolicy)
class CreditPolicyAdmin(SchoolScopedAdmin):
    """Career services change their policy on its own page, which audits each change."""

    school_path = "school"
    list_display = ("school", "hours_per_credit", "faculty_approval", "updated_at")
    list_select_related = ("school",)
    readonly_fields = [f.name for f in CreditPolicy._meta.fields]
