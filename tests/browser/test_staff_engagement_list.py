"""Career services staff read the engagements list on a 1280-pixel screen: the essential
integrity figures fit, without scrolling sideways; the rest are a click away."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from demo.accounts import DEMO_PASSWORD
from engagements.models import Engagement, EngagementStatus
from tests.browser.helpers import log_in
from tests.browser.quality import CSP_WATCH

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH, HEIGHT = 1280, 800
# Each column's right edge, and the right edge of the part of the table on screen (the
# admin scrolls a wide table inside its own box, beside the filters).
COLUMNS = """() => {
  const box = document.querySelector("#changelist-form .results").getBoundingClientRect();
  const seen = Math.min(box.right, window.innerWidth);
  return [...document.querySelectorAll("#result_list thead th")].map(
    th => [th.innerText.trim(), th.getBoundingClientRect().right, seen]);
}"""


def test_the_engagements_list_fits_a_1280_pixel_screen(browser, live_server, quality):
    call_command("seed_demo")
    staff = User.objects.get(email="staff@demo.test")
    # The demo has titles of 90 characters, work waiting for review and an open flag; make
    # one engagement overdue and near its cap as well, so every column holds a warning.
    Engagement.objects.filter(
        pk=Engagement.objects.filter(
            school=staff.career_staff_profile.school, status=EngagementStatus.ACTIVE
        ).values("pk")[:1]
    ).update(due_at=timezone.now() - timedelta(days=3), logged_quarters=F("cap_quarters"))
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    context.add_init_script(CSP_WATCH)
    try:
        page = context.new_page()
        log_in(page, live_server, staff, password=DEMO_PASSWORD)
        page.goto(live_server.url + "/admin/engagements/engagement/")
        quality.check(page)

        columns = page.evaluate(COLUMNS)
        off_screen = [name for name, right, seen in columns if right > seen + 1]
        assert not off_screen, f"off-screen at {WIDTH}px: {off_screen} of {columns}"
        names = [name.lower() for name, _, _ in columns]
        assert {"hours / cap", "due", "needs attention"} <= set(names)
        assert page.get_by_text("⚠ overdue").count() == 1
        assert page.get_by_text("⚠ open flag").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

        # The rest of the figures are one click away.
        page.locator("#result_list tbody tr").first.locator("a").first.click()
        shown = page.locator("#content").inner_text()
        for label in (
            "Effective rate:",
            "Sessions held / due:",
            "Employer review time:",
            "Payout:",
        ):
            assert label in shown, label
        quality.check(page)
    finally:
        context.close()
