"""Feedback and oversight in the admin.

Feedback sessions, their notes and the evaluations are read-only records; career
services staff see their own school's. Flags and coaching notes are what staff
write: through the oversight services, on their own school's engagements and the
employers their students work with.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

import feedback.dashboard  # noqa: F401
from accounts.admin_scope import ReadOnlyInlineMixin, SchoolScopedAdmin, staff_school_id
from accounts.models import Organization
from engagements.models import Engagement, EngagementStatus
from feedback import oversight, records
from feedback.models import EmployerReview, FeedbackSession, SessionNote, StudentEvaluation
from feedback.records_forms import RevokeForm
from outcomes.models import VerifiedExperience
from oversight.models import CoachingNote, Flag

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


@admin.register(StudentEvaluation)
class StudentEvaluationAdmin(SchoolScopedAdmin):
    school_path = "engagement__school"
    list_display = ("engagement", "author", "average", "interested_full_time", "submitted_at")
    list_filter = ("interested_full_time", "would_work_again")
    list_select_related = ("engagement__project", "author")
    search_fields = ("engagement__project__title", "engagement__student__email")
    readonly_fields = [f.name for f in StudentEvaluation._meta.fields]


@admin.register(EmployerReview)
class EmployerReviewAdmin(SchoolScopedAdmin):
    school_path = "engagement__school"
    list_display = ("engagement", "author", "average", "submitted_at")
    list_select_related = ("engagement__project", "author")
    search_fields = ("engagement__project__title", "engagement__organization__name")
    readonly_fields = [f.name for f in EmployerReview._meta.fields]


# --- Flags ---------------------------------------------------------------------------------------


def _organizations_of(school_id: int | None):
    """Employers a school's students work with (every organization for platform admins)."""
    if school_id is None:
        return Organization.objects.all()
    return Organization.objects.filter(
        Exists(Engagement.objects.filter(organization=OuterRef("pk"), school_id=school_id))
    )


class FlagAddForm(forms.ModelForm):
    class Meta:
        model = Flag
        fields = ("engagement", "organization", "note", "follow_up_on")
        help_texts = {
            "engagement": "The engagement to follow up, or leave empty to flag an employer.",
            "organization": "An employer your students work with.",
            "follow_up_on": "When to look at it again.",
        }

    def clean_follow_up_on(self):
        day = self.cleaned_data.get("follow_up_on")
        if day and day < timezone.localdate():
            raise ValidationError("Choose today or a later date.")
        return day

    # Platform admins belong to no school: their flags are about an engagement (and so
    # belong to its student's school).
    needs_engagement = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("engagement") and not cleaned.get("organization"):
            raise ValidationError("Choose the engagement or the employer this flag is about.")
        if self.needs_engagement and not cleaned.get("engagement"):
            self.add_error("engagement", "Choose an engagement: a flag belongs to its school.")
        return cleaned


class FlagResolveForm(forms.ModelForm):
    class Meta:
        model = Flag
        fields = ("resolution",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution"].required = True
        self.fields["resolution"].help_text = "How it was followed up. Saving resolves the flag."


class FollowUpFilter(admin.SimpleListFilter):
    title = "follow-up"
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return [("due", "Due today or earlier"), ("automatic", "Raised by a rule")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(status="open", follow_up_on__lte=timezone.localdate())
        if self.value() == "automatic":
            return queryset.exclude(rule="")
        return queryset


@admin.register(Flag)
class FlagAdmin(SchoolScopedAdmin):
    school_path = "school"
    staff_can_add = staff_can_change = True
    admin_can_add = admin_can_change = True
    list_display = ("subject", "reason", "note", "follow_up_on", "status", "raised", "school")
    list_filter = ("status", FollowUpFilter, "rule")
    list_select_related = ("engagement__project", "organization", "raised_by", "school")
    search_fields = ("note", "engagement__project__title", "organization__name")
    autocomplete_fields = ("engagement", "organization")
    date_hierarchy = "raised_at"

    @admin.display(description="about")
    def subject(self, obj):
        return obj.engagement or obj.organization

    @admin.display(description="rule", ordering="rule")
    def reason(self, obj):
        return obj.get_rule_display() or "Raised by staff"

    @admin.display(description="raised", ordering="raised_at")
    def raised(self, obj):
        who = obj.raised_by.get_full_name() if obj.raised_by else "automatic"
        return f"{timezone.localtime(obj.raised_at):%Y-%m-%d} ({who})"

    def get_list_display(self, request):
        if self.is_platform_admin(request):
            return self.list_display
        return self.list_display[:-1]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = FlagAddForm if obj is None else FlagResolveForm
        kwargs["fields"] = None
        form = super().get_form(request, obj, change, **kwargs)
        form.needs_engagement = staff_school_id(request.user) is None
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return FlagAddForm.Meta.fields
        return (
            "subject",
            "reason",
            "note",
            "follow_up_on",
            "status",
            "raised",
            "resolved_by",
            "resolved_at",
            "resolution",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fields = [f for f in self.get_fields(request, obj) if f != "resolution"]
        if obj.status == Flag.Status.RESOLVED:
            fields.append("resolution")
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == Flag.Status.RESOLVED:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        school_id = self.staff_school(request)
        if db_field.name == "engagement":
            engagements = Engagement.objects.select_related("project", "student")
            if school_id is not None:
                engagements = engagements.filter(school_id=school_id)
            kwargs["queryset"] = engagements
        elif db_field.name == "organization":
            kwargs["queryset"] = _organizations_of(school_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            saved = oversight.flag_resolve(
                actor=request.user, flag=obj, resolution=form.cleaned_data["resolution"]
            )
        else:
            saved = oversight.flag_raise(
                actor=request.user,
                note=form.cleaned_data["note"],
                engagement=form.cleaned_data.get("engagement"),
                organization=form.cleaned_data.get("organization"),
                follow_up_on=form.cleaned_data.get("follow_up_on"),
            )
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Nothing hangs off a flag; the services saved it."""


# --- Coaching notes --------------------------------------------------------------------------


class CoachingNoteForm(forms.ModelForm):
    class Meta:
        model = CoachingNote
        fields = ("engagement", "text")
        labels = {"text": "Advice for the student"}
        help_texts = {
            "engagement": "A finished (approved) engagement of one of your students.",
            "text": "How to present this work on a résumé and in interviews. The student reads "
            "it on the engagement's page.",
        }


@admin.register(CoachingNote)
class CoachingNoteAdmin(SchoolScopedAdmin):
    school_path = "engagement__school"
    staff_can_add = True
    admin_can_add = True
    form = CoachingNoteForm
    list_display = ("engagement", "author", "created_at")
    list_select_related = ("engagement__project", "engagement__student", "author")
    search_fields = ("engagement__project__title", "engagement__student__email", "text")
    autocomplete_fields = ("engagement",)

    def get_readonly_fields(self, request, obj=None):
        return ("engagement", "author", "created_at", "text") if obj else ()

    def get_fields(self, request, obj=None):
        return ("engagement", "author", "created_at", "text") if obj else ("engagement", "text")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "engagement":
            engagements = Engagement.objects.filter(status__in=FINISHED).select_related(
                "project", "student"
            )
            school_id = self.staff_school(request)
            if school_id is not None:
                engagements = engagements.filter(school_id=school_id)
            kwargs["queryset"] = engagements
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        saved = oversight.coaching_note_add(
            actor=request.user, engagement=form.cleaned_data["engagement"], text=obj.text
        )
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Nothing hangs off a coaching note."""


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
        url = reverse("records:verify", args=[obj.code])
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
