"""What an engagement tells the rest of the product, once the change has committed.

Each signal carries `engagement_id`; receivers re-read the engagement. Sent through
`marketplace.domain_events.send_after_commit`, so a receiver never runs inside (and never
undoes) the transaction that moved money or changed the status.
"""

from django.dispatch import Signal

from engagements.models import Engagement
from marketplace.domain_events import send_after_commit

# Work can start: the employer's payment arrived.
engagement_funded = Signal()
# The student handed in work (first time or after a revision request).
engagement_submitted = Signal()
# The work was approved (by the employer, or automatically after a silence).
engagement_approved = Signal()
# The engagement ended without approval: cancelled before any work.
engagement_cancelled = Signal()
# The due date passed with the work not handed in (sent once per engagement by the overdue
# sweep, and again only if a sweep's reminder row was lost; receivers are idempotent).
engagement_overdue = Signal()
# A platform admin settled a dispute: the engagement ends cancelled, with a split.
engagement_settled = Signal()
# Screening held an employer's message for the student's confirmation (`message_id`).
message_held = Signal()
# The student read the warning and confirmed a held message: it was delivered (`message_id`).
message_released = Signal()


def announce(signal: Signal, engagement: Engagement) -> None:
    send_after_commit(signal, sender=Engagement, engagement_id=engagement.pk)
