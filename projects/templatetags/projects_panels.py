"""Projects' parts of account pages: a student's applications, an organization's projects."""

from django import template

from projects import selectors
from projects.models import ProjectStatus

register = template.Library()


@register.simple_tag
def student_applications(student):
    return selectors.student_applications(student)


@register.simple_tag
def organization_projects(organization):
    """The organization's projects grouped by status, with applicant counts (one query)."""
    return selectors.organization_projects_by_status(organization.pk)


@register.simple_tag
def paused_projects(organization, project_groups):
    """Open projects students cannot see while the organization cannot take students
    (awaiting verification again, or suspended)."""
    if organization.can_take_students:
        return []
    return [p for _, ps in project_groups for p in ps if p.status == ProjectStatus.OPEN]


@register.simple_tag
def open_projects_of(organization, limit=20):
    return list(
        selectors.open_projects()
        .filter(organization=organization)
        .order_by("-published_at")[:limit]
    )
