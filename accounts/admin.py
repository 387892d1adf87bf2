"""Admin for platform admins (everything) and career services staff (their school only)."""

from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html

from accounts import services
from accounts.models import (
    AuditEvent,
    CareerStaffProfile,
    EmployerProfile,
    Organization,
    Role,
    School,
    Skill,
    StaffAccessRequest,
    StudentProfile,
    User,
)

URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}

# Admin logins go through allauth too, so its rate limits and email checks apply.
admin.site.login = secure_admin_login(admin.site.login)


def staff_school_id(user) -> int | None:
    profile = getattr(user, "career_staff_profile", None)
    return profile.school_id if profile else None


class PlatformAdminOnly:
    """Models only platform admins manage; career staff never see them."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


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
class UserAdmin(PlatformAdminOnly, BaseUserAdmin):
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


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "city", "state", "email_domain", "is_active")
    list_filter = ("is_active", "state")
    search_fields = ("name", "short_name", "email_domain")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk=staff_school_id(request.user))


@admin.register(Skill)
class SkillAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


# --- Organizations ----------------------------------------------------------------------------


class VerificationNoteForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Shown to the organization's employers. Required when not verifying.",
    )


class EmployerInline(admin.TabularInline):
    model = EmployerProfile
    extra = 0
    can_delete = False
    fields = ("user", "job_title")
    readonly_fields = ("user", "job_title")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("name", "industry", "size", "verification_status", "verified_at", "created_at")
    list_filter = ("verification_status", "industry", "size")
    search_fields = ("name", "website")
    readonly_fields = (
        "verification_status",
        "verification_note",
        "verified_at",
        "verified_by",
        "created_at",
    )
    inlines = [EmployerInline]
    formfield_overrides = URL_FIELDS_HTTPS
    actions = ["verify_selected", "reject_selected"]

    @admin.action(description="Verify selected organizations")
    def verify_selected(self, request, queryset):
        return self._decide(request, queryset, verify=True)

    @admin.action(description="Mark selected organizations as not verified")
    def reject_selected(self, request, queryset):
        return self._decide(request, queryset, verify=False)

    def _decide(self, request, queryset, *, verify: bool):
        form = VerificationNoteForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            note = form.cleaned_data["note"].strip()
            if not verify and not note:
                form.add_error("note", "Say why, so the employers know what to fix.")
            else:
                done = 0
                for org in queryset:
                    try:
                        if verify:
                            services.organization_verify(
                                actor=request.user, organization=org, note=note
                            )
                        else:
                            services.organization_reject(
                                actor=request.user, organization=org, note=note
                            )
                        done += 1
                    except ValidationError as error:
                        self.message_user(
                            request, f"{org}: {' '.join(error.messages)}", messages.ERROR
                        )
                verb = "verified" if verify else "marked as not verified"
                self.message_user(request, f"{done} organization(s) {verb}.", messages.SUCCESS)
                return None
        return render(
            request,
            "admin/accounts/organization/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": "Verify organizations" if verify else "Do not verify organizations",
                "organizations": queryset,
                "form": form,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )


# --- Profiles -------------------------------------------------------------------------------------


@admin.register(StudentProfile)
class StudentProfileAdmin(admin.ModelAdmin):
    """Platform admins see every student; career staff only their own school's."""

    list_display = (
        "student_name",
        "email",
        "school",
        "major",
        "graduation_year",
        "work_authorization",
        "work_authorization_status",
    )
    list_filter = ("work_authorization_status", "work_authorization", "graduation_year")
    search_fields = ("user__email", "user__first_name", "user__last_name", "major")
    list_select_related = ("user", "school")
    readonly_fields = ("user", "resume_link", "resume_uploaded_at", "updated_at")
    exclude = ("resume",)
    filter_horizontal = ("skills",)
    formfield_overrides = URL_FIELDS_HTTPS

    @admin.display(description="student", ordering="user__last_name")
    def student_name(self, obj):
        return obj.user.get_full_name()

    @admin.display(description="email", ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description="résumé")
    def resume_link(self, obj):
        if not obj.resume:
            return "—"
        url = reverse("resume_download", kwargs={"student_id": obj.user_id})
        return format_html('<a href="{}">{}</a>', url, obj.resume_display_name)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(school_id=staff_school_id(request.user))

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return ("school",) + tuple(self.list_filter)
        return self.list_filter

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(EmployerProfile)
class EmployerProfileAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("user", "organization", "job_title")
    list_select_related = ("user", "organization")
    search_fields = ("user__email", "organization__name")
    raw_id_fields = ("user", "organization")


class CareerStaffCreateForm(forms.Form):
    email = forms.EmailField(label="Work email address")
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    school = forms.ModelChoiceField(queryset=School.objects.filter(is_active=True))
    job_title = forms.CharField(max_length=120, required=False)


@admin.register(CareerStaffProfile)
class CareerStaffProfileAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("user", "school", "job_title")
    list_select_related = ("user", "school")
    list_filter = ("school",)
    search_fields = ("user__email", "user__first_name", "user__last_name", "school__name")
    readonly_fields = ("user",)

    def get_urls(self):
        return [
            path(
                "create/",
                self.admin_site.admin_view(self.create_view),
                name="accounts_careerstaffprofile_create",
            )
        ] + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:accounts_careerstaffprofile_create")

    def create_view(self, request):
        if not request.user.is_superuser:
            raise PermissionDenied
        form = CareerStaffCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                user = services.career_staff_create(
                    actor=request.user,
                    email=data["email"],
                    first_name=data["first_name"].strip(),
                    last_name=data["last_name"].strip(),
                    school=data["school"],
                    job_title=data["job_title"].strip(),
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                self.message_user(
                    request,
                    f"Created {user.email} for {data['school']}. "
                    "They were emailed a link to set a password.",
                    messages.SUCCESS,
                )
                return redirect("admin:accounts_careerstaffprofile_changelist")
        return render(
            request,
            "admin/accounts/careerstaffprofile/create.html",
            {
                **self.admin_site.each_context(request),
                "title": "Add a career services staff member",
                "form": form,
                "opts": self.model._meta,
            },
        )


@admin.register(StaffAccessRequest)
class StaffAccessRequestAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = (
        "email",
        "first_name",
        "last_name",
        "school",
        "job_title",
        "status",
        "created_at",
    )
    list_filter = ("status", "school")
    search_fields = ("email", "first_name", "last_name")
    list_select_related = ("school",)
    readonly_fields = [f.name for f in StaffAccessRequest._meta.fields]
    actions = ["approve_selected", "decline_selected"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Approve: create the accounts and email a set-password link")
    def approve_selected(self, request, queryset):
        for access_request in queryset:
            try:
                services.staff_access_request_approve(
                    actor=request.user, access_request=access_request
                )
            except ValidationError as error:
                self.message_user(
                    request, f"{access_request.email}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                self.message_user(request, f"Approved {access_request.email}.", messages.SUCCESS)

    @admin.action(description="Decline selected requests")
    def decline_selected(self, request, queryset):
        for access_request in queryset:
            try:
                services.staff_access_request_decline(
                    actor=request.user,
                    access_request=access_request,
                    note="Declined by a platform admin.",
                )
            except ValidationError as error:
                self.message_user(
                    request, f"{access_request.email}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                self.message_user(request, f"Declined {access_request.email}.", messages.SUCCESS)


@admin.register(AuditEvent)
class AuditEventAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "summary")
    list_filter = ("action",)
    search_fields = ("summary", "actor__email")
    list_select_related = ("actor",)
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
