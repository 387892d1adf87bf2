"""The employer's payment arrived: work can start (called by payments, money first)."""

from datetime import datetime, timedelta

from django.utils import timezone

from accounts.notifications import notify
from engagements import lifecycle
from engagements.lifecycle import By
from engagements.models import Engagement, EngagementStatus
from engagements.services.common import record_event, workspace_url
from engagements.signals import announce, engagement_funded


def engagement_mark_funded(*, engagement: Engagement, at: datetime | None = None) -> Engagement:
    """Inside the payment's transaction. Safe to call twice; a cancelled engagement stays
    cancelled (the payment that arrives late is refunded by payments)."""
    engagement = lifecycle.lock(engagement)
    if engagement.status != EngagementStatus.AWAITING_FUNDING:
        return engagement
    funded_at = at or timezone.now()
    # The days to complete count from when work can start, not from acceptance.
    engagement.due_at = max(
        engagement.due_at, funded_at + timedelta(days=engagement.days_to_complete)
    )
    lifecycle.transition(
        engagement, to=EngagementStatus.ACTIVE, by=By.SYSTEM, at=funded_at, also=("due_at",)
    )
    record_event(engagement, None, "funded", "Funded by the employer: work can start.")
    notify(
        recipients=[engagement.student],
        kind="engagement.funded",
        key=f"engagement-{engagement.pk}-funded",
        message=f"“{engagement.project.title}” is funded: you can start",
        url=workspace_url(engagement),
    )
    announce(engagement_funded, engagement)
    return engagement
