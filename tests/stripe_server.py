"""localstripe, a fake Stripe API server, run for tests on a free port of 127.0.0.1.

Stripe's own Python library talks to it as it would to api.stripe.com; it sends signed
webhooks to the address registered with `register_webhook`, about a second after the
event. It always starts empty (`--from-scratch`).
"""

import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import stripe

LOCALSTRIPE = Path(sys.executable).parent / "localstripe"
SECRET_KEY = "sk_test_localstripe"
PUBLISHABLE_KEY = "pk_test_localstripe"
WEBHOOK_SECRET = "whsec_localstripe"
WEBHOOK_ID = "marketplace"


def free_port() -> int:
    """A TCP port nothing listens on right now (localstripe listens on every interface)."""
    family, host = (socket.AF_INET6, "::") if socket.has_ipv6 else (socket.AF_INET, "")
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class StripeServer:
    def __init__(self):
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept open until stop())
            prefix="localstripe-", suffix=".log", delete=False
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 20.0, attempts: int = 3) -> "StripeServer":
        """Start on a free port and wait until it answers (another port if that one was taken)."""
        for _ in range(attempts):
            self.port = free_port()
            self.process = subprocess.Popen(
                [str(LOCALSTRIPE), "--port", str(self.port), "--from-scratch"],
                stdin=subprocess.DEVNULL,
                stdout=self.log,
                stderr=subprocess.STDOUT,
            )
            if self._wait_until_answering(timeout):
                return self
            self.stop()
        raise RuntimeError(f"localstripe did not start:\n{self.output()}")

    def _wait_until_answering(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                self._request("GET", "/v1/customers?limit=1")
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def _request(self, method: str, path: str, form: dict | None = None) -> bytes:
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=urllib.parse.urlencode(form).encode() if form is not None else None,
            headers={"Authorization": f"Bearer {SECRET_KEY}"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.read()

    def register_webhook(self, url: str, *, secret: str = WEBHOOK_SECRET, webhook_id=WEBHOOK_ID):
        """Send every event to `url`, signed with `secret` (replaces any earlier address)."""
        self._request("POST", f"/_config/webhooks/{webhook_id}", {"url": url, "secret": secret})

    def silence_webhook(self, webhook_id=WEBHOOK_ID):
        """Send later events nowhere (localstripe cannot delete a webhook): to a closed port."""
        self.register_webhook(f"http://127.0.0.1:{free_port()}/", webhook_id=webhook_id)

    def client(self) -> stripe.StripeClient:
        """Stripe's library, pointed here: what the tests use to play Stripe.js."""
        return stripe.StripeClient(
            SECRET_KEY, base_addresses={"api": self.url}, max_network_retries=0
        )

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def close(self) -> None:
        self.stop()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)
