"""What every payment provider does for the marketplace.

Preparing a payment never moves money; money moves when the provider says a
payment succeeded, a transfer was made or a refund went through. Every call
that moves money carries an idempotency key derived from our own row, so a
retried call can never move it twice.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date, datetime


class GatewayError(Exception):
    """The provider refused the request or could not be reached; `message` is for users."""

    @abstractmethod
    def __init__(self, message: str, *, temporary: bool = False):
        super().__init__(message)
        self.message = message
        self.temporary = temporary


@dataclass(frozen=True)
class PaymentIntentInfo:
    provider_id: str
    status: str  # created | processing | succeeded | failed | canceled
    amount_cents: int
    client_secret: str = ""
    charge_id: str = ""
    failure_message: str = ""
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RefundInfo:
    provider_id: str
    status: str  # pending | succeeded | failed
    amount_cents: int
    failure_message: str = ""


@dataclass(frozen=True)
class AccountInfo:
    provider_id: str
    details_submitted: bool
    payouts_enabled: bool
    # The tax form the account's holder gives ("w9" for US persons, "w8ben" otherwise,
    # "" while unknown) and whether the provider has its information.
    tax_form: str = ""
    tax_info_provided: bool = False
    # The payout schedule: days a transfer is held before it can be paid to the bank, how
    # often the account pays out, and on which weekday (0 = Monday) or day of the month.
    payout_delay_days: int = 2
    payout_interval: str = "daily"
    payout_anchor: int = 0


@dataclass(frozen=True)
class BankPayoutInfo:
    """A payout from the student's account to their bank (a Stripe Connect payout)."""

    provider_id: str
    status: str  # in_transit | paid | failed
    amount_cents: int
    created_at: datetime
    arrival_date: date | None = None
    failure_code: str = ""
    failure_message: str = ""


@dataclass(frozen=True)
class TransferInfo:
    provider_id: str
    amount_cents: int
    reversed: bool = False


class PaymentGateway(ABC):
    name: str = ""
    # The employer pays on a page of ours (local test mode) or through the provider's
    # Payment Element (Stripe): templates ask this.
    hosted_here: bool = False

    @abstractmethod
    def create_payment(
        self, *, payment_id: int, amount_cents: int, currency: str, description: str, metadata: dict
    ) -> PaymentIntentInfo:
        """Prepare a payment for our Payment row `payment_id`; no money moves yet."""

    @abstractmethod
    def retrieve_payment(self, provider_id: str) -> PaymentIntentInfo:
        """The payment as the provider sees it now."""

    @abstractmethod
    def refund(self, *, refund_id: int, payment_provider_id: str, amount_cents: int) -> RefundInfo:
        """Refund part or all of a succeeded payment, once per our Refund row `refund_id`."""

    @abstractmethod
    def create_account(self, *, user_id: int, email: str) -> AccountInfo:
        """Open a payout account for a student."""

    @abstractmethod
    def account_link(self, *, provider_id: str, refresh_url: str, return_url: str) -> str:
        """Where the student finishes setting up their payout account."""

    @abstractmethod
    def retrieve_account(self, provider_id: str) -> AccountInfo:
        """The payout account as the provider sees it now."""

    @abstractmethod
    def dashboard_link(self, provider_id: str) -> str:
        """Where the student changes their bank details (the provider's dashboard)."""

    @abstractmethod
    def retrieve_bank_payout(self, *, account_provider_id: str, provider_id: str) -> BankPayoutInfo:
        """A payout of the student's account to their bank, as the provider sees it now."""

    @abstractmethod
    def transfer(
        self,
        *,
        payout_id: int,
        idempotency_key: str,
        amount_cents: int,
        currency: str,
        destination: str,
        source_charge_id: str,
        metadata: dict,
    ) -> TransferInfo:
        """Send a payout to the student's account, tied to the engagement's charge."""

    @abstractmethod
    def retrieve_transfer(self, provider_id: str) -> TransferInfo:
        """The transfer as the provider sees it now (reversed or not)."""

    @abstractmethod
    def list_refunds(self, payment_provider_id: str) -> list[RefundInfo]:
        """Every refund of a payment, as the provider sees them."""
