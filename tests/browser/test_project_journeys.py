"""Employers post, students find, apply and deliver: whole journeys in a real Chromium."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from engagements.models import Engagement
from projects.models import Project
from tests.browser.helpers import field
from tests.factories import (
    EmployerFactory,
    ProjectFactory,
    SkillFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_employer_posts_a_project_and_a_student_finds_it(page_for, live_server, quality):
    SkillFactory(name="Survey design", slug="survey-design")
    employer = EmployerFactory(organization__verified=True).user
    student = StudentFactory().user

    page = page_for(employer)
    page.goto(live_server.url + "/employer/projects/new/")
    quality.check(page)
    field(page, "Title").fill("Customer survey for a neighbourhood bakery")
    field(page, "Summary").fill("Design and run a short survey of our regular customers.")
    field(page, "Description").fill("We want to know which products to bake more of.")
    field(page, "Category").select_option(label="Industry research")
    page.get_by_label("Survey design").check()
    field(page, "Expected deliverables").fill("- Survey questions\n- A summary of answers")
    field(page, "Estimated hours").fill("12")
    field(page, "Fixed fee (US dollars)").fill("170")
    hint = page.locator("#rate-hint")
    assert "below the $15.00 minimum" in hint.inner_text()
    field(page, "Fixed fee (US dollars)").fill("264")
    assert "$22.00 an hour" in hint.inner_text()
    field(page, "Days to complete").fill("14")
    field(page, "Apply by").fill((timezone.localdate() + timedelta(days=10)).isoformat())
    field(page, "Screening question 1").fill("Have you designed a survey before?")
    # What the student learns and who supervises them (NACE criteria), asked with the reason.
    page.locator("#nace-why").wait_for()
    field(page, "Learning objective 1").fill("Write unbiased survey questions")
    field(page, "Learning objective 2").fill("Summarise answers for the owner")
    field(page, "Supervisor").select_option(
        label=f"{employer.get_full_name()}, {employer.employer_profile.job_title}"
    )
    page.get_by_role("button", name="Preview").click()
    page.get_by_text("This is how students will see the project").wait_for()
    page.get_by_role("heading", name="Internship criteria (NACE)").wait_for()
    quality.check(page)
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published: students can find and apply to it now.").wait_for()
    quality.check(page)
    assert Project.objects.get(title__startswith="Customer survey").status == "open"

    ProjectFactory(title="Inventory spreadsheet clean-up", category="data_entry")
    page = page_for(student)
    page.goto(live_server.url + "/projects/")
    quality.check(page)
    field(page, "Keywords").fill("bakery survey")
    page.locator("summary", has_text="Category").click()
    page.get_by_label("Industry research").check()
    page.get_by_role("button", name="Show projects").click()
    page.wait_for_url(re.compile(r"q=bakery"))
    quality.check(page)
    assert "category=industry_research" in page.url
    results = page.get_by_role("heading", level=2).filter(has_text="bakery")
    assert results.count() == 1
    assert page.get_by_text("Inventory spreadsheet clean-up").count() == 0
    results.get_by_role("link").click()
    page.get_by_role("link", name="Apply").wait_for()
    quality.check(page)
    assert page.get_by_text("$22.00/hour").is_visible()


def test_the_whole_work_loop_from_application_to_approval(page_for, live_server, quality):
    project = ProjectFactory(
        title="Competitor price research",
        hours=10,
        fee_cents=20000,
        questions=["Which sources would you use?"],
    )
    employer = project.created_by
    student_profile = StudentFactory()
    student = student_profile.user

    # The student applies.
    s_page = page_for(student)
    s_page.goto(live_server.url + f"/projects/{project.pk}/")
    s_page.get_by_role("link", name="Apply").click()
    quality.check(s_page)
    field(s_page, "Cover note").fill("I compare prices for my family's shop every week.")
    field(s_page, "Which sources would you use?").fill("Their websites and in-store visits.")
    s_page.get_by_label(re.compile("I can do the 10 hours")).check()
    s_page.get_by_label(re.compile("I consent to")).check()
    s_page.get_by_role("button", name="Send application").click()
    s_page.get_by_text("Applied to “Competitor price research”").wait_for()
    quality.check(s_page)

    # The employer reviews blind, shortlists, accepts and funds.
    e_page = page_for(employer)
    e_page.goto(live_server.url + f"/employer/projects/{project.pk}/applicants/")
    quality.check(e_page)
    assert e_page.get_by_role("heading", name="Applicant 1").is_visible()
    assert e_page.get_by_text(student.last_name).count() == 0
    e_page.get_by_role("button", name="Shortlist").click()
    e_page.get_by_role("heading", name=student.get_full_name()).wait_for()
    quality.check(e_page)
    e_page.get_by_role("button", name="Accept").click()
    e_page.get_by_role("button", name="Pay $220.00").click()
    quality.check(e_page)
    e_page.get_by_role("button", name="Pay $220.00 (test mode)").click()
    e_page.get_by_text("Paid (test mode). The student can start now.").wait_for()
    quality.check(e_page)
    engagement = Engagement.objects.get(project=project)

    # The student logs hours and submits.
    s_page.goto(live_server.url + f"/engagements/{engagement.pk}/")
    quality.check(s_page)
    field(s_page, "Hours").fill("3.5")
    field(s_page, "What you did").fill("Collected prices from four competitors.")
    s_page.get_by_role("button", name="Log time").click()
    s_page.get_by_text("3.50 of 10 logged").wait_for()
    field(s_page, "Note to the employer").fill("Spreadsheet attached.")
    s_page.get_by_label("Files").set_input_files(
        {"name": "prices.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    s_page.get_by_role("button", name="Submit").click()
    s_page.get_by_text("Submitted. The employer has been told.").wait_for()
    quality.check(s_page)

    # The employer asks for a revision.
    e_page.goto(live_server.url + f"/engagements/{engagement.pk}/")
    field(e_page, "Comments for the student").fill("Please add shipping costs.")
    e_page.get_by_role("button", name="Ask for a revision").click()
    e_page.get_by_text("Revision requested. The student has been told.").wait_for()
    quality.check(e_page)

    # The student resubmits.
    s_page.goto(live_server.url + f"/engagements/{engagement.pk}/")
    assert s_page.get_by_text("Please add shipping costs.").is_visible()
    field(s_page, "Note to the employer").fill("Now with shipping costs.")
    field(s_page, "Links").fill("https://example.com/prices-v2")
    s_page.get_by_role("button", name="Submit").click()
    s_page.get_by_text("Submitted. The employer has been told.").wait_for()

    # The employer approves.
    e_page.goto(live_server.url + f"/engagements/{engagement.pk}/")
    e_page.get_by_role("button", name="Approve the work").click()
    e_page.get_by_text("Approved: the engagement is complete.", exact=True).wait_for()
    quality.check(e_page)
    engagement.refresh_from_db()
    assert engagement.status == "approved"
    assert engagement.logged_quarters == 14
