"""Projects answer a suspension, after it committed, by starting a task."""

from django.dispatch import receiver

from accounts.signals import organization_suspended
from projects import tasks


@receiver(organization_suspended, dispatch_uid="projects.close_for_suspension")
def close_for_suspension(sender, organization_id: int, **kwargs):
    tasks.close_for_suspension.delay(organization_id)
