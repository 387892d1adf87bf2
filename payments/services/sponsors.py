"""Sponsored fees: a school or a sponsor pays a share of the fee from a budget it funds.

The rules, in one place:
  - Eligible: the sponsor is active; the engagement's school (the student's school when
    accepted) is one of the sponsor's schools; the organization is verified and is a
    nonprofit (if the sponsor covers nonprofits), a small business (sizes in
    SPONSOR_SMALL_BUSINESS_SIZES, if it covers them) or named by the sponsor.
  - The share is the fee (of the funding or of an extension) times share_percent / 100,
    rounded down to the cent, capped by max_share_cents. The platform fee stays the
    employer's.
  - All or nothing: the first eligible sponsor (oldest first) whose available budget covers
    the whole share pays it; a sponsor whose budget is short pays nothing (its managers
    hear about it) and the next eligible one is asked.
  - The share is reserved when the payment is prepared, under the sponsor's row lock, so
    two employers paying at once can never overdraw the budget. A payment that fails, is
    cancelled, or arrives for something that can no longer take it releases the
    reservation: it never drew on the sponsor. A payment that succeeds records the share
    on the engagement's ledger (SPONSOR_SHARE), so the engagement still balances to 0.
  - Money refunded gives the sponsor back its part (SPONSOR_RETURN on the engagement, a
    RETURNED entry on the sponsor's own ledger): all of it on a cancellation before work;
    in a dispute split, its share times the refunded part of the fee over the funded fee,
    rounded down to the cent.

Deposits (the sponsor topping up its budget) go through the gateway as an employer's
payment does: a SponsorDeposit row first, then the provider, then the provider's word
applied (a webhook or the test-mode page), exactly once.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import Organization, User
from accounts.models.organizations import OrganizationIndustry
from accounts.notifications import notify
from engagements.models import Engagement, Milestone
from marketplace.money import dollars
from payments import gateways, ledger
from payments.gateways import GatewayError
from payments.gateways.base import PaymentIntentInfo
from payments.models import (
    Gateway,
    LedgerEntry,
    Payment,
    PaymentStatus,
    Sponsor,
    SponsorDeposit,
    SponsorEntry,
)
from payments.services.common import gateway_name

logger = logging.getLogger(__name__)


# --- Eligibility and shares -------------------------------------------------------------


def eligible_sponsors(engagement: Engagement):
    """Active sponsors of the engagement's school whose rule covers its organization, oldest
    first; none unless the organization is verified."""
    organization = engagement.organization
    if organization.verification_status != Organization.Verification.VERIFIED:
        return Sponsor.objects.none()
    covered = Q(organizations=organization)
    if organization.industry == OrganizationIndustry.NONPROFIT:
        covered |= Q(covers_nonprofits=True)
    if organization.size in settings.SPONSOR_SMALL_BUSINESS_SIZES:
        covered |= Q(covers_small_businesses=True)
    ids = (
        Sponsor.objects.filter(covered, is_active=True, schools=engagement.school_id)
        .values_list("pk", flat=True)
        .distinct()
    )
    return Sponsor.objects.filter(pk__in=list(ids)).order_by("created_at", "pk")


def share_for(sponsor: Sponsor, fee_cents: int) -> int:
    """The sponsor's share of a fee: rounded down to the cent, within its cap."""
    share = fee_cents * sponsor.share_percent // 100
    if sponsor.max_share_cents is not None:
        share = min(share, sponsor.max_share_cents)
    return share


def available_cents(sponsor_id: int) -> int:
    """The budget not yet deposited-and-reserved: the sum of the sponsor's ledger."""
    return (
        SponsorEntry.objects.filter(sponsor_id=sponsor_id).aggregate(s=Sum("amount_cents"))["s"]
        or 0
    )


