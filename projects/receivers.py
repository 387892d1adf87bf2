"""Projects answer a suspension, after it committed, by starting a task; and a member
leaving a team, inside its transaction, by handing their projects to a colleague."""

from django.dispatch import receiver

from accounts.signals import organization_suspended, team_member_leaving
from projects import tasks
from projects.models import Project


@receiver(organization_suspended, dispatch_uid="projects.close_for_suspension")
def close_for_suspension(sender, organization_id: int, **kwargs):
    tasks.close_for_suspension.delay(organization_id)


@receiver(team_member_leaving, dispatch_uid="projects.hand_on_projects")
def hand_on_projects(sender, organization_id: int, user_id: int, successor_id: int, **kwargs):
    """The colleague becomes the one who runs the leaver's projects (applicants, reviews,
    sessions, notices); the projects, their engagements and money stay the organization's."""
    return Project.objects.filter(organization_id=organization_id, created_by_id=user_id).update(
        created_by_id=successor_id
    )
