"""Prometheus metrics: django-prometheus's request, response and exception figures, plus
the product's own gauges read from the database and the broker at each scrape.

Each app adds its gauges here (`register_gauge`, called from its AppConfig.ready), so this
module knows no app above it. A gauge that cannot be read right now (the database or the
broker away) is left out of that scrape and counted in `marketplace_metric_read_errors`
rather than failing the whole answer: the other figures still arrive.

The endpoint, GET /metrics, answers only a scraper that sends `Authorization: Bearer
<METRICS_TOKEN>`; without a token configured it does not exist (404). With several gunicorn
processes, PROMETHEUS_MULTIPROC_DIR makes their request counters add up (see README).
"""

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu.exceptions import ChannelError
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

Samples = Iterable[tuple[dict[str, str], float]]


@dataclass(frozen=True)
class Gauge:
    name: str
    documentation: str
    read: Callable[[], Samples]
    labels: tuple[str, ...] = ()


_gauges: dict[str, Gauge] = {}


def register_gauge(
    name: str, documentation: str, read: Callable[[], Samples], labels: tuple[str, ...] = ()
) -> None:
    """Add a gauge: `read()` returns (labels, value) pairs; called at every scrape."""
    _gauges[name] = Gauge(name, documentation, read, labels)


class ProductCollector:
    def collect(self):
        errors = GaugeMetricFamily(
            "marketplace_metric_read_errors",
            "Gauges that could not be read in this scrape (their source is unreachable).",
            labels=["gauge"],
        )
        for gauge in _gauges.values():
            family = GaugeMetricFamily(gauge.name, gauge.documentation, labels=list(gauge.labels))
            try:
                for labels, value in gauge.read():
                    family.add_metric([labels[name] for name in gauge.labels], value)
            except Exception:
                logger.warning("Could not read the gauge %s.", gauge.name, exc_info=True)
                errors.add_metric([gauge.name], 1)
                continue
            yield family
        yield errors


def exposition() -> bytes:
    """The text a scraper reads: request figures of every process, then the product's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        requests_registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests_registry)
    else:
        requests_registry = REGISTRY
    product = CollectorRegistry(auto_describe=False)
    product.register(ProductCollector())
    return generate_latest(requests_registry) + generate_latest(product)


@never_cache
@require_GET
def metrics_view(request):
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    sent = request.headers.get("Authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        response = HttpResponse("A bearer token is required.", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


# --- Gauges of the platform itself ------------------------------------------------------


def sweep_finished(name: str) -> None:
    """Remembered in the shared cache, so that every node reports the same lag."""
    cache.set(f"sweep-finished:{name}", time.time(), None)


def _sweep_lag() -> Samples:
    from marketplace.celery import REMINDER_SWEEPS

    now = time.time()
    finished = cache.get_many([f"sweep-finished:{name}" for name in REMINDER_SWEEPS])
    for name in REMINDER_SWEEPS:
        when = finished.get(f"sweep-finished:{name}")
        if when is not None:
            yield {"sweep": name}, now - when


def _queue_depth() -> Samples:
    from marketplace.celery import app

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    with app.connection_for_read() as connection, connection.channel() as channel:
        try:
            _name, messages, _consumers = channel.queue_declare(queue=queue, passive=True)
        except ChannelError as error:
            # The broker has never seen the queue (no worker has started, nothing was
            # queued since Redis started): nothing waits in it.
            if not str(getattr(error, "reply_text", "")).startswith("NOT_FOUND"):
                raise
            messages = 0
    yield {"queue": queue}, messages


register_gauge(
    "marketplace_reminder_sweep_lag_seconds",
    "Seconds since each reminder sweep last finished.",
    _sweep_lag,
    labels=("sweep",),
)
register_gauge(
    "marketplace_queue_depth",
    "Tasks waiting in the broker's queue.",
    _queue_depth,
    labels=("queue",),
)
