"""Who may see an engagement, and as what: the one place that decides.

The student, the organization's employers, the student's school's career staff and
platform admins; everyone else gets 404, so an engagement's existence is not revealed.
"""

from django.http import Http404

from accounts.access import is_member, staff_school_id
from accounts.models import Role
from engagements.models import Engagement, EngagementStatus, SubmissionFile

STUDENT, EMPLOYER, STAFF, ADMIN = "student", "employer", "staff", "admin"


def engagement_role(viewer, engagement: Engagement) -> str | None:
    """How the viewer relates to an engagement, or None when they may not see it."""
    if not viewer.is_authenticated or not viewer.is_active:
        return None
    if viewer.is_platform_admin:
        return ADMIN
    if viewer.role == Role.STUDENT and viewer.pk == engagement.student_id:
        return STUDENT
    if is_member(viewer, engagement.organization_id):
        return EMPLOYER
    if staff_school_id(viewer) == engagement.school_id:
        return STAFF
    return None


def engagement_for(viewer, engagement_id: int) -> tuple[Engagement, str]:
    """The engagement with what its workspace shows, and the viewer's role; 404 otherwise."""
    engagement = (
        Engagement.objects.select_related(
            "project", "organization", "student", "school", "application"
        )
        .filter(pk=engagement_id)
        .first()
    )
    role = engagement_role(viewer, engagement) if engagement is not None else None
    if role is None:
        raise Http404("No such engagement.")
    return engagement, role


def may_open_deliverables(engagement: Engagement, role: str | None) -> bool:
    """Career staff see deliverables' names and sizes; the files and links only while the
    engagement is disputed. The two sides and admins always open them."""
    if role is None:
        return False
    return role != STAFF or engagement.status == EngagementStatus.DISPUTED


def submission_file_for(viewer, file_id: int) -> SubmissionFile:
    """A deliverable file for the student, the employer and admins; career staff of the
    student's school only while the engagement is disputed (otherwise they see its name
    and size on the workspace, never the file)."""
    stored = (
        SubmissionFile.objects.select_related("submission__engagement").filter(pk=file_id).first()
    )
    if stored is None:
        raise Http404("No such file.")
    engagement = stored.submission.engagement
    if not may_open_deliverables(engagement, engagement_role(viewer, engagement)):
        raise Http404("No such file.")
    return stored
