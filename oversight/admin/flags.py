"""Flags to follow up and coaching notes."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.access import staff_school_id
from accounts.admin_scope import SchoolScopedAdmin
from accounts.models import Organization
from engagements.models import Engagement
from oversight import services as oversight
from oversight.models import CoachingNote, Flag

from .common import FINISHED

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
        if "resolution" in self.fields:  # absent when the viewer only reads the flag
            self.fields["resolution"].required = True
            self.fields[
                "resolution"
            ].help_text = "How it was followed up. Saving resolves the flag."


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

    def scope(self, queryset, school_id):
        """Their own school's flags, and every school's flags about an employer (with no
        engagement, so no other school's student in them): a warning raised at one school
        reaches every school's staff."""
        return queryset.filter(Q(school_id=school_id) | Q(engagement__isnull=True))

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
        if obj is None or self.has_change_permission(request, obj):
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
        school_id = self.staff_school(request)
        if obj is not None and school_id is not None and obj.school_id != school_id:
            return False  # another school's flag: theirs to follow up
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
