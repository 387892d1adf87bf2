"""A request id on every log line of a request and of the tasks it queued.

The id comes from the load balancer's `X-Request-ID` header when it sends a sane one (so
its logs and ours line up), or is made here; the response carries it back (gunicorn's
access log prints it), every log record gets it as `request_id`, and every Celery task
published while handling the request carries it in its message headers, so the worker's
log lines of that task have the same id.
"""

import logging
import re
import uuid
from contextvars import ContextVar

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

current: ContextVar[str | None] = ContextVar("request_id", default=None)


def _sentry_tag(value: str) -> None:
    import sentry_sdk

    sentry_sdk.set_tag("request_id", value)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get(HEADER, "")
        request_id = sent if _SANE.match(sent) else uuid.uuid4().hex
        request.request_id = request_id
        token = current.set(request_id)
        _sentry_tag(request_id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request or task)."""

    def filter(self, record):
        record.request_id = current.get() or "-"
        return True


@before_task_publish.connect
def _carry_into_task(headers=None, **kwargs):
    request_id = current.get()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


@task_prerun.connect
def _enter_task(task=None, **kwargs):
    request_id = getattr(task.request, "request_id", None) if task else None
    # Eager tasks run inside the request: they keep its id as it is.
    if request_id and not task.request.is_eager:
        task.request._request_id_token = current.set(request_id)
        _sentry_tag(request_id)


@task_postrun.connect
def _leave_task(task=None, **kwargs):
    token = getattr(task.request, "_request_id_token", None) if task else None
    if token is not None:
        current.reset(token)
