"""Server time and queries of career services' oversight pages in the admin, for a member
of a big school's career staff, on a large dedicated database.

Run on purpose, never by the test suite (see bench/README.md):

    DEBUG=true .venv/bin/python bench/oversight.py [--big 10000] [--others 100000]
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/marketplace_bench_oversight \\
        .venv/bin/python bench/oversight.py

The database must be a benchmark database: its name has to contain "bench".
Without DATABASE_URL the script uses var/bench_oversight.sqlite3, never the
development database. It is loaded once (one school with --big engagements,
other schools with --others engagements in all, by bench/sweeps.py's loader)
and kept for later runs; --fresh starts again from an empty database. Then
each page is requested --requests times through Django's test client, logged
in as a career staff member of the big school (and once as a platform admin
for every school's figures).
"""

import argparse
import hashlib
import os
import statistics
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from unittest import mock

# Run as a file (python bench/oversight.py): this folder is on sys.path. browse.py holds the
# Django set-up and the database checks, sweeps.py the loader of engagements.
import browse
import sweeps

DEFAULT_SQLITE = browse.REPO / "var" / "bench_oversight.sqlite3"
BIG_SCHOOL = "Oversight Bench University"
ADMIN_EMAIL = "platform-admin@bench.test"
CODE_FILES = ["oversight/dashboard.py", "oversight/integrity.py", "oversight/admin/engagements.py"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Load a benchmark database and time the school dashboard and the "
        "engagements list of the admin site for a big school's career staff."
    )
    parser.add_argument(
        "--big", type=int, default=10_000, help="engagements of the big school (default 10000)"
    )
    parser.add_argument(
        "--others",
        type=int,
        default=100_000,
        help="engagements of the other schools, in all (default 100000)",
    )
    parser.add_argument(
        "--requests", type=int, default=20, help="timed requests per page (default 20)"
    )
    parser.add_argument(
        "--warmup", type=int, default=2, help="untimed requests per page first (default 2)"
    )
    parser.add_argument(
        "--only", default="", help="comma-separated scenario keys, e.g. 'a,d' (default: all)"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="drop the benchmark database and load it again"
    )
    parser.add_argument(
        "--keep-debug", action="store_true", help="time with DEBUG on (query log, template debug)"
    )
    parser.add_argument("--batch", type=int, default=5000, help="engagements per bulk insert")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the loader")
    return parser.parse_args()


# --- Loading ---------------------------------------------------------------------------------


class Loader(sweeps.Loader):
    """sweeps.py's loader, with two differences: a load can put every student in one new
    school (the big one), and the notifications already sent are not loaded (no oversight
    page reads them; they are most of the rows and of the loading time)."""

    def __init__(self, seed: int, batch: int, one_school: bool):
        super().__init__(seed, batch)
        self.one_school = one_school

    def _schools(self, rng, count: int) -> list[int]:
        from accounts.models import School

        if not self.one_school:
            return super()._schools(rng, count)
        return [School.objects.create(name=BIG_SCHOOL, short_name="OBU").pk]

    def _save(self, pending: list[tuple]) -> None:
        from accounts.models import Notification

        with mock.patch.object(Notification.objects, "bulk_create", lambda rows, **kw: rows):
            super()._save(pending)


def load(big: int, others: int, batch: int, seed: int) -> None:
    from django.db.models import F
    from django.utils import timezone

    from accounts.models import School
    from engagements.models import Engagement

    if School.objects.filter(name=BIG_SCHOOL).exists():
        print("The data is already loaded (use --fresh to load it again).")
        return
    started = time.perf_counter()
    Loader(seed, batch, one_school=True).load(big)
    Loader(seed + 1, batch, one_school=False).load(others)
    # The sweeps' loader leaves no finished or abandoned work: pay the approvals older than
    # a week and cancel what is more than two days overdue, so that every figure has data.
    now = timezone.now()
    paid = Engagement.objects.filter(
        status="approved", approved_at__lt=now - timedelta(days=7)
    ).update(status="paid", paid_at=F("approved_at") + timedelta(days=1))
    cancelled = Engagement.objects.filter(
        status="active", due_at__lt=now - timedelta(hours=48)
    ).update(status="cancelled", cancelled_at=now)
    print(
        f"Marked {paid:,} approved engagements paid and {cancelled:,} overdue ones cancelled; "
        f"loading took {time.perf_counter() - started:.1f} s in all"
    )


def users():
    """A career staff member of the big school (in the career staff group, as the services
    make them) and a platform admin."""
    from accounts.models import CareerStaffProfile, Role, User
    from accounts.services import career_staff_group

    staff = (
        CareerStaffProfile.objects.filter(school__name=BIG_SCHOOL)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )
    staff.groups.add(career_staff_group())
    admin, _ = User.objects.get_or_create(
        email=ADMIN_EMAIL,
        defaults={
            "first_name": "Platform",
            "last_name": "Admin",
            "role": Role.PLATFORM_ADMIN,
            "is_staff": True,
            "is_superuser": True,
        },
    )
    return staff, admin


# --- Timing ----------------------------------------------------------------------------------


@dataclass
class Scenario:
    key: str
    label: str
    url: str
    as_admin: bool = False


