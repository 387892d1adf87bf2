"""Career services' integrity flags: raised and closed on a schedule, and refreshed for an
engagement as soon as its work is over."""

from celery import shared_task

from marketplace.task_policies import RECEIVER, SWEEP
from oversight import integrity


@shared_task(name="oversight.raise_integrity_flags", **SWEEP)
def raise_integrity_flags() -> int:
    """Open the integrity flags career services follow, and close those fixed since."""
    return integrity.raise_automatic_flags()


@shared_task(name="oversight.refresh_flags", **RECEIVER)
def refresh_flags(engagement_id: int) -> int:
    return integrity.raise_automatic_flags(engagement_id=engagement_id)
