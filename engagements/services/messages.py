"""The thread between the student and the employer."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.notifications import notify
from accounts.selectors import organization_employers
from engagements import lifecycle
from engagements.lifecycle import By
from engagements.models import Engagement, Message
from engagements.services.common import require_side, workspace_url

MESSAGE_MAX = 5000


@transaction.atomic(durable=True)
def message_post(*, actor: User, engagement: Engagement, body: str) -> Message:
    engagement = lifecycle.lock(engagement)
    side = require_side(actor, engagement, "write in this thread")
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write a message first."})
    if len(body) > MESSAGE_MAX:
        raise ValidationError({"body": f"At most {MESSAGE_MAX:,} characters."})
    message = Message.objects.create(engagement=engagement, author=actor, body=body)
    recipients = (
        organization_employers(engagement.organization_id)
        if side == By.STUDENT
        else [engagement.student]
    )
    notify(
        recipients=recipients,
        kind="engagement.message",
        key=f"message-{message.pk}",
        message=f"New message from {actor.get_full_name()} on “{engagement.project.title}”",
        url=workspace_url(engagement, "#messages"),
    )
    return message
