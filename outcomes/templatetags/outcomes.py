"""Career outcomes on other apps' pages: the student dashboard's invitations, full-time
interest and recommended projects; the talent pool on the applicant list and the workspace.

Each tag reads through projects.talent or projects.recommendations in a fixed number of
queries, so a page needs only `{% load outcomes %}` and one line per section.
"""

from django import template

from accounts.models import Role
from feedback.models import StudentEvaluation
from outcomes import records, reflections, talent
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


@register.inclusion_tag("outcomes/_workspace_learning.html", takes_context=True)
def workspace_learning(context):
    """The workspace's learning objectives, the employer's marks and the student's reflection.

    The marks show once the evaluation may be seen (to its author at once); the reflection
    to the student, their school's career staff and platform admins, never to the employer
    unless the student shows it on their public record. Four queries at most."""
    engagement, role = context["engagement"], context["role"]
    objectives = list(engagement.project.objectives.all())
    evaluation = records.visible_evaluation(engagement)
    if evaluation is None and role == "employer":
        evaluation = StudentEvaluation.objects.filter(engagement=engagement).first()
    reflection = reflections.reflection_of(engagement)
    reads_reflection = role in ("student", "staff", "admin") or (
        reflection is not None and reflection.share_on_record
    )
    return {
        "engagement": engagement,
        "role": role,
        "objectives": records.objective_lines(engagement, evaluation) if objectives else [],
        "reflection": reflection if reads_reflection else None,
        "reflected": reflection is not None,
        "may_write": role == "student" and reflections.may_write(engagement),
        "shown": bool(objectives) or reflection is not None or reflections.may_write(engagement),
    }
