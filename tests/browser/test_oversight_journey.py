"""A career services staff member audits their school's engagements in the admin: filters the
flagged ones, opens one, verifies a student's CPT document and exports the list as CSV."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import AuthorizationStatus, WorkAuthorization
from engagements.models import Engagement
from tests.factories import (
    CareerStaffFactory,
    ProjectFactory,
    SchoolFactory,
    StudentFactory,
    accepted_engagement,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_audit_their_schools_engagements(page_for, live_server, quality):
    school = SchoolFactory(name="Northbridge State University")
    staff = CareerStaffFactory(school=school).user
    near_cap = accepted_engagement(
        project=ProjectFactory(title="Survey cleanup"),
        student=StudentFactory(school=school, user__first_name="Ana").user,
    )
    Engagement.objects.filter(pk=near_cap.pk).update(logged_quarters=76)  # 19 of 20 hours
    accepted_engagement(
        project=ProjectFactory(title="Brand audit"),
        student=StudentFactory(school=school).user,
    )
    accepted_engagement(project=ProjectFactory(title="Another school's project"))
    cpt = StudentFactory(
        school=school,
        user__first_name="Priya",
        user__last_name="Nair",
        work_authorization=WorkAuthorization.F1_CPT,
        work_authorization_status=AuthorizationStatus.PENDING,
        authorization_document=ContentFile(b"%PDF-1.4 demo", name="cpt.pdf"),
        authorization_document_name="cpt-authorization.pdf",
        authorization_valid_from=timezone.localdate(),
        authorization_valid_until=timezone.localdate() + timedelta(days=100),
    )

    page = page_for(staff)
    page.goto(live_server.url + "/admin/")
    quality.check(page)
    page.get_by_role("link", name="Engagements").first.click()
    assert page.get_by_text("Another school's project").count() == 0

    # Only the flagged ones.
    page.get_by_role("link", name="Flagged (any rule or open flag)").click()
    page.get_by_text("19 / 20 h (95%)").wait_for()
    assert page.get_by_text("Brand audit").count() == 0
    quality.check(page)

    # Open it: the integrity figures and the way to follow up.
    page.get_by_role("link", name="Survey cleanup").click()
    page.get_by_text("Flag this engagement").wait_for()
    assert page.get_by_text("19 / 20 h (95%)").is_visible()
    quality.check(page)

    # Verify the CPT document of a student waiting for review.
    page.goto(live_server.url + "/admin/accounts/studentprofile/?authorization=pending")
    page.get_by_role("link", name="Priya Nair").click()
    page.get_by_role("link", name="Review the document").click()
    page.get_by_role("link", name="cpt-authorization.pdf").wait_for()
    quality.check(page)
    # A CPT names its employer and schedule: career services record them from the I-20.
    page.get_by_label("CPT employer").select_option(label=near_cap.organization.name)
    page.get_by_label("Authorized schedule").select_option("part_time")
    page.get_by_role("button", name="Mark verified").click()
    page.get_by_text("Priya Nair's work authorization is verified.").wait_for()
    cpt.refresh_from_db()
    assert cpt.work_authorization_status == AuthorizationStatus.VERIFIED
    assert cpt.authorization_reviewed_by == staff
    assert cpt.cpt_organization == near_cap.organization

    # Export every engagement of the school as CSV.
    page.goto(live_server.url + "/admin/engagements/engagement/")
    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", "export_csv")
    with page.expect_download() as download:
        page.get_by_role("button", name="Go").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert sorted(r["project"] for r in rows) == ["Brand audit", "Survey cleanup"]
    flagged = next(r for r in rows if r["project"] == "Survey cleanup")
    assert "hours near cap" in flagged["flags"]
