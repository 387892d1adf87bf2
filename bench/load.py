"""Load on the two-node setup: locust's students and employers for a bounded time.

Starts the multi-node harness (tests/cluster/harness.py: two gunicorn nodes behind haproxy,
two Celery workers, one beat, a private Redis, the local S3 server, a private PostgreSQL
database), fills it with people and projects, runs bench/locustfile.py headless against
haproxy, prints requests per second, median and 95th percentile per endpoint and the errors,
then stops everything.

    .venv/bin/python bench/load.py [--users 10] [--seconds 60] [--base-port 8720]

Needs haproxy and redis-server (Debian packages) and PostgreSQL at CLUSTER_POSTGRES_URL
(default postgres://postgres@127.0.0.1:5432). Not run by the test suite or CI.
"""

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cluster.harness import Cluster  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--base-port", type=int, default=8720)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="marketplace-load-"))
    # Plain HTTP on the loopback: the session and CSRF cookies are not marked Secure, so that
    # locust's client sends them back (haproxy still tells Django the request was HTTPS).
    cluster = Cluster(
        workdir,
        base_port=args.base_port,
        name="load",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )
    try:
        began = time.monotonic()
        cluster.start()
        print(f"cluster up in {time.monotonic() - began:.0f} s: {cluster.timings}", flush=True)
        world = cluster.python(
            "from tests.cluster import seed; seed.load_world(students=20, employers=4, "
            "projects_each=5)",
            timeout=600,
        )
        world_file = workdir / "world.json"
        world_file.write_text(world.strip().splitlines()[-1])
        stats = workdir / "stats"
        subprocess.run(  # noqa: S603 (our own locust and arguments)
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(max(1, args.users // 5)),
                "--run-time",
                f"{args.seconds}s",
                "--host",
                cluster.url,
                "--csv",
                str(stats),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**cluster.env(), "LOAD_WORLD": str(world_file)},
            check=False,
            timeout=args.seconds + 120,
        )
        report(stats.with_name("stats_stats.csv"), args)
        failures = stats.with_name("stats_failures.csv")
        if failures.exists() and len(failures.read_text().splitlines()) > 1:
            print("\nFailures:\n" + failures.read_text())
    finally:
        cluster.stop()
    return 0


def report(path: Path, args) -> None:
    rows = list(csv.DictReader(path.open()))
    print(f"\n{args.users} users for {args.seconds} s through haproxy to two gunicorn nodes")
    print(f"{'endpoint':48} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        label = f"{row['Type']} {name}".strip() if name != "all" else "all"
        print(
            f"{label[:48]:48} {row['Request Count']:>8} {float(row['Requests/s']):>7.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {row['Failure Count']:>6}"
        )


if __name__ == "__main__":
    sys.exit(main())
