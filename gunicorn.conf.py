"""gunicorn's settings for the web process (`gunicorn --config gunicorn.conf.py ...`).

Every value can be changed from the environment, so the same file serves a small and a
large host. The number of worker processes is the unit of scale on one host; more hosts
behind the load balancer are the unit beyond it (see README, Production).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Synchronous workers: each request holds a process while it runs, and the slow parts
# (mail, payments, PDFs) already run in Celery. About two per core, plus one.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# A request that takes longer than this is stuck: the worker is replaced. Uploads of the
# largest deliverable over a slow link still fit.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A worker is replaced after this many requests (with jitter, so they do not all restart at
# once): a slow leak never grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# The heartbeat file lives in memory: a slow disk never makes the arbiter kill workers.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm")  # noqa: S108 (only heartbeats)
# The load balancer in front sets X-Forwarded-For and X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn's control socket (`gunicornc`) only where one is asked for: its default path is
# shared by every gunicorn of the same user on a host.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

# One access log line per request on standard output, with the request id the application
# gives every response (marketplace/request_id.py), so a line finds the task logs it led to.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s "%(a)s"'


def child_exit(server, worker):
    # With several worker processes, Prometheus counters live in files of
    # PROMETHEUS_MULTIPROC_DIR (one per process): a finished process's live gauges go.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
