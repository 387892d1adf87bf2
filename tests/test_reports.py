"""Reporting a project, an organization, a message or a user, and what platform admins do."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from engagements import services as engagement_services
from safety import services
from safety.models import Reason, Report
from tests.factories import ProjectFactory, StudentFactory, accepted_engagement, employer_of
from tests.helpers import run_after_commit

pytestmark = pytest.mark.django_db


def report_url(kind, pk):
    return reverse("safety:report", kwargs={"kind": kind, "pk": pk})


def post_report(client, kind, pk, reason=Reason.SCAM, details="They asked me to buy gift cards."):
    return client.post(report_url(kind, pk), {"reason": reason, "details": details})


@pytest.fixture
def engagement(student):
    return accepted_engagement(student=student)


@pytest.fixture
def employer_message(engagement):
    return engagement_services.message_post(
        actor=employer_of(engagement.project),
        engagement=engagement,
        body="You are useless and I will make sure nobody hires you.",
    )


def test_a_student_reports_a_project_and_the_platform_admins_are_told(
    client, student, platform_admin, school
):
    project = ProjectFactory()
    client.force_login(student)

    response = post_report(client, "project", project.pk)

    assert response.status_code == 302
    assert response.url == reverse("safety:my_reports")
    report = Report.objects.get()
    assert (report.reporter, report.project, report.organization) == (
        student,
        project,
        project.organization,
    )
    assert report.school == school
    assert report.status == Report.Status.OPEN
    alert = Notification.objects.get(recipient=platform_admin, kind="report.filed")
    assert alert.url == reverse("admin:safety_report_change", args=[report.pk])
    assert AuditEvent.objects.filter(action="report.filed").count() == 1
    page = client.get(reverse("safety:my_reports")).content.decode()
    assert "Scam or fraud" in page
    assert project.title in page
    assert "Open" in page


def test_a_report_without_a_reason_or_details_says_so_and_writes_nothing(client, student):
    project = ProjectFactory()
    client.force_login(student)

    response = client.post(report_url("project", project.pk), {"reason": "", "details": "  "})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the reason closest to what happened." in page
    assert "Say what happened" in page
    assert not Report.objects.exists()


def test_a_second_open_report_on_the_same_thing_is_refused(client, student):
    project = ProjectFactory()
    client.force_login(student)
    post_report(client, "project", project.pk)

    response = post_report(client, "project", project.pk, reason=Reason.NOT_REAL)

    assert response.status_code == 400
    assert "already reported this" in response.content.decode()
    assert Report.objects.count() == 1


def test_the_database_refuses_two_open_reports_by_one_person_on_one_thing(student):
    project = ProjectFactory()
    services.report_create(actor=student, subject=project, reason=Reason.SCAM, details="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            reporter=student,
            kind="project",
            subject_key=f"project:{project.pk}",
            project=project,
            reason=Reason.OTHER,
            details="again",
        )


def test_the_same_thing_can_be_reported_again_once_the_report_is_closed(student, platform_admin):
    project = ProjectFactory()
    first = services.report_create(actor=student, subject=project, reason=Reason.SCAM, details="x")
    services.report_close(
        actor=platform_admin, report=first, status=Report.Status.DISMISSED, outcome="Checked."
    )

    again = services.report_create(
        actor=student, subject=project, reason=Reason.SCAM, details="It happened again."
    )

    assert again.pk != first.pk


def test_reporting_is_limited_per_day(client, settings, student):
    settings.REPORTS_PER_DAY = 2
    client.force_login(student)
    for _ in range(2):
        assert post_report(client, "project", ProjectFactory().pk).status_code == 302

    response = post_report(client, "project", ProjectFactory().pk)

    assert response.status_code == 400
    assert "2 reports in the last 24 hours" in response.content.decode()
    assert Report.objects.count() == 2


# --- What each person may report ----------------------------------------------------------


def test_a_message_is_reported_by_the_other_side_and_names_its_author(
    client, student, engagement, employer_message
):
    client.force_login(student)

    page = client.get(report_url("message", employer_message.pk))
    assert page.status_code == 200
    assert "make sure nobody hires you" in page.content.decode()
    post_report(client, "message", employer_message.pk, reason=Reason.ASKS_FOR_MONEY)

    report = Report.objects.get()
    assert report.reported_user == employer_message.author
    assert report.organization_id == engagement.organization_id
    assert report.school_id == engagement.school_id


@pytest.mark.parametrize("who", ["other_student", "other_employer", "career_staff"])
def test_a_message_cannot_be_reported_by_anyone_outside_the_thread(
    client, request, employer_message, who
):
    client.force_login(request.getfixturevalue(who))

    assert client.get(report_url("message", employer_message.pk)).status_code == 404
    assert post_report(client, "message", employer_message.pk).status_code == 404
    assert not Report.objects.exists()


def test_nobody_reports_their_own_message(client, employer_message):
    client.force_login(employer_message.author)

    assert client.get(report_url("message", employer_message.pk)).status_code == 404


def test_an_employer_reports_the_student_they_work_with_and_no_one_else(
    client, engagement, other_student
):
    employer = employer_of(engagement.project)
    client.force_login(employer)

    assert client.get(report_url("user", other_student.pk)).status_code == 404
    assert client.get(report_url("user", employer.pk)).status_code == 404
    post_report(client, "user", engagement.student_id, reason=Reason.HARASSMENT)

    report = Report.objects.get()
    assert report.reported_user == engagement.student
    assert report.school_id == engagement.student.student_profile.school_id


def test_a_student_cannot_report_a_user_by_number(client, student, other_student):
    client.force_login(student)

    assert client.get(report_url("user", other_student.pk)).status_code == 404


def test_a_draft_of_another_organization_cannot_be_reported(client, student):
    draft = ProjectFactory(draft=True)
    client.force_login(student)

    assert client.get(report_url("project", draft.pk)).status_code == 404
    assert client.get(report_url("bogus", draft.pk)).status_code == 404


def test_visitors_are_sent_to_log_in_and_platform_admins_use_the_admin(client, platform_admin):
    project = ProjectFactory()

    response = client.get(report_url("project", project.pk))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    client.force_login(platform_admin)
    assert client.get(report_url("project", project.pk)).status_code == 403
    assert client.get(reverse("safety:my_reports")).status_code == 403


def test_my_reports_lists_only_my_own(client, student, other_student):
    project = ProjectFactory(title="Suspicious data entry")
    services.report_create(actor=other_student, subject=project, reason=Reason.SCAM, details="x")
    client.force_login(student)

    page = client.get(reverse("safety:my_reports")).content.decode()

    assert "Suspicious data entry" not in page
    assert "You have not reported anything." in page


def test_my_reports_runs_the_same_queries_for_2_or_20_reports(
    client, student, settings, django_assert_max_num_queries
):
    settings.REPORTS_PER_DAY = 50
    client.force_login(student)
    for _ in range(2):
        services.report_create(
            actor=student, subject=ProjectFactory(), reason=Reason.SCAM, details="x"
        )
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("safety:my_reports"))
    for _ in range(18):
        services.report_create(
            actor=student, subject=ProjectFactory(), reason=Reason.SCAM, details="x"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("safety:my_reports"))
    assert page.content.decode().count("Scam or fraud") == 20


def test_the_pages_offer_the_report_links(client, student, engagement, employer_message):
    client.force_login(student)

    workspace = client.get(reverse("engagements:workspace", args=[engagement.pk])).content
    project_page = client.get(reverse("projects:detail", args=[engagement.project_id])).content
    org_page = client.get(reverse("organization_detail", args=[engagement.organization_id]))

    assert report_url("message", employer_message.pk).encode() in workspace
    assert report_url("organization", engagement.organization_id).encode() in workspace
    assert report_url("project", engagement.project_id).encode() in project_page
    assert report_url("organization", engagement.organization_id).encode() in org_page.content


# --- What platform admins do ------------------------------------------------------------


def test_closing_a_report_tells_the_reporter_the_outcome_once(student, platform_admin):
    report = services.report_create(
        actor=student, subject=ProjectFactory(), reason=Reason.SCAM, details="x"
    )
    run_after_commit()

    services.report_close(
        actor=platform_admin,
        report=report,
        status=Report.Status.RESOLVED,
        outcome="We removed the project and suspended the organization.",
    )
    services.report_close(
        actor=platform_admin,
        report=report,
        status=Report.Status.RESOLVED,
        outcome="We removed the project and suspended the organization.",
    )
    run_after_commit(keep_mail=True)

    told = Notification.objects.filter(recipient=student, kind="report.closed")
    assert told.count() == 1
    assert [m.to for m in mail.outbox] == [[student.email]]
    assert "We removed the project" in mail.outbox[0].body
    report.refresh_from_db()
    assert report.closed_by == platform_admin
    assert "resolved by" in report.actions_taken


def test_a_report_cannot_close_without_an_outcome(student, platform_admin):
    report = services.report_create(
        actor=student, subject=ProjectFactory(), reason=Reason.SCAM, details="x"
    )
    with pytest.raises(Exception, match="reporter reads it"):
        services.report_close(
            actor=platform_admin, report=report, status=Report.Status.RESOLVED, outcome=" "
        )
    report.refresh_from_db()
    assert report.is_open


def test_only_platform_admins_act_on_reports(student, career_staff):
    report = services.report_create(
        actor=student, subject=ProjectFactory(), reason=Reason.SCAM, details="x"
    )
    with pytest.raises(Exception, match="Only platform admins"):
        services.report_close(
            actor=career_staff, report=report, status=Report.Status.RESOLVED, outcome="ok"
        )


def test_suspending_from_a_message_report_locks_out_its_author(
    client, student, employer_message, platform_admin
):
    report = services.report_create(
        actor=student, subject=employer_message, reason=Reason.ASKS_FOR_MONEY, details="x"
    )

    services.report_suspend_user(actor=platform_admin, report=report, reason="Phishing")

    author = employer_message.author
    author.refresh_from_db()
    assert not author.is_active
    report.refresh_from_db()
    assert "suspended the account" in report.actions_taken
    assert AuditEvent.objects.filter(action="user.suspended", target_id=str(author.pk)).exists()
    client.force_login(author)
    assert client.get(reverse("employer_dashboard")).status_code == 302


def test_suspending_from_a_project_report_suspends_its_organization(student, platform_admin):
    project = ProjectFactory()
    report = services.report_create(
        actor=student, subject=project, reason=Reason.NOT_REAL, details="x"
    )

    services.report_suspend_organization(actor=platform_admin, report=report, reason="Fake company")

    project.organization.refresh_from_db()
    assert project.organization.suspended_at is not None
    assert project.organization.suspension_reason == "Fake company"
    report.refresh_from_db()
    assert "suspended the organization" in report.actions_taken


def test_a_project_report_names_no_user_to_suspend(student, platform_admin):
    report = services.report_create(
        actor=student, subject=ProjectFactory(), reason=Reason.SCAM, details="x"
    )
    with pytest.raises(Exception, match="names no user"):
        services.report_suspend_user(actor=platform_admin, report=report, reason="x")


# --- The admin queue --------------------------------------------------------------------------


def test_the_admin_queue_assigns_suspends_and_closes_in_one_save(
    client, student, employer_message, platform_admin
):
    report = services.report_create(
        actor=student, subject=employer_message, reason=Reason.ASKS_FOR_MONEY, details="x"
    )
    client.force_login(platform_admin)
    url = reverse("admin:safety_report_change", args=[report.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "assignee": platform_admin.pk,
            "suspend_user": "on",
            "suspend_organization": "on",
            "suspension_reason": "Asked students for bank logins",
            "outcome": "We suspended the employer and their organization.",
            "close_as": Report.Status.RESOLVED,
        },
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    assert report.assignee == platform_admin
    assert not report.reported_user.is_active
    assert report.organization.suspended_at is not None
    assert Notification.objects.filter(recipient=student, kind="report.closed").exists()


def test_the_admin_asks_why_before_suspending(client, student, employer_message, platform_admin):
    report = services.report_create(
        actor=student, subject=employer_message, reason=Reason.SCAM, details="x"
    )
    client.force_login(platform_admin)

    response = client.post(
        reverse("admin:safety_report_change", args=[report.pk]),
        {"suspend_user": "on", "suspension_reason": "", "outcome": "", "close_as": ""},
    )

    assert response.status_code == 200
    assert "Say why before suspending." in response.content.decode()
    assert employer_message.author.is_active


def test_career_staff_see_only_reports_about_their_own_students(
    client, school, career_staff, other_school_staff, student
):
    ours = services.report_create(
        actor=student, subject=ProjectFactory(title="Reported by ours"), reason="scam", details="x"
    )
    theirs_student = StudentFactory().user
    theirs = services.report_create(
        actor=theirs_student,
        subject=ProjectFactory(title="Reported by theirs"),
        reason="scam",
        details="x",
    )
    client.force_login(career_staff)

    listing = client.get(reverse("admin:safety_report_changelist")).content.decode()
    assert "Reported by ours" in listing
    assert "Reported by theirs" not in listing
    assert client.get(reverse("admin:safety_report_change", args=[ours.pk])).status_code == 200
    hidden = client.get(reverse("admin:safety_report_change", args=[theirs.pk]))
    assert hidden.status_code == 404
    assert b"not available to your account" in hidden.content
    # Read-only: posting changes nothing.
    client.post(
        reverse("admin:safety_report_change", args=[ours.pk]),
        {"outcome": "done", "close_as": "resolved"},
    )
    ours.refresh_from_db()
    assert ours.is_open


def test_career_staff_read_a_report_about_a_message_without_its_text(
    client, student, career_staff, employer_message
):
    report = services.report_create(
        actor=student, subject=employer_message, reason=Reason.HARASSMENT, details="Rude."
    )
    client.force_login(career_staff)

    listing = client.get(reverse("admin:safety_report_changelist")).content.decode()
    page = client.get(reverse("admin:safety_report_change", args=[report.pk])).content.decode()

    assert "a message from" in listing
    assert "nobody hires you" not in listing
    assert "Rude." in page
    assert "nobody hires you" not in page
