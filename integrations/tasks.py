"""Celery tasks for integrations: each takes ids and calls a service; all are safe to repeat."""

from celery import shared_task

from integrations import webhooks
from marketplace.task_policies import RECEIVER, SWEEP


@shared_task(name="integrations.record_webhook_event", **RECEIVER)
def record_webhook_event(event_type: str, object_id: int) -> int:
    return webhooks.event_record(event_type=event_type, object_id=object_id)


@shared_task(name="integrations.deliver_webhook", bind=True, max_retries=None)
def deliver_webhook(self, delivery_id: int) -> None:
    """One attempt; when it fails, Celery tries again after the delivery's backoff. The
    delivery row holds the schedule too, so a lost retry is found by the sweep below."""
    retry_in = webhooks.delivery_attempt(delivery_id=delivery_id)
    # Run in place (tasks always eager, as in the tests and the demo seeding) there is no
    # worker to wait: the sweep sends it when it is due.
    if retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=retry_in.total_seconds())


@shared_task(name="integrations.retry_webhook_deliveries", **SWEEP)
def retry_webhook_deliveries() -> int:
    """Periodic: deliveries due again whose task was lost."""
    return webhooks.deliveries_retry_due()
