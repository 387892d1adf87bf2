"""Payments' parts of the workspace: where the student's payout stands."""

from django import template

from payments.models import Payout

register = template.Library()


@register.inclusion_tag("payments/_payout_status.html", takes_context=True)
def workspace_payout(context, settled=False):
    engagement = context["engagement"]
    return {
        "payout": Payout.objects.filter(engagement=engagement, kind=Payout.Kind.FEE).first(),
        "role": context["role"],
        "settled": settled,
    }
