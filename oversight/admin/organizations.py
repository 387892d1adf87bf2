"""The employers students work with: verification and suspension."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html

from accounts import services as account_services
from accounts.admin_scope import SchoolScopedAdmin
from accounts.merging import merge_counts, organizations_merge
from accounts.models import EmployerProfile, Organization, VerificationCheck
from accounts.verification import organization_decide
from engagements.models import Engagement
from marketplace.forms import add_service_errors
from oversight.verification import verification_evidence

from .common import URL_FIELDS_HTTPS

# --- Organizations ----------------------------------------------------------------------------


class VerificationNoteForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Shown to the organization's employers. Required when not verifying.",
    )


class VerificationDecisionForm(forms.Form):
    checks = forms.MultipleChoiceField(
        choices=VerificationCheck.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What you checked",
    )
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Reasons",
        help_text="Kept with the decision. When not verifying, the organization's employers "
        "read them: say what to fix.",
    )


class MergeForm(forms.Form):
    keep = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label="Keep",
        help_text="The other one is emptied into it and archived.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why they are the same organization",
        help_text="Kept in the audit trail and told to the kept organization's team.",
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [(o.pk, f"{o.name} (#{o.pk})") for o in organizations]


class EmployerInline(admin.TabularInline):
    model = EmployerProfile
    extra = 0
    can_delete = False
    fields = ("user", "job_title", "team_role")
    readonly_fields = ("user", "job_title", "team_role")

    def has_add_permission(self, request, obj=None):
        return False


class SuspensionForm(forms.Form):
    note = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the organization's employers. Their open projects close and the "
        "applicants are told.",
    )


@admin.register(Organization)
class OrganizationAdmin(SchoolScopedAdmin):
    """Platform admins manage every organization; career services see, read-only, the
    employers their students work with."""

    school_path = "engagements__school"  # through an Exists, so no duplicate rows
    admin_can_change = True
    list_display = (
        "name",
        "industry",
        "size",
        "verification_status",
        "suspended",
        "verified_at",
        "created_at",
    )
    list_filter = (
        "verification_status",
        "industry",
        "size",
        ("archived_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("name", "website")
    readonly_fields = (
        "verification_status",
        "verification_note",
        "verified_at",
        "verified_by",
        "suspended_at",
        "suspension_reason",
        "created_at",
        "archived_at",
        "merged_into",
        "follow_up",
    )
    inlines = [EmployerInline]
    formfield_overrides = URL_FIELDS_HTTPS
    actions = [
        "verify_selected",
        "reject_selected",
        "suspend_selected",
        "reinstate_selected",
        "merge_selected",
    ]

    def scope(self, queryset, school_id):
        return queryset.filter(
            Exists(Engagement.objects.filter(organization=OuterRef("pk"), school_id=school_id))
        )

    def get_inlines(self, request, obj):
        # Who the employers are is the platform's business; staff see the organization.
        return self.inlines if self.is_platform_admin(request) else []

    @admin.display(description="suspended", boolean=True, ordering="suspended_at")
    def suspended(self, obj):
        return obj.suspended_at is not None

    @admin.display(description="evidence")
    def evidence(self, obj):
        url = reverse("admin:accounts_organization_verification", args=[obj.pk])
        return format_html('<a href="{}">Review the evidence</a>', url)

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return (*shown, "evidence") if self.is_platform_admin(request) else shown

    def get_urls(self):
        return [
            path(
                "<int:pk>/verification/",
                self.admin_site.admin_view(self.verification_view),
                name="accounts_organization_verification",
            )
        ] + super().get_urls()

    def verification_view(self, request, pk: int):
        """The verification queue's page for one organization: the evidence, a checklist
        to tick and the decision with its reasons."""
        if not self.is_platform_admin(request):
            return self.not_available(request)
        organization = Organization.objects.filter(pk=pk).first()
        if organization is None:
            return self.not_available(request)
        form = VerificationDecisionForm(request.POST or None)
        decision = request.POST.get("decision")
        if request.method == "POST" and form.is_valid() and decision in ("verify", "reject"):
            try:
                organization_decide(
                    actor=request.user,
                    organization=organization,
                    verify=decision == "verify",
                    checks=form.cleaned_data["checks"],
                    reasons=form.cleaned_data["reasons"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                verb = "verified" if decision == "verify" else "marked as not verified"
                self.message_user(
                    request,
                    f"{organization.name} is {verb}; its employers have been told.",
                    messages.SUCCESS,
                )
                return redirect(
                    reverse("admin:accounts_organization_changelist")
                    + "?verification_status__exact=unverified"
                )
        return render(
            request,
            "admin/accounts/organization/verification.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Verify {organization.name}",
                "evidence": verification_evidence(organization),
                "form": form,
                "opts": self.model._meta,
            },
        )

    @admin.display(description="follow-up")
    def follow_up(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("admin:oversight_flag_add") + f"?organization={obj.pk}"
        return format_html('<a class="button" href="{}">Flag this employer</a>', url)

    @admin.action(description="Verify the selected organization from its evidence")
    def verify_selected(self, request, queryset):
        """No verifying in bulk: each organization is verified on its evidence page, with
        the checklist ticked."""
        if not self.is_platform_admin(request):
            return self.not_available(request)
        if queryset.count() != 1:
            self.message_user(
                request,
                "Verify organizations one at a time, from their evidence: select one.",
                messages.ERROR,
            )
            return None
        return redirect(
            reverse("admin:accounts_organization_verification", args=[queryset.get().pk])
        )

    @admin.action(description="Mark selected organizations as not verified")
    def reject_selected(self, request, queryset):
        return self._decide(request, queryset, "reject")

    @admin.action(description="Merge two duplicate organizations")
    def merge_selected(self, request, queryset):
        """Two organizations that are one: choose which to keep, confirm, and everything of
        the other moves to it (accounts.merging)."""
        if not self.is_platform_admin(request):
            return self.not_available(request)
        organizations = list(queryset.order_by("pk")[:3])
        if len(organizations) != 2:
            self.message_user(request, "Select exactly two organizations to merge.", messages.ERROR)
            return None
        form = MergeForm(
            request.POST if "apply" in request.POST else None, organizations=organizations
        )
        if "apply" in request.POST and form.is_valid():
            keep = next(o for o in organizations if o.pk == form.cleaned_data["keep"])
            duplicate = next(o for o in organizations if o.pk != keep.pk)
            try:
                organizations_merge(
                    actor=request.user,
                    keep=keep,
                    duplicate=duplicate,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(
                    request,
                    f"{duplicate.name} (#{duplicate.pk}) is merged into {keep.name} and archived.",
                    messages.SUCCESS,
                )
                return None
        return render(
            request,
            "admin/accounts/organization/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge duplicate organizations",
                "rows": [(o, merge_counts(o)) for o in organizations],
                "organizations": organizations,
                "form": form,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )

    @admin.action(description="Suspend selected organizations (their open projects close)")
    def suspend_selected(self, request, queryset):
        return self._decide(request, queryset, "suspend")

    @admin.action(description="Reinstate selected suspended organizations")
    def reinstate_selected(self, request, queryset):
        done = 0
        for org in queryset.filter(suspended_at__isnull=False):
            account_services.organization_reinstate(actor=request.user, organization=org)
            done += 1
        self.message_user(request, f"{done} organization(s) reinstated.", messages.SUCCESS)

    DECISIONS = {
        # Recorded as a decision with its reasons, as on the evidence page.
        "reject": (
            "Do not verify organizations",
            "marked as not verified",
            lambda *, actor, organization, note: organization_decide(
                actor=actor, organization=organization, verify=False, checks=[], reasons=note
            ),
        ),
        "suspend": ("Suspend organizations", "suspended", account_services.organization_suspend),
    }

    def _decide(self, request, queryset, decision: str):
        title, verb, service = self.DECISIONS[decision]
        form_class = SuspensionForm if decision == "suspend" else VerificationNoteForm
        form = form_class(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            note = form.cleaned_data["note"].strip()
            if decision == "reject" and not note:
                form.add_error("note", "Say why, so the employers know what to fix.")
            else:
                done = 0
                for org in queryset:
                    try:
                        if decision == "suspend":
                            service(actor=request.user, organization=org, reason=note)
                        else:
                            service(actor=request.user, organization=org, note=note)
                        done += 1
                    except ValidationError as error:
                        self.message_user(
                            request, f"{org}: {' '.join(error.messages)}", messages.ERROR
                        )
                self.message_user(request, f"{done} organization(s) {verb}.", messages.SUCCESS)
                return None
        return render(
            request,
            "admin/accounts/organization/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "organizations": queryset,
                "form": form,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )
