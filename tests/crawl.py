"""Follow every same-site link a user is shown, breadth-first and bounded: the pages a
new user would click through, checked for dead ends and errors."""

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urljoin, urlsplit

HREF = re.compile(r'href="([^"]+)"')
# Each kind of page is visited a few times at most (a list filtered one way once), so the
# crawl covers every kind of page of demo-sized data in bounded time.
PER_SHAPE = 3
PER_FILTERED_SHAPE = 1
MAX_PAGES = 600


def shape(url: str) -> str:
    """The kind of page: its path with numbers as N, and the names of its parameters."""
    parts = urlsplit(url)
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(names)


def crawl(client, start: str, *, skip=()) -> dict[str, tuple[int, str]]:
    """Breadth-first over same-site links from `start`: {url: (status, first page linking)}."""
    seen = {start: (None, "")}
    shapes: dict[str, int] = {}
    queue = deque([(start, "")])
    results = {}
    while queue and len(results) < MAX_PAGES:
        url, source = queue.popleft()
        response = client.get(url)
        results[url] = (response.status_code, source)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            link, _ = urldefrag(urljoin(url, unescape(href)))
            parts = urlsplit(link)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if not link.startswith("/") or link in seen or link.startswith("/static/"):
                continue
            if any(link.startswith(prefix) for prefix in skip):
                continue
            key = shape(link)
            # One filter or sort at a time: their combinations lead to the same pages.
            if key.count("&") or "_changelist_filters" in key:
                continue
            if shapes.get(key, 0) >= (PER_FILTERED_SHAPE if parts.query else PER_SHAPE):
                continue
            shapes[key] = shapes.get(key, 0) + 1
            seen[link] = (None, url)
            queue.append((link, url))
    return results
