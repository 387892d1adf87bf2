"""A school's sponsor adds funds through the test-mode gateway; an employer then pays only
their part of a sponsored engagement's fee."""

import re

import pytest

from payments.services import sponsors
from tests.browser.helpers import field
from tests.factories import SchoolFactory, employer_of
from tests.sponsor_helpers import engagement_at, make_sponsor

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_adds_funds_and_an_employer_pays_the_rest_of_a_sponsored_fee(
    page_for, live_server, quality
):
    school = SchoolFactory(name="Northbridge State University")
    sponsor = make_sponsor(school, name="Northbridge Access Fund", budget_cents=0)
    engagement = engagement_at(school)

    m_page = page_for(sponsor.managers.get())
    m_page.goto(live_server.url + "/")
    m_page.get_by_role("link", name="Sponsored fees").click()
    m_page.get_by_role("heading", name=re.compile("Northbridge Access Fund")).wait_for()
    quality.check(m_page)
    assert m_page.locator("#sponsor-available").inner_text() == "$0.00"
    m_page.get_by_role("link", name="Add funds").click()
    quality.check(m_page)
    field(m_page, "Amount to add").fill("1000")
    m_page.get_by_role("button", name="Continue to payment").click()
    quality.check(m_page)
    m_page.get_by_role("button", name="Pay $1,000.00 (test mode)").click()
    m_page.get_by_text("Funds added (test mode).").wait_for()
    quality.check(m_page)
    receipt = m_page.get_by_role("heading", name=re.compile(r"Receipt SP-")).inner_text()
    m_page.get_by_role("link", name="Back to the budget").click()
    assert m_page.locator("#sponsor-available").inner_text() == "$1,000.00"
    assert m_page.get_by_role("link", name=receipt.split()[1]).is_visible()

    e_page = page_for(employer_of(engagement.project))
    e_page.goto(live_server.url + f"/engagements/{engagement.pk}/")
    e_page.get_by_role("button", name="Pay $240.00").click()
    e_page.get_by_text(
        "Sponsored by Northbridge Access Fund: Northbridge Access Fund pays $200.00 of the fee; "
        "you pay $240.00 (platform fee included)."
    ).wait_for()
    quality.check(e_page)
    e_page.get_by_role("button", name="Pay $240.00 (test mode)").click()
    e_page.get_by_text("Paid (test mode). The student can start now.").wait_for()
    assert sponsors.available_cents(sponsor.pk) == 80000

    m_page.get_by_role("link", name="Report", exact=True).click()
    quality.check(m_page)
    assert m_page.get_by_role("cell", name=engagement.project.title).is_visible()
    assert m_page.get_by_text("1 payment", exact=True).is_visible()

    m_page.get_by_role("link", name="Back to the budget").click()
    m_page.get_by_role("link", name="Who is covered").click()
    quality.check(m_page)
    field(m_page, "Share of the fee (%)").fill("150")
    m_page.get_by_role("button", name="Save").click()
    m_page.get_by_text("Ensure this value is less than or equal to 100.").wait_for()
    quality.check(m_page)
