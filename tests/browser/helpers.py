"""Steps that many browser tests share."""

import re

from tests.factories import PASSWORD


def field(page, label):
    """A form field by its visible label; required fields add an asterisk to the label."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def log_in(page, live_server, user, password=PASSWORD):
    page.goto(live_server.url + "/accounts/login/")
    field(page, "Email").fill(user.email)
    field(page, "Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_load_state("load")
