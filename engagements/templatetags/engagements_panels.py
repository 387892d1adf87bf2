"""Engagements' parts of account pages: the student's micro-internships (and what stops
them being accepted now), an organization's students at work."""

from django import template

from engagements import selectors

register = template.Library()


@register.simple_tag
def student_engagements(student):
    return selectors.student_engagements(student)


@register.simple_tag
def organization_engagements(organization):
    return selectors.organization_engagements(organization.pk)
