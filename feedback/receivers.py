"""Feedback answers the engagement's signals (after their transaction committed) by starting
a task; the task re-reads the engagement and is safe to repeat."""

from django.dispatch import receiver

from engagements.signals import (
    engagement_approved,
    engagement_cancelled,
    engagement_funded,
    engagement_settled,
    engagement_submitted,
)
from feedback import tasks


@receiver(engagement_funded, dispatch_uid="feedback.plan_sessions")
def plan_sessions(sender, engagement_id: int, **kwargs):
    tasks.plan_sessions.delay(engagement_id)


@receiver(engagement_submitted, dispatch_uid="feedback.plan_final_review")
def plan_final_review(sender, engagement_id: int, **kwargs):
    tasks.plan_final_review.delay(engagement_id)


@receiver(engagement_approved, dispatch_uid="feedback.close_after_approval")
@receiver(engagement_cancelled, dispatch_uid="feedback.close_after_cancellation")
@receiver(engagement_settled, dispatch_uid="feedback.close_after_settlement")
def close_sessions(sender, engagement_id: int, **kwargs):
    tasks.close_sessions.delay(engagement_id)
