"""On a phone (390 × 844), what a visitor came for is on the first screen: the first
project of the list, the Apply button of a project, the notification bell."""

import pytest

from accounts.notifications import notify
from tests.browser.helpers import log_in
from tests.browser.quality import CSP_WATCH
from tests.factories import ProjectFactory, SkillFactory, StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def open_(viewport, user=None):
        context = browser.new_context(viewport=viewport)
        context.add_init_script(CSP_WATCH)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if user is not None:
            log_in(page, live_server, user)
        return page

    yield open_
    for context in contexts:
        context.close()


def on_first_screen(locator, height=PHONE["height"]) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_the_first_project_shows_on_a_phones_first_screen(open_page, live_server, quality):
    skills = [SkillFactory(name=f"Skill {i}") for i in range(30)]
    for i in range(3):
        ProjectFactory(title=f"Open project {i}", skills=skills[:3])
    page = open_page(PHONE)

    page.goto(live_server.url + "/projects/")

    first = page.locator(".project-card").first
    assert first.bounding_box()["y"] < PHONE["height"]
    assert not page.locator("#f-q").is_visible()  # the filters wait behind their button
    quality.check(page)

    page.get_by_role("button", name="Search and filters").click()
    # Bootstrap marks the form "collapse show" once it has finished opening: a click while
    # it still slides open can land on the link below the button.
    page.wait_for_selector("#filters.collapse.show")
    page.locator("#f-q").fill("Open project 2")
    with page.expect_navigation(url="**/projects/?**", timeout=30_000):
        page.get_by_role("button", name="Show projects").click()
    assert page.locator(".project-card").count() == 1
    # The button says that a filter is on.
    assert page.get_by_role("button", name="Search and filters (1)").is_visible()


def test_a_laptop_shows_the_filters_beside_the_projects(open_page, live_server):
    ProjectFactory()
    page = open_page(LAPTOP)

    page.goto(live_server.url + "/projects/")

    assert page.locator("#f-q").is_visible()
    assert not page.get_by_role("button", name="Search and filters").is_visible()


def test_the_apply_button_stays_in_reach_on_a_phone(open_page, live_server, quality):
    project = ProjectFactory(
        description="A long brief.\n\n" + "More context about the work. " * 120,
        questions=["What would you look at first?", "Which tools do you use?"],
    )
    page = open_page(PHONE, StudentFactory().user)

    page.goto(f"{live_server.url}/projects/{project.pk}/")

    apply = page.get_by_role("link", name="Apply", exact=True)
    assert any(on_first_screen(link) for link in apply.all())
    page.mouse.wheel(0, 2500)
    page.wait_for_timeout(200)
    assert any(on_first_screen(link) for link in apply.all())
    quality.check(page)


def test_the_bell_and_its_count_show_beside_the_menu_button_on_a_phone(
    open_page, live_server, quality
):
    student = StudentFactory().user
    notify(recipients=[student], kind="test", key="k1", message="One", email=False)
    page = open_page(PHONE, student)

    page.goto(live_server.url + "/projects/")

    assert page.get_by_role("button", name="Toggle navigation").is_visible()
    bell = page.locator("#bell")
    assert bell.is_visible() and on_first_screen(bell)
    assert bell.get_by_text("1").is_visible()
    quality.check(page)


def test_the_test_mode_badge_is_small_beside_the_fee(open_page, live_server):
    project = ProjectFactory()
    page = open_page(LAPTOP)

    page.goto(f"{live_server.url}/projects/{project.pk}/")

    badge = page.locator(".project-facts .test-mode").first
    size = float(badge.evaluate("b => getComputedStyle(b).fontSize").removesuffix("px"))
    assert size <= 13
