"""Users, schools with their domains and academic terms, and skills in the admin."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db import models

from accounts import terms
from accounts.access import staff_school_id
from accounts.admin_scope import PlatformAdminOnly, SchoolScopedAdmin
from accounts.audit import AuditedAdminMixin
from accounts.models import (
    AcademicTerm,
    Role,
    School,
    SchoolDomain,
    Skill,
    User,
)
from marketplace.forms import add_service_errors

URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}

# --- Users ---------------------------------------------------------------------------


class _RoleRulesMixin:
    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role", getattr(self.instance, "role", None))
        if cleaned.get("is_superuser") and role != Role.PLATFORM_ADMIN:
            self.add_error("is_superuser", "Only platform admins can be superusers.")
        if cleaned.get("is_staff") and role not in (Role.CAREER_STAFF, Role.PLATFORM_ADMIN):
            self.add_error("is_staff", "Students and employers never use the admin site.")
        if role == Role.PLATFORM_ADMIN and not cleaned.get("is_superuser", True):
            self.add_error("is_superuser", "A platform admin is a superuser.")
        return cleaned


class UserCreationForm(_RoleRulesMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Career staff need a school: they are created from "Career services staff".
        self.fields["role"].choices = [
            c for c in self.fields["role"].choices if c[0] != Role.CAREER_STAFF
        ]
        self.fields["role"].help_text = (
            "To add career services staff, use Career services staff → Add, which attaches "
            "them to a school."
        )

    def save(self, commit=True):
        user = super().save(commit=False)
        user.email = user.email.strip().lower()
        if user.role == Role.PLATFORM_ADMIN:
            user.is_staff = user.is_superuser = True
        if commit:
            user.save()
        return user


class UserEditForm(_RoleRulesMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedAdminMixin, PlatformAdminOnly, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "role", "is_active", "date_joined")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("email", "first_name", "last_name")
    readonly_fields = ("role", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "role", "time_zone")}),
        (
            "Access",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "role", "password1", "password2"),
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        # The role is chosen when the account is made and never changes.
        return self.readonly_fields if obj else ("last_login", "date_joined")


# --- Schools and skills -------------------------------------------------------------------


class SchoolDomainForm(forms.ModelForm):
    class Meta:
        model = SchoolDomain
        fields = ("domain",)

    def clean_domain(self):
        domain = self.cleaned_data["domain"].strip().lower().lstrip("@")
        if "@" in domain or "." not in domain or " " in domain:
            raise ValidationError("Enter a domain such as med.northbridge.edu.")
        if School.objects.filter(email_domain__iexact=domain).exists():
            raise ValidationError("This is already a school's main email domain.")
        return domain


class SchoolDomainInline(admin.TabularInline):
    model = SchoolDomain
    form = SchoolDomainForm
    extra = 0

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and (
            request.user.is_superuser or staff_school_id(request.user) is not None
        )

    def has_add_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(School)
class SchoolAdmin(SchoolScopedAdmin):
    """A school's email domains: a student who confirms an address at one of them is
    verified as a student of the school."""

    school_path = "pk"
    admin_can_add = admin_can_change = True
    list_display = (
        "name",
        "short_name",
        "city",
        "state",
        "email_domain",
        "f1_weekly_hours_in_term",
        "is_active",
    )
    list_filter = ("is_active", "state")
    search_fields = ("name", "short_name", "email_domain", "other_domains__domain")
    inlines = [SchoolDomainInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "email_domain" in form.base_fields:
            form.base_fields["email_domain"].label = "Main email domain"
        return form


@admin.register(Skill)
class SkillAdmin(AuditedAdminMixin, PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


# --- Academic calendars -----------------------------------------------------------------------


class AcademicTermForm(forms.ModelForm):
    """Checked and saved by `academic_term_save` as the form is cleaned, so a refusal (dates
    overlapping another term) shows beside its field."""

    class Meta:
        model = AcademicTerm
        fields = ("school", "name", "starts_on", "ends_on")
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    actor = None  # set by the admin for each request
    school_id_for_staff = None

    def clean(self):
        data = super().clean()
        school = data.get("school") if "school" in self.fields else None
        if school is None and self.school_id_for_staff is not None:
            school = School.objects.get(pk=self.school_id_for_staff)
        if self.errors or school is None:
            return data
        try:
            self.saved = terms.academic_term_save(
                actor=self.actor,
                school=school,
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                term=self.instance if self.instance.pk else None,
            )
        except ValidationError as error:
            add_service_errors(self, error)
        return data

    def _post_clean(self):
        """The model's own checks ran in the service; nothing more to validate here."""


@admin.register(AcademicTerm)
class AcademicTermAdmin(SchoolScopedAdmin):
    """Career services keep their school's academic calendar: during a term, students on CPT
    or pre-completion OPT may work part time only."""

    school_path = "school"
    staff_can_add = staff_can_change = True
    admin_can_add = admin_can_change = True
    form = AcademicTermForm
    list_display = ("name", "school", "starts_on", "ends_on")
    list_select_related = ("school",)
    date_hierarchy = "starts_on"

    def get_list_filter(self, request):
        return ("school",) if self.is_platform_admin(request) else ()

    def get_fields(self, request, obj=None):
        if self.is_platform_admin(request):
            return ("school", "name", "starts_on", "ends_on")
        return ("name", "starts_on", "ends_on")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.actor = request.user
        form.school_id_for_staff = self.staff_school(request)
        return form

    def save_model(self, request, obj, form, change):
        saved = form.saved
        obj.pk, obj.school_id = saved.pk, saved.school_id
        obj.name, obj.starts_on, obj.ends_on = saved.name, saved.starts_on, saved.ends_on
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Nothing hangs off a term."""