def _entry(
    *, sponsor_id: int, kind: str, amount_cents: int, key: str, description: str, **links
) -> SponsorEntry | None:
    """Append to the sponsor's ledger; None if that movement is already recorded."""
    try:
        with transaction.atomic():
            return SponsorEntry.objects.create(
                sponsor_id=sponsor_id,
                kind=kind,
                amount_cents=amount_cents,
                key=key,
                description=description[:300],
                **links,
            )
    except IntegrityError:
        if SponsorEntry.objects.filter(key=key).exists():
            return None
        raise


def _lock_sponsor(sponsor_id: int) -> Sponsor:
    return Sponsor.objects.select_for_update().get(pk=sponsor_id)


def _managers(sponsor: Sponsor) -> list[User]:
    return list(sponsor.managers.filter(is_active=True))


def sponsor_quote(*, engagement: Engagement, fee_cents: int) -> int:
    """The share a sponsor would pay for this fee now, without reserving it (0 if none)."""
    for sponsor in eligible_sponsors(engagement):
        share = share_for(sponsor, fee_cents)
        if share > 0 and available_cents(sponsor.pk) >= share:
            return share
    return 0


def sponsor_pick(*, engagement: Engagement, fee_cents: int) -> tuple[Sponsor | None, int]:
    """The sponsor that pays a share of this fee, and the share; (None, 0) if none does.

    Called inside the transaction that creates the payment: the chosen sponsor's row stays
    locked until it commits, so the reservation written next cannot overdraw the budget.
    """
    for candidate in eligible_sponsors(engagement):
        sponsor = _lock_sponsor(candidate.pk)
        if not sponsor.is_active:
            continue
        share = share_for(sponsor, fee_cents)
        if share <= 0:
            continue
        available = available_cents(sponsor.pk)
        if available >= share:
            return sponsor, share
        notify(
            recipients=_managers(sponsor),
            kind="sponsor.budget_short",
            key=f"sponsor-{sponsor.pk}-short-{engagement.pk}-{fee_cents}",
            message=f"{sponsor.name}'s budget ({dollars(max(available, 0))}) could not pay "
            f"its {dollars(share)} share for “{engagement.project.title}”",
            url=reverse("payments:sponsor", args=[sponsor.pk]),
            context={"details": "Add funds so that the next eligible engagement is sponsored."},
        )
    return None, 0


def sponsor_reserve(*, payment: Payment, sponsor: Sponsor) -> None:
    """Reserve a new payment's share (the sponsor's row is locked by sponsor_pick)."""
    if not payment.sponsored_cents:
        return
    _entry(
        sponsor_id=sponsor.pk,
        kind=SponsorEntry.Kind.RESERVED,
        amount_cents=-payment.sponsored_cents,
        key=f"payment:{payment.pk}:reserved",
        description=f"Share of payment {payment.receipt_number} for "
        f"“{payment.engagement.project.title}”",
        payment=payment,
    )
    left = available_cents(sponsor.pk)
    if left < payment.sponsored_cents:
        # The next share of the same size would not be covered.
        notify(
            recipients=_managers(sponsor),
            kind="sponsor.budget_low",
            key=f"sponsor-{sponsor.pk}-low-{payment.pk}",
            message=f"{sponsor.name}'s budget is down to {dollars(left)}: add funds to keep "
            "sponsoring fees",
            url=reverse("payments:sponsor_deposit", args=[sponsor.pk]),
        )


def _outstanding(payment: Payment) -> int:
    """What the sponsor's ledger still holds against this payment (reserved, not returned)."""
    net = SponsorEntry.objects.filter(payment=payment).aggregate(s=Sum("amount_cents"))["s"] or 0
    return -net


def sponsor_release(*, payment: Payment, why: str) -> None:
    """A payment that never drew on the sponsor (failed, cancelled, unpayable) gives its
    reservation back. Safe to call again: the release has one key per payment."""
    if payment.sponsor_id is None or not payment.sponsored_cents:
        return
    with transaction.atomic():
        _lock_sponsor(payment.sponsor_id)
        outstanding = _outstanding(payment)
        if outstanding <= 0:
            return
        _entry(
            sponsor_id=payment.sponsor_id,
            kind=SponsorEntry.Kind.RETURNED,
            amount_cents=outstanding,
            key=f"payment:{payment.pk}:released",
            description=f"Reservation released: {why}",
            payment=payment,
        )


