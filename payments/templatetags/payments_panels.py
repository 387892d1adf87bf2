"""Payments' parts of the workspace: where the student's payout stands, and bonuses."""

from django import template

from payments.models import Bonus, Payout
from payments.services.bonuses import BONUS_STATUSES

register = template.Library()


@register.inclusion_tag("payments/_payout_status.html", takes_context=True)
def workspace_payout(context, settled=False):
    engagement = context["engagement"]
    return {
        "payout": Payout.objects.filter(engagement=engagement, kind=Payout.Kind.FEE).first(),
        "role": context["role"],
        "settled": settled,
    }


@register.inclusion_tag("payments/_bonuses.html", takes_context=True)
def workspace_bonuses(context):
    """The bonuses given on approved work, and the employer's way to add one."""
    engagement, role = context["engagement"], context["role"]
    bonuses = list(
        Bonus.objects.filter(engagement=engagement)
        .exclude(status=Bonus.Status.WITHDRAWN)
        .select_related("payout")
        .order_by("created_at")
    )
    for bonus in bonuses:
        payout = getattr(bonus, "payout", None)
        bonus.payout_status = payout.get_status_display() if payout is not None else ""
    if role != "employer":
        bonuses = [b for b in bonuses if b.status == Bonus.Status.FUNDED]
    return {
        "engagement": engagement,
        "role": role,
        "bonuses": bonuses,
        "can_add": role == "employer" and engagement.status in BONUS_STATUSES,
    }


@register.simple_tag
def milestone_payouts(engagement) -> dict:
    """Each milestone's payout by the milestone's id (one query): the workspace's table."""
    return {
        payout.milestone_id: payout
        for payout in Payout.objects.filter(engagement=engagement, kind=Payout.Kind.MILESTONE)
    }
