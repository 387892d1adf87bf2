"""Other apps' signals, turned into webhook events: each receiver only queues a task."""

from django.dispatch import receiver

from engagements.signals import engagement_approved, engagement_funded, engagement_overdue
from feedback.signals import student_evaluation_submitted
from integrations.models import WebhookEvent
from integrations.tasks import record_webhook_event
from oversight.signals import flag_raised
from projects.signals import application_submitted


def _record(event_type: str, object_id: int) -> None:
    record_webhook_event.delay(str(event_type), object_id)


@receiver(application_submitted, dispatch_uid="integrations.application_received")
def _application_received(sender, application_id, **kwargs):
    _record(WebhookEvent.APPLICATION_RECEIVED, application_id)


@receiver(engagement_funded, dispatch_uid="integrations.engagement_funded")
def _engagement_funded(sender, engagement_id, **kwargs):
    _record(WebhookEvent.ENGAGEMENT_FUNDED, engagement_id)


@receiver(engagement_approved, dispatch_uid="integrations.engagement_approved")
def _engagement_approved(sender, engagement_id, **kwargs):
    _record(WebhookEvent.ENGAGEMENT_APPROVED, engagement_id)


@receiver(engagement_overdue, dispatch_uid="integrations.engagement_overdue")
def _engagement_overdue(sender, engagement_id, **kwargs):
    _record(WebhookEvent.ENGAGEMENT_OVERDUE, engagement_id)


@receiver(flag_raised, dispatch_uid="integrations.flag_raised")
def _flag_raised(sender, flag_id, **kwargs):
    _record(WebhookEvent.FLAG_RAISED, flag_id)


@receiver(student_evaluation_submitted, dispatch_uid="integrations.evaluation_submitted")
def _evaluation_submitted(sender, engagement_id, **kwargs):
    _record(WebhookEvent.EVALUATION_SUBMITTED, engagement_id)
