"""Oversight answers an engagement's end (approved, cancelled or settled), after it
committed: its automatic flags are checked again at once instead of at the next sweep."""

from django.dispatch import receiver

from engagements.signals import engagement_approved, engagement_cancelled, engagement_settled
from oversight import tasks


@receiver(engagement_approved, dispatch_uid="oversight.refresh_after_approval")
@receiver(engagement_cancelled, dispatch_uid="oversight.refresh_after_cancellation")
@receiver(engagement_settled, dispatch_uid="oversight.refresh_after_settlement")
def refresh_flags(sender, engagement_id: int, **kwargs):
    tasks.refresh_flags.delay(engagement_id)
