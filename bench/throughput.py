"""Requests per second of the product's pages against the floor, under gunicorn and wrk.

Run on purpose, never by the test suite (see bench/README.md):

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/marketplace_bench \\
        REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/throughput.py

The floor (bench/floor/) is the least Django can do for a page of projects: the 20 newest
open projects with their organization, one query, one plain template. It is served by the
same gunicorn processes as the product (bench/floor/settings.py adds its URL beside the
product's), with production settings (DEBUG off), so both pay the same middleware, database
and machine. Each scenario measures the floor, then the page, then the floor again... in one
run, so the ratio holds even when the machine is busy.

The database is bench/browse.py's (same safety rule: its name must contain "bench"); missing
projects are loaded with its loader.
"""

import argparse
import gzip
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browse  # bench/browse.py: the database and its loader

REPO = browse.REPO
STUDENT_EMAIL = "student@throughput.bench.test"
STUDENT_SKILLS = ["excel", "sql", "market-research", "copywriting"]
APPLIED = 6  # applications of the bench student among the newest open projects


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Serve the product and the floor under gunicorn and compare them with wrk."
    )
    parser.add_argument("--projects", type=int, default=100_000, help="projects wanted")
    parser.add_argument("--open-percent", type=float, default=10.0, help="as in browse.py")
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="floor/page pairs per scenario")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8100, help="port on 127.0.0.1")
    parser.add_argument(
        "--only", default="", help="comma-separated scenario keys, e.g. 'a,c' (default: all)"
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="start the workers with WARM_UP=false (no warming at boot), to compare",
    )
    parser.add_argument("--batch", type=int, default=5000, help="rows per bulk insert")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the loader")
    return parser.parse_args()


# --- The data ----------------------------------------------------------------------------


def ensure_student() -> tuple[int, list[int]]:
    """A student with skills, who applied to a few of the newest open projects: the signed-in
    scenarios show "Applied" marks and a best-match order. Returns the user id and the ids
    of the projects applied to."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from accounts.models import (
        AuthorizationStatus,
        Role,
        School,
        Skill,
        StudentProfile,
        User,
        WorkAuthorization,
    )
    from projects.models import SHORTLIST_FIELDS, Application
    from projects.selectors import open_projects

    user = User.objects.filter(email=STUDENT_EMAIL).first()
    if user is None:
        user = User.objects.create(
            email=STUDENT_EMAIL, first_name="Bench", last_name="Student", role=Role.STUDENT
        )
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        school, _ = School.objects.get_or_create(
            short_name="TBU",
            defaults={"name": "Throughput Bench University", "email_domain": "tbu.bench.test"},
        )
        profile = StudentProfile.objects.create(
            user=user,
            school=school,
            major="Economics",
            graduation_year=2028,
            work_authorization=WorkAuthorization.US_AUTHORIZED,
            work_authorization_status=AuthorizationStatus.NOT_REQUIRED,
        )
        profile.skills.set(Skill.objects.filter(slug__in=STUDENT_SKILLS))
    newest = list(
        open_projects().order_by("-published_at", "-pk").values_list("pk", flat=True)[:20]
    )
    wanted = newest[1 : 1 + 3 * APPLIED : 3]
    have = set(Application.objects.filter(student=user).values_list("project_id", flat=True))
    Application.objects.bulk_create(
        Application(
            project_id=pk,
            student=user,
            cover_note="I would love to help with this.",
            confirmed_availability=True,
            consent_at=timezone.now(),
            consent_fields=list(SHORTLIST_FIELDS),
        )
        for pk in wanted
        if pk not in have
    )
    return user.pk, wanted


def session_cookie(user_id: int) -> str:
    """A signed-in session of the user, stored where the server reads it."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_id))
    return client.cookies["sessionid"].value


# --- The server ---------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen
    log: Path
    base: str


