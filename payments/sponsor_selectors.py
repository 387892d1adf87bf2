"""Reads for sponsors' pages: the budget and the report, in a fixed number of queries."""

from django.db.models import IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce

from payments.models import Payment, PaymentStatus, Sponsor, SponsorEntry


def sponsor_budget(sponsor: Sponsor) -> dict:
    """Deposited, available (the ledger's sum), reserved for payments under way, and spent
    (shares of succeeded payments, less what came back)."""
    totals = SponsorEntry.objects.filter(sponsor=sponsor).aggregate(
        available=Coalesce(Sum("amount_cents"), 0),
        deposited=Coalesce(Sum("amount_cents", filter=Q(kind=SponsorEntry.Kind.DEPOSIT)), 0),
        pending=Coalesce(
            Sum(
                "amount_cents",
                filter=Q(payment__status__in=[PaymentStatus.CREATED, PaymentStatus.PROCESSING]),
            ),
            0,
        ),
        paid=Coalesce(Sum("amount_cents", filter=Q(payment__status=PaymentStatus.SUCCEEDED)), 0),
    )
    return {
        "available_cents": totals["available"],
        "deposited_cents": totals["deposited"],
        "reserved_cents": -totals["pending"],
        "spent_cents": -totals["paid"],
    }


def sponsor_report(sponsor: Sponsor) -> list[Payment]:
    """Every payment the sponsor paid a share of, newest first, with what came back."""
    rows = list(
        Payment.objects.filter(sponsor=sponsor, status=PaymentStatus.SUCCEEDED, unpayable_reason="")
        .select_related("engagement__project", "engagement__organization", "engagement__school")
        .annotate(
            sponsor_net=Coalesce(
                Sum("sponsor_entries__amount_cents"), Value(0), output_field=IntegerField()
            )
        )
        .order_by("-succeeded_at", "-pk")
    )
    for row in rows:
        # The sponsor's ledger holds −share for the payment, plus whatever came back.
        row.returned_cents = row.sponsored_cents + row.sponsor_net
    return rows


def sponsor_report_totals(rows: list[Payment]) -> dict:
    share = sum(row.sponsored_cents for row in rows)
    returned = sum(row.returned_cents for row in rows)
    return {
        "count": len(rows),
        "fee_cents": sum(row.fee_cents for row in rows),
        "share_cents": share,
        "returned_cents": returned,
        "net_cents": share - returned,
    }
