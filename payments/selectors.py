"""Reads for money pages."""

from django.utils import timezone

from accounts.models import User
from engagements.models import Engagement, EngagementStatus
from payments.models import Payout, PayoutAccount


def student_earnings(student: User) -> dict:
    """Pending, paid and this year's total, in a few aggregate queries."""
    year_start = timezone.localtime().replace(
        month=1, day=1, hour=0, minute=0, second=0, microsecond=0
    )
    payouts = list(
        Payout.objects.filter(student=student)
        .select_related("engagement__project", "engagement__organization")
        .order_by("-created_at")
    )
    pending_statuses = {
        Payout.Status.WAITING_FOR_ACCOUNT,
        Payout.Status.PENDING,
        Payout.Status.PROCESSING,
        Payout.Status.FAILED,
    }
    approved_without_payout = list(
        Engagement.objects.filter(
            student=student, status=EngagementStatus.APPROVED, payout__isnull=True
        ).select_related("project")
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
        "in_progress": list(
            Engagement.objects.filter(
                student=student, status__in=["active", "submitted", "revision_requested"]
            ).select_related("project")
        ),
    }
