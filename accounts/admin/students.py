"""Student profiles in the admin, with the review of work authorizations."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from accounts import services
from accounts.admin_scope import SchoolScopedAdmin
from accounts.models import (
    AuthorizationStatus,
    AuthorizedSchedule,
    OptKind,
    Organization,
    StudentProfile,
)
from marketplace.forms import add_service_errors

from .users import URL_FIELDS_HTTPS

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