def sponsor_share_received(
    *,
    payment: Payment,
    engagement: Engagement,
    actor,
    via: str,
    parts: list[tuple[Milestone, int]] | None = None,
) -> None:
    """A sponsored payment succeeded: the sponsor's share joins the money held for the
    engagement, whole, or milestone by milestone in `parts` (`payments.milestones`).
    Called under the payment's and the engagement's locks."""
    if payment.sponsor_id is None or not payment.sponsored_cents:
        return
    with transaction.atomic():
        sponsor = _lock_sponsor(payment.sponsor_id)
        missing = payment.sponsored_cents - _outstanding(payment)
        if missing > 0:
            # The payment was given up (and its reservation released) before the provider
            # said it succeeded after all: the sponsor pays its share again, even if that
            # takes its budget below zero, since the employer paid only their part.
            _entry(
                sponsor_id=sponsor.pk,
                kind=SponsorEntry.Kind.RESERVED,
                amount_cents=-missing,
                key=f"payment:{payment.pk}:reserved_again",
                description=f"Share of payment {payment.receipt_number}, which succeeded "
                "after it was given up",
                payment=payment,
            )
        for milestone, cents in parts or [(None, payment.sponsored_cents)]:
            ledger.record(
                engagement=engagement,
                kind=LedgerEntry.Kind.SPONSOR_SHARE,
                amount_cents=cents,
                key=f"payment:{payment.pk}:sponsor_share"
                + (f":m{milestone.number}" if milestone is not None else ""),
                description=f"Share of the fee paid by {sponsor.name}"
                + (f", milestone {milestone.number}" if milestone is not None else ""),
                actor=actor,
                action="payment.sponsor_share",
                via=via,
                payment=payment,
                milestone=milestone,
            )


def sponsor_return(
    *,
    payment: Payment,
    engagement: Engagement,
    cents: int,
    key: str,
    why: str,
    milestone: Milestone | None = None,
) -> int:
    """Give the sponsor back `cents` of a succeeded payment's share (at most what is still
    with the engagement): out of the engagement's ledger, into the sponsor's. Returns the
    amount returned (0 when it already was)."""
    if payment.sponsor_id is None or cents <= 0:
        return 0
    with transaction.atomic():
        sponsor = _lock_sponsor(payment.sponsor_id)
        returned = -(
            LedgerEntry.objects.filter(
                payment=payment, kind=LedgerEntry.Kind.SPONSOR_RETURN
            ).aggregate(s=Sum("amount_cents"))["s"]
            or 0
        )
        cents = min(cents, payment.sponsored_cents - returned)
        if cents <= 0:
            return 0
        entry = ledger.record(
            engagement=engagement,
            kind=LedgerEntry.Kind.SPONSOR_RETURN,
            amount_cents=-cents,
            key=f"{key}:sponsor_return",
            description=f"Share returned to {sponsor.name}: {why}",
            actor=None,
            action="payment.sponsor_return",
            payment=payment,
            milestone=milestone,
        )
        if entry is None:
            return 0
        _entry(
            sponsor_id=sponsor.pk,
            kind=SponsorEntry.Kind.RETURNED,
            amount_cents=cents,
            key=f"{key}:returned",
            description=f"Share returned: {why}",
            payment=payment,
        )
    return cents


def dispute_sponsor_return(payment: Payment, *, refunded_fee_cents: int, funded_fee: int) -> int:
    """A sponsor's part of a dispute split: its share times the refunded part of the fee,
    rounded down to the cent."""
    if payment.sponsor_id is None or not funded_fee:
        return 0
    return payment.sponsored_cents * refunded_fee_cents // funded_fee


