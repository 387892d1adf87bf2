"""The ledger of a milestone engagement, milestone by milestone.

The employer funds the whole fee up front, yet each milestone is paid (or refunded) on its
own, so each money movement names its milestone and every milestone balances by itself:
funded and unpaid it holds its amount, paid or refunded it holds 0
(`ledger.milestone_balance`). The funding payment is split here: each milestone receives
its amount plus its part of the platform fee, the parts shared by largest remainder so they
sum exactly to the payment's platform fee; a sponsor's share is split the same way.
"""

from typing import NamedTuple

from django.conf import settings
from django.db.models import Q, Sum

from accounts.models import User
from engagements.models import Engagement, Milestone
from payments import ledger
from payments.models import LedgerEntry, Payment


def split_by_largest_remainder(total: int, weights: list[int]) -> list[int]:
    """`total` shared in proportion to `weights`, in whole cents summing exactly to it."""
    whole = sum(weights)
    if not whole:
        return [0 for _ in weights]
    shares = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares


def record_received(
    *, payment: Payment, engagement: Engagement, actor: User | None, via: str
) -> list[tuple[Milestone, int]] | None:
    """Record a succeeded payment of a milestone engagement milestone by milestone; None
    when the engagement has no milestones (the caller records it whole).

    The funding payment is shared among the milestones; an extension's payment goes to
    the milestone it extends. A sponsor's share of the fee is shared the same way: each
    milestone receives its amount, from the employer and the sponsor together, plus its
    part of the platform fee. Returns each milestone's part of the sponsor's share, for
    the sponsor's own books (`sponsors.sponsor_share_received` records it).
    """
    if payment.unpayable_reason:
        # Money that arrived for nothing is recorded whole and refunded whole.
        return None
    if payment.kind == Payment.Kind.FUNDING:
        milestones = list(Milestone.objects.filter(engagement=engagement).order_by("number"))
        amounts = [m.amount_cents for m in milestones]
    elif payment.kind == Payment.Kind.EXTENSION and payment.extension.milestone_id:
        milestones = [payment.extension.milestone]
        amounts = [payment.fee_cents]
    else:
        return None
    if not milestones:
        return None
    # Any cents of the payment not in the milestones' amounts (none when the plan and the
    # payment agree) go with the last milestone, so the entries sum to the payment.
    amounts[-1] += payment.fee_cents - sum(amounts)
    fee_parts = split_by_largest_remainder(payment.platform_fee_cents, amounts)
    sponsor_parts = split_by_largest_remainder(payment.sponsored_cents, amounts)
    what = f"{payment.get_kind_display()} received (receipt {payment.receipt_number})"
    for milestone, amount, fee_part, sponsored in zip(
        milestones, amounts, fee_parts, sponsor_parts, strict=True
    ):
        suffix = f":m{milestone.number}" if payment.kind == Payment.Kind.FUNDING else ""
        if amount + fee_part - sponsored:
            ledger.record(
                engagement=engagement,
                kind=LedgerEntry.Kind.FUNDING_RECEIVED,
                amount_cents=amount + fee_part - sponsored,
                key=f"payment:{payment.pk}:received{suffix}",
                description=f"{what}, milestone {milestone.number}",
                actor=actor,
                action="payment.succeeded",
                via=via,
                payment=payment,
                milestone=milestone,
            )
        if fee_part:
            ledger.record(
                engagement=engagement,
                kind=LedgerEntry.Kind.PLATFORM_FEE,
                amount_cents=-fee_part,
                key=f"payment:{payment.pk}:platform_fee{suffix}",
                description=f"Platform fee ({settings.PLATFORM_FEE_PERCENT}%), "
                f"milestone {milestone.number}",
                actor=actor,
                action="payment.platform_fee",
                via=via,
                payment=payment,
                milestone=milestone,
            )
    return [(m, cents) for m, cents in zip(milestones, sponsor_parts, strict=True) if cents]


class Held(NamedTuple):
    """What a payment brought for a milestone and is still held there."""

    received: int  # from the employer, platform fee part included
    platform_fee: int
    sponsor_share: int  # from the payment's sponsor

    @property
    def fee(self) -> int:
        """The part of the student's fee (employer's and sponsor's together)."""
        return self.received + self.sponsor_share - self.platform_fee


_HELD = {
    "received": Sum("amount_cents", filter=Q(kind=LedgerEntry.Kind.FUNDING_RECEIVED)),
    "fee": Sum("amount_cents", filter=Q(kind=LedgerEntry.Kind.PLATFORM_FEE)),
    "share": Sum("amount_cents", filter=Q(kind=LedgerEntry.Kind.SPONSOR_SHARE)),
}


def _held(entries) -> Held:
    sums = entries.aggregate(**_HELD)
    return Held(sums["received"] or 0, -(sums["fee"] or 0), sums["share"] or 0)


def held_for(*, milestone: Milestone, payment: Payment) -> Held:
    """What a payment brought for a milestone, read back from the ledger, so a refund (and
    a sponsor's return) gives back exactly what came in."""
    return _held(LedgerEntry.objects.filter(milestone=milestone, payment=payment))


def unpaid_pool(engagement: Engagement) -> tuple[int, int] | None:
    """The fee and platform fee still held for the milestones not approved (None on an
    engagement without milestones): what a settlement may share out."""
    if not Milestone.objects.filter(engagement=engagement).exists():
        return None
    held = _held(
        LedgerEntry.objects.filter(milestone__engagement=engagement).exclude(
            milestone__status=Milestone.Status.APPROVED
        )
    )
    return held.fee, held.platform_fee
