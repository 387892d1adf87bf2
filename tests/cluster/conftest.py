"""The running cluster, shared by every test of the run and stopped whatever happens."""

import json
import os
import time

import pytest

from tests.cluster.harness import Cluster

BASE_PORT = int(os.environ.get("CLUSTER_BASE_PORT", "8700"))


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    started = time.monotonic()
    running = Cluster(
        tmp_path_factory.mktemp("cluster"),
        base_port=BASE_PORT,
        # Sweeps often enough for a test to see them; a task a dead worker held goes back to
        # the queue after this many seconds (CELERY_VISIBILITY_TIMEOUT).
        REMINDER_SWEEP_SECONDS=5,
        RECOVERY_SWEEP_SECONDS=5,
        CELERY_VISIBILITY_TIMEOUT=15,
        # Work handed to a task that is not done after this long is done by its sweep.
        TASK_RECOVERY_SECONDS=10,
        # A message being sent when its worker died is taken again after OUTBOX_CLAIM_SECONDS;
        # each step with the mail server may take EMAIL_TIMEOUT (at most a tenth of it).
        EMAIL_TIMEOUT=3,
        OUTBOX_CLAIM_SECONDS=30,
    )
    try:
        running.start()
        print(f"\ncluster up in {time.monotonic() - started:.1f} s: {running.timings}")
        yield running
    except BaseException:
        print(running.logs_text())
        raise
    finally:
        running.stop()


@pytest.fixture(scope="session")
def world(cluster):
    code = "from tests.cluster.seed import main; main('journey')"
    return json.loads(cluster.python(code).strip().splitlines()[-1])
