"""A dispute in the browser: the employer asks to cancel after hours were logged, the student
reads the deadline and responds with evidence, career services read both sides."""

import re

import pytest
from django.utils import timezone

from engagements import services as engagements
from engagements.models import Dispute, DisputeStatus
from tests.browser.helpers import field
from tests.factories import CareerStaffFactory, StudentFactory, accepted_engagement

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_student_responds_to_a_dispute_with_evidence_before_the_deadline(
    page_for, live_server, quality
):
    student = StudentFactory().user
    staff = CareerStaffFactory(school=student.student_profile.school).user
    engagement = accepted_engagement(student=student)
    employer = engagement.project.created_by
    engagements.time_entry_log(
        actor=student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=10,
        description="Drafted the survey questions",
    )
    workspace = live_server.url + f"/engagements/{engagement.pk}/"

    e_page = page_for(employer)
    e_page.goto(workspace)
    e_page.locator("#cancel-title").click()
    field(e_page, "Why do you want to cancel?").fill("The survey is no longer needed.")
    e_page.get_by_role("button", name="Ask to cancel").click()
    e_page.get_by_text("Your request is recorded").wait_for()
    quality.check(e_page)

    s_page = page_for(student)
    s_page.goto(workspace)
    dispute = s_page.locator("#dispute")
    assert dispute.get_by_text(re.compile("The student responds, with evidence, by")).is_visible()
    assert dispute.get_by_text("The survey is no longer needed.").is_visible()
    quality.check(s_page)
    # The employer opened it: the student's evidence is the response.
    dispute.locator("summary", has_text="Add evidence").click()
    field(s_page, "Your statement").fill("Two and a half hours of work were done before.")
    s_page.get_by_label(re.compile("Drafted the survey questions")).check()
    s_page.get_by_role("button", name="Send to the platform").click()
    s_page.get_by_text("Your evidence is with the platform").wait_for()
    quality.check(s_page)
    assert (
        s_page.locator("#dispute")
        .get_by_text(re.compile("A platform admin decides by"))
        .is_visible()
    )
    assert Dispute.objects.get(engagement=engagement).status == DisputeStatus.AWAITING_DECISION

    c_page = page_for(staff)
    c_page.goto(workspace)
    assert c_page.locator("#dispute").get_by_text("Time entry", exact=False).first.is_visible()
    assert c_page.get_by_role("button", name="Send to the platform").count() == 0
    quality.check(c_page)
