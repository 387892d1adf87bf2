"""Writing to the ledger: one entry per money movement, each recorded at most once, and
each recorded in the audit trail with who moved the money."""

from django.db import IntegrityError, transaction
from django.db.models import Sum

from accounts.audit import audit
from accounts.models import User
from engagements.models import Engagement
from payments.models import LedgerEntry


def record(
    *,
    engagement: Engagement,
    kind: str,
    amount_cents: int,
    key: str,
    description: str,
    actor: User | None,
    action: str,
    via: str = "automatic",
    payment=None,
    payout=None,
    refund=None,
    milestone=None,
) -> LedgerEntry | None:
    """Append an entry and its audit event in the caller's transaction; None if that
    movement is already recorded (and then no second audit event either).

    `actor` is who moved the money (the employer who paid, the admin who decided);
    None when the platform did it by itself, `via` then says how (e.g. a Stripe webhook).

    The unique key is the last line of defence against a double movement: the
    services lock rows first, so a duplicate here means a replay, not a race.
    """
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                engagement_id=engagement.pk,
                kind=kind,
                amount_cents=amount_cents,
                key=key,
                description=description[:300],
                payment=payment,
                payout=payout,
                refund=refund,
                milestone=milestone,
            )
    except IntegrityError:
        if LedgerEntry.objects.filter(key=key).exists():
            return None
        raise
    target = refund or payout or payment or engagement
    by = actor.email if actor is not None else via
    audit(
        actor=actor,
        action=action,
        target=target,
        summary=f"{description}: {abs(amount_cents)} cents on engagement {engagement.pk} ({by})",
        data={
            "amount_cents": amount_cents,
            "kind": kind,
            "ledger_key": key,
            "engagement_id": engagement.pk,
            "payment_id": payment.pk if payment is not None else None,
            "payout_id": payout.pk if payout is not None else None,
            "refund_id": refund.pk if refund is not None else None,
            **({"milestone": milestone.number} if milestone is not None else {}),
            "provider_id": getattr(target, "provider_id", None),
            **({"via": via} if actor is None else {}),
        },
        school=engagement.school_id,
    )
    return entry


def balance(engagement_id: int) -> int:
    """Money the platform still holds for an engagement (0 once settled)."""
    return (
        LedgerEntry.objects.filter(engagement_id=engagement_id).aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0
    )


def milestone_balance(milestone_id: int) -> int:
    """Money the platform still holds for one milestone: its amount while funded and
    unpaid, 0 once paid out (or refunded)."""
    return (
        LedgerEntry.objects.filter(milestone_id=milestone_id).aggregate(total=Sum("amount_cents"))[
            "total"
        ]
        or 0
    )


def platform_fee_for(fee_cents: int, percent: int) -> int:
    """The platform fee on a student's fee, rounded half up to the cent."""
    return (fee_cents * percent + 50) // 100
