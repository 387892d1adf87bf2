"""A message asking for bank details is held; the student reads the warning, opens it and
reports it; a platform admin takes the report on in the admin, suspends its author and
closes it; the student reads the outcome."""

import pytest

from accounts.models import User
from engagements import services as engagement_services
from safety.models import Report
from tests.factories import AdminFactory, ProjectFactory, accepted_engagement, employer_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reported_message_leads_to_a_suspension_and_an_answer(page_for, live_server, quality):
    engagement = accepted_engagement(project=ProjectFactory(title="Market scan"))
    employer = employer_of(engagement.project)
    engagement_services.message_post(
        actor=employer,
        engagement=engagement,
        body="Before we start, send me your bank login so I can deposit a check.",
    )
    admin = AdminFactory()

    student_page = page_for(engagement.student)
    student_page.goto(live_server.url + f"/engagements/{engagement.pk}/")
    # Screening held it: the warning comes first, the text only once the student confirms.
    student_page.get_by_text("We held this message for your safety.").wait_for()
    assert student_page.get_by_text("send me your bank login").count() == 0
    quality.check(student_page)
    student_page.get_by_role("button", name="I understand, show the message").click()
    student_page.get_by_text("send me your bank login").wait_for()
    student_page.get_by_role("link", name="Report this message").click()
    student_page.get_by_text("send me your bank login").wait_for()
    quality.check(student_page)
    student_page.get_by_label("Asks for money or bank or card details").check()
    student_page.get_by_label("What happened").fill("They want my bank login before any work.")
    student_page.get_by_role("button", name="Send the report").click()
    student_page.get_by_text("your report went to the platform's admins").wait_for()
    quality.check(student_page)
    # Screening filed its own report when it held the message; the student's is the second.
    assert Report.objects.filter(reporter__isnull=True).count() == 1
    report = Report.objects.get(reporter=engagement.student)

    admin_page = page_for(admin)
    admin_page.goto(live_server.url + "/admin/safety/report/")
    admin_page.get_by_role("link", name=f"#{report.pk}").click()
    quality.check(admin_page)
    admin_page.get_by_label("Assignee").select_option(str(admin.pk))
    admin_page.get_by_label("Suspend the reported user").check()
    admin_page.get_by_label("Suspension reason").fill("Asked a student for bank details")
    admin_page.get_by_label("Outcome").fill("We suspended the account that wrote to you.")
    admin_page.get_by_label("Close the report").select_option("resolved")
    admin_page.get_by_role("button", name="Save", exact=True).click()
    admin_page.wait_for_load_state("load")

    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    assert report.assignee == admin
    assert not User.objects.get(pk=employer.pk).is_active

    student_page.goto(live_server.url + "/safety/reports/")
    student_page.get_by_text("We suspended the account that wrote to you.").wait_for()
    assert student_page.get_by_text("Resolved").first.is_visible()
