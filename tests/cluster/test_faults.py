"""Faults on the running cluster: each is brought about the way it happens in production
(a process killed, a server restarted, a network cut), and the cluster recovers by itself."""

import json
import re
import time

import pytest

from tests.cluster.client import Client
from tests.cluster.harness import get

pytestmark = pytest.mark.cluster


def _until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def test_web_nodes_answer_503_while_postgresql_is_away_and_recover_without_a_restart(
    cluster, world
):
    student = Client(cluster.url)
    assert student.login(world["student"], world["password"], node="a").status_code == 302
    workspace = f"/engagements/{world['engagement']}/"
    assert student.get(workspace, node="b").status_code == 200
    pids = {node: cluster.processes[f"web-{node}"].pid for node in "ab"}

    cluster.stop_pg_proxy()
    try:
        for node in "ab":
            page = student.get(workspace, node=node)
            assert page.status_code == 503, (node, page.status_code, page.text[:500])
            assert page.headers["Retry-After"] == "30"
            assert "try again in a minute" in page.text
            assert "Traceback" not in page.text
            status, body = cluster.ready(node)
            assert status == 500
            failing = {name for name, state in json.loads(body).items() if state != "OK"}
            assert any(name.startswith("Database") for name in failing), body
            # The liveness probe needs no database: nobody restarts the node.
            assert get(f"{cluster.node_url(node)}/health/live/")[0] == 200
    finally:
        cluster.start_pg_proxy()

    for node in "ab":
        _until(lambda node=node: cluster.ready(node)[0] == 200, 60, f"node {node} ready")
        page = student.get(workspace, node=node)
        assert page.status_code == 200
        assert "Research project" in page.text
        # The same processes: nothing was restarted.
        assert cluster.processes[f"web-{node}"].pid == pids[node]
        assert cluster.processes[f"web-{node}"].running()


def test_readiness_reports_json_per_dependency(cluster):
    status, body = get(f"{cluster.node_url('a')}/health/ready/?format=json")

    assert status == 200
    report = json.loads(body)
    assert set(report.values()) == {"OK"}
    assert any(name.startswith("Database") for name in report), report
    assert any("Redis" in name for name in report), report


def _seed(cluster, call: str):
    return json.loads(
        cluster.python(f"from tests.cluster import seed; seed.{call}").splitlines()[-1]
    )


TASK_RECEIVED = re.compile(r"accounts\.send_outbound_email\[([0-9a-f-]{36})\] received")


def _holder(cluster) -> str:
    """The worker that received the send task (its log says so)."""
    for name in ("w1", "w2"):
        if TASK_RECEIVED.search(cluster.processes[name].log(tail=200_000)):
            return name
    return ""


def test_a_worker_killed_while_sending_a_reminder_leaves_it_to_the_other_worker_once(
    cluster,
):
    # Earlier tests' mail is out of the way: only this message is watched.
    for name in ("w1", "w2"):
        cluster.processes[name].log_path.write_text("")
    connections_before = len(cluster.smtp_connections())
    # The mail server will hold its greeting: the worker waits in the middle of the task.
    cluster.hold_next_smtp_connection(2.5)
    stored = _seed(cluster, "store_email('fault-kill-worker', 'late-student@example.edu')")

    _until(lambda: len(cluster.smtp_connections()) > connections_before, 60, "SMTP connect")
    holder = _until(lambda: _holder(cluster), 10, "the worker holding the task")
    task_id = TASK_RECEIVED.search(cluster.processes[holder].log(tail=200_000)).group(1)
    cluster.processes[holder].kill()
    killed_at = time.time()
    survivor = "w2" if holder == "w1" else "w1"

    try:
        # The broker gives the unacknowledged task to the survivor (visibility timeout), and
        # the message's claim expires (OUTBOX_CLAIM_SECONDS): it is sent once, by the survivor.
        delivered = _until(
            lambda: [m for m in cluster.smtp_messages() if m["to"] == ["late-student@example.edu"]],
            90,
            "the message sent by the other worker",
        )
        time.sleep(RECOVERY_QUIET_SECONDS)
        delivered = [m for m in cluster.smtp_messages() if m["to"] == ["late-student@example.edu"]]
        assert len(delivered) == 1, delivered
        assert delivered[0]["time"] > killed_at
        survivor_log = cluster.processes[survivor].log(tail=400_000)
        assert f"send_outbound_email[{task_id}] received" in survivor_log, survivor_log[-3000:]
        rows = cluster.sql(
            "SELECT status, attempts FROM accounts_outboundemail WHERE id = %s", [stored["id"]]
        )
        assert rows == [("sent", 2)], rows
    finally:
        cluster.start_worker(holder)


# Long enough for a second sweep to have sent a duplicate, if anything would.
RECOVERY_QUIET_SECONDS = 10


def _deadline_reminders(cluster, emails):
    return _seed(cluster, f"reminders_of({emails!r})")


def _all_sent_once(cluster, emails):
    report = _deadline_reminders(cluster, emails)
    done = all(r["notifications"] == 2 and r["sent"] == 2 for r in report.values())
    return report if done else None


def _assert_each_reminder_delivered_once(cluster, emails):
    """Two reminders stored per student (72 h, 24 h), each delivered exactly once."""
    delivered = [m["message_id"] for m in cluster.smtp_messages()]
    for email, counts in _deadline_reminders(cluster, emails).items():
        ids = counts.pop("message_ids")
        assert counts == {"notifications": 2, "keys": 2, "emails": 2, "sent": 2}, (email, counts)
        assert [delivered.count(i) for i in ids] == [1, 1], (email, ids, delivered)


def test_a_redis_restart_loses_and_doubles_no_reminder(cluster):
    # Two engagements due within a day before the restart, two while Redis is away: each
    # student gets the 72 h and the 24 h reminder, once each.
    before = _seed(cluster, "due_soon('redis-before', 2, 20)")
    cluster.processes["redis"].stop()
    try:
        during = _seed(cluster, "due_soon('redis-during', 2, 20)")
        time.sleep(3)
    finally:
        cluster.start_redis()
    emails = before + during

    _until(lambda: _all_sent_once(cluster, emails), 120, "every reminder sent")
    time.sleep(RECOVERY_QUIET_SECONDS)
    _assert_each_reminder_delivered_once(cluster, emails)
    for node in "ab":
        _until(lambda node=node: cluster.ready(node)[0] == 200, 30, f"node {node} ready")


def test_reminders_due_while_beat_was_stopped_are_sent_by_the_next_sweeps(cluster):
    cluster.processes["beat"].stop()
    try:
        # Due in 23 hours: the 24-hour reminder fell due an hour ago, with nobody to send it.
        emails = _seed(cluster, "due_soon('beat-down', 3, 23)")
        time.sleep(RECOVERY_QUIET_SECONDS)
        waiting = _deadline_reminders(cluster, emails)
        assert all(r["notifications"] == 0 for r in waiting.values()), waiting
    finally:
        cluster.start_beat()

    _until(lambda: _all_sent_once(cluster, emails), 90, "the sweeps catching up")
    time.sleep(RECOVERY_QUIET_SECONDS)
    _assert_each_reminder_delivered_once(cluster, emails)
