"""Academic credit end to end, in a real Chromium: the student asks for credit for approved
work, career services approve and name a faculty member, the faculty member approves through
the emailed link with no account, and the student sees the credit on their record."""

import re

import pytest
from django.core import mail

from outcomes.credit.models import CreditRequest
from outcomes.models import VerifiedExperience
from tests.browser.helpers import field
from tests.credit_helpers import approved_work
from tests.factories import CareerStaffFactory, SchoolFactory, StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_credit_is_asked_approved_twice_and_shown_on_the_record(
    page_for, page, live_server, quality
):
    school = SchoolFactory(name="Northbridge State University")
    staff = CareerStaffFactory(school=school, user__first_name="Dana").user
    student = StudentFactory(school=school, user__first_name="Jordan").user
    engagement = approved_work(student, hours=22.5)
    title = engagement.project.title

    # The student asks.
    student_page = page_for(student)
    student_page.goto(live_server.url + "/credit/")
    quality.check(student_page)
    student_page.get_by_role("link", name=f"Ask for credit for {title}").click()
    quality.check(student_page)
    field(student_page, "Course code").fill("bus 390")
    field(student_page, "Term").fill("Spring 2027")
    student_page.get_by_role("button", name="Send to career services").click()
    student_page.get_by_text("Waiting for career services.").wait_for()
    quality.check(student_page)
    request = CreditRequest.objects.get(engagement=engagement)
    assert (request.course_code, request.credits) == ("BUS 390", "0.5")

    # Career services approve and send it on to a faculty member.
    staff_page = page_for(staff)
    staff_page.goto(live_server.url + "/career-services/")
    staff_page.get_by_text("1 credit request waits for you.").wait_for()
    staff_page.get_by_role("link", name="Credit requests").click()
    quality.check(staff_page)
    staff_page.get_by_role("link", name=student.get_full_name()).click()
    staff_page.get_by_role("heading", name=re.compile(r"Time log: 22\.50 hours")).wait_for()
    quality.check(staff_page)
    mail.outbox.clear()
    field(staff_page, "Faculty approver's email").fill("prof.lee@northbridge.edu")
    field(staff_page, "Faculty approver's name").fill("Dana Lee")
    staff_page.get_by_role("button", name="Approve").click()
    staff_page.locator("#faculty-link-state").get_by_text("not opened yet").wait_for()
    quality.check(staff_page)

    # The faculty member opens the emailed link, with no account, and approves.
    invitation = next(m for m in mail.outbox if m.to == ["prof.lee@northbridge.edu"])
    link = re.search(r"https?://\S+/credit/review/\S+/", invitation.body).group(0)
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("heading", name=f"Academic credit for {student.get_full_name()}").wait_for()
    page.get_by_role("heading", name="The employer's final evaluation").wait_for()
    page.get_by_role("heading", name="The student's reflection").wait_for()
    quality.check(page)
    page.get_by_label("Approve the credit").check()
    assert field(page, "Your name").input_value() == "Dana Lee"
    page.get_by_role("button", name="Record my decision").click()
    page.get_by_text("Your decision is recorded").wait_for()
    quality.check(page)

    # The student sees the credit on their verified record.
    record = VerifiedExperience.objects.get(engagement=engagement)
    student_page.goto(f"{live_server.url}/experiences/{record.pk}/")
    outcome = student_page.locator("#credit-outcome")
    outcome.wait_for()
    assert outcome.inner_text().startswith(
        "0.5 credits, BUS 390, Spring 2027, approved by Northbridge State University on"
    )
    quality.check(student_page)
