"""While Redis is away, pages keep working: the cache misses instead of failing, sessions
come from the database (cached_db), and a queued task that cannot be published is left to
its sweep. Redis here is an address where nothing listens."""

import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from tests.factories import PASSWORD
from tests.s3_server import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_away(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "marketplace.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return caches["default"]


def test_the_cache_reads_as_empty_and_writes_are_dropped_while_redis_is_away(redis_away):
    started = time.monotonic()

    redis_away.set("greeting", "hello", 60)

    assert redis_away.get("greeting", "missing") == "missing"
    assert redis_away.get_many(["greeting"]) == {}
    assert redis_away.add("lock", True, 10) is True
    assert redis_away.delete("greeting") is False
    assert time.monotonic() - started < 10


def test_a_student_signs_in_and_sees_the_dashboard_while_redis_is_away(client, student, redis_away):
    response = client.post(reverse("account_login"), {"login": student.email, "password": PASSWORD})
    page = client.get(reverse("dashboard"), follow=True)

    assert response.status_code == 302
    assert page.status_code == 200
    assert page.context["user"] == student
