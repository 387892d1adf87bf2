"""Celery tasks for money: each takes ids and calls a service; all are safe to repeat."""

from celery import shared_task

from payments import services, webhooks
from payments.gateways import GatewayError


@shared_task(
    name="payments.execute_payout",
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=30,
    max_retries=5,
)
def execute_payout(payout_id: int) -> str:
    return services.payout_execute(payout_id=payout_id).status


@shared_task(name="payments.retry_payouts")
def retry_payouts() -> int:
    """Periodic: payouts whose task was lost, failed ones due again, any stuck mid-way."""
    return services.payouts_retry_due()


@shared_task(name="payments.execute_refund")
def execute_refund(refund_id: int) -> str:
    """A failure is recorded on the refund, and the sweep below tries it again."""
    return services.refund_execute(refund_id=refund_id).status


@shared_task(name="payments.retry_refunds")
def retry_refunds() -> int:
    """Periodic: refunds whose task was lost, that failed and are due again, or that the
    provider still holds as pending."""
    return services.refunds_retry_due()


@shared_task(name="payments.process_webhook_event", max_retries=5, bind=True)
def process_webhook_event(self, event_pk: int) -> str:
    try:
        return webhooks.process(event_pk=event_pk)
    except GatewayError as error:
        if error.temporary:
            raise self.retry(
                exc=error, countdown=min(3600, 60 * 2**self.request.retries)
            ) from error
        raise


@shared_task(name="payments.reprocess_webhook_events")
def reprocess_webhook_events() -> int:
    """Periodic: events whose task was lost, and those that failed (Stripe unreachable,
    say), are handled again."""
    return webhooks.reprocess_failed()
