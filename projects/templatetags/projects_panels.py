"""Projects' parts of account pages: a student's applications, an organization's projects."""

from django import template

from projects import selectors

register = template.Library()


@register.simple_tag
def student_applications(student):
    return selectors.student_applications(student)


@register.simple_tag
def organization_projects(organization):
    """The organization's projects grouped by status, with applicant counts (one query)."""
    return selectors.organization_projects_by_status(organization.pk)


@register.simple_tag
def open_projects_of(organization, limit=20):
    return list(
        selectors.open_projects()
        .filter(organization=organization)
        .order_by("-published_at")[:limit]
    )
