"""Serve the busiest pages once in a new web process, before it takes its first request.

A fresh process has imported little, compiled no template and opened no database
connection: its first page took over two seconds. Warming happens where the WSGI
application is built (`marketplace/wsgi.py`), so each gunicorn worker does it for itself
while it boots, and a visitor never meets a cold process.

The requests go through the whole stack (middleware, views, templates) as anonymous GETs:
nothing is written. A failure is logged and the process starts anyway: a cold page is
better than no page.
"""

import io
import logging
import re
import time

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

PAGES = ["/", "/projects/", "/projects/?sort=match"]
# The first project linked from the browse page: the project page is warmed too.
PROJECT_LINK = re.compile(rb'href="(/projects/\d+/)"')


def _host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*":
            return host.lstrip(".")
    return "localhost"


def _get(application, path: str) -> tuple[str, bytes]:
    path_info, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": _host(),
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": _host(),
        # Production sits behind a TLS proxy: look like its requests, so none is redirected.
        "HTTP_X_FORWARDED_PROTO": "https",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    response = application(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        if hasattr(response, "close"):
            response.close()
    return statuses[0] if statuses else "", body


def warm_up(application) -> None:
    started = time.perf_counter()
    served = []
    try:
        pages = list(PAGES)
        while pages:
            path = pages.pop(0)
            status, body = _get(application, path)
            served.append(f"{path} {status.split(' ')[0]}")
            if path == "/projects/" and (link := PROJECT_LINK.search(body)):
                pages.insert(0, link.group(1).decode())
    except Exception:
        logger.exception("Warming up failed after %s; starting cold.", served)
    finally:
        # A worker forked from a warmed master must not share its database connection.
        connections.close_all()
    logger.info(
        "Warmed up in %.0f ms: %s", (time.perf_counter() - started) * 1000, ", ".join(served)
    )
