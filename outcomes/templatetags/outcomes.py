"""Career outcomes on other apps' pages: the student dashboard's invitations, full-time
interest and recommended projects; the talent pool on the applicant list and the workspace.

Each tag reads through projects.talent or projects.recommendations in a fixed number of
queries, so a page needs only `{% load outcomes %}` and one line per section.
"""

from django import template

from accounts.models import Role
from outcomes import talent
from outcomes.forms import ReplyForm
from outcomes.recommendations import recommended_projects as rank_projects

register = template.Library()


def _student(context):
    user = context.get("user")
    if user is None or not user.is_authenticated or user.role != Role.STUDENT:
        return None
    return user


@register.inclusion_tag("outcomes/_recommended.html", takes_context=True)
def recommended_projects(context):
    student = _student(context)
    return {"recommendations": rank_projects(student) if student else [], "student": student}


@register.inclusion_tag("outcomes/_invitations.html", takes_context=True)
def student_invitations(context):
    student = _student(context)
    return {"invitations": talent.student_invitations(student) if student else []}


@register.inclusion_tag("outcomes/_fulltime_interest.html", takes_context=True)
def fulltime_interests(context):
    student = _student(context)
    interests = talent.student_fulltime_interests(student) if student else []
    return {
        "interests": [
            (interest, ReplyForm(prefix=f"reply-{interest.pk}")) for interest in interests
        ]
    }


@register.inclusion_tag("outcomes/_talent_card.html", takes_context=True)
def talent_pool_card(context, engagement):
    """The workspace's talent pool card, for the organization's employers."""
    user = context.get("user")
    organization_id = engagement.organization_id
    visible = talent.employer_may_see(organization_id, engagement.student)
    entry = talent.pooled_entry_of(organization_id, engagement.student) if visible else None
    return {
        "engagement": engagement,
        "entry": entry if visible else None,
        "may_save": visible and entry is None,
        "user": user,
    }


@register.simple_tag
def applicant_outreach(project):
    """The project's invitations and pooled students, for its applicant list."""
    return talent.project_outreach(project)


@register.simple_tag(takes_context=True)
def invitation_to(context, project):
    """The viewer's open invitation to this project, if any (for the apply page)."""
    student = _student(context)
    if student is None:
        return None
    return talent.open_invitation(student, project)
