"""A browser-like HTTP client for the harness: cookies, CSRF tokens, forms, a chosen node.

The site runs with the production settings behind haproxy, which marks every request as
HTTPS: cookies are `Secure`, and Django checks the Origin of every form post. This client
keeps Secure cookies over the loopback's plain HTTP and sends the Origin a browser would.
"""

import re
from http.cookies import SimpleCookie

import requests

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    def __init__(self, base_url: str, *, timeout: float = 30):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        # The browser talks HTTPS to the TLS terminator and sends its Secure cookies; on the
        # loopback the hop is plain HTTP, where requests would hold them back: kept here.
        self.cookies: dict[str, str] = {}
        self.timeout = timeout
        self.origin = "https://" + self.base_url.split("://", 1)[1]

    def request(self, method: str, path: str, *, node: str | None = None, **kwargs):
        headers = kwargs.pop("headers", {})
        if node:
            headers["X-Node"] = node
        if method != "GET":
            headers.setdefault("Origin", self.origin)
            headers.setdefault("Referer", self.origin + path)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        kwargs.setdefault("allow_redirects", False)
        response = self.session.request(
            method, self.base_url + path, headers=headers, timeout=self.timeout, **kwargs
        )
        self.session.cookies.clear()
        for header in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def csrf_token(self, path: str, *, node: str | None = None) -> str:
        page = self.get(path, node=node)
        assert page.status_code == 200, (path, page.status_code, page.text[:2000])
        found = CSRF_INPUT.search(page.text)
        assert found, f"no form on {path}"
        return found.group(1)

    def post_form(self, path: str, data: dict, *, form_page: str | None = None, node=None, **kw):
        """Load the page with the form (on the same node), then post it."""
        token = self.csrf_token(form_page or path, node=node)
        return self.request(
            "POST", path, data={**data, "csrfmiddlewaretoken": token}, node=node, **kw
        )

    def login(self, email: str, password: str, *, node: str | None = None):
        return self.post_form("/accounts/login/", {"login": email, "password": password}, node=node)
