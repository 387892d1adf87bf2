"""Admin for platform admins (everything) and career services staff (their school only)."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from accounts import affiliation, outbox, services, terms
from accounts.access import staff_school_id
from accounts.admin_scope import PlatformAdminOnly, PlatformAdminReadOnly, SchoolScopedAdmin
from accounts.audit import AuditedAdminMixin, pretty
from accounts.models import (
    AcademicTerm,
    Affiliation,
    AffiliationClaim,
    AuditEvent,
    AuthorizationStatus,
    AuthorizedSchedule,
    CareerStaffProfile,
    EmployerProfile,
    OptKind,
    Organization,
    OrganizationInvitation,
    OrganizationJoinRequest,
    OutboundEmail,
    Role,
    School,
    SchoolDomain,
    Skill,
    StaffAccessRequest,
    StudentProfile,
    User,
    VerificationDecision,
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


# --- Profiles -------------------------------------------------------------------------------------


class AuthorizationReviewForm(forms.Form):
    valid_from = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Valid from"
    )
    valid_until = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Valid until"
    )
    cpt_organization = forms.ModelChoiceField(
        queryset=Organization.objects.order_by("name"),
        required=False,
        label="CPT employer",
        help_text="For a CPT: the organization the I-20 names. The student can be accepted "
        "only for its projects.",
    )
    authorized_schedule = forms.ChoiceField(
        choices=[("", "—"), *AuthorizedSchedule.choices],
        required=False,
        label="Authorized schedule",
        help_text="For a CPT or OPT: part or full time, as the document says. Outside term, "
        "part time caps the student's hours at 20 a week.",
    )
    opt_kind = forms.ChoiceField(
        choices=[("", "—"), *OptKind.choices],
        required=False,
        label="Kind of OPT",
        help_text="For an OPT: pre-completion OPT is capped at 20 hours a week during term.",
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason (when rejecting)",
        help_text="The student reads it: say what is wrong and what to bring instead.",
    )


class NeedsReviewFilter(admin.SimpleListFilter):
    title = "work authorization review"
    parameter_name = "authorization"

    def lookups(self, request, model_admin):
        return [
            ("pending", "Waiting for review"),
            ("expiring", "Verified, ends within 30 days"),
            ("expired", "Verified, expired"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        verified = queryset.filter(work_authorization_status=AuthorizationStatus.VERIFIED)
        if self.value() == "pending":
            return queryset.filter(work_authorization_status=AuthorizationStatus.PENDING)
        if self.value() == "expiring":
            return verified.filter(
                authorization_valid_until__gte=today,
                authorization_valid_until__lte=today + timedelta(days=30),
            )
        if self.value() == "expired":
            return queryset.filter(StudentProfile.expired_authorizations(today))
        return queryset


@admin.register(StudentProfile)
class StudentProfileAdmin(SchoolScopedAdmin):
    """Platform admins see every student; career staff only their own school's, and review
    their work authorization documents."""

    school_path = "school"
    admin_can_change = True
    list_display = (
        "student_name",
        "email",
        "school",
        "major",
        "graduation_year",
        "work_authorization",
        "authorization_state",
        "affiliation",
    )
    list_filter = (
        NeedsReviewFilter,
        "affiliation",
        "work_authorization_status",
        "work_authorization",
        "graduation_year",
    )
    search_fields = ("user__email", "user__first_name", "user__last_name", "major")
    list_select_related = ("user", "school")
    readonly_fields = (
        "user",
        "resume_link",
        "resume_uploaded_at",
        "authorization_review",
        # Declarations change only through the student's profile, and reviews through
        # the review page: both keep status and declaration consistent.
        "work_authorization",
        "work_authorization_status",
        "authorization_changed_from",
        "work_authorization_note",
        "authorization_valid_from",
        "authorization_valid_until",
        "authorization_reviewed_by",
        "authorization_reviewed_at",
        "cpt_organization",
        "authorized_schedule",
        "opt_kind",
        "affiliation",
        "affiliation_method",
        "affiliation_email",
        "affiliation_verified_at",
        "affiliation_claim",
        "affiliation_claimed_at",
        "affiliation_decided_by",
        "affiliation_reason",
        "affiliation_lapsed_email",
        "affiliation_lapsed_at",
        "updated_at",
    )
    exclude = ("resume", "authorization_document", "authorization_document_name")

    def scope(self, queryset, school_id: int):
        # Career services oversee the students whose affiliation is verified; claims
        # wait in "School affiliation claims".
        return queryset.filter(StudentProfile.verified_at_school(school_id))

    filter_horizontal = ("skills",)
    formfield_overrides = URL_FIELDS_HTTPS

    @admin.display(description="student", ordering="user__last_name")
    def student_name(self, obj):
        return obj.user.get_full_name()

    @admin.display(description="email", ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description="review", ordering="work_authorization_status")
    def authorization_state(self, obj):
        state = obj.get_work_authorization_status_display()
        if obj.work_authorization_status == AuthorizationStatus.PENDING and (
            obj.authorization_changed_from
        ):
            return f"{state}: declared change {obj.authorization_change_display}"
        until = obj.authorization_valid_until
        if obj.work_authorization_status == AuthorizationStatus.VERIFIED and until:
            if obj.authorization_expired:
                return format_html('<strong class="integrity-flag">⚠ expired {}</strong>', until)
            return f"{state} until {until:%Y-%m-%d}"
        return state

    @admin.display(description="résumé")
    def resume_link(self, obj):
        if not obj.resume:
            return "—"
        url = reverse("projects:resume_download", kwargs={"student_id": obj.user_id})
        return format_html('<a href="{}">{}</a>', url, obj.resume_display_name)

    @admin.display(description="work authorization document")
    def authorization_review(self, obj):
        if not obj.authorization_is_reviewed:
            return "Not needed for this status."
        url = reverse("admin:accounts_studentprofile_authorization", args=[obj.pk])
        label = (
            "Review the document"
            if obj.authorization_needs_verification
            else "Review the declared change"
        )
        return format_html('<a class="button" href="{}">{}</a>', url, label)

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if self.is_platform_admin(request):
            return ("school", *filters)
        return filters

    def get_urls(self):
        return [
            path(
                "<int:pk>/authorization/",
                self.admin_site.admin_view(self.authorization_view),
                name="accounts_studentprofile_authorization",
            )
        ] + super().get_urls()

    def authorization_view(self, request, pk: int):
        """Career services check the declared status against the uploaded document."""
        profile = (
            self.get_queryset(request)
            .select_related("user", "authorization_reviewed_by", "cpt_organization")
            .filter(pk=pk)
            .first()
        )
        if profile is None:
            return self.not_available(request)
        may_decide = self.is_platform_admin(request) or request.user.has_perm(
            "accounts.verify_work_authorization"
        )
        if not self.has_view_permission(request, profile):
            raise PermissionDenied
        initial = {
            "valid_from": profile.authorization_valid_from,
            "valid_until": profile.authorization_valid_until,
            "cpt_organization": profile.cpt_organization_id,
            "authorized_schedule": profile.authorized_schedule,
            "opt_kind": profile.opt_kind,
        }
        form = AuthorizationReviewForm(request.POST or None, initial=initial)
        if request.method == "POST":
            if not may_decide:
                raise PermissionDenied
            decision = request.POST.get("decision")
            if form.is_valid() and decision in ("verify", "reject"):
                data = form.cleaned_data
                try:
                    if decision == "verify":
                        services.work_authorization_verify(
                            actor=request.user,
                            profile=profile,
                            valid_from=data["valid_from"],
                            valid_until=data["valid_until"],
                            cpt_organization=data["cpt_organization"],
                            authorized_schedule=data["authorized_schedule"],
                            opt_kind=data["opt_kind"],
                        )
                    else:
                        services.work_authorization_reject(
                            actor=request.user, profile=profile, reason=data["reason"]
                        )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    verb = "verified" if decision == "verify" else "rejected"
                    self.message_user(
                        request,
                        f"{profile.user.get_full_name()}'s work authorization is {verb}. "
                        "The student has been told.",
                        messages.SUCCESS,
                    )
                    return redirect("admin:accounts_studentprofile_change", profile.pk)
        document_url = (
            reverse("authorization_document", kwargs={"student_id": profile.user_id})
            if profile.authorization_document
            else ""
        )
        return render(
            request,
            "admin/accounts/studentprofile/authorization.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Work authorization: {profile.user.get_full_name()}",
                "profile": profile,
                "form": form,
                "may_decide": may_decide,
                "document_url": document_url,
                "is_expired": profile.authorization_expired,
                "opts": self.model._meta,
            },
        )


class AffiliationDecisionForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason",
        help_text="How you checked (e.g. “on the registrar's enrolment list”), or why you "
        "cannot confirm. Kept in the audit trail; a student you decline reads it.",
    )


class AffiliationFilter(admin.SimpleListFilter):
    title = "claim"
    parameter_name = "claim"

    def lookups(self, request, model_admin):
        return [
            ("pending", "Waiting for you"),
            ("lapsed", "School address removed"),
            ("declined", "Declined"),
            ("unverified", "Not verified, no claim"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "lapsed":
            return queryset.exclude(affiliation_lapsed_at=None)
        if value in (Affiliation.PENDING, Affiliation.DECLINED, Affiliation.UNVERIFIED):
            return queryset.filter(affiliation=value)
        return queryset


@admin.register(AffiliationClaim)
class AffiliationClaimAdmin(SchoolScopedAdmin):
    """The queue of students who say they study at the school and are not verified yet:
    career services approve or decline each claim, with a reason (audited)."""

    school_path = "school"
    list_display = ("student_name", "email", "school", "state", "claimed", "lapsed")
    list_filter = (AffiliationFilter,)
    search_fields = ("user__email", "user__first_name", "user__last_name")
    list_select_related = ("user", "school")
    fields = (
        "user",
        "school",
        "major",
        "graduation_year",
        "affiliation",
        "affiliation_claim",
        "affiliation_claimed_at",
        "affiliation_reason",
        "affiliation_lapsed_email",
        "affiliation_lapsed_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request).exclude(affiliation=Affiliation.VERIFIED)
        # Claims waiting first, oldest first.
        return queryset.order_by(
            models.Case(models.When(affiliation=Affiliation.PENDING, then=0), default=1),
            "affiliation_claimed_at",
            "user__last_name",
        )

    def get_list_filter(self, request):
        if self.is_platform_admin(request):
            return ("school", *self.list_filter)
        return self.list_filter

    @admin.display(description="student", ordering="user__last_name")
    def student_name(self, obj):
        url = reverse("admin:accounts_affiliationclaim_review", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.user.get_full_name())

    @admin.display(description="email", ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description="school affiliation", ordering="affiliation")
    def state(self, obj):
        return obj.get_affiliation_display()

    @admin.display(description="claimed", ordering="affiliation_claimed_at")
    def claimed(self, obj):
        return obj.affiliation_claimed_at or "—"

    @admin.display(description="flag")
    def lapsed(self, obj):
        if obj.affiliation_lapsed_at:
            return format_html(
                '<strong class="integrity-flag">⚠ school address {} removed</strong>',
                obj.affiliation_lapsed_email,
            )
        return ""

    def get_urls(self):
        return [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="accounts_affiliationclaim_review",
            )
        ] + super().get_urls()

    def review_view(self, request, pk: int):
        profile = self.get_queryset(request).select_related("user", "school").filter(pk=pk)
        profile = profile.first()
        if profile is None:
            return self.not_available(request)
        if not self.has_view_permission(request, profile):
            raise PermissionDenied
        may_decide = self.is_platform_admin(request) or request.user.has_perm(
            "accounts.verify_school_affiliation"
        )
        form = AffiliationDecisionForm(request.POST or None)
        if request.method == "POST":
            if not may_decide:
                raise PermissionDenied
            decision = request.POST.get("decision")
            if form.is_valid() and decision in ("approve", "decline"):
                decide = (
                    affiliation.affiliation_claim_approve
                    if decision == "approve"
                    else affiliation.affiliation_claim_decline
                )
                try:
                    decide(actor=request.user, profile=profile, reason=form.cleaned_data["reason"])
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    verb = "confirmed" if decision == "approve" else "declined"
                    self.message_user(
                        request,
                        f"{profile.user.get_full_name()}'s claim is {verb}. "
                        "The student has been told.",
                        messages.SUCCESS,
                    )
                    return redirect("admin:accounts_affiliationclaim_changelist")
        return render(
            request,
            "admin/accounts/affiliationclaim/review.html",
            {
                **self.admin_site.each_context(request),
                "title": f"School claim: {profile.user.get_full_name()}",
                "profile": profile,
                "form": form,
                "may_decide": may_decide and profile.affiliation == Affiliation.PENDING,
                "opts": self.model._meta,
            },
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


@admin.register(AuditEvent)
class AuditEventAdmin(SchoolScopedAdmin):
    """The audit trail, read-only for everyone: platform admins see every event, career
    services staff the events about their own school's students."""

    school_path = "school"
    list_display = ("created_at", "who", "action", "summary", "school")
    list_filter = ("action", ("created_at", admin.DateFieldListFilter), "school")
    search_fields = ("summary", "actor__email")
    list_select_related = ("actor", "school")
    fields = (
        "created_at",
        "actor",
        "action",
        "summary",
        "school",
        "target_type",
        "target_id",
        "details",
    )
    readonly_fields = fields

    @admin.display(description="actor", ordering="actor__email")
    def who(self, obj):
        return obj.actor.email if obj.actor else "the platform (automatic)"

    @admin.display(description="what changed")
    def details(self, obj):
        return format_html("<pre>{}</pre>", pretty(obj.data))

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(PlatformAdminOnly, admin.ModelAdmin):
    """The outbox, read-only: what was sent, what waits, what failed and why. The body
    is not shown: it may hold a one-time link (password reset, email confirmation)."""

    list_display = ("created_at", "subject", "recipients", "status", "attempts", "sent_at")
    list_filter = ("status", ("created_at", admin.DateFieldListFilter))
    search_fields = ("subject", "key", "to")
    fields = (
        "key",
        "subject",
        "from_email",
        "to",
        "cc",
        "bcc",
        "reply_to",
        "notification",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    )
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description="to")
    def recipients(self, obj):
        return ", ".join(obj.to)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected failed emails again")
    def send_again(self, request, queryset):
        restarted = sum(
            outbox.email_send_again(actor=request.user, email=email)
            for email in queryset.filter(status=OutboundEmail.Status.FAILED)
        )
        skipped = queryset.exclude(status=OutboundEmail.Status.FAILED).count()
        self.message_user(request, f"{restarted} email(s) will be sent again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} email(s) skipped: only emails that failed are sent again.",
                messages.WARNING,
            )


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
