import os

import pytest

from tests.browser.quality import CSP_WATCH, HtmlValidator, PageQuality

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # All browser tests on one xdist worker: one Chromium, one validator.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_FLAGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def html_validator():
    validator = HtmlValidator()
    yield validator
    validator.stop()


@pytest.fixture
def quality(html_validator):
    return PageQuality(html_validator)


@pytest.fixture
def page(page, live_server):
    page.set_default_timeout(15_000)
    page.add_init_script(CSP_WATCH)
    return page


@pytest.fixture
def page_for(browser, live_server):
    """A logged-in page per user, each in its own browser context, closed after the test
    (before the live server and its database go away)."""
    from tests.browser.helpers import log_in

    contexts = []

    def open_page(user):
        context = browser.new_context()
        context.add_init_script(CSP_WATCH)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, live_server, user)
        return page

    yield open_page
    for context in contexts:
        context.close()
