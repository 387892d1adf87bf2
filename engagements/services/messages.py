"""The thread between the student and the employer.

Every message is screened (`engagements.screening`). An employer's message that looks like
a scam is held: the student reads a warning first and the message is delivered (shown in
the thread) once they confirm; the employer sees it waiting. A student whose own message
matches is warned before it is sent and sends it by confirming. Every held message becomes
a report filed by the platform in the admins' report queue (`safety`, through the
`message_held` signal), marked when the student confirms it (`message_released`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit
from accounts.models import User
from accounts.notifications import notify
from accounts.selectors import organization_employers
from engagements import lifecycle, screening
from engagements.lifecycle import By
from engagements.models import Engagement, Message
from engagements.services.common import require_side, workspace_url
from engagements.signals import message_held, message_released
from marketplace.domain_events import send_after_commit

MESSAGE_MAX = 5000


@transaction.atomic(durable=True)
def message_post(
    *, actor: User, engagement: Engagement, body: str, confirmed: bool = False
) -> Message:
    engagement = lifecycle.lock(engagement)
    side = require_side(actor, engagement, "write in this thread")
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write a message first."})
    if len(body) > MESSAGE_MAX:
        raise ValidationError({"body": f"At most {MESSAGE_MAX:,} characters."})
    matched = screening.screen(body)
    if side == By.STUDENT and matched and not confirmed:
        raise ValidationError(
            {
                "body": ValidationError(
                    "This message "
                    + "; it ".join(rule.warning for rule in matched)
                    + ". Tick “Send it anyway” to send it as it is.",
                    code="screened",
                )
            }
        )
    held = side == By.EMPLOYER and bool(matched)
    message = Message.objects.create(
        engagement=engagement,
        author=actor,
        body=body,
        held_at=timezone.now() if held else None,
        held_for=",".join(rule.name for rule in matched) if held else "",
    )
    if held:
        audit(
            actor=None,
            action="message.held",
            target=message,
            summary=f"A message from {actor.email} was held for the student's confirmation",
            data={"rules": message.held_for},
        )
        # The report queue counts it: safety files a report by the platform (safety.services).
        send_after_commit(message_held, sender=Message, message_id=message.pk)
        notify(
            recipients=[engagement.student],
            kind="engagement.message_held",
            key=f"message-{message.pk}",
            message=f"A message on “{engagement.project.title}” needs your attention before "
            "you read it",
            url=workspace_url(engagement, "#messages"),
        )
        return message
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


@transaction.atomic(durable=True)
def message_release(*, actor: User, message: Message) -> Message:
    """The student read the warning and confirms: the held message is delivered."""
    engagement = lifecycle.lock(message.engagement)
    if actor.pk != engagement.student_id:
        raise PermissionDenied("Only the student releases a message held for them.")
    message = Message.objects.select_for_update().get(pk=message.pk, engagement=engagement)
    if message.held_at is None:
        raise ValidationError("This message was not held.")
    if message.released_at is not None:
        return message
    message.released_at = timezone.now()
    message.save(update_fields=["released_at"])
    audit(
        actor=actor,
        action="message.released",
        target=message,
        summary=f"{actor.email} read the warning and opened a held message",
        data={"rules": message.held_for},
    )
    send_after_commit(message_released, sender=Message, message_id=message.pk)
    return message
