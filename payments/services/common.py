"""What the money services share: the gateway in use, the engagement's lock, who pays."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied

from accounts.access import is_member
from accounts.models import Role, User
from engagements import lifecycle
from engagements.models import Engagement
from payments import gateways

RETRY_DELAYS_MINUTES = [5, 15, 60, 180, 720, 1440]


def retry_delay(attempts: int) -> timedelta:
    """How long to wait before the next try after `attempts` tries."""
    return timedelta(
        minutes=RETRY_DELAYS_MINUTES[min(max(attempts, 1), len(RETRY_DELAYS_MINUTES)) - 1]
    )


def gateway_name() -> str:
    return gateways.get_gateway().name


def lock_engagement(engagement_id: int) -> Engagement:
    return lifecycle.lock(engagement_id)


def require_employer(actor: User, engagement: Engagement) -> None:
    if actor.role != Role.EMPLOYER or getattr(actor, "employer_profile", None) is None:
        raise PermissionDenied("Only the employer pays for an engagement.")
    if not is_member(actor, engagement.organization_id):
        raise PermissionDenied("This engagement belongs to another organization.")