def scenarios() -> list[Scenario]:
    from django.utils import timezone

    from marketplace.terms import term_for

    term = term_for(timezone.localdate()).slug
    return [
        Scenario("a", "engagements list", "/admin/engagements/engagement/"),
        Scenario("b", "engagements, flagged", "/admin/engagements/engagement/?flagged=yes"),
        Scenario("c", "engagements, overdue", "/admin/engagements/engagement/?due=overdue"),
        Scenario("d", "engagements, this term", f"/admin/engagements/engagement/?term={term}"),
        Scenario("e", "school dashboard", "/admin/school-dashboard/"),
        Scenario("f", "school dashboard CSV", "/admin/school-dashboard/?format=csv"),
        Scenario("g", "dashboard, all schools", "/admin/school-dashboard/", as_admin=True),
    ]


@dataclass
class Result:
    scenario: Scenario
    status: int
    timings_ms: list[float]
    sql_ms: list[float]
    queries: int
    slowest: tuple[float, str] = (0.0, "")


@contextmanager
def timed_queries(into: list[float]):
    from django.db import connection

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            into.append((time.perf_counter() - started) * 1000)

    with connection.execute_wrapper(wrapper):
        yield


def run(client, scenario: Scenario, requests: int, warmup: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get(scenario.url)
    if first.status_code != 200:
        # A filter that does not exist (yet) redirects with ?e=1; a page staff may not open
        # answers 403: reported, not timed.
        return Result(scenario, first.status_code, [], [], 0)
    for _ in range(warmup):
        client.get(scenario.url)
    timings, sql = [], []
    for _ in range(requests):
        spent: list[float] = []
        with timed_queries(spent):
            started = time.perf_counter()
            response = client.get(scenario.url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (scenario.url, response.status_code)
        sql.append(sum(spent))
    with CaptureQueriesContext(connection) as captured:
        client.get(scenario.url)
    slowest = max(
        ((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries),
        default=(0.0, ""),
    )
    return Result(scenario, 200, timings, sql, len(captured.captured_queries), slowest)


def facts(staff) -> list[str]:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import School
    from engagements.models import Engagement
    from feedback.models import FeedbackSession
    from marketplace.terms import term_for
    from oversight.dashboard import school_figures
    from projects.models import Application

    version, name = browse.database_version()
    school = staff.career_staff_profile.school
    term = term_for(timezone.localdate())
    figures = school_figures(school.pk, term)
    return [
        f"database: {connection.vendor} ({version}), {name}",
        "code: "
        + ", ".join(
            f"{path} {hashlib.sha256((browse.REPO / path).read_bytes()).hexdigest()[:8]}"
            for path in CODE_FILES
        ),
        f"rows: {Engagement.objects.count():,} engagements in {School.objects.count()} schools, "
        f"{Application.objects.count():,} applications, "
        f"{FeedbackSession.objects.count():,} feedback sessions",
        f"big school: {school.name}, {Engagement.objects.filter(school=school).count():,} "
        f"engagements; {figures['engagements_accepted']:,} accepted in {term.label} "
        f"({figures['engagements_completed']:,} completed, "
        f"{figures['students_applied']:,} students applied, "
        f"{figures['sessions_due']:,} sessions due)",
        f"logged in as {staff.email} (career staff of the big school); g: as a platform admin",
    ]


def print_table(results: list[Result], lines: list[str], requests: int, debug: bool, load):
    print()
    for line in lines:
        print(line)
    print(
        f"requests: {requests} timed per page after warm-up; DEBUG during timing: "
        f"{'on' if debug else 'off'}; {os.cpu_count()} CPUs, 1-minute load average "
        f"{load:.2f} before timing, {os.getloadavg()[0]:.2f} after"
    )
    print()
    header = (
        f"{'':2} {'page':<24} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'SQL ms':>8} "
        f"{'queries':>8} {'slowest query ms':>17}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        if r.status != 200:
            print(f"{r.scenario.key:2} {r.scenario.label:<24} {r.status:>6}  (not timed)")
            continue
        print(
            f"{r.scenario.key:2} {r.scenario.label:<24} {r.status:>6} "
            f"{statistics.median(r.timings_ms):>8.1f} "
            f"{browse.percentile(r.timings_ms, 95):>8.1f} {statistics.median(r.sql_ms):>8.1f} "
            f"{r.queries:>8} {r.slowest[0]:>17.1f}"
        )
    print()
    for r in results:
        print(f"  {r.scenario.key}: {r.scenario.url}")
    print("SQL ms: median time a request waits for its queries, all added up.")
    print("slowest query ms: the slowest query of one more request, counted with its queries.")


def main() -> None:
    args = parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}")
    browse.setup_django()

    from django.conf import settings
    from django.test import Client

    browse.prepare_database(args.fresh)
    load(args.big, args.others, args.batch, args.seed)
    browse.analyze()
    staff, admin = users()

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    debug = bool(settings.DEBUG and args.keep_debug)
    if not args.keep_debug:
        settings.DEBUG = False  # as in production: no query log, no template debug

    wanted = {k.strip() for k in args.only.split(",") if k.strip()}
    staff_client, admin_client = Client(), Client()
    staff_client.force_login(staff)
    admin_client.force_login(admin)
    load_before = os.getloadavg()[0]
    results = []
    for scenario in scenarios():
        if wanted and scenario.key not in wanted:
            continue
        print(f"Timing {scenario.key}: {scenario.label} …", flush=True)
        client = admin_client if scenario.as_admin else staff_client
        results.append(run(client, scenario, args.requests, args.warmup))
    print_table(results, facts(staff), args.requests, debug, load_before)


if __name__ == "__main__":
    sys.exit(main())
