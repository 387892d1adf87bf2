"""Emails survive a broker restart: queued in a real Redis with no worker running, then
Redis loses everything (it keeps nothing on disk); the sweep still sends each message once.

Runs where a Redis server is given (REDIS_URL, as in CI); in the same xdist group as the
other tests that use Redis, since it empties the Redis database it is given.
"""

import os
from datetime import timedelta

import pytest
import redis
import time_machine
from django.core import mail
from django.utils import timezone

from accounts import outbox
from accounts.models import OutboundEmail
from accounts.notifications import notify
from accounts.tasks import send_unsent_emails
from marketplace.celery import app
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("redis")]


@pytest.fixture
def redis_broker(settings):
    """Tasks really go to Redis (not run at once, as elsewhere in the suite)."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("Needs a Redis server (REDIS_URL), as in CI.")
    assert url == settings.CELERY_BROKER_URL
    server = redis.Redis.from_url(url)
    server.flushdb()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield server
    app.conf.task_always_eager = eager
    server.flushdb()


def test_emails_queued_before_redis_restarts_are_each_sent_once_by_the_sweep(
    redis_broker, on_commit, settings
):
    users = [UserFactory() for _ in range(5)]
    with on_commit():
        for n, user in enumerate(users):
            notify(recipients=[user], kind="k", key=f"funded-{n}", message="Work can start")
        outbox.email_enqueue(
            message=mail.EmailMessage(
                "Confirm your address", "Follow the link", "no-reply@example.com", ["new@x.edu"]
            )
        )
    queued = redis_broker.llen(settings.CELERY_TASK_DEFAULT_QUEUE)
    assert queued == 6
    assert mail.outbox == []

    redis_broker.flushdb()  # Redis restarted: every queued task is gone

    later = timezone.now() + timedelta(seconds=settings.TASK_RECOVERY_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert send_unsent_emails() == 6
        assert send_unsent_emails() == 0

    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([u.email for u in users] + ["new@x.edu"])
    assert OutboundEmail.objects.filter(status="sent").count() == 6
