"""The engagement's life cycle: every status change is a row of this table.

```mermaid
stateDiagram-v2
    [*] --> awaiting_funding: employer accepts an applicant
    awaiting_funding --> active: payment confirmed (platform)
    active --> submitted: student hands in the work
    revision_requested --> submitted: student hands in again
    submitted --> revision_requested: employer asks for changes
    submitted --> approved: employer approves, or the platform after a silence
    submitted --> active: a milestone approved, more to go (employer, or the platform)
    approved --> paid: payout sent (platform)
    awaiting_funding --> cancelled: either side, before any hours
    active --> cancelled: either side, before any hours
    submitted --> cancelled: either side, before any hours
    revision_requested --> cancelled: either side, before any hours
    active --> disputed: either side, after hours were logged
    submitted --> disputed: either side, after hours were logged
    revision_requested --> disputed: either side, after hours were logged
    disputed --> cancelled: platform admin settles with a split
```

`transition()` is the only code that writes `Engagement.status`. It runs inside the
caller's transaction on a row the caller locked (`lock()`), refuses a move the table does
not allow or that the actor may not make, does nothing when the engagement is already in
the target status, and stamps the time the table names. The database checks the same
pairing of status and timestamps (see the model's constraints), so a row can never say
"approved" without saying when.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from engagements.models import (
    LIVE_ENGAGEMENT_STATUSES,
    WORKING_STATUSES,
    Engagement,
    EngagementStatus,
)

S = EngagementStatus


class By:
    """Who makes a move: one side of the engagement, a platform admin, or the platform."""

    STUDENT = "student"
    EMPLOYER = "employer"
    PLATFORM_ADMIN = "platform_admin"
    SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    by: frozenset[str]
    stamp: str | None
    label: str


def _t(sources, target, by, stamp, label) -> Transition:
    return Transition(frozenset(sources), target, frozenset(by), stamp, label)


SIDES = (By.STUDENT, By.EMPLOYER)

TRANSITIONS: tuple[Transition, ...] = (
    _t([S.AWAITING_FUNDING], S.ACTIVE, [By.SYSTEM], "funded_at", "funded"),
    _t([S.ACTIVE, S.REVISION_REQUESTED], S.SUBMITTED, [By.STUDENT], "submitted_at", "submitted"),
    _t([S.SUBMITTED], S.REVISION_REQUESTED, [By.EMPLOYER], None, "revision requested"),
    _t([S.SUBMITTED], S.APPROVED, [By.EMPLOYER, By.SYSTEM], "approved_at", "approved"),
    # On a milestone engagement, approving a milestone that is not the last one.
    _t([S.SUBMITTED], S.ACTIVE, [By.EMPLOYER, By.SYSTEM], None, "milestone approved"),
    _t([S.APPROVED], S.PAID, [By.SYSTEM], "paid_at", "paid"),
    _t(LIVE_ENGAGEMENT_STATUSES, S.CANCELLED, SIDES, "cancelled_at", "cancelled"),
    _t(WORKING_STATUSES, S.DISPUTED, SIDES, "disputed_at", "disputed"),
    _t([S.DISPUTED], S.CANCELLED, [By.PLATFORM_ADMIN], "cancelled_at", "settled"),
)


def find(source: str, target: str, by: str) -> Transition | None:
    """The row allowing `by` to move an engagement from `source` to `target`, if any."""
    for row in TRANSITIONS:
        if source in row.sources and row.target == target and by in row.by:
            return row
    return None


def can(engagement: Engagement, target: str, by: str) -> bool:
    return find(engagement.status, target, by) is not None


def lock(engagement_or_id, *related: str) -> Engagement:
    """The engagement's row, locked until the current transaction ends."""
    pk = getattr(engagement_or_id, "pk", engagement_or_id)
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("project", "student", "organization", *related)
        .get(pk=pk)
    )


def transition(
    engagement: Engagement,
    *,
    to: str,
    by: str,
    at: datetime | None = None,
    also: tuple[str, ...] = (),
    refusal: str = "",
) -> bool:
    """Move a locked engagement to `to`; False when it was already there.

    `also` names other fields the caller changed on the instance, saved with the status.
    `refusal` is what the user reads when the table does not allow the move.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("An engagement changes status only inside a transaction.")
    if engagement.status == to:
        return False
    row = find(engagement.status, to, by)
    if row is None:
        if any(engagement.status in r.sources and r.target == to for r in TRANSITIONS):
            raise PermissionDenied(refusal or "You may not make this change.")
        raise ValidationError(
            refusal
            or f"An engagement that is {engagement.get_status_display().lower()} cannot become "
            f"{S(to).label.lower()}."
        )
    engagement.status = to
    fields = ["status", *also]
    if row.stamp:
        setattr(engagement, row.stamp, at or timezone.now())
        fields.append(row.stamp)
    engagement.save(update_fields=list(dict.fromkeys(fields)))
    return True
