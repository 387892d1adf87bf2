"""Money's gauges for Prometheus (registered in PaymentsConfig.ready)."""

from django.db.models import Count, Min
from django.utils import timezone

from marketplace.metrics import register_gauge
from payments.models import Payout, WebhookEvent

# Payouts still owed to students, by state; paid and reversed ones are history.
OPEN_PAYOUT_STATES = (
    Payout.Status.WAITING_FOR_ACCOUNT,
    Payout.Status.WAITING_FOR_TAX,
    Payout.Status.PENDING,
    Payout.Status.PROCESSING,
    Payout.Status.FAILED,
)


def _payouts():
    counts = dict(
        Payout.objects.filter(status__in=OPEN_PAYOUT_STATES)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for status in OPEN_PAYOUT_STATES:
        yield {"status": str(status)}, counts.get(status, 0)


def _webhook_backlog():
    # Failed events are retried by the sweep: they are backlog too.
    unfinished = (WebhookEvent.Status.RECEIVED, WebhookEvent.Status.FAILED)
    backlog = WebhookEvent.objects.filter(status__in=unfinished).aggregate(
        n=Count("id"), oldest=Min("received_at")
    )
    yield {"measure": "events"}, backlog["n"]
    oldest = backlog["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest else 0
    yield {"measure": "oldest_seconds"}, age


def register() -> None:
    register_gauge(
        "payments_open_payouts",
        "Payouts not yet paid, by state (failed ones are retried by the sweep).",
        _payouts,
        labels=("status",),
    )
    register_gauge(
        "payments_webhook_backlog",
        "Stripe events not yet handled (or failed, to retry): how many, the oldest one's age.",
        _webhook_backlog,
        labels=("measure",),
    )
