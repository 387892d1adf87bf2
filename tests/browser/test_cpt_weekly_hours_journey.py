"""A student on part-time CPT logs time near the F-1 weekly cap during term, in a real Chromium:
the workspace shows "X of 20 hours this week", takes hours up to the cap, and refuses an
entry that would pass it with the reason beside the field."""

import zoneinfo
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import (
    AcademicTerm,
    AuthorizationStatus,
    AuthorizedSchedule,
    WorkAuthorization,
)
from engagements import services as engagement_services
from engagements.models import Engagement, TimeEntry
from tests.browser.helpers import field
from tests.factories import (
    OrganizationFactory,
    ProjectFactory,
    SchoolFactory,
    StudentFactory,
    accepted_engagement,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cpt_student_logs_up_to_the_weekly_cap_and_no_further(page_for, live_server, quality):
    school = SchoolFactory(name="Northbridge State University")
    organization = OrganizationFactory(verified=True, name="Brightline Analytics")
    student = StudentFactory(
        school=school,
        user__first_name="Wei",
        work_authorization=WorkAuthorization.F1_CPT,
        work_authorization_status=AuthorizationStatus.VERIFIED,
        authorization_valid_from=timezone.localdate() - timedelta(days=30),
        authorization_valid_until=timezone.localdate() + timedelta(days=90),
        cpt_organization=organization,
        authorized_schedule=AuthorizedSchedule.PART_TIME,
    ).user
    # The student's own day: the week is Monday to Sunday where they live.
    today = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(student.time_zone)).date()
    AcademicTerm.objects.create(
        school=school,
        name="Fall 2026",
        starts_on=today - timedelta(days=40),
        ends_on=today + timedelta(days=40),
    )
    engagement = accepted_engagement(
        project=ProjectFactory(
            organization=organization, title="Churn analysis", hours=40, fee_cents=80000
        ),
        student=student,
    )
    Engagement.objects.filter(pk=engagement.pk).update(
        accepted_at=timezone.now() - timedelta(days=10)
    )
    engagement.refresh_from_db()
    for _ in range(2):
        engagement_services.time_entry_log(
            actor=student,
            engagement=engagement,
            work_date=today,
            quarters=8 * 4,
            description="Cleaned the churn data",
        )

    page = page_for(student)
    page.goto(f"{live_server.url}/engagements/{engagement.pk}/")
    weekly = page.locator("#weekly-hours")
    weekly.get_by_text("16 of 20 hours this week").wait_for()
    quality.check(page)

    # Three more hours fit under the cap.
    field(page, "Date").fill(today.isoformat())
    field(page, "Hours").fill("3")
    field(page, "What you did").fill("Wrote the summary of the churn drivers")
    page.get_by_role("button", name="Log time").click()
    page.locator("#weekly-hours").get_by_text("19 of 20 hours this week").wait_for()
    quality.check(page)

    # Two more would pass 20 hours: refused, beside the field, and nothing is logged.
    field(page, "Date").fill(today.isoformat())
    field(page, "Hours").fill("2")
    field(page, "What you did").fill("Extra charts")
    page.get_by_role("button", name="Log time").click()
    refusal = page.get_by_text("That would pass 20 hours in the week of")
    refusal.wait_for()
    assert "so 1 are left" in refusal.inner_text()
    quality.check(page)
    assert TimeEntry.objects.filter(engagement=engagement).count() == 3
    assert not TimeEntry.objects.filter(description="Extra charts").exists()
