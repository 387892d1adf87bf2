"""A project paid in milestones: the student hands in each milestone, the employer approves
it from the workspace and the student is paid for it, one milestone at a time."""

import pytest
from django.utils import timezone

from engagements import services as engagements
from payments.models import Payout
from tests.browser.helpers import field
from tests.payment_helpers import milestone_engagement

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_milestone_is_handed_in_approved_and_paid_from_the_workspace(
    page_for, live_server, quality
):
    engagement = milestone_engagement(title="Gear guides")
    student, employer = engagement.student, engagement.project.created_by
    workspace = live_server.url + f"/engagements/{engagement.pk}/"
    engagements.time_entry_log(
        actor=student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=8,
        description="Edited the first guide",
    )

    s_page = page_for(student)
    s_page.goto(workspace)
    quality.check(s_page)
    s_page.get_by_role("heading", name="Submit milestone 1: Part 1").wait_for()
    field(s_page, "Note to the employer").fill("The first guide, edited.")
    field(s_page, "Links").fill("https://example.com/part-1")
    s_page.get_by_role("button", name="Submit").click()
    s_page.get_by_text("Submitted. The employer has been told.").wait_for()

    e_page = page_for(employer)
    e_page.goto(workspace)
    quality.check(e_page)
    e_page.get_by_role("button", name="Approve milestone 1 and pay $120.00").click()
    e_page.get_by_text("Milestone 1 approved: the student is being paid for it.").wait_for()
    quality.check(e_page)
    row = e_page.locator("#milestone-1")
    assert "Approved" in row.inner_text() and "Paid" in row.inner_text()
    assert "table-primary" in (e_page.locator("#milestone-2").get_attribute("class") or "")

    s_page.goto(workspace)
    s_page.get_by_role("heading", name="Submit milestone 2: Part 2").wait_for()
    payout = Payout.objects.get(engagement=engagement)
    assert (payout.milestone.number, payout.amount_cents, payout.status) == (1, 12000, "paid")