# --- Deposits ---------------------------------------------------------------------------


def require_manager(actor: User, sponsor: Sponsor) -> None:
    if not (actor.is_active and sponsor.managers.filter(pk=actor.pk).exists()):
        raise PermissionDenied("Only the sponsor's managers manage its budget.")


@transaction.atomic
def _deposit_prepare(*, actor: User, sponsor_id: int, amount_cents: int) -> SponsorDeposit:
    sponsor = _lock_sponsor(sponsor_id)
    require_manager(actor, sponsor)
    if amount_cents <= 0:
        raise ValidationError({"amount": "Enter an amount above $0."})
    return SponsorDeposit.objects.create(
        sponsor=sponsor,
        amount_cents=amount_cents,
        currency=settings.CURRENCY,
        gateway=gateway_name(),
        created_by=actor,
    )


def deposit_start(*, actor: User, sponsor: Sponsor, amount_cents: int) -> SponsorDeposit:
    """A manager starts adding funds: the deposit to complete on its payment page."""
    deposit = _deposit_prepare(actor=actor, sponsor_id=sponsor.pk, amount_cents=amount_cents)
    try:
        info = gateways.get_gateway().create_payment(
            payment_id=f"deposit-{deposit.pk}",
            amount_cents=deposit.amount_cents,
            currency=deposit.currency,
            description=f"Sponsored fees budget: {sponsor.name}"[:200],
            metadata={"sponsor_deposit_id": str(deposit.pk), "sponsor_id": str(sponsor.pk)},
        )
    except GatewayError as error:
        SponsorDeposit.objects.filter(pk=deposit.pk, provider_id=None).update(
            status=PaymentStatus.FAILED, failure_message=error.message[:300]
        )
        raise
    with transaction.atomic():
        deposit = SponsorDeposit.objects.select_for_update().get(pk=deposit.pk)
        if not deposit.provider_id:
            deposit.provider_id = info.provider_id
            deposit.save(update_fields=["provider_id"])
    return deposit


@transaction.atomic
def deposit_apply(
    *, deposit_id: int, info: PaymentIntentInfo, actor: User | None = None, via: str = "automatic"
) -> SponsorDeposit:
    """Apply the provider's word about a deposit. Safe to call any number of times."""
    deposit = (
        SponsorDeposit.objects.select_for_update().select_related("sponsor").get(pk=deposit_id)
    )
    if deposit.status == PaymentStatus.SUCCEEDED:
        return deposit
    if info.status == "succeeded":
        if info.amount_cents != deposit.amount_cents:
            logger.error("Deposit %s: provider amount %s differs", deposit.pk, info.amount_cents)
            raise ValidationError("The amount paid does not match the amount due.")
        sponsor = _lock_sponsor(deposit.sponsor_id)
        deposit.status = PaymentStatus.SUCCEEDED
        deposit.charge_id = info.charge_id or deposit.charge_id
        deposit.succeeded_at = timezone.now()
        deposit.failure_message = ""
        deposit.save(update_fields=["status", "charge_id", "succeeded_at", "failure_message"])
        _entry(
            sponsor_id=sponsor.pk,
            kind=SponsorEntry.Kind.DEPOSIT,
            amount_cents=deposit.amount_cents,
            key=f"deposit:{deposit.pk}",
            description=f"Deposit (receipt {deposit.receipt_number})",
            deposit=deposit,
        )
        audit(
            actor=actor,
            action="sponsor.deposit_succeeded",
            target=deposit,
            summary=f"{sponsor.name} added {deposit.amount_cents} cents to its budget "
            f"(receipt {deposit.receipt_number}, {actor.email if actor else via})",
            data={
                "amount_cents": deposit.amount_cents,
                "sponsor_id": sponsor.pk,
                "provider_id": deposit.provider_id,
                **({"via": via} if actor is None else {}),
            },
            school=None,
        )
        notify(
            recipients=_managers(sponsor),
            kind="sponsor.deposit_succeeded",
            key=f"sponsor-deposit-{deposit.pk}",
            message=f"{dollars(deposit.amount_cents)} added to {sponsor.name}'s budget "
            f"(receipt {deposit.receipt_number})",
            url=reverse("payments:sponsor_deposit_receipt", args=[deposit.pk]),
        )
    elif info.status in ("failed", "canceled") and deposit.status != info.status:
        deposit.status = info.status
        deposit.failure_message = (info.failure_message or "The payment did not go through.")[:300]
        deposit.save(update_fields=["status", "failure_message"])
    elif info.status == "processing" and deposit.status == PaymentStatus.CREATED:
        deposit.status = PaymentStatus.PROCESSING
        deposit.save(update_fields=["status"])
    return deposit


