"""The academic credit pages: the student's list and forms, career services' queue, review,
policy and registrar CSV; who may open which; bounded queries on the lists."""

import csv
import io
import zoneinfo
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AcademicTerm
from outcomes.credit import services
from outcomes.credit.models import CreditPolicy, CreditRequest, CreditStatus
from tests.credit_helpers import approved_work, submitted
from tests.factories import CareerStaffFactory, StudentFactory
from tests.helpers import run_after_commit

pytestmark = pytest.mark.django_db


# --- The student ------------------------------------------------------------------------------


def test_a_student_asks_for_credit_from_the_credit_page(client, student):
    engagement = approved_work(student)
    client.force_login(student)

    page = client.get(reverse("outcomes:credit_requests")).content.decode()
    assert engagement.project.title in page

    response = client.post(
        reverse("outcomes:credit_request_new", args=[engagement.pk]),
        {"course_code": "mktg 4960a", "term_name": "Spring 2027", "student_number": "N-1234"},
    )

    request = CreditRequest.objects.get(engagement=engagement)
    assert response.status_code == 302
    assert response.url == reverse("outcomes:credit_request", args=[request.pk])
    assert (request.course_code, request.student_number) == ("MKTG 4960A", "N-1234")
    detail = client.get(response.url).content.decode()
    assert "With career services" in detail
    assert "Waiting for career services." in detail


