"""Money in the admin: read-only records, plus the two things admins do with money:
retry a payout now, and settle a disputed engagement with a split."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.admin_scope import SchoolScopedAdmin
from accounts.audit import AuditedAdminMixin
from accounts.models import Organization, Role, User
from engagements import selectors as engagement_selectors
from engagements.models import Engagement, EngagementStatus
from marketplace.csv_export import csv_response
from marketplace.forms import MoneyField, add_service_errors
from marketplace.templatetags.money import money_exact
from payments import ledger, services, statements, webhooks
from payments import milestones as milestone_ledger
from payments.models import (
    Bonus,
    LedgerEntry,
    Payment,
    Payout,
    PayoutAccount,
    PayoutEvent,
    Refund,
    Sponsor,
    SponsorDeposit,
    SponsorEntry,
    WebhookEvent,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Money records are written by the payment services only."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("receipt", "engagement", "kind", "amount", "status", "gateway", "created_at")
    list_filter = ("status", "kind", "gateway")
    search_fields = ("provider_id", "engagement__project__title", "engagement__student__email")
    list_select_related = ("engagement__project", "engagement__student")
    readonly_fields = [f.name for f in Payment._meta.fields]

    @admin.display(description="receipt")
    def receipt(self, obj):
        return obj.receipt_number

    @admin.display(description="amount", ordering="amount_cents")
    def amount(self, obj):
        return money_exact(obj.amount_cents)


@admin.register(Bonus)
class BonusAdmin(ReadOnlyAdmin):
    list_display = ("pk", "engagement", "amount", "status", "created_by", "created_at")
    list_filter = ("status",)
    search_fields = ("engagement__project__title", "engagement__student__email")
    list_select_related = ("engagement__project", "engagement__student", "created_by")
    readonly_fields = [f.name for f in Bonus._meta.fields]

    @admin.display(description="amount", ordering="amount_cents")
    def amount(self, obj):
        return money_exact(obj.amount_cents)


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("pk", "payment", "amount", "status", "attempts", "reason", "created_at")
    list_filter = ("status",)
    list_select_related = ("payment__engagement__project",)
    readonly_fields = [f.name for f in Refund._meta.fields]

    @admin.display(description="amount", ordering="amount_cents")
    def amount(self, obj):
        return money_exact(obj.amount_cents)


class PayoutEventInline(admin.TabularInline):
    """The payout's timeline, as the student sees it (append-only)."""

    model = PayoutEvent
    fields = ("at", "step", "detail", "key")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Payout)
class PayoutAdmin(SchoolScopedAdmin):
    """Career services see their students' payouts (read-only); admins can retry one."""

    school_path = "engagement__school"
    list_display = (
        "pk",
        "student",
        "engagement",
        "kind",
        "amount",
        "status",
        "delivery",
        "expected_arrival",
        "attempts",
        "last_error",
    )
    list_filter = ("status", "kind", "delivery", "gateway")
    search_fields = (
        "student__email",
        "provider_id",
        "bank_payout_id",
        "engagement__project__title",
    )
    list_select_related = ("student", "engagement__project")
    readonly_fields = [f.name for f in Payout._meta.fields]
    inlines = [PayoutEventInline]
    actions = ["retry_now"]

    @admin.display(description="amount", ordering="amount_cents")
    def amount(self, obj):
        return money_exact(obj.amount_cents)

    @admin.action(description="Send the selected failed payouts now")
    def retry_now(self, request, queryset):
        for payout in queryset.filter(status=Payout.Status.FAILED):
            result = services.payout_retry_now(actor=request.user, payout=payout)
            level = messages.SUCCESS if result.status == Payout.Status.PAID else messages.WARNING
            self.message_user(request, f"Payout {payout.pk}: {result.get_status_display()}", level)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "engagement", "kind", "amount", "key", "description")
    list_filter = ("kind",)
    search_fields = ("key", "engagement__project__title")
    list_select_related = ("engagement__project",)
    readonly_fields = [f.name for f in LedgerEntry._meta.fields]

    @admin.display(description="amount", ordering="amount_cents")
    def amount(self, obj):
        return money_exact(obj.amount_cents)


@admin.register(PayoutEvent)
class PayoutEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "payout", "step", "detail")
    list_filter = ("step",)
    search_fields = ("key", "payout__student__email")
    list_select_related = ("payout__student",)
    readonly_fields = [f.name for f in PayoutEvent._meta.fields]


@admin.register(PayoutAccount)
class PayoutAccountAdmin(ReadOnlyAdmin):
    list_display = (
        "user",
        "gateway",
        "provider_id",
        "details_submitted",
        "payouts_enabled",
        "tax_form",
        "tax_info_provided",
    )
    list_filter = ("tax_form", "tax_info_provided")
    list_select_related = ("user",)
    search_fields = ("user__email", "provider_id")
    readonly_fields = [f.name for f in PayoutAccount._meta.fields]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "type", "event_id", "status", "attempts", "error")
    list_filter = ("status", "type")
    search_fields = ("event_id",)
    readonly_fields = [f.name for f in WebhookEvent._meta.fields]
    actions = ["process_again"]

    @admin.action(description="Handle the selected events again")
    def process_again(self, request, queryset):
        for event in queryset.filter(status=WebhookEvent.Status.FAILED):
            status = webhooks.process(event_pk=event.pk)
            self.message_user(request, f"{event.event_id}: {status}")


