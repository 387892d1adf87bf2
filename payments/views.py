"""Pages where money changes hands: paying, receipts, earnings and payout accounts."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required
from accounts.models import Role
from engagements.access import engagement_for
from engagements.models import ScopeExtension
from marketplace.csv_export import csv_response
from marketplace.forms import MoneyField, add_service_errors
from payments import gateways, selectors, services, statements, webhooks
from payments.card_page import card_payment_context
from payments.gateways import GatewayError
from payments.models import Bonus, Payment, Payout, PayoutAccount, Refund, TaxForm
from payments.services import tracker


def payment_for_employer_or_404(viewer, payment_id: int) -> Payment:
    payment = (
        Payment.objects.select_related("engagement__project", "engagement__organization")
        .filter(pk=payment_id)
        .first()
    )
    profile = getattr(viewer, "employer_profile", None)
    if (
        payment is None
        or profile is None
        or payment.engagement.organization_id != profile.organization_id
    ):
        raise Http404("No such payment.")
    return payment


def _start(request, engagement_id: int, extension_id: int | None = None):
    engagement, role = engagement_for(request.user, engagement_id)
    if role != "employer":
        raise PermissionDenied("Only the employer pays for an engagement.")
    extension = None
    if extension_id is not None:
        extension = get_object_or_404(ScopeExtension, pk=extension_id, engagement=engagement)
    try:
        payment = services.payment_start(
            actor=request.user, engagement=engagement, extension=extension
        )
    except (ValidationError, GatewayError) as error:
        text = error.message if isinstance(error, GatewayError) else " ".join(error.messages)
        messages.error(request, text)
        return redirect(reverse("engagements:workspace", args=[engagement.pk]) + "#status")
    return redirect("payments:pay", payment_id=payment.pk)


@role_required(Role.EMPLOYER)
@require_POST
def start_funding(request, engagement_id: int):
    return _start(request, engagement_id)


@role_required(Role.EMPLOYER)
@require_POST
def start_extension_funding(request, engagement_id: int, extension_id: int):
    return _start(request, engagement_id, extension_id)


class BonusForm(forms.Form):
    amount = MoneyField(label="Bonus (US dollars)")
    message = forms.CharField(
        label="A word for the student (optional)",
        required=False,
        max_length=services.bonuses.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@role_required(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def bonus(request, engagement_id: int):
    """The employer adds a bonus to approved work, then pays it like the fee."""
    engagement, role = engagement_for(request.user, engagement_id)
    if role != "employer":
        raise PermissionDenied("Only the employer gives a bonus.")
    form = BonusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offered = services.bonus_offer(
                actor=request.user,
                engagement=engagement,
                amount_cents=form.cleaned_data["amount"],
                message=form.cleaned_data["message"],
            )
            payment = services.payment_start(
                actor=request.user, engagement=engagement, bonus=offered
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except GatewayError as error:
            form.add_error(None, error.message)
        else:
            return redirect("payments:pay", payment_id=payment.pk)
    return render(
        request,
        "payments/bonus.html",
        {
            "engagement": engagement,
            "form": form,
            "room_cents": services.bonus_room_cents(engagement),
            "platform_fee_percent": settings.PLATFORM_FEE_PERCENT,
            "can_add": engagement.status in services.bonuses.BONUS_STATUSES,
            "waiting": engagement.bonuses.filter(status=Bonus.Status.AWAITING_PAYMENT).first(),
        },
    )


@role_required(Role.EMPLOYER)
@require_POST
def bonus_pay(request, bonus_id: int):
    """Pay a bonus that waits for the employer's payment (the payment under way, if any)."""
    offered = _employers_bonus_or_404(request.user, bonus_id)
    try:
        payment = services.payment_start(
            actor=request.user, engagement=offered.engagement, bonus=offered
        )
    except (ValidationError, GatewayError) as error:
        text = error.message if isinstance(error, GatewayError) else " ".join(error.messages)
        messages.error(request, text)
        return redirect("payments:bonus", engagement_id=offered.engagement_id)
    return redirect("payments:pay", payment_id=payment.pk)


