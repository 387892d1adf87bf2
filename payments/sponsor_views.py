"""Sponsors' pages, for their managers: the budget, adding funds, receipts, the rules and
the report. Every page finds the sponsor through `sponsor_for_manager_or_404`."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required
from accounts.models import Organization, Role
from marketplace.csv_export import csv_response
from marketplace.forms import MoneyField, add_service_errors
from payments import sponsor_receipts
from payments import sponsor_selectors as selectors
from payments.card_page import card_payment_context
from payments.gateways import GatewayError
from payments.models import Sponsor, SponsorDeposit
from payments.services import sponsors as sponsor_services

MANAGER_ROLES = (Role.CAREER_STAFF, Role.PLATFORM_ADMIN)


def sponsor_for_manager_or_404(viewer, sponsor_id: int) -> Sponsor:
    sponsor = Sponsor.objects.filter(pk=sponsor_id, managers=viewer).first()
    if sponsor is None:
        raise Http404("No such sponsor.")
    return sponsor


def deposit_for_manager_or_404(viewer, deposit_id: int) -> SponsorDeposit:
    deposit = (
        SponsorDeposit.objects.select_related("sponsor", "created_by")
        .filter(pk=deposit_id, sponsor__managers=viewer)
        .first()
    )
    if deposit is None:
        raise Http404("No such deposit.")
    return deposit


@role_required(*MANAGER_ROLES)
@require_GET
def sponsor_list(request):
    mine = list(Sponsor.objects.filter(managers=request.user).order_by("name", "pk"))
    if len(mine) == 1:
        return redirect("payments:sponsor", sponsor_id=mine[0].pk)
    return render(request, "payments/sponsors/list.html", {"sponsors": mine})


@role_required(*MANAGER_ROLES)
@require_GET
def sponsor_budget(request, sponsor_id: int):
    sponsor = sponsor_for_manager_or_404(request.user, sponsor_id)
    return render(
        request,
        "payments/sponsors/budget.html",
        {
            "sponsor": sponsor,
            "budget": selectors.sponsor_budget(sponsor),
            "deposits": sponsor.deposits.select_related("created_by").order_by("-created_at")[:50],
            "small_business_sizes": settings.SPONSOR_SMALL_BUSINESS_SIZES,
            "schools": sponsor.schools.order_by("name"),
            "named": sponsor.organizations.order_by("name"),
        },
    )


class DepositForm(forms.Form):
    amount = MoneyField(
        label="Amount to add",
        min_cents=100,
        help_text="In US dollars. It is paid through the same payment provider as fees.",
    )


@role_required(*MANAGER_ROLES)
@require_http_methods(["GET", "POST"])
def deposit_new(request, sponsor_id: int):
    sponsor = sponsor_for_manager_or_404(request.user, sponsor_id)
    form = DepositForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            deposit = sponsor_services.deposit_start(
                actor=request.user, sponsor=sponsor, amount_cents=form.cleaned_data["amount"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except GatewayError as error:
            form.add_error(None, error.message)
        else:
            return redirect("payments:sponsor_deposit_pay", deposit_id=deposit.pk)
    return render(request, "payments/sponsors/deposit_new.html", {"sponsor": sponsor, "form": form})


@role_required(*MANAGER_ROLES)
@require_GET
def deposit_pay(request, deposit_id: int):
    """The deposit's payment page: our test-mode buttons, or Stripe's Payment Element."""
    deposit = deposit_for_manager_or_404(request.user, deposit_id)
    if deposit.status == "succeeded":
        return redirect("payments:sponsor_deposit_receipt", deposit_id=deposit.pk)
    return render(
        request,
        "payments/sponsors/deposit_pay.html",
        {
            "deposit": deposit,
            "sponsor": deposit.sponsor,
            **card_payment_context(
                request,
                provider_id=deposit.provider_id,
                return_url=reverse("payments:sponsor_deposit_returned", args=[deposit.pk]),
            ),
        },
    )


@role_required(*MANAGER_ROLES)
@require_POST
def deposit_test_complete(request, deposit_id: int):
    deposit = deposit_for_manager_or_404(request.user, deposit_id)
    deposit = sponsor_services.local_deposit_complete(
        actor=request.user, deposit=deposit, succeed=request.POST.get("outcome") == "pay"
    )
    if deposit.status == "succeeded":
        messages.success(request, "Funds added (test mode).")
        return redirect("payments:sponsor_deposit_receipt", deposit_id=deposit.pk)
    messages.error(request, deposit.failure_message or "The payment did not go through.")
    return redirect("payments:sponsor", sponsor_id=deposit.sponsor_id)


@role_required(*MANAGER_ROLES)
@require_GET
def deposit_returned(request, deposit_id: int):
    """Where Stripe sends the manager back: the budget grows when Stripe's webhook confirms
    the payment, not because the browser came back."""
    deposit = deposit_for_manager_or_404(request.user, deposit_id)
    if deposit.status == "succeeded":
        messages.success(request, "Payment confirmed: the funds are in the budget.")
        return redirect("payments:sponsor_deposit_receipt", deposit_id=deposit.pk)
    return render(request, "payments/sponsors/deposit_returned.html", {"deposit": deposit})


@role_required(*MANAGER_ROLES)
@require_GET
def deposit_receipt(request, deposit_id: int):
    deposit = deposit_for_manager_or_404(request.user, deposit_id)
    if deposit.status != "succeeded":
        raise Http404("No receipt: this deposit was not paid.")
    return render(
        request,
        "payments/sponsors/deposit_receipt.html",
        {
            "deposit": deposit,
            "sponsor": deposit.sponsor,
            "platform_name": settings.PLATFORM_LEGAL_NAME,
            "platform_address": settings.PLATFORM_ADDRESS,
        },
    )


@role_required(*MANAGER_ROLES)
@require_GET
def deposit_receipt_pdf(request, deposit_id: int):
    deposit = deposit_for_manager_or_404(request.user, deposit_id)
    if deposit.status != "succeeded":
        raise Http404("No receipt: this deposit was not paid.")
    response = HttpResponse(
        sponsor_receipts.deposit_receipt_pdf(deposit, viewer=request.user),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{deposit.receipt_number}.pdf"'
    return response


class RulesForm(forms.Form):
    share_percent = forms.IntegerField(
        label="Share of the fee (%)",
        min_value=1,
        max_value=100,
        help_text="The part of the student's fee the sponsor pays; the employer pays the rest "
        "and the platform fee.",
    )
    covers_nonprofits = forms.BooleanField(label="Nonprofit organizations", required=False)
    covers_small_businesses = forms.BooleanField(label="Small businesses", required=False)
    max_share_cents = MoneyField(
        label="Most paid for one payment",
        required=False,
        help_text="Leave empty for no limit.",
    )
    organizations = forms.ModelMultipleChoiceField(
        label="Organizations covered by name",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Verified organizations only, whatever their kind or size.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = Organization.objects.filter(
            verification_status=Organization.Verification.VERIFIED, archived_at__isnull=True
        ).order_by("name")
        sizes = ", ".join(settings.SPONSOR_SMALL_BUSINESS_SIZES)
        self.fields["covers_small_businesses"].help_text = f"Organizations of {sizes} people."


@role_required(*MANAGER_ROLES)
@require_http_methods(["GET", "POST"])
def sponsor_rules(request, sponsor_id: int):
    sponsor = sponsor_for_manager_or_404(request.user, sponsor_id)
    initial = {
        "share_percent": sponsor.share_percent,
        "covers_nonprofits": sponsor.covers_nonprofits,
        "covers_small_businesses": sponsor.covers_small_businesses,
        "max_share_cents": sponsor.max_share_cents,
        "organizations": list(sponsor.organizations.all()),
    }
    form = RulesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sponsor_services.sponsor_update_rules(
                actor=request.user,
                sponsor=sponsor,
                share_percent=data["share_percent"],
                covers_nonprofits=data["covers_nonprofits"],
                covers_small_businesses=data["covers_small_businesses"],
                max_share_cents=data["max_share_cents"],
                organizations=list(data["organizations"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved: the new rules apply to payments from now on.")
            return redirect("payments:sponsor", sponsor_id=sponsor.pk)
    return render(request, "payments/sponsors/rules.html", {"sponsor": sponsor, "form": form})


REPORT_HEADER = [
    "Date",
    "Project",
    "Organization",
    "Student's school",
    "Fee (USD)",
    "Sponsor's share (USD)",
    "Returned to the sponsor (USD)",
    "Status",
    "Receipt",
]


@role_required(*MANAGER_ROLES)
@require_GET
def sponsor_report(request, sponsor_id: int):
    sponsor = sponsor_for_manager_or_404(request.user, sponsor_id)
    rows = selectors.sponsor_report(sponsor)
    return render(
        request,
        "payments/sponsors/report.html",
        {"sponsor": sponsor, "rows": rows, "totals": selectors.sponsor_report_totals(rows)},
    )


@role_required(*MANAGER_ROLES)
@require_GET
def sponsor_report_csv(request, sponsor_id: int):
    sponsor = sponsor_for_manager_or_404(request.user, sponsor_id)

    def cents(value: int) -> str:
        return f"{value // 100}.{value % 100:02d}"

    rows = (
        [
            f"{row.succeeded_at:%Y-%m-%d}",
            row.engagement.project.title,
            row.engagement.organization.name,
            row.engagement.school.name,
            cents(row.fee_cents),
            cents(row.sponsored_cents),
            cents(row.returned_cents),
            row.engagement.get_status_display(),
            row.receipt_number,
        ]
        for row in selectors.sponsor_report(sponsor)
    )
    return csv_response(f"sponsored-fees-{sponsor.pk}.csv", REPORT_HEADER, rows)
