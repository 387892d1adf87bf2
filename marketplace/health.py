"""Liveness and readiness, for load balancers and orchestrators.

- GET /health/live/: the process answers (no dependency is asked). A failing liveness
  probe means: restart this process.
- GET /health/ready/: django-health-check asks the database, the cache, the broker (when
  it is Redis) and the upload storage. A failing readiness probe means: send no traffic
  here for now; it recovers by itself once the dependency is back (no restart needed).

Both answer JSON with `?format=json` or `Accept: application/json`, and are exempt from
the HTTPS redirect so that a probe over plain HTTP inside the network works.
"""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from health_check.checks import Cache, Database, Storage
from health_check.views import HealthCheckView


@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "live"})


def _broker_client():
    from redis.asyncio import Redis

    return Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_connect_timeout=settings.REDIS_TIMEOUT_SECONDS,
        socket_timeout=settings.REDIS_TIMEOUT_SECONDS,
    )


class ReadinessView(HealthCheckView):
    def get_checks(self):
        checks = [Database(), Cache(), Storage()]
        if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
            from health_check.contrib.redis import Redis

            checks.append(Redis(client_factory=_broker_client))
        return checks


ready = ReadinessView.as_view()
