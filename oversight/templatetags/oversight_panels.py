"""Career services' advice on the workspace: the student, their school's staff and admins
see it; never the employer."""

from django import template

from engagements.models import EngagementStatus
from oversight.models import CoachingNote

register = template.Library()

FINISHED = (EngagementStatus.APPROVED, EngagementStatus.PAID)


@register.inclusion_tag("oversight/_coaching.html", takes_context=True)
def workspace_coaching(context):
    engagement, role = context["engagement"], context["role"]
    if role not in ("student", "staff", "admin"):
        return {"shown": False}
    notes = list(
        CoachingNote.objects.filter(engagement=engagement)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    can_coach = role in ("staff", "admin") and engagement.status in FINISHED
    return {
        "shown": bool(notes) or can_coach,
        "notes": notes,
        "can_coach": can_coach,
        "engagement": engagement,
        "role": role,
    }


@register.simple_tag
def coaching_notes_of(engagement):
    """Career services' advice on a finished engagement, newest first (one query)."""
    return list(CoachingNote.objects.filter(engagement=engagement).select_related("author"))
