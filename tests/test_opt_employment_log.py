"""Post-completion OPT: the student's employment log (page, CSV, PDF) with what SEVP asks for
each employer, and reminders to report each new employer within OPT_REPORT_DAYS."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import AuthorizationStatus, Notification, OptKind, WorkAuthorization
from engagements import reminders
from engagements.models import Engagement, EngagementStatus
from projects.models import Application
from tests.factories import (
    OrganizationFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
)

pytestmark = pytest.mark.django_db


def opt_student(kind=OptKind.POST_COMPLETION):
    today = timezone.localdate()
    return StudentFactory(
        major="Economics",
        work_authorization=WorkAuthorization.F1_OPT,
        work_authorization_status=AuthorizationStatus.VERIFIED,
        opt_kind=kind,
        authorization_valid_from=today - timedelta(days=30),
        authorization_valid_until=today + timedelta(days=300),
    ).user


def opt_engagement(student, *, name="Brightline Analytics", address="1 Main St\nAustin, TX"):
    organization = OrganizationFactory(name=name, address=address, verified=True)
    project = ProjectFactory(
        organization=organization,
        title="Pricing study",
        summary="Compare prices of 40 competitors.",
        hours=20,
        days_to_complete=14,
    )
    engagement = accepted_engagement(project=project, student=student)
    Application.objects.filter(pk=engagement.application_id).update(
        relation_to_major="Applies demand theory."
    )
    return engagement


def started(engagement, days_ago):
    Engagement.objects.filter(pk=engagement.pk).update(
        funded_at=timezone.now() - timedelta(days=days_ago)
    )


def test_the_log_shows_what_sevp_asks_for_each_employer(client):
    student = opt_student()
    opt_engagement(student)
    client.force_login(student)

    page = client.get(reverse("outcomes:employment_log")).content.decode()

    assert "Brightline Analytics" in page
    assert "1 Main St<br>Austin, TX" in page
    assert "Pricing study" in page
    assert "Compare prices of 40 competitors." in page
    assert "Applies demand theory." in page
    # 20 hours planned over 14 days: 10 hours a week.
    assert "10.0 (planned)" in page
    assert "Report by" in page


def test_the_csv_and_the_pdf_carry_the_same_rows_and_a_formula_stays_text(client):
    student = opt_student()
    opt_engagement(student, name="=HYPERLINK(evil)")
    client.force_login(student)

    response = client.get(reverse("outcomes:employment_log_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Employer", "Employer address", "Project"]
    assert rows[1][0] == "'=HYPERLINK(evil)"
    assert rows[1][6] == "10.0"
    assert rows[1][8] == "Applies demand theory."

    pdf = client.get(reverse("outcomes:employment_log_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "OPT employment log" in text
    assert "Pricing study" in text
    assert "Applies demand theory." in text


def test_students_not_on_post_completion_opt_get_an_explanation_and_no_files(client):
    student = StudentFactory().user
    client.force_login(student)

    page = client.get(reverse("outcomes:employment_log"))
    assert "for students on post-completion OPT" in page.content.decode()
    assert client.get(reverse("outcomes:employment_log_csv")).status_code == 404
    assert client.get(reverse("outcomes:employment_log_pdf")).status_code == 404


def test_the_log_runs_the_same_queries_for_one_or_three_employers(client):
    student = opt_student()
    opt_engagement(student)
    client.force_login(student)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("outcomes:employment_log"))
    for i in range(2):
        opt_engagement(student, name=f"Org {i}")
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("outcomes:employment_log"))

    assert page.content.decode().count("I reported this employer to SEVP") == 3
    assert len(three) == len(one)


def test_reminders_on_the_first_day_and_before_the_deadline_until_reported(
    client, django_capture_on_commit_callbacks
):
    student = opt_student()
    engagement = opt_engagement(student)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.sweep_opt_reports() == 1
        assert reminders.sweep_opt_reports() == 0
    assert "Report Brightline Analytics in the SEVP portal" in mail.outbox[-1].subject + (
        mail.outbox[-1].body
    )

    started(engagement, days_ago=7)
    assert reminders.sweep_opt_reports() == 1
    assert reminders.sweep_opt_reports() == 0

    other = opt_engagement(student, name="Harbor & Pine Studio")
    client.force_login(student)
    response = client.post(reverse("outcomes:employment_reported", args=[other.pk]))
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.opt_reported_at is not None
    assert reminders.sweep_opt_reports() == 0
    assert "Reported" in client.get(reverse("outcomes:employment_log")).content.decode()


def test_no_reminder_after_the_deadline_or_for_other_students_or_cancelled_work():
    late = opt_engagement(opt_student())
    started(late, days_ago=11)
    opt_engagement(opt_student(OptKind.PRE_COMPLETION), name="Pre")
    cancelled = opt_engagement(opt_student(), name="Cancelled")
    Engagement.objects.filter(pk=cancelled.pk).update(
        status=EngagementStatus.CANCELLED, cancelled_at=timezone.now()
    )
    accepted_engagement(student=opt_student(), funded=False)

    assert reminders.sweep_opt_reports() == 0
    assert not Notification.objects.filter(kind="opt.report").exists()


def test_only_the_student_marks_their_own_employer_reported(client):
    engagement = opt_engagement(opt_student())
    intruder = opt_student()
    client.force_login(intruder)

    response = client.post(reverse("outcomes:employment_reported", args=[engagement.pk]))

    assert response.status_code == 404
    engagement.refresh_from_db()
    assert engagement.opt_reported_at is None
    client.force_login(engagement.project.created_by)
    assert client.get(reverse("outcomes:employment_log")).status_code in (302, 403)
    assert client.get(reverse("outcomes:employment_log_csv")).status_code in (302, 403)
