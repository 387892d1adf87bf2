"""Employers, their teams and verification decisions; career services profiles and staff access
requests."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path

from accounts import services
from accounts.admin_scope import PlatformAdminOnly, PlatformAdminReadOnly
from accounts.audit import AuditedAdminMixin
from accounts.models import (
    CareerStaffProfile,
    EmployerProfile,
    OrganizationInvitation,
    OrganizationJoinRequest,
    School,
    StaffAccessRequest,
    VerificationDecision,
)


@admin.register(VerificationDecision)
class VerificationDecisionAdmin(PlatformAdminReadOnly, admin.ModelAdmin):
    """Decisions taken on an organization's evidence page (Organizations → Review)."""

    list_display = ("organization", "status", "decided_by", "decided_at")
    list_filter = ("status",)
    list_select_related = ("organization", "decided_by")
    search_fields = ("organization__name", "reasons")


@admin.register(OrganizationJoinRequest)
class OrganizationJoinRequestAdmin(PlatformAdminReadOnly, admin.ModelAdmin):
    """Requests to join an organization; its own admins decide them on the team page."""

    list_display = ("user", "organization", "job_title", "status", "created_at", "decided_by")
    list_filter = ("status",)
    list_select_related = ("user", "organization", "decided_by")
    search_fields = ("user__email", "organization__name")


@admin.register(OrganizationInvitation)
class OrganizationInvitationAdmin(PlatformAdminReadOnly, admin.ModelAdmin):
    list_display = ("email", "organization", "role", "status", "invited_by", "created_at")
    list_filter = ("status", "role")
    list_select_related = ("organization", "invited_by")
    search_fields = ("email", "organization__name")
    exclude = ("token",)


@admin.register(EmployerProfile)
class EmployerProfileAdmin(AuditedAdminMixin, PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("user", "organization", "job_title", "team_role")
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
class CareerStaffProfileAdmin(AuditedAdminMixin, PlatformAdminOnly, admin.ModelAdmin):
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