class SettlementForm(forms.Form):
    student_amount = MoneyField(
        label="Paid to the student (US dollars)",
        min_cents=0,
        help_text="The rest of the funded fee is refunded to the employer.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why: the student and the employer both read this.",
    )


def settle_dispute_view(request, engagement_id: int):
    """A platform admin splits a disputed engagement between student and employer."""
    if not request.user.is_platform_admin:
        raise PermissionDenied
    engagement = get_object_or_404(
        Engagement.objects.select_related("project", "student", "organization"), pk=engagement_id
    )
    form = SettlementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dispute_settle(
                actor=request.user,
                engagement=engagement,
                student_cents=form.cleaned_data["student_amount"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Settled. Both sides have been told.")
            return redirect(reverse("admin:engagements_engagement_change", args=[engagement.pk]))
    funded_fee = sum(
        p.fee_cents
        for p in engagement.payments.filter(status="succeeded", unpayable_reason="").only(
            "fee_cents"
        )
    )
    # On a milestone engagement only what approved milestones have not taken is shared.
    pool = milestone_ledger.unpaid_pool(engagement)
    dispute, evidence = engagement_selectors.dispute_with_evidence(engagement)
    return render(
        request,
        "admin/payments/settle.html",
        {
            **admin.site.each_context(request),
            "title": "Settle a disputed engagement",
            "engagement": engagement,
            "form": form,
            "funded_fee_cents": funded_fee,
            "unpaid_fee_cents": pool[0] if pool is not None else None,
            "balance_cents": ledger.balance(engagement.pk),
            "is_disputed": engagement.status == EngagementStatus.DISPUTED,
            "dispute": dispute,
            "evidence": evidence,
            "now": timezone.now(),
            "opts": Engagement._meta,
        },
    )


admin.site.register_view(
    "payments/settle/<int:engagement_id>/", settle_dispute_view, name="payments_settle_dispute"
)


class TaxReportForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2999)


def tax_report_view(request):
    """Students whose gross payments in a year reach the information-return threshold, with
    their tax form's status; as a page and a CSV download. Platform admins only."""
    if not request.user.is_platform_admin:
        raise PermissionDenied
    form = TaxReportForm(request.GET or {"year": timezone.localdate().year - 1})
    report = None
    if form.is_valid():
        year = form.cleaned_data["year"]
        report = statements.threshold_report(year)
        if request.GET.get("format") == "csv":
            return csv_response(
                f"information-returns-{year}.csv",
                statements.REPORT_HEADER,
                statements.report_rows(report),
            )
    return render(
        request,
        "admin/payments/tax_report.html",
        {
            **admin.site.each_context(request),
            "title": "Students over the information-return threshold",
            "form": form,
            "report": report,
            "threshold_cents": settings.TAX_REPORT_THRESHOLD_CENTS,
            "opts": PayoutAccount._meta,
        },
    )


admin.site.register_view("payments/tax-report/", tax_report_view, name="payments_tax_report")


# --- Sponsored fees ------------------------------------------------------------------------


class PlatformAdminOnly(AuditedAdminMixin, admin.ModelAdmin):
    """Platform admins set up sponsors and name their managers; managers use their pages."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sponsor)
class SponsorAdmin(PlatformAdminOnly):
    list_display = ("name", "share_percent", "covers_nonprofits", "covers_small_businesses")
    list_filter = ("is_active", "covers_nonprofits", "covers_small_businesses")
    search_fields = ("name",)
    filter_horizontal = ("schools", "organizations", "managers")
    fields = (
        "name",
        "schools",
        "share_percent",
        "covers_nonprofits",
        "covers_small_businesses",
        "organizations",
        "max_share_cents",
        "is_active",
        "managers",
    )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "managers":
            # Managers use the sponsor's pages, open to career staff and platform admins.
            kwargs["queryset"] = User.objects.filter(
                is_active=True, role__in=[Role.CAREER_STAFF, Role.PLATFORM_ADMIN]
            ).order_by("email")
        elif db_field.name == "organizations":
            kwargs["queryset"] = Organization.objects.filter(
                verification_status=Organization.Verification.VERIFIED
            ).order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(SponsorDeposit)
class SponsorDepositAdmin(ReadOnlyAdmin):
    list_display = ("receipt", "sponsor", "amount", "status", "gateway", "created_at")
    list_filter = ("status", "gateway")
    search_fields = ("provider_id", "sponsor__name")
    list_select_related = ("sponsor",)
    readonly_fields = [f.name for f in SponsorDeposit._meta.fields]

    @admin.display(description="receipt")
    def receipt(self, obj):
        return obj.receipt_number

    @admin.display(description="amount")
    def amount(self, obj):
        return money_exact(obj.amount_cents)


@admin.register(SponsorEntry)
class SponsorEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "sponsor", "kind", "amount_cents", "key")
    list_filter = ("kind",)
    search_fields = ("key", "sponsor__name")
    list_select_related = ("sponsor",)
    readonly_fields = [f.name for f in SponsorEntry._meta.fields]
