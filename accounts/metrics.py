"""The email outbox's gauge for Prometheus (registered in AccountsConfig.ready)."""

from django.db.models import Count

from accounts.models import OutboundEmail
from marketplace.metrics import register_gauge

UNSENT = (OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING, OutboundEmail.Status.FAILED)


def _outbox():
    counts = dict(
        OutboundEmail.objects.filter(status__in=UNSENT)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for status in UNSENT:
        yield {"status": str(status)}, counts.get(status, 0)


def register() -> None:
    register_gauge(
        "accounts_outbox_unsent",
        "Emails not sent yet, by state (failed ones were given up on).",
        _outbox,
        labels=("status",),
    )