def start_server(args, env: dict[str, str]) -> Server:
    log = REPO / "var" / "throughput-gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(REPO / ".venv" / "bin" / "gunicorn"),
        "marketplace.wsgi",
        "--workers",
        str(args.workers),
        "--bind",
        f"127.0.0.1:{args.port}",
        "--error-logfile",
        "-",
    ]
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            sys.exit(f"Port {args.port} is taken; choose another with --port.")
    process = subprocess.Popen(  # noqa: S603 (our own command line)
        command, cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    return Server(process, log, f"http://127.0.0.1:{args.port}")


def wait_for_workers(server: Server, workers: int, cold: bool, timeout: float = 120) -> float:
    """Seconds until every worker has loaded the application and warmed it: the WSGI module
    logs "Warmed up" once a worker is ready. Cold workers say nothing once ready: gunicorn
    logs "Booting worker" as it forks one, then it gets two seconds to import the project."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.process.poll() is not None:
            sys.exit(f"gunicorn stopped; see {server.log}")
        text = server.log.read_text()
        if cold and text.count("Booting worker") >= workers:
            time.sleep(2)
            return time.perf_counter() - started
        if text.count("Warmed up") >= workers:
            return time.perf_counter() - started
        time.sleep(0.1)
    sys.exit(f"The workers did not report ready within {timeout:.0f} s; see {server.log}")


HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "identity"}


def fetch(url: str, cookie: str = "") -> tuple[int, bytes, float]:
    headers = dict(HEADERS)
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    started = time.perf_counter()
    with urllib.request.urlopen(request) as response:  # noqa: S310 (http on loopback only)
        body = response.read()
        status = response.status
    return status, body, (time.perf_counter() - started) * 1000


# --- Measuring ------------------------------------------------------------------------------


@dataclass
class Scenario:
    key: str
    label: str
    path: str
    signed_in: bool = False


@dataclass
class Measure:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass
class Outcome:
    scenario: Scenario
    floor: list[Measure] = field(default_factory=list)
    page: list[Measure] = field(default_factory=list)
    raw_bytes: int = 0
    gzip_bytes: int = 0

    @staticmethod
    def _rate(measures: list[Measure]) -> float:
        return sum(m.requests_per_s for m in measures) / len(measures)

    @property
    def ratio(self) -> float:
        return self._rate(self.page) / self._rate(self.floor)


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(args, url: str, cookie: str) -> Measure:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.seconds}s",
        "--latency",
        "-H",
        "X-Forwarded-Proto: https",
    ]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    output = subprocess.run(  # noqa: S603 (our own command line)
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    if "Latency Distribution" not in output:
        sys.exit(f"wrk printed no latency distribution:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    if socket_errors:
        print(f"    wrk: socket errors {socket_errors.group(1)}")
    return Measure(rate, p50, p99, int(errors.group(1)) if errors else 0)


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    # One key for this process and the server: the session signed here must be valid there.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(48)
    browse.setup_django()
    from django.conf import settings

    browse.prepare_database(fresh=False)
    browse.load_projects(args.projects, args.batch, args.seed, args.open_percent)
    browse.analyze()
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    student_id, applied = ensure_student()
    cookie = session_cookie(student_id)

    from projects.selectors import open_projects

    project_id = open_projects().order_by("-published_at", "-pk").values_list("pk", flat=True)[0]
    scenarios = [
        Scenario("a", "anonymous /projects/", "/projects/"),
        Scenario("b", "student /projects/ (Applied marks)", "/projects/", signed_in=True),
        Scenario("c", "student best match", "/projects/?sort=match", signed_in=True),
        Scenario("d", "project page (anonymous)", f"/projects/{project_id}/"),
        Scenario("e", "home page (anonymous)", "/"),
    ]
    wanted = {k.strip() for k in args.only.split(",") if k.strip()}
    scenarios = [s for s in scenarios if not wanted or s.key in wanted]

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.floor.settings",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{args.port}",
        "SUPPORT_EMAIL": "support@bench.test",
        # The test-mode payment gateway: the bench needs no Stripe keys and moves no money.
        "PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION": "true",
        "PYTHONPATH": str(REPO),
        "WARM_UP": "false" if args.cold else "true",
        "STATIC_ROOT": str(REPO / "var" / "bench-static"),
    }
    if not (REPO / "var" / "bench-static" / "staticfiles.json").is_file():
        # Production serves the collected, hashed static files (WhiteNoise's manifest).
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=REPO,
            env=env,
            check=True,
        )
    server = start_server(args, env)
    try:
        boot = wait_for_workers(server, args.workers, args.cold)
        print(f"gunicorn: {args.workers} sync workers ready {boot:.1f} s after start")
        first = []
        for scenario in scenarios:
            status, _, ms = fetch(server.base + scenario.path, cookie if scenario.signed_in else "")
            first.append((scenario, status, ms))
        print("First request of each page after the workers started:")
        for scenario, status, ms in first:
            print(f"  {scenario.key} {scenario.label:<38} {status}  {ms:7.1f} ms")
        floor_url = server.base + "/floor/"
        outcomes = []
        load_before = os.getloadavg()
        for scenario in scenarios:
            outcome = Outcome(scenario)
            the_cookie = cookie if scenario.signed_in else ""
            status, body, _ = fetch(server.base + scenario.path, the_cookie)
            assert status == 200, (scenario.path, status)
            if scenario.signed_in:
                assert b"Log out" in body, "the session cookie was not accepted"
            if scenario.key == "b":
                assert body.count(b">Applied</span>") == len(applied), "Applied marks missing"
            outcome.raw_bytes, outcome.gzip_bytes = len(body), len(gzip.compress(body))
            print(f"Measuring {scenario.key}: {scenario.label} …", flush=True)
            for _ in range(args.rounds):
                outcome.floor.append(run_wrk(args, floor_url, the_cookie))
                outcome.page.append(run_wrk(args, server.base + scenario.path, the_cookie))
            outcomes.append(outcome)
        load_after = os.getloadavg()
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)

    print()
    print(
        f"wrk -t{args.threads} -c{args.connections}, {args.rounds} x {args.seconds} s each, "
        f"gunicorn {args.workers} sync workers, DEBUG off, {settings.DATABASES['default']['NAME']}"
    )
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    print(
        f"{'':2}{'scenario':<38}{'floor r/s':>10}{'page r/s':>10}{'ratio':>7}"
        f"{'p50 ms':>8}{'p99 ms':>8}{'HTML B':>8}{'gzip B':>8}"
    )
    for o in outcomes:
        errors = sum(m.errors for m in o.page + o.floor)
        print(
            f"{o.scenario.key:<2}{o.scenario.label:<38}{o._rate(o.floor):>10.1f}"
            f"{o._rate(o.page):>10.1f}{o.ratio:>7.2f}"
            f"{min(m.p50_ms for m in o.page):>8.1f}{max(m.p99_ms for m in o.page):>8.1f}"
            f"{o.raw_bytes:>8}{o.gzip_bytes:>8}" + (f"  {errors} non-2xx!" if errors else "")
        )


if __name__ == "__main__":
    main()
