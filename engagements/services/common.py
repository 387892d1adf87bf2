"""What every engagement service shares: the history, who acts, and the workspace address."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.access import is_member
from accounts.models import Role, User
from engagements.lifecycle import By
from engagements.models import Engagement, EngagementEvent


def workspace_url(engagement: Engagement, anchor: str = "") -> str:
    return reverse("engagements:workspace", kwargs={"pk": engagement.pk}) + anchor


def record_event(
    engagement: Engagement,
    actor: User | None,
    kind: str,
    description: str,
    *,
    at: datetime | None = None,
) -> None:
    """A line of the workspace's history (append-only). `at` is a moment the description
    names as {at} or {day}: the history shows it in each reader's own time zone."""
    EngagementEvent.objects.create(
        engagement=engagement, actor=actor, kind=kind, description=description[:300], at=at
    )


def side_of(actor: User | None, engagement: Engagement) -> str | None:
    """Which side of the engagement the actor is on: By.STUDENT, By.EMPLOYER or None."""
    if actor is None:
        return None
    if actor.role == Role.STUDENT and actor.is_active and actor.pk == engagement.student_id:
        return By.STUDENT
    if is_member(actor, engagement.organization_id):
        return By.EMPLOYER
    return None


def require_student(actor: User, engagement: Engagement) -> None:
    if side_of(actor, engagement) != By.STUDENT:
        raise PermissionDenied("Only the student of this engagement can do this.")


def require_employer(actor: User, engagement: Engagement) -> None:
    if side_of(actor, engagement) != By.EMPLOYER:
        raise PermissionDenied("Only the employer of this engagement can do this.")


def require_side(actor: User, engagement: Engagement, what: str) -> str:
    side = side_of(actor, engagement)
    if side is None:
        raise PermissionDenied(f"Only the student and the employer {what}.")
    return side
