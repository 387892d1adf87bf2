"""Several nodes of the product on one machine (loopback), as in production.

    haproxy :BASE+3 ──► gunicorn node "a" :BASE+1 ─┐
                   └──► gunicorn node "b" :BASE+2 ─┤── PostgreSQL (through a TCP proxy :BASE+5)
    Celery worker w1, worker w2, one beat ─────────┤── PostgreSQL (directly)
                                                   ├── Redis :BASE (a private redis-server)
                                                   └── S3 (moto's server) :BASE+4

Every process runs with the production settings (DEBUG off, a random SECRET_KEY, ALLOWED_HOSTS,
JSON logs), on a private PostgreSQL database created for the run and dropped afterwards. The
web nodes reach PostgreSQL through a small TCP proxy (tests/cluster/tcp_proxy.py), so that a
test can cut the database off from them and bring it back without touching the server.

haproxy adds `X-Forwarded-Proto: https` as the TLS terminator in front of it would, and names
the node that answered in `X-Served-By`; a request with `X-Node: a` (or `b`) goes to that
node, any other request round-robin.

Used by tests/cluster/ (pytest -m cluster) and bench/load.py. Every process started is
stopped by `stop()`, which the callers run in a finally block.
"""

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg2

from tests.s3_server import ACCESS_KEY, REGION, S3Server
from tests.s3_server import SECRET_KEY as S3_SECRET_KEY

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
POSTGRES_URL = os.environ.get("CLUSTER_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
BUCKET = "marketplace-cluster"
HOST = "127.0.0.1"


class HarnessError(RuntimeError):
    pass


def require_programs() -> None:
    missing = [name for name in ("haproxy", "redis-server") if shutil.which(name) is None]
    if missing:
        raise HarnessError(
            f"The multi-node harness needs {' and '.join(missing)} "
            "(Debian: apt-get install -y haproxy redis-server)."
        )


def get(url: str, *, timeout: float = 5.0, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Process:
    """One child process with its log file; stopped with SIGTERM, then SIGKILL."""

    def __init__(self, name: str, command: list[str], env: dict, log_dir: Path):
        self.name = name
        self.command = command
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        log = self.log_path.open("ab")
        self.popen = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        return self

    @property
    def pid(self) -> int:
        return self.popen.pid

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log(self, tail: int = 6000) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-tail:]

    def kill(self) -> None:
        """SIGKILL to the whole process group (a worker and its pool children)."""
        if self.running():
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)

    def stop(self, timeout: float = 15.0) -> None:
        if not self.running():
            return
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        except ProcessLookupError:
            pass


