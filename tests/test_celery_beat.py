"""Celery beat and a real worker, against Redis and PostgreSQL, send a reminder end to end.

Beat ticks the reminder sweeps (every second here), the worker runs them on
the test database, and the reminder's email lands in a folder. Both processes
need the database and the broker of a real deployment, so this runs where CI
provides them (DATABASE_URL on PostgreSQL and REDIS_URL).
"""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from engagements.models import Engagement
from tests.factories import accepted_engagement

ROOT = Path(__file__).resolve().parent.parent
# Never at the same time as another test using Redis (tests/test_outbox_redis.py empties it).
pytestmark = pytest.mark.xdist_group("redis")


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_beat_and_a_worker_send_a_due_date_reminder(tmp_path):
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("Needs PostgreSQL and Redis that a second process can reach (CI).")
    engagement = accepted_engagement()
    Engagement.objects.filter(pk=engagement.pk).update(due_at=timezone.now() + timedelta(hours=50))
    outbox = tmp_path / "mail"
    queue = f"beat-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings",
        DEBUG="true",
        DATABASE_URL=_database_url(),
        VAR_DIR=str(tmp_path / "var"),
        EMAIL_URL="filemail://",
        EMAIL_FILE_PATH=str(outbox),
        REMINDER_SWEEP_SECONDS="1",
        CELERY_TASK_DEFAULT_QUEUE=queue,
    )
    celery = [sys.executable, "-m", "celery", "-A", "marketplace"]
    log = (tmp_path / "celery.log").open("w")
    processes = [
        subprocess.Popen(
            [
                *celery,
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [*celery, "beat", "--loglevel=INFO", "-s", str(tmp_path / "beat-schedule")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
    ]
    try:
        deadline = time.monotonic() + 90
        text = ""
        while time.monotonic() < deadline and "is due" not in text:
            for process in processes:
                assert process.poll() is None, (tmp_path / "celery.log").read_text()
            time.sleep(0.5)
            if outbox.exists():
                text = "".join(f.read_text() for f in outbox.iterdir())
        assert "is due" in text, (tmp_path / "celery.log").read_text()[-3000:]
        assert f"To: {engagement.student.email}" in text
        assert engagement.project.title in text
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
