"""Writing to the ledger: one entry per money movement, each recorded at most once."""

from django.db import IntegrityError, transaction
from django.db.models import Sum

from payments.models import LedgerEntry


def record(
    *,
    engagement_id: int,
    kind: str,
    amount_cents: int,
    key: str,
    description: str,
    payment=None,
    payout=None,
    refund=None,
) -> LedgerEntry | None:
    """Append an entry in the caller's transaction; None if that movement is already recorded.

    The unique key is the last line of defence against a double movement: the
    services lock rows first, so a duplicate here means a replay, not a race.
    """
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(
                engagement_id=engagement_id,
                kind=kind,
                amount_cents=amount_cents,
                key=key,
                description=description[:300],
                payment=payment,
                payout=payout,
                refund=refund,
            )
    except IntegrityError:
        if LedgerEntry.objects.filter(key=key).exists():
            return None
        raise


def balance(engagement_id: int) -> int:
    """Money the platform still holds for an engagement (0 once settled)."""
    return (
        LedgerEntry.objects.filter(engagement_id=engagement_id).aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0
    )


def platform_fee_for(fee_cents: int, percent: int) -> int:
    """The platform fee on a student's fee, rounded half up to the cent."""
    return (fee_cents * percent + 50) // 100
