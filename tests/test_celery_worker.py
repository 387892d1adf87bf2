"""A real Celery worker process delivers a queued email.

With REDIS_URL set (CI) the broker is that Redis; without it, the file broker
that `make run` uses. Either way the task crosses a process boundary.
"""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent
# Never at the same time as another test using Redis (tests/test_outbox_redis.py empties it).
pytestmark = pytest.mark.xdist_group("redis")


@pytest.fixture
def broker(tmp_path):
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url:
        return {"env": {"REDIS_URL": redis_url}, "url": redis_url, "options": {}}
    folder = tmp_path / "broker"
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True)
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
    }
    return {
        "env": {"CELERY_FILE_BROKER_DIR": str(folder)},
        "url": "filesystem://localhost//",
        "options": options,
    }


def test_a_real_worker_delivers_a_queued_email(tmp_path, broker):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    outbox = tmp_path / "mail"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        broker["env"],
        DJANGO_SETTINGS_MODULE="marketplace.settings",
        DEBUG="true",
        VAR_DIR=str(tmp_path / "var"),
        EMAIL_URL="filemail://",
        EMAIL_FILE_PATH=str(outbox),
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "marketplace",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        client = Celery(broker=broker["url"])
        client.conf.broker_transport_options = broker["options"]
        client.send_task(
            "marketplace.send_email",
            args=[
                {
                    "subject": "Your project is funded",
                    "body": "Work can start.",
                    "from_email": "no-reply@example.com",
                    "to": ["student@example.edu"],
                }
            ],
            queue=queue,
        )
        deadline = time.monotonic() + 60
        message = ""
        while time.monotonic() < deadline and "Work can start." not in message:
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.2)
            # The file backend creates the file first and writes it when the message is done.
            message = "".join(f.read_text() for f in outbox.iterdir()) if outbox.exists() else ""
        assert "Subject: Your project is funded" in message
        assert "To: student@example.edu" in message
        assert "Work can start." in message
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_a_task_queued_during_a_request_logs_with_that_request_id(tmp_path, broker):
    from marketplace import request_id

    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        broker["env"],
        DJANGO_SETTINGS_MODULE="marketplace.settings",
        DEBUG="true",
        LOG_FORMAT="json",
        VAR_DIR=str(tmp_path / "var"),
        EMAIL_URL="filemail://",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool=solo"]
        + ["--loglevel=INFO", "-Q", queue, "--without-gossip", "--without-mingle"]
        + ["--without-heartbeat"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        client = Celery(broker=broker["url"])
        client.conf.broker_transport_options = broker["options"]
        token = request_id.current.set("req-0123456789abcdef")
        try:
            client.send_task(
                "marketplace.send_email",
                args=[{"subject": "Hi", "body": "Hello", "to": ["student@example.edu"]}],
                queue=queue,
            )
        finally:
            request_id.current.reset(token)
        deadline = time.monotonic() + 60
        lines: list[dict] = []
        while time.monotonic() < deadline and not any("succeeded" in r["message"] for r in lines):
            assert worker.poll() is None, log.read_text()
            time.sleep(0.2)
            lines = [json.loads(r) for r in log.read_text().splitlines() if r.startswith("{")]
        finished = [r for r in lines if "succeeded" in r["message"]]
        assert finished, log.read_text()
        assert finished[0]["request_id"] == "req-0123456789abcdef"
        assert finished[0]["level"] == "INFO"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
