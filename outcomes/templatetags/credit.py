"""Academic credit's parts of other pages: the status badge, the approved credit on a
student's record, and career services' dashboard card."""

from django import template

from outcomes.credit.models import CreditRequest, CreditStatus
from outcomes.credit.selectors import approved_credit_of

register = template.Library()

# One colour per status, wherever a request is shown.
STATUS_CLASSES = {
    CreditStatus.SUBMITTED: "text-bg-primary",
    CreditStatus.WITH_FACULTY: "text-bg-info",
    CreditStatus.APPROVED: "text-bg-success",
    CreditStatus.RETURNED: "text-bg-warning",
    CreditStatus.WITHDRAWN: "text-bg-secondary",
}


@register.inclusion_tag("outcomes/credit/_badge.html")
def credit_badge(credit: CreditRequest):
    return {"credit": credit, "css": STATUS_CLASSES.get(credit.status, "text-bg-secondary")}


@register.inclusion_tag("outcomes/credit/_on_record.html")
def credit_on_record(engagement, may_edit=False):
    """The credit the school approved for this engagement (one query), or, for its student,
    a link to ask for it."""
    return {
        "credit": approved_credit_of(engagement.pk),
        "engagement": engagement,
        "may_edit": may_edit,
    }


@register.inclusion_tag("outcomes/credit/_staff_card.html")
def credit_staff_card(school_id):
    waiting = CreditRequest.objects.filter(
        school_id=school_id, status=CreditStatus.SUBMITTED
    ).count()
    return {"waiting": waiting}
