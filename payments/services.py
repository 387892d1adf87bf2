"""Money movements. The rest of the code calls these functions only.

Funding an engagement goes through `engagement_fund`; with no payment
provider configured, the local gateway completes it at once.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import Role, User
from projects.engagements import engagement_mark_funded
from projects.models import Engagement, EngagementStatus


@transaction.atomic
def engagement_fund(*, actor: User, engagement: Engagement) -> Engagement:
    """The employer pays for an accepted engagement; work starts when the money is in."""
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    profile = getattr(actor, "employer_profile", None)
    if actor.role != Role.EMPLOYER or profile is None:
        raise PermissionDenied("Only the employer funds an engagement.")
    if profile.organization_id != engagement.organization_id:
        raise PermissionDenied("This engagement belongs to another organization.")
    if engagement.status != EngagementStatus.AWAITING_FUNDING:
        if engagement.funded_at is not None:
            return engagement
        raise ValidationError(
            f"An engagement that is {engagement.get_status_display().lower()} cannot be funded."
        )
    # Local gateway: no real money moves, the payment succeeds at once.
    return engagement_mark_funded(engagement=engagement)
