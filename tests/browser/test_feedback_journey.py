"""An employer schedules a check-in, writes notes and marks it held; after approval both
sides evaluate each other and then see each other's answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from engagements import services as engagements
from feedback.models import FeedbackSession
from tests.browser.helpers import field
from tests.factories import (
    DEFAULT_OBJECTIVES,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_sessions_notes_and_evaluations(page_for, live_server, quality):
    project = ProjectFactory(title="Market sizing memo", hours=10, fee_cents=20000)
    engagement = accepted_engagement(project=project, student=StudentFactory().user)
    employer, student = project.created_by, engagement.student

    e_page = page_for(employer)
    e_page.goto(live_server.url + f"/engagements/{engagement.pk}/")
    quality.check(e_page)
    e_page.get_by_text("Schedule a session").click()
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    field(e_page, "Date").fill(day)
    field(e_page, "Start time").fill("15:30")
    field(e_page, "Meeting link (optional)").fill("https://meet.example.com/market-sizing")
    field(e_page, "Agenda").fill("Review the first estimate together.")
    e_page.get_by_role("button", name="Schedule").click()
    e_page.get_by_text("Session added. The student has been told.").wait_for()
    quality.check(e_page)
    session = FeedbackSession.objects.get(engagement=engagement, kind="extra")
    assert session.meeting_link == "https://meet.example.com/market-sizing"

    # The hour comes; the employer writes notes and marks the session held.
    FeedbackSession.objects.filter(pk=session.pk).update(
        scheduled_at=timezone.now() - timedelta(minutes=40)
    )
    e_page.goto(live_server.url + f"/engagements/{engagement.pk}/")
    e_page.locator(f"#session-{session.pk}").get_by_text("Add or edit your notes").click()
    field(e_page, "What went well").fill("A solid first estimate with clear sources.")
    field(e_page, "Next steps").fill("Add a sensitivity table.")
    e_page.get_by_role("button", name="Save notes").click()
    e_page.get_by_text("Your notes are saved.").wait_for()
    e_page.get_by_role("button", name="Mark held").click()
    e_page.get_by_text("Attendance recorded.").wait_for()
    quality.check(e_page)
    session.refresh_from_db()
    assert session.status == "held"

    s_page = page_for(student)
    s_page.goto(live_server.url + f"/engagements/{engagement.pk}/")
    assert s_page.get_by_text("A solid first estimate with clear sources.").is_visible()

    # The work is handed in and approved.
    engagements.time_entry_log(
        actor=student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=30,
        description="Wrote the memo",
    )
    engagements.submission_create(
        actor=student,
        engagement=engagement,
        data=engagements.SubmissionData(
            note="The memo", links=["https://example.com/memo"], files=[]
        ),
    )
    engagements.submission_approve(actor=employer, engagement=engagement)

    e_page.goto(live_server.url + f"/engagements/{engagement.pk}/")
    quality.check(e_page)
    for label in ("Communication", "Problem solving", "Quality of work", "Timeliness"):
        e_page.get_by_role("group", name=label).get_by_label("5").check()
    e_page.get_by_role("group", name="Professionalism").get_by_label("4").check()
    field(e_page, "Strengths").fill("Careful with sources; clear writing.")
    field(e_page, "Growth areas").fill("Share drafts earlier.")
    e_page.get_by_label("We are interested in hiring them full-time").check()
    # Each learning objective of the project, marked met or not.
    for position, objective in enumerate(DEFAULT_OBJECTIVES, start=1):
        group = e_page.get_by_role("group", name=f"Objective {position}: {objective}")
        group.get_by_label("Met" if position == 1 else "Not met", exact=True).check()
    e_page.get_by_role("button", name="Submit the evaluation").click()
    e_page.get_by_text("Thank you: your evaluation is saved.").wait_for()
    quality.check(e_page)

    s_page.goto(live_server.url + f"/engagements/{engagement.pk}/?evaluations")
    assert s_page.get_by_text("The employer has answered").is_visible()
    assert s_page.get_by_text("Careful with sources; clear writing.").count() == 0
    for label in ("Clarity of instructions", "Support and supervision", "Learning value"):
        s_page.get_by_role("group", name=label).get_by_label("5").check()
    field(s_page, "Comment").fill("Great feedback every week.")
    s_page.get_by_role("button", name="Submit the review").click()
    s_page.get_by_text("Thank you: your review is saved.").wait_for()
    quality.check(s_page)
    assert s_page.get_by_text("Careful with sources; clear writing.").is_visible()
    marks = s_page.locator("#learning li")
    assert [marks.nth(i).get_attribute("data-met") for i in range(2)] == ["yes", "no"]

    e_page.goto(live_server.url + f"/engagements/{engagement.pk}/?after")
    assert e_page.get_by_text("Great feedback every week.").is_visible()
