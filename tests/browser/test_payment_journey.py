"""An employer pays through the test-mode gateway; after approval the student's earnings grow."""

import re

import pytest
from django.utils import timezone

from engagements import services as engagements
from payments.models import Payout
from tests.browser.helpers import field
from tests.factories import ApplicationFactory, ProjectFactory, StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_funding_makes_the_engagement_active_and_approval_pays_the_student(
    page_for, live_server, quality
):
    project = ProjectFactory(title="Newsletter copy", hours=8, fee_cents=16000)
    employer = project.created_by
    student = StudentFactory().user
    application = ApplicationFactory(project=project, student=student, status="shortlisted")

    e_page = page_for(employer)
    e_page.goto(live_server.url + f"/employer/projects/{project.pk}/applicants/")
    e_page.get_by_role("button", name="Accept").click()
    e_page.get_by_role("button", name="Pay $176.00").click()
    e_page.get_by_role("heading", name=re.compile("Pay for “Newsletter copy”")).wait_for()
    quality.check(e_page)
    assert e_page.get_by_text("test mode", exact=True).first.is_visible()
    e_page.get_by_role("button", name="Pay $176.00 (test mode)").click()
    e_page.get_by_text("Paid (test mode). The student can start now.").wait_for()
    assert e_page.get_by_text("In progress", exact=True).is_visible()
    engagement = application.engagement

    s_page = page_for(student)
    s_page.goto(live_server.url + "/payments/earnings/")
    quality.check(s_page)
    assert s_page.locator("#paid-total").inner_text() == "$0"
    s_page.get_by_role("button", name="Connect a payout account").click()
    quality.check(s_page)
    s_page.get_by_label("W-9 (US person)").check()
    s_page.get_by_role("button", name="Finish setting up (test mode)").click()
    s_page.get_by_text("Your payout account is ready").wait_for()

    engagements.time_entry_log(
        actor=student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=16,
        description="Wrote the three newsletters",
    )
    s_page.goto(live_server.url + f"/engagements/{engagement.pk}/")
    field(s_page, "Note to the employer").fill("Drafts attached as a link.")
    field(s_page, "Links").fill("https://example.com/drafts")
    s_page.get_by_role("button", name="Submit").click()
    s_page.get_by_text("Submitted. The employer has been told.").wait_for()

    e_page.goto(live_server.url + f"/engagements/{engagement.pk}/")
    e_page.get_by_role("button", name="Approve the work").click()
    e_page.get_by_text("Approved: the engagement is complete.", exact=True).wait_for()
    quality.check(e_page)

    s_page.goto(live_server.url + "/payments/earnings/")
    quality.check(s_page)
    assert s_page.locator("#paid-total").inner_text() == "$160"
    assert s_page.locator("#year-total").inner_text() == "$160"
    assert Payout.objects.get(engagement=engagement, kind="fee").status == "paid"

    e_page.goto(live_server.url + "/payments/receipts/")
    quality.check(e_page)
    e_page.get_by_role("link", name=re.compile(r"^MI-")).click()
    quality.check(e_page)
    assert e_page.get_by_text("$176.00").first.is_visible()

    # A bonus on the approved work: a wrong amount is refused on its field, then paid.
    e_page.goto(live_server.url + f"/engagements/{engagement.pk}/")
    e_page.get_by_role("link", name="Add a bonus").click()
    quality.check(e_page)
    field(e_page, "Bonus (US dollars)").fill("600")
    e_page.get_by_role("button", name="Continue to payment").click()
    e_page.get_by_text("$500.00 is left").wait_for()
    quality.check(e_page)
    field(e_page, "Bonus (US dollars)").fill("25")
    field(e_page, "A word for the student (optional)").fill("The March issue doubled our clicks.")
    e_page.get_by_role("button", name="Continue to payment").click()
    e_page.get_by_role("rowheader", name="Bonus for the student").wait_for()
    quality.check(e_page)
    e_page.get_by_role("button", name="Pay $27.50 (test mode)").click()
    e_page.get_by_text("Paid (test mode). The bonus goes to the student in full.").wait_for()

    s_page.goto(live_server.url + f"/engagements/{engagement.pk}/#bonuses")
    quality.check(s_page)
    assert s_page.get_by_text("“The March issue doubled our clicks.”").is_visible()
    s_page.goto(live_server.url + "/payments/earnings/")
    assert s_page.locator("#paid-total").inner_text() == "$185"
