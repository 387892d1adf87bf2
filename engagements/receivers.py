"""Engagements answer their own approval: a project whose last engagement is done is
completed, after the approval committed."""

from django.dispatch import receiver

from engagements import tasks
from engagements.signals import engagement_approved


@receiver(engagement_approved, dispatch_uid="engagements.complete_project")
def complete_project(sender, engagement_id: int, **kwargs):
    tasks.complete_project.delay(engagement_id)