def deposit_sync(*, deposit: SponsorDeposit, via: str = "automatic") -> SponsorDeposit:
    """Re-read a deposit from the provider and apply what it says."""
    if not deposit.provider_id:
        return deposit
    info = gateways.get_gateway().retrieve_payment(deposit.provider_id)
    return deposit_apply(deposit_id=deposit.pk, info=info, via=via)


def local_deposit_complete(
    *, actor: User, deposit: SponsorDeposit, succeed: bool
) -> SponsorDeposit:
    """The test-mode payment page's buttons for a deposit."""
    if deposit.gateway != Gateway.LOCAL or gateway_name() != Gateway.LOCAL:
        raise PermissionDenied("Only test-mode payments are completed here.")
    require_manager(actor, deposit.sponsor)
    if deposit.status not in (PaymentStatus.CREATED, PaymentStatus.PROCESSING):
        return deposit
    info = PaymentIntentInfo(
        provider_id=deposit.provider_id or f"local_pi_deposit-{deposit.pk}",
        status="succeeded" if succeed else "failed",
        amount_cents=deposit.amount_cents,
        charge_id=f"local_ch_deposit-{deposit.pk}",
        failure_message="" if succeed else "Test-mode card declined.",
    )
    return deposit_apply(deposit_id=deposit.pk, info=info, actor=actor)


# --- Settings ---------------------------------------------------------------------------


@transaction.atomic
def sponsor_update_rules(
    *,
    actor: User,
    sponsor: Sponsor,
    share_percent: int,
    covers_nonprofits: bool,
    covers_small_businesses: bool,
    max_share_cents: int | None,
    organizations,
) -> Sponsor:
    """A manager changes who is covered and how much: for payments prepared from now on."""
    sponsor = _lock_sponsor(sponsor.pk)
    require_manager(actor, sponsor)
    if not 1 <= share_percent <= 100:
        raise ValidationError({"share_percent": "Between 1% and 100%."})
    before = {
        "share_percent": sponsor.share_percent,
        "covers_nonprofits": sponsor.covers_nonprofits,
        "covers_small_businesses": sponsor.covers_small_businesses,
        "max_share_cents": sponsor.max_share_cents,
    }
    sponsor.share_percent = share_percent
    sponsor.covers_nonprofits = covers_nonprofits
    sponsor.covers_small_businesses = covers_small_businesses
    sponsor.max_share_cents = max_share_cents
    sponsor.save(
        update_fields=[
            "share_percent",
            "covers_nonprofits",
            "covers_small_businesses",
            "max_share_cents",
        ]
    )
    sponsor.organizations.set(organizations)
    audit(
        actor=actor,
        action="sponsor.rules_changed",
        target=sponsor,
        summary=f"{actor.email} changed {sponsor.name}'s sponsorship rules",
        data={
            "before": before,
            "share_percent": share_percent,
            "covers_nonprofits": covers_nonprofits,
            "covers_small_businesses": covers_small_businesses,
            "max_share_cents": max_share_cents,
            "organization_ids": sorted(o.pk for o in organizations),
        },
        school=None,
    )
    return sponsor
