"""Post-completion OPT: the student marks each employer reported in the SEVP portal."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit
from accounts.models import User
from engagements import lifecycle
from engagements.models import Engagement
from engagements.services.common import record_event, require_student


@transaction.atomic
def opt_report_mark(*, actor: User, engagement: Engagement) -> Engagement:
    """The student reported this employer to SEVP. Marked once; a second call changes
    nothing."""
    engagement = lifecycle.lock(engagement)
    require_student(actor, engagement)
    if engagement.funded_at is None:
        raise ValidationError("The work has not started yet: report it once it is funded.")
    if engagement.opt_reported_at is not None:
        return engagement
    engagement.opt_reported_at = timezone.now()
    engagement.save(update_fields=["opt_reported_at"])
    record_event(engagement, actor, "opt_reported", "The student reported this employer to SEVP.")
    audit(
        actor=actor,
        action="engagement.opt_reported",
        target=engagement,
        summary=f"{actor.email} reported engagement {engagement.pk} to SEVP",
    )
    return engagement
