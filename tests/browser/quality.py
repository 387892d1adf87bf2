"""Checks for every page a browser test visits: accessibility (axe-core), HTML (W3C) and
what the Content-Security-Policy blocked (nothing may be).

One helper for all browser tests: `PageQuality.check(page)` fails the test
with a readable list of problems when a page has a serious or critical axe
violation, any HTML validation error or anything the Content-Security-Policy blocked.
"""

import json
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# axe adds <style> elements of its own while it runs, which the page's policy rightly
# blocks: the CSP watch below is paused meanwhile (the reports arrive a moment later).
AXE_RUN = """async () => {
  window.__cspPaused = true;
  try {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
    }));
  } finally {
    await new Promise((resolve) => setTimeout(resolve, 200));
    window.__cspPaused = false;
  }
}"""


# Installed in every page before its own scripts run (conftest.py): records what the
# Content-Security-Policy blocked on the page.
CSP_WATCH = """(() => {
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    if (window.__cspPaused) return;
    window.__cspViolations.push(
      `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"} ` +
      `at ${event.sourceFile || "the page"}:${event.lineNumber}`
    );
  });
})();"""


def csp_violations(page) -> list[str]:
    """What the policy blocked on the current page; fails if the page is not watched."""
    found = page.evaluate("() => window.__cspViolations")
    assert isinstance(found, list), "This page does not record CSP violations (CSP_WATCH)."
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HtmlValidator:
    """The W3C Nu validator as a local HTTP service, started once per test session."""

    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                "java",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}/?out=json"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        "The HTML validator (java, vnu.jar) did not start."
                    ) from None
                time.sleep(0.2)
        raise RuntimeError("The HTML validator did not start within a minute.")

    def problems(self, html: str) -> list[str]:
        request = urllib.request.Request(
            self.url,
            data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            messages = json.load(response)["messages"]
        return [
            f"line {m.get('lastLine', '?')}: {m['message']} [{m.get('extract', '').strip()[:80]}]"
            for m in messages
            if (m["type"] == "error" or m.get("subType") == "warning") and not _known_django(m)
        ]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _known_django(message: dict) -> bool:
    """Django's formset management form puts autocomplete="off" on its hidden inputs (so a
    browser's back button keeps the counts right); the validator disallows it. Harmless, and
    not ours: every other message counts."""
    return "“autocomplete” attribute" in message["message"] and "_FORMS" in message.get(
        "extract", ""
    )


class PageQuality:
    def __init__(self, validator: HtmlValidator):
        self.validator = validator
        self.checked: list[str] = []

    def check(self, page) -> None:
        page.wait_for_load_state("load")
        # The markup first, before axe's own script is added to the page.
        problems = [f"html {p}" for p in self.validator.problems(page.content())]
        if page.evaluate("() => typeof axe") == "undefined":
            # Evaluated by the browser's automation channel, which the page's
            # Content-Security-Policy does not restrict (a <script> tag it would).
            page.evaluate(AXE_JS.read_text())
        for violation in page.evaluate(AXE_RUN):
            if violation["impact"] in ("serious", "critical"):
                problems.append(
                    f"axe {violation['impact']} {violation['id']}: {violation['help']} "
                    f"at {', '.join(violation['targets'])}"
                )
        problems += [f"content-security-policy: {v}" for v in csp_violations(page)]
        self.checked.append(page.url)
        assert not problems, f"{page.url} has problems:\n" + "\n".join(problems)
