"""Reads for money pages."""

from django.utils import timezone

from accounts.models import User
from engagements.models import Engagement, EngagementStatus
from payments.models import Payout, PayoutAccount
from payments.services import tracker
from payments.statements import statement_years


def student_earnings(student: User) -> dict:
    """Pending, paid and this year's total, in a few aggregate queries."""
    year_start = timezone.localtime().replace(
        month=1, day=1, hour=0, minute=0, second=0, microsecond=0
    )
    payouts = list(
        Payout.objects.filter(student=student)
        .select_related("engagement__project", "engagement__organization")
        .prefetch_related("events")
        .order_by("-created_at")
    )
    for payout in payouts:
        payout.stage = tracker.stage_of(payout)
        payout.stages = tracker.stages_for(payout)
        payout.failure = (
            tracker.failure_help(payout.failure_code) if payout.stage == "failed" else None
        )
    pending_statuses = {
        Payout.Status.WAITING_FOR_ACCOUNT,
        Payout.Status.WAITING_FOR_TAX,
        Payout.Status.PENDING,
        Payout.Status.PROCESSING,
        Payout.Status.FAILED,
    }
    approved_without_payout = list(
        Engagement.objects.filter(student=student, status=EngagementStatus.APPROVED)
        .exclude(payouts__kind__in=[Payout.Kind.FEE, Payout.Kind.MILESTONE])
        .select_related("project")
    )
    return {
        "payouts": payouts,
        "pending_cents": sum(p.amount_cents for p in payouts if p.status in pending_statuses)
        + sum(e.fee_cents for e in approved_without_payout),
        "paid_cents": sum(p.amount_cents for p in payouts if p.status == Payout.Status.PAID),
        "year_cents": sum(
            p.amount_cents
            for p in payouts
            if p.status == Payout.Status.PAID and p.paid_at and p.paid_at >= year_start
        ),
        "account": PayoutAccount.objects.filter(user=student).first(),
        "statement_years": statement_years(student),
        "in_progress": list(
            Engagement.objects.filter(
                student=student, status__in=["active", "submitted", "revision_requested"]
            ).select_related("project")
        ),
    }
