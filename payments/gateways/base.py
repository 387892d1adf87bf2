"""What every payment provider does for the marketplace.

Preparing a payment never moves money; money moves when the provider says a
payment succeeded, a transfer was made or a refund went through. Every call
that moves money carries an idempotency key derived from our own row, so a
retried call can never move it twice.
"""

from dataclasses import dataclass, field


class GatewayError(Exception):
    """The provider refused the request or could not be reached; `message` is for users."""

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


@dataclass(frozen=True)
class TransferInfo:
    provider_id: str
    amount_cents: int
    reversed: bool = False


class PaymentGateway:
    name: str = ""
    # The employer pays on a page of ours (local test mode) or through the provider's
    # Payment Element (Stripe): templates ask this.
    hosted_here: bool = False

    def create_payment(
        self, *, payment_id: int, amount_cents: int, currency: str, description: str, metadata: dict
    ) -> PaymentIntentInfo:
        raise NotImplementedError

    def retrieve_payment(self, provider_id: str) -> PaymentIntentInfo:
        raise NotImplementedError

    def refund(self, *, refund_id: int, payment_provider_id: str, amount_cents: int) -> RefundInfo:
        raise NotImplementedError

    def create_account(self, *, user_id: int, email: str) -> AccountInfo:
        raise NotImplementedError

    def account_link(self, *, provider_id: str, refresh_url: str, return_url: str) -> str:
        raise NotImplementedError

    def retrieve_account(self, provider_id: str) -> AccountInfo:
        raise NotImplementedError

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
        raise NotImplementedError

    def retrieve_transfer(self, provider_id: str) -> TransferInfo:
        raise NotImplementedError

    def list_refunds(self, payment_provider_id: str) -> list[RefundInfo]:
        raise NotImplementedError
