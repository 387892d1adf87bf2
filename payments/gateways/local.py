"""The local gateway: every step of the Stripe flow, with no real money.

Payments wait on a clearly marked test-mode page of ours; accounts, refunds
and transfers complete at once. Ids are derived from our rows, so calling a
step twice gives the same answer, as Stripe's idempotency keys would.
"""

from payments.gateways.base import (
    AccountInfo,
    BankPayoutInfo,
    PaymentGateway,
    PaymentIntentInfo,
    RefundInfo,
    TransferInfo,
)


class LocalGateway(PaymentGateway):
    name = "local"
    hosted_here = True

    def create_payment(self, *, payment_id, amount_cents, currency, description, metadata):
        return PaymentIntentInfo(
            provider_id=f"local_pi_{payment_id}",
            status="created",
            amount_cents=amount_cents,
            metadata=metadata,
        )

    def retrieve_payment(self, provider_id):
        # The local gateway's state lives in our Payment (or sponsor's deposit) row: the
        # test-mode page completes it through the same service a provider's webhook calls.
        from payments.models import Payment, SponsorDeposit

        row = Payment.objects.filter(provider_id=provider_id).first()
        metadata = {"payment_id": str(row.pk)} if row is not None else {}
        if row is None:
            row = SponsorDeposit.objects.get(provider_id=provider_id)
            metadata = {"sponsor_deposit_id": str(row.pk)}
        return PaymentIntentInfo(
            provider_id=provider_id,
            status=row.status,
            amount_cents=row.amount_cents,
            charge_id=row.charge_id or provider_id.replace("local_pi_", "local_ch_"),
            metadata=metadata,
        )

    def refund(self, *, refund_id, payment_provider_id, amount_cents):
        return RefundInfo(
            provider_id=f"local_re_{refund_id}", status="succeeded", amount_cents=amount_cents
        )

    def create_account(self, *, user_id, email):
        return AccountInfo(
            provider_id=f"local_acct_{user_id}", details_submitted=False, payouts_enabled=False
        )

    def account_link(self, *, provider_id, refresh_url, return_url):
        from django.urls import reverse

        return reverse("payments:test_onboarding")

    def retrieve_account(self, provider_id):
        from payments.models import PayoutAccount

        account = PayoutAccount.objects.get(provider_id=provider_id)
        return AccountInfo(
            provider_id=provider_id,
            details_submitted=account.details_submitted,
            payouts_enabled=account.payouts_enabled,
            tax_form=account.tax_form,
            tax_info_provided=account.tax_info_provided,
            payout_delay_days=account.payout_delay_days,
            payout_interval=account.payout_interval,
            payout_anchor=account.payout_anchor,
        )

    def dashboard_link(self, provider_id):
        from django.urls import reverse

        return reverse("payments:test_onboarding")

    def retrieve_bank_payout(self, *, account_provider_id, provider_id):
        # Test mode's bank payouts live in our Payout rows: the test-mode buttons on the
        # earnings page move them on through the same service a provider's webhook calls.
        from payments.models import Payout

        payout = Payout.objects.get(bank_payout_id=provider_id)
        return BankPayoutInfo(
            provider_id=provider_id,
            status=payout.delivery or "in_transit",
            amount_cents=payout.amount_cents,
            created_at=payout.paid_at,
            arrival_date=payout.expected_arrival,
            failure_code=payout.failure_code,
        )

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
        return TransferInfo(provider_id=f"local_tr_{payout_id}", amount_cents=amount_cents)

    def list_refunds(self, payment_provider_id):
        from payments.models import Refund

        return [
            RefundInfo(provider_id=r.provider_id, status=r.status, amount_cents=r.amount_cents)
            for r in Refund.objects.filter(payment__provider_id=payment_provider_id).exclude(
                provider_id=None
            )
        ]

    def retrieve_transfer(self, provider_id):
        from payments.models import Payout

        payout = Payout.objects.get(provider_id=provider_id)
        return TransferInfo(provider_id=provider_id, amount_cents=payout.amount_cents)
