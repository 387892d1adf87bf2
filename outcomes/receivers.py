"""Career outcomes answer other apps' signals, after their transaction committed."""

from django.dispatch import receiver

from engagements.signals import engagement_approved
from outcomes import tasks
from projects.signals import application_submitted


@receiver(engagement_approved, dispatch_uid="outcomes.issue_record")
def issue_record(sender, engagement_id: int, **kwargs):
    tasks.issue_record.delay(engagement_id)


@receiver(application_submitted, dispatch_uid="outcomes.mark_invitation_applied")
def mark_invitation_applied(sender, application_id: int, **kwargs):
    tasks.mark_invitation_applied.delay(application_id)
