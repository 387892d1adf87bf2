"""Every main page, for every role, is served with the Content-Security-Policy and the
page breaks none of it: no inline script, event handler or style attribute is blocked,
and the pages' own scripts (Bootstrap's menus, the fee hint, copy buttons, the admin's
widgets) still work."""

import pytest
from playwright.sync_api import expect

from outcomes.models import VerifiedExperience
from tests.browser.helpers import field
from tests.browser.quality import csp_violations
from tests.factories import (
    AdminFactory,
    ApplicationFactory,
    CareerStaffFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    approved_engagement,
)

pytestmark = pytest.mark.django_db(transaction=True)


def visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state("load")
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy, f"{url}: {policy or 'no policy'}"
    assert "style-src 'self'" in policy, url
    assert "unsafe-inline" not in policy and "stripe.com" not in policy, url
    assert csp_violations(page) == [], url
    return response


def test_public_pages(page, live_server):
    project = ProjectFactory(title="Market sizing memo")
    record_engagement = approved_engagement(accepted_engagement())
    record = VerifiedExperience.objects.get(engagement=record_engagement)
    for path in (
        "/",
        "/projects/",
        f"/projects/{project.pk}/",
        f"/organizations/{project.organization_id}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/signup/student/",
        "/accounts/password/reset/",
        "/career-services/request-access/",
        f"/verify/{record.code}/",
        "/no-such-page/",
        "/projects/?q=%00",
    ):
        visit(page, live_server.url + path)

    # Bootstrap's collapsing menu still opens on a small screen.
    page.set_viewport_size({"width": 400, "height": 800})
    visit(page, live_server.url + "/")
    page.get_by_role("button", name="Toggle navigation").click()
    expect(page.locator("#main-nav").get_by_role("link", name="Log in")).to_be_visible()
    assert csp_violations(page) == []


def test_student_pages(page_for, live_server):
    student = StudentFactory().user
    engagement = accepted_engagement(student=student)
    done = approved_engagement(accepted_engagement(student=student))
    record = VerifiedExperience.objects.get(engagement=done)
    page = page_for(student)
    for path in (
        "/student/",
        "/profile/",
        "/projects/",
        f"/projects/{engagement.project_id}/",
        f"/engagements/{engagement.pk}/",
        "/experiences/",
        f"/experiences/{record.pk}/",
        "/payments/earnings/",
        "/notifications/",
        "/accounts/email/",
        "/accounts/password/change/",
    ):
        visit(page, live_server.url + path)

    # The account menu (Bootstrap's dropdown and Popper) opens.
    page.locator("#account-menu").click()
    expect(page.get_by_role("link", name="Change password")).to_be_visible()
    assert csp_violations(page) == []


def test_employer_pages(page_for, live_server):
    project = ProjectFactory(title="Competitor pricing scan")
    ApplicationFactory(project=project)
    engagement = accepted_engagement(project=ProjectFactory(organization=project.organization))
    page = page_for(project.created_by)
    for path in (
        "/employer/",
        "/profile/",
        f"/employer/projects/{project.pk}/applicants/",
        f"/engagements/{engagement.pk}/",
        "/employer/talent/",
        "/payments/receipts/",
    ):
        visit(page, live_server.url + path)

    # The project form's own script shows the hourly rate while typing.
    visit(page, live_server.url + "/employer/projects/new/")
    field(page, "Estimated hours").fill("10")
    field(page, "Fixed fee (US dollars)").fill("250")
    expect(page.locator("#rate-hint")).to_contain_text("That is $25.00 an hour")
    assert csp_violations(page) == []


def test_career_services_and_admin_pages(page_for, live_server):
    student = StudentFactory()
    engagement = accepted_engagement(student=student.user)
    staff = CareerStaffFactory(school=student.school).user
    page = page_for(staff)
    for path in (
        "/career-services/",
        "/admin/",
        "/admin/school-dashboard/",
        "/admin/engagements/engagement/",
        f"/admin/engagements/engagement/{engagement.pk}/change/",
        "/admin/accounts/studentprofile/",
    ):
        visit(page, live_server.url + path)

    page = page_for(AdminFactory())
    for path in (
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/organization/",
        "/admin/accounts/auditevent/",
    ):
        visit(page, live_server.url + path)

    # The admin's autocomplete widget (select2, jQuery) works under the policy.
    visit(page, live_server.url + "/admin/feedback/flag/add/")
    page.locator(".select2-selection").first.click()
    expect(page.locator(".select2-results__option").first).to_be_visible()
    assert csp_violations(page) == []
