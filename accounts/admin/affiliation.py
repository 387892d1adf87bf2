"""Students' claims of a school affiliation, decided by career services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html

from accounts import affiliation
from accounts.admin_scope import SchoolScopedAdmin
from accounts.models import (
    Affiliation,
    AffiliationClaim,
)
from marketplace.forms import add_service_errors


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
            ("lapsed", "School address lapsed (removed or bounced)"),
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
                '<strong class="integrity-flag">⚠ school address lapsed: {} {}</strong>',
                obj.affiliation_lapsed_email,
                "bounced" if obj.affiliation_lapsed_because == "bounced" else "removed",
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
