"""Stripe: PaymentIntents for funding, Connect Express accounts and Transfers for payouts.

Every call has a timeout and a small number of network retries; calls that
move money carry an idempotency key made from our row's id, so a retry (ours
or the library's) returns the first result instead of moving money twice.
Callers make these calls outside database transactions.
"""

from datetime import UTC, datetime

import stripe
from django.conf import settings

from payments.gateways.base import (
    AccountInfo,
    BankPayoutInfo,
    GatewayError,
    PaymentGateway,
    PaymentIntentInfo,
    RefundInfo,
    TransferInfo,
)

TIMEOUT_SECONDS = 20

PAYMENT_STATUSES = {
    "requires_payment_method": "created",
    "requires_confirmation": "created",
    "requires_action": "created",
    "requires_capture": "processing",
    "processing": "processing",
    "succeeded": "succeeded",
    "canceled": "canceled",
}


# Stripe's payout statuses, as the student's timeline names them.
BANK_PAYOUT_STATUSES = {
    "pending": "in_transit",
    "in_transit": "in_transit",
    "paid": "paid",
    "failed": "failed",
    "canceled": "failed",
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
PAYOUT_INTERVALS = {"daily", "weekly", "monthly", "manual"}
# Requirements that are the tax form's information: the taxpayer number (W-9) or the
# holder's identity and address that a W-8BEN certifies.
TAX_REQUIREMENTS = (
    "individual.id_number",
    "individual.ssn_last_4",
    "individual.address",
    "individual.dob",
)


def _tax_information(account: dict) -> tuple[str, bool]:
    """Which tax form the account's holder gives, and whether Stripe has its information.

    A US person (the individual's address, else the account, in the US) gives a W-9: it is
    provided once Stripe has their taxpayer number (`ssn_last_4_provided` or
    `id_number_provided`). Anyone else gives a W-8BEN: provided once their identity is
    verified. Either way, nothing tax-related may still be due.
    """
    individual = account.get("individual") or {}
    country = (individual.get("address") or {}).get("country") or account.get("country") or ""
    if not country:
        return "", False
    requirements = account.get("requirements") or {}
    due = [*(requirements.get("currently_due") or []), *(requirements.get("past_due") or [])]
    outstanding = any(item.startswith(TAX_REQUIREMENTS) for item in due)
    if country == "US":
        number = individual.get("ssn_last_4_provided") or individual.get("id_number_provided")
        return "w9", bool(number) and not outstanding
    verified = (individual.get("verification") or {}).get("status") == "verified"
    return "w8ben", verified and not outstanding


def _id(value) -> str:
    """Stripe returns expandable fields as an id, or (some servers) as the object."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value["id"]


def _translate(error: stripe.StripeError) -> GatewayError:
    # A connection failure, a rate limit or a server error may or may not have been
    # carried out: retry later with the same idempotency key.
    if isinstance(error, stripe.APIConnectionError | stripe.RateLimitError | stripe.APIError):
        return GatewayError(
            "Our payment provider could not be reached. Nothing was charged or sent; "
            "please try again in a minute.",
            temporary=True,
        )
    if isinstance(error, stripe.CardError):
        return GatewayError(error.user_message or "The card was declined.")
    message = getattr(error, "user_message", None) or str(error) or "The payment provider refused."
    return GatewayError(f"The payment provider refused the request: {message}")


class StripeGateway(PaymentGateway):
    name = "stripe"
    hosted_here = False

    def __init__(self, *, http_client: stripe.HTTPClient | None = None):
        base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
        self.client = stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            base_addresses=base,
            max_network_retries=2,
            http_client=http_client or stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
        )

    def _call(self, fn, *args, **kwargs) -> dict:
        """Call the API; answer the object as a plain dict (StripeObjects are not dicts)."""
        try:
            return fn(*args, **kwargs).to_dict()
        except stripe.StripeError as error:
            raise _translate(error) from error

    # --- Payments -------------------------------------------------------------------------

    def _payment_info(self, intent: dict) -> PaymentIntentInfo:
        status = PAYMENT_STATUSES.get(intent["status"], "created")
        failure = ""
        last_error = intent.get("last_payment_error")
        if intent["status"] == "requires_payment_method" and last_error:
            status = "failed"
            failure = last_error.get("message", "")
        return PaymentIntentInfo(
            provider_id=intent["id"],
            status=status,
            amount_cents=intent["amount"],
            client_secret=intent.get("client_secret") or "",
            charge_id=_id(intent.get("latest_charge")),
            failure_message=failure,
            metadata=dict(intent.get("metadata") or {}),
        )

    def create_payment(self, *, payment_id, amount_cents, currency, description, metadata):
        intent = self._call(
            self.client.v1.payment_intents.create,
            params={
                "amount": amount_cents,
                "currency": currency,
                # The description travels as metadata: it shows in Stripe's dashboard
                # and it is what Stripe-compatible test servers accept.
                "metadata": {**metadata, "description": description},
                "payment_method_types": ["card"],
            },
            options={"idempotency_key": f"payment-{payment_id}-create"},
        )
        return self._payment_info(intent)

    def retrieve_payment(self, provider_id):
        return self._payment_info(self._call(self.client.v1.payment_intents.retrieve, provider_id))

    def refund(self, *, refund_id, payment_provider_id, amount_cents):
        refund = self._call(
            self.client.v1.refunds.create,
            params={"payment_intent": payment_provider_id, "amount": amount_cents},
            options={"idempotency_key": f"refund-{refund_id}"},
        )
        return self._refund_info(refund)

    @staticmethod
    def _refund_info(refund: dict) -> RefundInfo:
        status = {"succeeded": "succeeded", "failed": "failed", "canceled": "failed"}.get(
            refund["status"], "pending"
        )
        return RefundInfo(
            provider_id=refund["id"],
            status=status,
            amount_cents=refund["amount"],
            failure_message=refund.get("failure_reason") or "",
        )

    def list_refunds(self, payment_provider_id):
        page = self._call(
            self.client.v1.refunds.list,
            params={"payment_intent": payment_provider_id, "limit": 100},
        )
        return [self._refund_info(r) for r in page.get("data", [])]

    # --- Connect accounts -------------------------------------------------------------------

    @staticmethod
    def _account_info(account: dict) -> AccountInfo:
        schedule = ((account.get("settings") or {}).get("payouts") or {}).get("schedule") or {}
        interval = schedule.get("interval") or "daily"
        if interval == "weekly":
            anchor = WEEKDAYS.index(schedule.get("weekly_anchor") or "monday")
        elif interval == "monthly":
            anchor = int(schedule.get("monthly_anchor") or 1)
        else:
            anchor = 0
        tax_form, provided = _tax_information(account)
        return AccountInfo(
            provider_id=account["id"],
            details_submitted=bool(account.get("details_submitted")),
            payouts_enabled=bool(account.get("payouts_enabled")),
            tax_form=tax_form,
            tax_info_provided=provided,
            payout_delay_days=min(max(int(schedule.get("delay_days") or 2), 0), 60),
            payout_interval=interval if interval in PAYOUT_INTERVALS else "daily",
            payout_anchor=anchor,
        )

    def create_account(self, *, user_id, email):
        account = self._call(
            self.client.v1.accounts.create,
            params={
                "type": "express",
                "country": "US",
                "email": email,
                "business_type": "individual",
                # The 1099 capability makes Stripe's onboarding collect the tax form's
                # information (W-9 or W-8BEN).
                "capabilities": {
                    "transfers": {"requested": True},
                    "tax_reporting_us_1099_misc": {"requested": True},
                },
                "metadata": {"user_id": str(user_id)},
            },
            options={"idempotency_key": f"account-user-{user_id}"},
        )
        return self._account_info(account)

    def account_link(self, *, provider_id, refresh_url, return_url):
        link = self._call(
            self.client.v1.account_links.create,
            params={
                "account": provider_id,
                "refresh_url": refresh_url,
                "return_url": return_url,
                "type": "account_onboarding",
            },
        )
        return link["url"]

    def retrieve_account(self, provider_id):
        return self._account_info(self._call(self.client.v1.accounts.retrieve, provider_id))

    def dashboard_link(self, provider_id):
        # An Express account's holder changes their bank account in Stripe's Express
        # dashboard; a login link opens it once.
        return self._call(self.client.v1.accounts.login_links.create, provider_id)["url"]

    # --- Payouts of the connected account to the student's bank ----------------------------

    def retrieve_bank_payout(self, *, account_provider_id, provider_id):
        payout = self._call(
            self.client.v1.payouts.retrieve,
            provider_id,
            options={"stripe_account": account_provider_id},
        )
        arrival = payout.get("arrival_date")
        return BankPayoutInfo(
            provider_id=payout["id"],
            status=BANK_PAYOUT_STATUSES.get(payout["status"], "in_transit"),
            amount_cents=payout["amount"],
            created_at=datetime.fromtimestamp(payout["created"], tz=UTC),
            arrival_date=datetime.fromtimestamp(arrival, tz=UTC).date() if arrival else None,
            failure_code=payout.get("failure_code") or "",
            failure_message=payout.get("failure_message") or "",
        )

    # --- Transfers --------------------------------------------------------------------------

    def transfer(
        self,
        *,
        payout_id,
        idempotency_key,
        amount_cents,
        currency,
        destination,
        source_charge_id,
        metadata,
    ):
        params = {
            "amount": amount_cents,
            "currency": currency,
            "destination": destination,
            "metadata": metadata,
        }
        if source_charge_id:
            # Tied to the engagement's charge: the transfer waits for those funds.
            params["source_transaction"] = source_charge_id
        transfer = self._call(
            self.client.v1.transfers.create,
            params=params,
            options={"idempotency_key": idempotency_key},
        )
        return TransferInfo(
            provider_id=transfer["id"],
            amount_cents=transfer["amount"],
            reversed=bool(transfer.get("reversed")),
        )

    def retrieve_transfer(self, provider_id):
        transfer = self._call(self.client.v1.transfers.retrieve, provider_id)
        return TransferInfo(
            provider_id=transfer["id"],
            amount_cents=transfer["amount"],
            reversed=bool(transfer.get("reversed")),
        )
