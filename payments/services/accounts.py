"""Students' payout accounts (Stripe Connect Express, or the test-mode stand-in)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import Role, User
from payments import gateways
from payments.models import (
    Gateway,
    PayoutAccount,
)
from payments.services.common import (
    gateway_name,
)
from payments.services.payouts import release_waiting_payouts


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
def payout_account_apply(*, provider_id: str, details_submitted: bool, payouts_enabled: bool):
    account = PayoutAccount.objects.select_for_update().filter(provider_id=provider_id).first()
    if account is None:
        return None
    was_ready = account.is_ready
    account.details_submitted = details_submitted
    account.payouts_enabled = payouts_enabled
    account.save(update_fields=["details_submitted", "payouts_enabled", "updated_at"])
    if account.is_ready and not was_ready:
        release_waiting_payouts(account.user_id)
    return account


def payout_account_sync(*, account: PayoutAccount) -> PayoutAccount:
    """Re-read the account from the provider (after onboarding, or on account.updated)."""
    if not account.provider_id:
        return account
    info = gateways.get_gateway().retrieve_account(account.provider_id)
    return payout_account_apply(
        provider_id=info.provider_id,
        details_submitted=info.details_submitted,
        payouts_enabled=info.payouts_enabled,
    )


def local_account_complete(*, user: User) -> PayoutAccount:
    """The test-mode onboarding page: what finishing Stripe's onboarding would do."""
    if gateway_name() != Gateway.LOCAL:
        raise PermissionDenied("Only test-mode accounts are completed here.")
    account = PayoutAccount.objects.get(user=user)
    return payout_account_apply(
        provider_id=account.provider_id, details_submitted=True, payouts_enabled=True
    )
