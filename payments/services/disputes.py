"""Disputes a platform admin settles with a split between the student and the employer."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.audit import audit
from accounts.models import User
from engagements import services as engagement_services
from engagements.models import Engagement, EngagementStatus, Milestone
from marketplace.money import dollars
from payments import milestones as milestone_ledger
from payments.models import (
    Payment,
    PaymentStatus,
    Refund,
)
from payments.services import sponsors
from payments.services.common import (
    lock_engagement,
)
from payments.services.payouts import payout_create
from payments.services.refunds import enqueue_refund, refundable_cents


@transaction.atomic
def dispute_settle(*, actor: User, engagement: Engagement, student_cents: int, note: str):
    """A platform admin splits a disputed engagement: part paid to the student, the rest
    refunded to the employer. The platform keeps its fee only on the part paid out."""
    if not actor.is_platform_admin:
        raise PermissionDenied("Only platform admins settle disputes.")
    engagement = lock_engagement(engagement.pk)
    if engagement.status != EngagementStatus.DISPUTED:
        raise ValidationError("Only a disputed engagement can be settled.")
    payments = list(
        Payment.objects.select_for_update()
        .filter(engagement=engagement, status=PaymentStatus.SUCCEEDED, unpayable_reason="")
        .order_by("-created_at")
    )
    funded_fee = sum(p.fee_cents for p in payments)
    platform_fee = sum(p.platform_fee_cents for p in payments)
    what = "the fee that was funded"
    # Approved milestones are paid already: only the rest is shared out.
    pool = milestone_ledger.unpaid_pool(engagement)
    if pool is not None:
        (funded_fee, platform_fee), what = pool, "the part of the fee not paid for milestones"
    if not 0 <= student_cents <= funded_fee:
        raise ValidationError({"student_amount": f"Between $0 and {dollars(funded_fee)}, {what}."})
    if not note.strip():
        raise ValidationError({"note": "Explain the decision: both sides will read it."})
    fee_kept = (platform_fee * student_cents + funded_fee // 2) // funded_fee if funded_fee else 0
    why = f"dispute settled with {dollars(student_cents)} to the student"
    # A milestone engagement is settled milestone by milestone.
    if pool is not None:
        refunds, payouts, returned = _settle_milestones(
            engagement,
            payments,
            student_cents=student_cents,
            fee_kept=fee_kept,
            note=note,
            why=why,
        )
        payout = payouts[0] if payouts else None
    else:
        refund_fee_part = platform_fee - fee_kept
        # The part of the fee not paid to the student goes back to whoever paid it: each
        # sponsor gets its share of it (rounded down), the employer the rest.
        sponsor_returns = {
            p.pk: sponsors.dispute_sponsor_return(
                p, refunded_fee_cents=funded_fee - student_cents, funded_fee=funded_fee
            )
            for p in payments
        }
        returned = sum(
            sponsors.sponsor_return(
                payment=payment,
                engagement=engagement,
                cents=sponsor_returns[payment.pk],
                key=f"payment:{payment.pk}:dispute",
                why=why,
            )
            for payment in payments
        )
        refund_total = funded_fee - student_cents - sum(sponsor_returns.values()) + refund_fee_part
        refunds = _refund_in_turn(
            [(p, refundable_cents(p), p.platform_fee_cents) for p in payments],
            total=refund_total,
            fee_part=refund_fee_part,
            reason=f"Dispute settled: {note.strip()}",
        )
        payout = payout_create(engagement=engagement, amount_cents=student_cents)
    engagement_services.engagement_settle(
        engagement=engagement, actor=actor, student_cents=student_cents, note=note.strip()
    )
    audit(
        actor=actor,
        action="engagement.settled",
        target=engagement,
        summary=f"{actor.email} settled the dispute: {student_cents} cents to the student, "
        f"{sum(r.amount_cents for r in refunds)} cents refunded to the employer",
        data={
            "student_cents": student_cents,
            "platform_fee_kept_cents": fee_kept,
            "payout_id": payout.pk if payout is not None else None,
            "refunds": [{"refund_id": r.pk, "amount_cents": r.amount_cents} for r in refunds],
            "sponsor_returns_cents": returned,
            "note": note.strip(),
        },
    )
    return payout


def _settle_milestones(
    engagement: Engagement,
    payments: list[Payment],
    *,
    student_cents: int,
    fee_kept: int,
    note: str,
    why: str,
) -> tuple[list[Refund], list, int]:
    """Share a milestone engagement's settlement milestone by milestone, so that each ends
    at 0 in the ledger: the student's part fills the milestones not approved in order (a
    payout for each), the platform keeps its fee on each in proportion, and the rest of
    each milestone's fee goes back to whoever paid it: each sponsor its share of it
    (rounded down), the employer the rest, from what each payment brought for it.
    Returns the refunds, the payouts and what went back to sponsors."""
    open_ones = list(
        engagement.milestones.exclude(status=Milestone.Status.APPROVED).order_by("number")
    )
    held = {
        (m.pk, p.pk): milestone_ledger.held_for(milestone=m, payment=p)
        for m in open_ones
        for p in payments
    }
    fees = [sum(held[m.pk, p.pk].fee for p in payments) for m in open_ones]
    to_student, left = [], student_cents
    for fee in fees:
        to_student.append(min(left, fee))
        left -= to_student[-1]
    kept = milestone_ledger.split_by_largest_remainder(fee_kept, to_student)
    refunds, payouts, returned = [], [], 0
    for milestone, fee, paid, keep in zip(open_ones, fees, to_student, kept, strict=True):
        platform_fee = sum(held[milestone.pk, p.pk].platform_fee for p in payments)
        refund_fee = platform_fee - min(keep, platform_fee)
        sponsor_back = 0
        for payment in payments:
            share = held[milestone.pk, payment.pk].sponsor_share
            back = share * (fee - paid) // fee if fee else 0
            sponsor_back += back
            returned += sponsors.sponsor_return(
                payment=payment,
                engagement=engagement,
                cents=back,
                key=f"payment:{payment.pk}:dispute:m{milestone.number}",
                why=why,
                milestone=milestone,
            )
        refunds += _refund_in_turn(
            [
                (p, held[milestone.pk, p.pk].received, held[milestone.pk, p.pk].platform_fee)
                for p in payments
            ],
            total=fee - paid - sponsor_back + refund_fee,
            fee_part=refund_fee,
            reason=f"Dispute settled, milestone {milestone.number}: {note.strip()}",
            milestone=milestone,
        )
        if paid:
            payouts.append(
                payout_create(engagement=engagement, amount_cents=paid, milestone=milestone)
            )
    return refunds, payouts, returned


def _refund_in_turn(
    sources: list[tuple[Payment, int, int]],
    *,
    total: int,
    fee_part: int,
    reason: str,
    milestone: Milestone | None = None,
) -> list[Refund]:
    """Refund `total` (of which `fee_part` is platform fee) from the payments in turn, each
    at most its (amount, platform fee) cap; the refunds leave after commit."""
    refunds = []
    for payment, cap, fee_cap in sources:
        amount = min(total, cap)
        if amount <= 0:
            continue
        fee = min(fee_part, fee_cap, amount)
        refund = Refund.objects.create(
            payment=payment,
            milestone=milestone,
            amount_cents=amount,
            platform_fee_cents=fee,
            reason=reason[:300],
        )
        refunds.append(refund)
        enqueue_refund(refund.pk)
        total -= amount
        fee_part -= fee
    return refunds