def test_a_bad_course_code_is_shown_beside_its_field_and_nothing_is_saved(client, student):
    engagement = approved_work(student)
    client.force_login(student)

    response = client.post(
        reverse("outcomes:credit_request_new", args=[engagement.pk]),
        {"course_code": "Internship!", "term_name": "", "student_number": "no spaces please"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a course code" in page
    assert "This field is required." in page
    assert "letters, digits and hyphens" in page
    assert not CreditRequest.objects.exists()


def test_with_a_calendar_the_student_picks_one_of_the_schools_terms(client, student, school):
    term = AcademicTerm.objects.create(
        school=school, name="Spring 2027", starts_on="2027-01-10", ends_on="2027-05-10"
    )
    engagement = approved_work(student)
    client.force_login(student)

    page = client.get(reverse("outcomes:credit_request_new", args=[engagement.pk])).content
    assert b"Spring 2027 (Jan 10" in page
    client.post(
        reverse("outcomes:credit_request_new", args=[engagement.pk]),
        {"course_code": "BUS 390", "term": term.pk},
    )

    assert CreditRequest.objects.get(engagement=engagement).term == term


def test_another_students_engagement_cannot_be_asked_for(client, student, other_student):
    engagement = approved_work(student)
    client.force_login(other_student)

    response = client.post(
        reverse("outcomes:credit_request_new", args=[engagement.pk]),
        {"course_code": "BUS 390", "term_name": "Spring 2027"},
    )

    assert response.status_code == 404
    assert not CreditRequest.objects.exists()


def test_a_returned_request_is_changed_and_sent_again_from_its_page(client, student, career_staff):
    request = submitted(student)
    services.credit_request_staff_return(
        actor=career_staff, request=request, comment="Use the 391 section."
    )
    client.force_login(student)
    url = reverse("outcomes:credit_request", args=[request.pk])

    page = client.get(url).content.decode()
    assert "Use the 391 section." in page
    client.post(url, {"course_code": "BUS 391", "term_name": "Spring 2027"})

    request.refresh_from_db()
    assert (request.status, request.course_code) == (CreditStatus.SUBMITTED, "BUS 391")


def test_the_student_withdraws_from_the_request_page(client, student):
    request = submitted(student)
    client.force_login(student)

    client.post(reverse("outcomes:credit_withdraw", args=[request.pk]))

    request.refresh_from_db()
    assert request.status == CreditStatus.WITHDRAWN


def test_the_students_list_runs_the_same_queries_for_2_or_6_requests(
    client, student, django_assert_max_num_queries
):
    for _ in range(2):
        submitted(student)
    client.force_login(student)
    url = reverse("outcomes:credit_requests")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(4):
        submitted(student)
    with django_assert_max_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert page.count("BUS 390") == 6


# --- Career services --------------------------------------------------------------------------


def test_career_services_approve_from_the_review_page(client, student, career_staff):
    request = submitted(student)
    client.force_login(career_staff)
    url = reverse("outcomes:credit_review", args=[request.pk])

    page = client.get(url).content.decode()
    assert "Time log: 20 hours" in page
    response = client.post(
        url,
        {
            "action": "approve",
            "faculty_email": "prof.lee@northbridge.edu",
            "faculty_name": "Dana Lee",
            "comment": "",
        },
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == CreditStatus.WITH_FACULTY
    assert "not opened yet" in client.get(url).content.decode()


def test_a_bad_faculty_email_is_shown_beside_the_field(client, student, career_staff):
    request = submitted(student)
    client.force_login(career_staff)

    response = client.post(
        reverse("outcomes:credit_review", args=[request.pk]),
        {"action": "approve", "faculty_email": "not an email"},
    )

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    request.refresh_from_db()
    assert request.status == CreditStatus.SUBMITTED


def test_returning_without_a_comment_is_refused_beside_the_field(client, student, career_staff):
    request = submitted(student)
    client.force_login(career_staff)

    response = client.post(
        reverse("outcomes:credit_review", args=[request.pk]), {"action": "return", "comment": ""}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_another_schools_request_is_not_found_for_staff(client, student, other_school_staff):
    request = submitted(student)
    client.force_login(other_school_staff)

    url = reverse("outcomes:credit_review", args=[request.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "approve"}).status_code == 404
    queue = client.get(reverse("outcomes:credit_queue")).content.decode()
    assert student.get_full_name() not in queue


def test_the_queue_runs_the_same_queries_for_2_or_8_requests(
    client, school, career_staff, django_assert_max_num_queries
):
    def students(n):
        for _ in range(n):
            submitted(StudentFactory(school=school).user)

    students(2)
    client.force_login(career_staff)
    url = reverse("outcomes:credit_queue") + "?status=all"
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    students(6)
    with django_assert_max_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert page.count("BUS 390") == 8


def test_career_services_change_the_policy_on_its_page(client, school, career_staff):
    client.force_login(career_staff)
    url = reverse("outcomes:credit_policy")

    refused = client.post(
        url, {"hours_per_credit": "0", "faculty_approval": "required", "default_faculty_email": ""}
    )
    assert refused.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in refused.content.decode()
    missing = client.post(
        url, {"hours_per_credit": "40", "faculty_approval": "required", "default_faculty_email": ""}
    )
    assert "Name the faculty member" in missing.content.decode()
    assert not CreditPolicy.objects.exists()

    client.post(
        url,
        {
            "hours_per_credit": "40",
            "faculty_approval": "required",
            "default_faculty_email": "Dean@Northbridge.edu",
        },
    )

    policy = CreditPolicy.objects.get(school=school)
    assert (policy.hours_per_credit, policy.default_faculty_email) == (40, "dean@northbridge.edu")


def test_the_dashboard_counts_the_requests_waiting(client, student, career_staff):
    submitted(student)
    client.force_login(career_staff)

    page = client.get(reverse("career_staff_dashboard")).content.decode()

    assert "1 credit request waits for you." in page


# --- The registrar's CSV ------------------------------------------------------------------------


def _rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_registrar_csv_lists_the_terms_approved_credit_safely(client, school, career_staff):
    spring = AcademicTerm.objects.create(
        school=school, name="Spring 2027", starts_on="2027-01-10", ends_on="2027-05-10"
    )
    fall = AcademicTerm.objects.create(
        school=school, name="Fall 2026", starts_on="2026-08-20", ends_on="2026-12-15"
    )
    student = StudentFactory(school=school, user__first_name="=HYPERLINK(1)").user
    approved = submitted(student, term_id=spring.pk, student_number="N-77")
    services.credit_request_staff_approve(actor=career_staff, request=approved)
    submitted(StudentFactory(school=school).user, term_id=spring.pk)  # not approved yet
    other_term = submitted(StudentFactory(school=school).user, term_id=fall.pk)
    services.credit_request_staff_approve(actor=career_staff, request=other_term)
    elsewhere = submitted(StudentFactory().user)
    services.credit_request_staff_approve(
        actor=CareerStaffFactory(school=elsewhere.school).user, request=elsewhere
    )
    run_after_commit()
    client.force_login(career_staff)

    response = client.get(reverse("outcomes:credit_csv"), {"term": spring.pk})

    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[0][:6] == ["Student", "Email", "Student ID", "Course code", "Term", "Credits"]
    assert len(rows) == 2
    row = rows[1]
    assert row[0].startswith("'=HYPERLINK(1)")
    assert row[2:7] == ["N-77", "BUS 390", "Spring 2027", "0.4", "20"]
    shown = timezone.localtime(
        CreditRequest.objects.get(pk=approved.pk).approved_at,
        zoneinfo.ZoneInfo(career_staff.time_zone),
    )
    assert row[10] == shown.date().isoformat()
    assert career_staff.get_full_name() + " (Career services)" in row[11]


def test_the_registrar_csv_by_date_range_and_its_errors(client, school, career_staff):
    approved = submitted(StudentFactory(school=school).user)
    services.credit_request_staff_approve(actor=career_staff, request=approved)
    client.force_login(career_staff)
    today = timezone.localdate()

    # The range is read in the viewer's zone: a day either side of today in UTC.
    around = {"start": today - timedelta(days=1), "end": today + timedelta(days=1)}
    rows = _rows(client.get(reverse("outcomes:credit_csv"), around))
    assert len(rows) == 2
    bad = client.get(reverse("outcomes:credit_csv"), {"start": today})
    assert bad.status_code == 400
    assert "Give both days of the range, or neither." in bad.content.decode()
    empty = client.get(reverse("outcomes:credit_csv"))
    assert "Choose a term or a range of days." in empty.content.decode()


# --- The admin ------------------------------------------------------------------------------------


def test_the_admin_shows_career_services_their_schools_requests_only_and_read_only(
    client, student, other_student, career_staff
):
    ours = submitted(student)
    theirs = submitted(other_student)
    client.force_login(career_staff)

    listing = client.get(reverse("admin:outcomes_creditrequest_changelist")).content.decode()
    assert student.get_full_name() in listing
    assert other_student.get_full_name() not in listing
    page = client.get(reverse("admin:outcomes_creditrequest_change", args=[ours.pk]))
    assert page.status_code == 200
    assert "token_hash" not in page.content.decode()
    assert b'name="course_code"' not in page.content
    elsewhere = client.get(reverse("admin:outcomes_creditrequest_change", args=[theirs.pk]))
    assert elsewhere.status_code == 404