@role_required(Role.EMPLOYER)
@require_POST
def bonus_withdraw(request, bonus_id: int):
    offered = _employers_bonus_or_404(request.user, bonus_id)
    try:
        services.bonus_withdraw(actor=request.user, bonus=offered)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The bonus is withdrawn: nothing was charged for it.")
    return redirect(reverse("engagements:workspace", args=[offered.engagement_id]) + "#bonuses")


def _employers_bonus_or_404(viewer, bonus_id: int) -> Bonus:
    offered = Bonus.objects.select_related("engagement").filter(pk=bonus_id).first()
    profile = getattr(viewer, "employer_profile", None)
    if (
        offered is None
        or profile is None
        or offered.engagement.organization_id != profile.organization_id
    ):
        raise Http404("No such bonus.")
    return offered


@role_required(Role.EMPLOYER)
@require_GET
def pay(request, payment_id: int):
    """The payment page: our test-mode page, or Stripe's Payment Element."""
    payment = payment_for_employer_or_404(request.user, payment_id)
    if payment.status == "succeeded":
        return redirect("payments:receipt", payment_id=payment.pk)
    return render(
        request,
        "payments/pay.html",
        {
            "payment": payment,
            "engagement": payment.engagement,
            **card_payment_context(
                request,
                provider_id=payment.provider_id,
                return_url=reverse("payments:returned", args=[payment.pk]),
            ),
        },
    )


@role_required(Role.EMPLOYER)
@require_POST
def test_complete(request, payment_id: int):
    payment = payment_for_employer_or_404(request.user, payment_id)
    succeed = request.POST.get("outcome") == "pay"
    payment = services.local_payment_complete(actor=request.user, payment=payment, succeed=succeed)
    if payment.status == "succeeded" and payment.unpayable_reason:
        # Paid for something that could no longer take it: the money goes straight back.
        messages.warning(
            request,
            f"Paid (test mode), then refunded in full: {payment.unpayable_reason} "
            "Nothing changes on the engagement.",
        )
    elif payment.status == "succeeded":
        messages.success(request, f"Paid (test mode). {_paid_text(payment)}")
        return redirect(reverse("engagements:workspace", args=[payment.engagement_id]))
    messages.error(request, payment.failure_message or "The payment did not go through.")
    return redirect(reverse("engagements:workspace", args=[payment.engagement_id]) + "#status")


def _paid_text(payment: Payment) -> str:
    if payment.kind == Payment.Kind.BONUS:
        return "The bonus goes to the student in full."
    if payment.kind == Payment.Kind.EXTENSION:
        return "The extension applies now."
    return "The student can start now."


@role_required(Role.EMPLOYER)
@require_GET
def returned(request, payment_id: int):
    """Where Stripe sends the employer back. The engagement starts when Stripe's webhook
    confirms the payment, not because the browser came back: this page waits for that."""
    payment = payment_for_employer_or_404(request.user, payment_id)
    if payment.status == "succeeded":
        messages.success(request, f"Payment confirmed. {_paid_text(payment)}")
        return redirect(reverse("engagements:workspace", args=[payment.engagement_id]))
    return render(request, "payments/returned.html", {"payment": payment})


@role_required(Role.EMPLOYER)
@require_GET
def receipts(request):
    organization_id = request.user.employer_profile.organization_id
    payments = (
        Payment.objects.filter(engagement__organization_id=organization_id)
        .select_related("engagement__project", "engagement__student")
        .prefetch_related(
            Prefetch("refunds", queryset=Refund.objects.filter(status=Refund.Status.SUCCEEDED))
        )
        .order_by("-created_at")
    )
    return render(request, "payments/receipts.html", {"payments": payments})


@role_required(Role.EMPLOYER)
@require_GET
def receipt(request, payment_id: int):
    payment = payment_for_employer_or_404(request.user, payment_id)
    return render(
        request,
        "payments/receipt.html",
        {
            "payment": payment,
            "refunds": payment.refunds.filter(status=Refund.Status.SUCCEEDED),
            "organization": payment.engagement.organization,
        },
    )


@role_required(Role.STUDENT)
@require_GET
def earnings(request):
    return render(request, "payments/earnings.html", selectors.student_earnings(request.user))


