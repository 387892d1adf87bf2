"""Students' payout accounts (Stripe Connect Express, or the test-mode stand-in)."""

from dataclasses import replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from payments import gateways
from payments.gateways import GatewayError
from payments.gateways.base import AccountInfo
from payments.models import (
    Gateway,
    Payout,
    PayoutAccount,
    PayoutInterval,
    TaxForm,
)
from payments.services.common import (
    gateway_name,
)
from payments.services.payouts import hold_for_tax_information, release_waiting_payouts


def payout_account_start(*, user: User, refresh_url: str, return_url: str) -> str:
    """Open (once) the student's payout account and return where they finish onboarding."""
    if user.role != Role.STUDENT:
        raise PermissionDenied("Only students receive payouts.")
    gateway = gateways.get_gateway()
    with transaction.atomic():
        account, _ = PayoutAccount.objects.select_for_update().get_or_create(
            user=user, defaults={"gateway": gateway.name}
        )
    if not account.provider_id:
        info = gateway.create_account(user_id=user.pk, email=user.email)
        with transaction.atomic():
            PayoutAccount.objects.filter(pk=account.pk, provider_id=None).update(
                provider_id=info.provider_id
            )
        account.refresh_from_db()
    return gateway.account_link(
        provider_id=account.provider_id, refresh_url=refresh_url, return_url=return_url
    )


@transaction.atomic
def payout_account_apply(*, info: AccountInfo) -> PayoutAccount | None:
    """Bring the account to what the provider says: set up or not, its tax information and
    its payout schedule. Payouts that waited go out once it can receive them."""
    account = PayoutAccount.objects.select_for_update().filter(provider_id=info.provider_id).first()
    if account is None:
        return None
    could_receive = account.can_receive
    account.details_submitted = info.details_submitted
    account.payouts_enabled = info.payouts_enabled
    account.tax_form = info.tax_form if info.tax_form in TaxForm.values else ""
    provided = info.tax_info_provided and bool(account.tax_form)
    if provided and not account.tax_info_provided:
        account.tax_info_provided_at = timezone.now()
    account.tax_info_provided = provided
    account.payout_delay_days = min(max(info.payout_delay_days, 0), 60)
    account.payout_interval = (
        info.payout_interval if info.payout_interval in PayoutInterval.values else "daily"
    )
    account.payout_anchor = max(info.payout_anchor, 0)
    account.save()
    if account.can_receive and not could_receive:
        release_waiting_payouts(account.user_id)
    elif account.is_ready and not account.can_receive:
        hold_for_tax_information(account.user_id)
    return account


def payout_account_sync(*, account: PayoutAccount) -> PayoutAccount:
    """Re-read the account from the provider (after onboarding, or on account.updated)."""
    if not account.provider_id:
        return account
    info = gateways.get_gateway().retrieve_account(account.provider_id)
    return payout_account_apply(info=info)


def payout_accounts_resync(*, only_waiting: bool = True) -> tuple[int, int]:
    """Re-read payout accounts from the provider: those whose payouts wait (or every one).

    For a deployment that gains the tax information (accounts made before it start without
    it, until Stripe's next `account.updated`) or that missed Connect webhooks. Returns
    (accounts read, accounts that can now receive payouts and did not before); an account
    the provider cannot answer for is left as it is and counted out.
    """
    accounts = PayoutAccount.objects.filter(provider_id__isnull=False).exclude(
        gateway=Gateway.LOCAL
    )
    if only_waiting:
        accounts = accounts.filter(
            user__payouts__status__in=[
                Payout.Status.WAITING_FOR_ACCOUNT,
                Payout.Status.WAITING_FOR_TAX,
            ]
        ).distinct()
    read = released = 0
    for account in accounts.order_by("pk").iterator():
        could_receive = account.can_receive
        try:
            synced = payout_account_sync(account=account)
        except GatewayError:
            continue
        read += 1
        if synced is not None and synced.can_receive and not could_receive:
            released += 1
    return read, released


def local_account_complete(*, user: User, tax_form: str = TaxForm.W9) -> PayoutAccount:
    """The test-mode onboarding page: what finishing Stripe's onboarding would do, the tax
    form (W-9 or W-8BEN) included."""
    if gateway_name() != Gateway.LOCAL:
        raise PermissionDenied("Only test-mode accounts are completed here.")
    if tax_form not in TaxForm.values:
        raise ValidationError({"tax_form": "Choose the W-9 or the W-8BEN."})
    account = PayoutAccount.objects.get(user=user)
    return payout_account_apply(
        info=replace(
            gateways.get_gateway().retrieve_account(account.provider_id),
            details_submitted=True,
            payouts_enabled=True,
            tax_form=tax_form,
            tax_info_provided=True,
        )
    )
