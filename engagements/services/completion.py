"""A project is completed once the last of its engagements is approved."""

import logging

from django.db.models import Exists, OuterRef

from engagements.models import LIVE_ENGAGEMENT_STATUSES, Engagement, EngagementStatus
from projects.models import Project, ProjectStatus
from projects.services import project_complete

logger = logging.getLogger(__name__)


def _under_way(project_id: int) -> bool:
    return Engagement.objects.filter(
        project_id=project_id, status__in=LIVE_ENGAGEMENT_STATUSES
    ).exists()


def project_complete_if_done(*, engagement_id: int) -> bool:
    """After an approval committed: complete its project if nothing else is under way."""
    project_id = Engagement.objects.values_list("project_id", flat=True).get(pk=engagement_id)
    return project_complete(project_id=project_id, work_under_way=_under_way(project_id))


def projects_complete_reconcile(batch: int = 200) -> int:
    """Periodic: closed projects with approved work and nothing under way that a lost task
    left uncompleted."""
    due = (
        Project.objects.filter(status=ProjectStatus.CLOSED)
        .filter(
            Exists(
                Engagement.objects.filter(
                    project=OuterRef("pk"),
                    status__in=[EngagementStatus.APPROVED, EngagementStatus.PAID],
                )
            )
        )
        .exclude(
            Exists(
                Engagement.objects.filter(
                    project=OuterRef("pk"), status__in=LIVE_ENGAGEMENT_STATUSES
                )
            )
        )
        .values_list("pk", flat=True)[:batch]
    )
    done = 0
    for project_id in due:
        try:
            done += project_complete(project_id=project_id, work_under_way=_under_way(project_id))
        except Exception:  # one bad row must not stop the sweep
            logger.exception("Could not complete project %s", project_id)
    return done