@role_required(Role.STUDENT)
@require_POST
def connect(request):
    try:
        url = services.payout_account_start(
            user=request.user,
            refresh_url=request.build_absolute_uri(reverse("payments:connect_refresh")),
            return_url=request.build_absolute_uri(reverse("payments:connect_return")),
        )
    except GatewayError as error:
        messages.error(request, error.message)
        return redirect("payments:earnings")
    return redirect(url)


@role_required(Role.STUDENT)
@require_GET
def connect_refresh(request):
    """Stripe's onboarding link expired: make a fresh one."""
    return render(request, "payments/connect_refresh.html")


@role_required(Role.STUDENT)
@require_GET
def connect_return(request):
    account = getattr(request.user, "payout_account", None)
    if account is not None:
        try:
            account = services.payout_account_sync(account=account)
        except GatewayError as error:
            messages.error(request, error.message)
            return redirect("payments:earnings")
    if account is not None and account.is_ready:
        messages.success(request, "Your payout account is ready: payouts go to it from now on.")
    else:
        messages.info(
            request, "Your payout account is not finished yet. You can continue any time."
        )
    return redirect("payments:earnings")


class TestOnboardingForm(forms.Form):
    tax_form = forms.ChoiceField(
        label="Tax form",
        choices=TaxForm.choices,
        widget=forms.RadioSelect,
        help_text="US citizens and residents give a W-9; everyone else a W-8BEN.",
    )


@role_required(Role.STUDENT)
@require_http_methods(["GET", "POST"])
def test_onboarding(request):
    """Test mode's stand-in for Stripe's onboarding pages, the tax form included."""
    if gateways.get_gateway().name != "local":
        raise Http404("Only in test mode.")
    if not PayoutAccount.objects.filter(user=request.user).exclude(provider_id=None).exists():
        return redirect("payments:earnings")
    form = TestOnboardingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.local_account_complete(user=request.user, tax_form=form.cleaned_data["tax_form"])
        return redirect("payments:connect_return")
    return render(request, "payments/test_onboarding.html", {"form": form})


@role_required(Role.STUDENT)
@require_POST
def bank_details(request):
    """Where the student changes the bank account their payouts go to."""
    account = PayoutAccount.objects.filter(user=request.user).exclude(provider_id=None).first()
    if account is None:
        messages.error(request, "Connect a payout account first.")
        return redirect("payments:earnings")
    try:
        return redirect(gateways.get_gateway().dashboard_link(account.provider_id))
    except GatewayError as error:
        messages.error(request, error.message)
        return redirect("payments:earnings")


@role_required(Role.STUDENT)
@require_POST
def test_bank_outcome(request, payout_id: int):
    """Test mode: the student plays the bank, which pays or returns a payout in transit."""
    if gateways.get_gateway().name != "local":
        raise Http404("Only in test mode.")
    payout = get_object_or_404(Payout, pk=payout_id, student=request.user)
    arrived = request.POST.get("outcome") == "arrived"
    payout = tracker.local_bank_payout_finish(actor=request.user, payout=payout, arrived=arrived)
    if payout.delivery == Payout.Delivery.PAID:
        messages.success(request, "The payout arrived in your (test-mode) bank.")
    elif payout.delivery == Payout.Delivery.FAILED:
        messages.warning(request, "Your (test-mode) bank returned the payout.")
    return redirect(reverse("payments:earnings") + f"#payout-{payout.pk}")


@role_required(Role.STUDENT)
@require_GET
def statement(request, year: str, fmt: str):
    """The student's yearly statement of gross payments per payer, as PDF or CSV."""
    year = int(year)
    if not 2000 <= year <= 2999:
        raise Http404("No such year.")
    data = statements.yearly_statement(request.user, year)
    filename = f"earnings-statement-{year}"
    if fmt == "csv":
        return csv_response(
            f"{filename}.csv", statements.STATEMENT_HEADER, statements.statement_rows(data)
        )
    response = HttpResponse(statements.statement_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """One endpoint for every Stripe event. A bad signature gets 400 and changes nothing."""
    try:
        webhooks.receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except webhooks.BadSignature:
        return HttpResponseBadRequest("Invalid signature.")
    except webhooks.BadPayload:
        return HttpResponseBadRequest("Malformed event.")
    return HttpResponse("ok")