class Cluster:
    def __init__(self, workdir: Path, *, base_port: int = 8700, name: str = "harness", **extra):
        self.workdir = workdir
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.base_port = base_port
        self.redis_port = base_port
        self.node_ports = {"a": base_port + 1, "b": base_port + 2}
        self.lb_port = base_port + 3
        self.s3_port = base_port + 4
        self.pg_proxy_port = base_port + 5
        self.smtp_port = base_port + 6
        self.smtp_dir = workdir / "smtp"
        self.database = f"mkt_cluster_{name}"
        self.extra_env = {k: str(v) for k, v in extra.items()}
        self.processes: dict[str, Process] = {}
        self.s3: S3Server | None = None
        self.started = time.monotonic()
        self.timings: dict[str, float] = {}

    # --- Addresses -------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.lb_port}"

    def node_url(self, node: str) -> str:
        return f"http://{HOST}:{self.node_ports[node]}"

    @property
    def redis_url(self) -> str:
        return f"redis://{HOST}:{self.redis_port}/0"

    def database_url(self, *, through_proxy: bool = False) -> str:
        if through_proxy:
            return f"postgres://postgres@{HOST}:{self.pg_proxy_port}/{self.database}"
        return f"{POSTGRES_URL}/{self.database}"

    # --- Environment -----------------------------------------------------------------

    def env(self, **overrides) -> dict:
        keep = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")
        env = {k: v for k, v in os.environ.items() if k in keep}
        env.update(
            DJANGO_SETTINGS_MODULE="marketplace.settings",
            DEBUG="false",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS=f"{HOST},localhost",
            SITE_URL=self.url,
            SUPPORT_EMAIL="support@example.com",
            DATABASE_URL=self.database_url(),
            REDIS_URL=self.redis_url,
            VAR_DIR=str(self.workdir / "var"),
            STATIC_ROOT=str(self.workdir / "static"),
            LOG_FORMAT="json",
            EMAIL_URL=f"smtp://{HOST}:{self.smtp_port}",
            STORAGE_BUCKET=BUCKET,
            STORAGE_ENDPOINT_URL=f"http://{HOST}:{self.s3_port}",
            STORAGE_REGION=REGION,
            STORAGE_ACCESS_KEY_ID=ACCESS_KEY,
            STORAGE_SECRET_ACCESS_KEY=S3_SECRET_KEY,
            STORAGE_ADDRESSING_STYLE="path",
            PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION="true",
            METRICS_TOKEN=self.metrics_token,
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        env.update({k: str(v) for k, v in overrides.items()})
        return env

    secret_key = secrets.token_urlsafe(48)
    metrics_token = secrets.token_urlsafe(24)

    def manage(self, *args: str, timeout: float = 300, **env) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise HarnessError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")
        return result.stdout

    def python(self, code: str, *, timeout: float = 120, **env) -> str:
        """Run Python with Django set up against the cluster's database: returns stdout."""
        prelude = "import django; django.setup()\n"
        result = subprocess.run(
            [sys.executable, "-c", prelude + code],
            cwd=ROOT,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise HarnessError(f"Python in the cluster failed:\n{result.stderr[-4000:]}")
        return result.stdout

    # --- Database --------------------------------------------------------------------

    @staticmethod
    def _connect(url: str):
        conn = psycopg2.connect(url, connect_timeout=10)
        conn.autocommit = True
        return conn

    def _admin_sql(self, *statements: str) -> None:
        conn = self._connect(f"{POSTGRES_URL}/postgres")
        try:
            with conn.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            conn.close()

    def drop_database(self) -> None:
        if not self._database_exists():
            return
        self._admin_sql(f"ALTER DATABASE {self.database} ALLOW_CONNECTIONS false")
        self.terminate_connections()
        self._admin_sql(f"DROP DATABASE IF EXISTS {self.database}")

    def terminate_connections(self) -> None:
        self.sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [self.database],
            "postgres",
        )

    def _database_exists(self) -> bool:
        return bool(
            self.sql("SELECT 1 FROM pg_database WHERE datname = %s", [self.database], "postgres")
        )

    def create_database(self) -> None:
        """A fresh database, copied from a migrated template kept between runs.

        The template's name carries a digest of every migration file: a changed migration
        makes a new one (and the stale ones are dropped), so a run never starts from a schema
        its code does not have.
        """
        self.drop_database()
        digest = hashlib.sha256()
        for path in sorted(ROOT.glob("*/migrations/*.py")):
            digest.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
        template = f"mkt_cluster_template_{digest.hexdigest()[:12]}"
        existing = [
            name
            for (name,) in self.sql(
                "SELECT datname FROM pg_database WHERE datname LIKE 'mkt_cluster_template_%%'",
                database="postgres",
            )
        ]
        for stale in set(existing) - {template}:
            self._admin_sql(f"DROP DATABASE IF EXISTS {stale}")
        if template not in existing:
            building = f"{template}_building"
            self._admin_sql(f"DROP DATABASE IF EXISTS {building}", f"CREATE DATABASE {building}")
            self.manage("migrate", "--noinput", DATABASE_URL=f"{POSTGRES_URL}/{building}")
            self._admin_sql(f"ALTER DATABASE {building} RENAME TO {template}")
        self._admin_sql(f"CREATE DATABASE {self.database} TEMPLATE {template}")

    def sql(self, query: str, params=None, database: str | None = None) -> list[tuple]:
        url = f"{POSTGRES_URL}/{database}" if database else self.database_url()
        conn = self._connect(url)
        try:
            with conn.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            conn.close()

    # --- Processes -------------------------------------------------------------------

    def _start(self, name: str, command: list[str], env: dict | None = None) -> Process:
        process = Process(name, command, env or self.env(), self.logs).start()
        self.processes[name] = process
        return process

    def start_redis(self) -> Process:
        data = self.workdir / "redis"
        data.mkdir(exist_ok=True)
        process = self._start(
            "redis",
            [
                shutil.which("redis-server"),
                "--bind",
                HOST,
                "--port",
                str(self.redis_port),
                "--save",
                "",
                # Append-only, fsync'd every write: a restart keeps every queued task.
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--dir",
                str(data),
            ],
        )
        self._wait(lambda: self._redis_ping(), 20, "redis-server did not answer", process)
        return process

    def _redis_ping(self) -> bool:
        import redis

        try:
            return redis.Redis(host=HOST, port=self.redis_port, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def restart_redis(self) -> None:
        self.processes["redis"].stop()
        self.start_redis()

    def start_pg_proxy(self) -> Process:
        process = self._start(
            "pg-proxy",
            [
                sys.executable,
                str(ROOT / "tests" / "cluster" / "tcp_proxy.py"),
                f"{HOST}:{self.pg_proxy_port}",
                POSTGRES_URL.rsplit("@", 1)[-1],
            ],
        )
        self._wait(lambda: self._port_open(self.pg_proxy_port), 20, "TCP proxy down", process)
        return process

    def stop_pg_proxy(self) -> None:
        self.processes["pg-proxy"].kill()

    @staticmethod
    def _port_open(port: int) -> bool:
        import socket

        with socket.socket() as sock:
            sock.settimeout(1)
            return sock.connect_ex((HOST, port)) == 0

    def start_smtp(self) -> Process:
        process = self._start(
            "smtp",
            [
                sys.executable,
                str(ROOT / "tests" / "cluster" / "smtp_server.py"),
                f"{HOST}:{self.smtp_port}",
                str(self.smtp_dir),
            ],
        )
        self._wait(lambda: self._port_open(self.smtp_port), 20, "mail server down", process)
        return process

    def hold_next_smtp_connection(self, seconds: float) -> None:
        (self.smtp_dir / "hold").write_text(str(seconds))

    def _jsonl(self, name: str) -> list[dict]:
        path = self.smtp_dir / name
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def smtp_messages(self) -> list[dict]:
        return self._jsonl("messages.jsonl")

    def smtp_connections(self) -> list[dict]:
        return self._jsonl("connections.jsonl")

    def start_node(self, node: str, *, timeout: float = 90) -> Process:
        # Each worker process of a node keeps its metrics in files here (one node, one folder).
        metrics_dir = self.workdir / f"metrics-{node}"
        metrics_dir.mkdir(exist_ok=True)
        env = self.env(
            DATABASE_URL=self.database_url(through_proxy=True),
            GUNICORN_BIND=f"{HOST}:{self.node_ports[node]}",
            WEB_CONCURRENCY=self.extra_env.get("WEB_CONCURRENCY", "2"),
            PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
        )
        process = self._start(
            f"web-{node}",
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "marketplace.wsgi"],
            env,
        )
        self.wait_ready(node, timeout=timeout)
        return process

    def ready(self, node: str) -> tuple[int, bytes]:
        return get(f"{self.node_url(node)}/health/ready/?format=json", timeout=10)

    def wait_ready(self, node: str, *, timeout: float = 90) -> None:
        process = self.processes[f"web-{node}"]

        def is_ready():
            try:
                return self.ready(node)[0] == 200
            except OSError:
                return False

        self._wait(is_ready, timeout, f"web node {node} not ready", process)

    def start_haproxy(self) -> Process:
        config = self.workdir / "haproxy.cfg"
        config.write_text(
            f"""global
    maxconn 512

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    option forwardfor

frontend www
    bind {HOST}:{self.lb_port}
    http-request set-header X-Forwarded-Proto https
    default_backend web

backend web
    balance roundrobin
    option httpchk GET /health/live/
    http-check send hdr Host {HOST}
    use-server a if {{ req.hdr(x-node) -m str a }}
    use-server b if {{ req.hdr(x-node) -m str b }}
    http-response set-header X-Served-By %s
    server a {HOST}:{self.node_ports["a"]} check inter 2s
    server b {HOST}:{self.node_ports["b"]} check inter 2s
"""
        )
        haproxy = shutil.which("haproxy")
        check = subprocess.run(
            [haproxy, "-c", "-f", str(config)], capture_output=True, text=True, timeout=20
        )
        if check.returncode != 0:
            raise HarnessError(f"haproxy rejects its configuration:\n{check.stdout}{check.stderr}")
        process = self._start("haproxy", [haproxy, "-db", "-f", str(config)])

        def through_lb():
            try:
                return get(f"{self.url}/health/live/")[0] == 200
            except OSError:
                return False

        self._wait(through_lb, 30, "haproxy does not reach the web nodes", process)
        return process

    def start_worker(self, name: str, **env) -> Process:
        return self._start(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "--app",
                "marketplace",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "1",
                "--hostname",
                f"{name}@cluster",
                "--without-gossip",
                "--without-mingle",
            ],
            self.env(**env),
        )

    def start_beat(self, **env) -> Process:
        return self._start(
            "beat",
            [
                sys.executable,
                "-m",
                "celery",
                "--app",
                "marketplace",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.workdir / "celerybeat-schedule"),
            ],
            self.env(**env),
        )

    def wait_for_log(self, name: str, text: str, timeout: float = 60) -> None:
        process = self.processes[name]
        self._wait(lambda: text in process.log(tail=200_000), timeout, f"{name}: {text!r}", process)

    def _wait(self, condition, timeout: float, what: str, process: Process | None) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if process is not None and not process.running():
                raise HarnessError(f"{what}: {process.name} exited.\n{process.log()}")
            time.sleep(0.25)
        log = process.log() if process is not None else ""
        raise HarnessError(
            f"{what} after {timeout:.0f} s.\n--- {process and process.name} log\n{log}"
        )

    # --- The whole ----------------------------------------------------------------------

    def start(self, *, workers: int = 2, beat: bool = True) -> "Cluster":
        """Everything, in order; the web nodes one after the other (each waits for readiness)."""
        require_programs()
        steps = [
            ("redis", self.start_redis),
            ("s3", self._start_s3),
            ("database", self.create_database),
            ("migrate", lambda: self.manage("migrate", "--noinput")),
            ("collectstatic", lambda: self.manage("collectstatic", "--noinput")),
            ("smtp", self.start_smtp),
            ("pg-proxy", self.start_pg_proxy),
            ("web-a", lambda: self.start_node("a")),
            ("web-b", lambda: self.start_node("b")),
            ("haproxy", self.start_haproxy),
        ]
        steps += [(f"w{n}", lambda n=n: self.start_worker(f"w{n}")) for n in range(1, workers + 1)]
        if beat:
            steps.append(("beat", self.start_beat))
        for name, step in steps:
            began = time.monotonic()
            step()
            self.timings[name] = round(time.monotonic() - began, 1)
        return self

    def _start_s3(self) -> None:
        self.s3 = S3Server(self.s3_port).start()
        self.s3.create_bucket(BUCKET)

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()
        if self.s3 is not None:
            self.s3.stop()
        with contextlib.suppress(psycopg2.Error):
            self.drop_database()

    def logs_text(self) -> str:
        return "\n".join(f"--- {name}\n{p.log(3000)}" for name, p in self.processes.items())
