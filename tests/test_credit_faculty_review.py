"""The faculty member's review: an emailed link that needs no account, opens one request
only, is never cached or indexed, expires, and is spent by the decision."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from outcomes.credit import services
from outcomes.credit.models import CreditStatus, FacultyReviewLink
from tests.credit_helpers import faculty_token, submitted, with_faculty
from tests.factories import StudentFactory
from tests.helpers import run_after_commit

pytestmark = pytest.mark.django_db


def review_url(token):
    return reverse("outcomes:credit_faculty", args=[token])


def test_the_link_opens_the_whole_file_without_an_account_and_is_never_cached(
    client, student, career_staff
):
    request, token = with_faculty(student, career_staff)

    response = client.get(review_url(token))

    assert response.status_code == 200
    page = response.content.decode()
    assert request.engagement.project.title in page
    assert request.engagement.organization.name in page
    assert "Time log: 20 hours" in page
    assert "Feedback sessions" in page
    assert "The employer's final evaluation" in page
    assert "The student's reflection" in page
    assert '<meta name="robots" content="noindex, nofollow, noarchive">' in page
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow, noarchive"
    assert response["Referrer-Policy"] == "same-origin"
    link = FacultyReviewLink.objects.get(request=request)
    assert link.last_opened_at is not None
    assert AuditEvent.objects.filter(action="credit.faculty_link_opened").count() == 1
    client.get(review_url(token))
    assert AuditEvent.objects.filter(action="credit.faculty_link_opened").count() == 1


def test_the_faculty_member_approves_and_everyone_is_told(client, student, career_staff):
    request, token = with_faculty(student, career_staff)
    mail.outbox.clear()

    response = client.post(
        review_url(token), {"decision": "approve", "name": "Prof. Dana Lee", "comment": ""}
    )
    run_after_commit(keep_mail=True)

    assert response.status_code == 200
    assert "Your decision is recorded" in response.content.decode()
    request.refresh_from_db()
    assert request.status == CreditStatus.APPROVED
    step = request.steps.get(role="faculty")
    assert (step.decision, step.actor_name, step.actor_email, step.actor) == (
        "approved",
        "Prof. Dana Lee",
        "prof.lee@northbridge.edu",
        None,
    )
    assert {tuple(m.to) for m in mail.outbox} == {(student.email,), (career_staff.email,)}
    assert AuditEvent.objects.filter(action="credit.faculty_approved").exists()


def test_a_used_link_no_longer_opens_the_request(client, student, career_staff):
    _request, token = with_faculty(student, career_staff)
    client.post(review_url(token), {"decision": "approve", "name": "Dana Lee"})

    again = client.get(review_url(token))
    replay = client.post(review_url(token), {"decision": "return", "name": "X", "comment": "No"})

    assert again.status_code == replay.status_code == 410
    assert "no longer opens the request" in again.content.decode()
    assert _request.engagement.project.title not in again.content.decode()
    assert _request.steps.filter(role="faculty").count() == 1


def test_an_expired_link_shows_nothing_and_career_services_send_a_new_one(
    client, student, career_staff
):
    request, token = with_faculty(student, career_staff)
    later = timezone.now() + timedelta(days=settings.CREDIT_FACULTY_LINK_DAYS, minutes=1)

    with time_machine.travel(later, tick=False):
        expired = client.get(review_url(token))
        refused = client.post(review_url(token), {"decision": "approve", "name": "Dana Lee"})

    assert expired.status_code == refused.status_code == 410
    assert "expired" in expired.content.decode()
    assert request.engagement.project.title not in expired.content.decode()
    request.refresh_from_db()
    assert request.status == CreditStatus.WITH_FACULTY

    with time_machine.travel(later, tick=False):
        services.credit_faculty_link_renew(actor=career_staff, request=request)
        run_after_commit(keep_mail=True)
        fresh = faculty_token()
        assert client.get(review_url(fresh)).status_code == 200
        assert client.get(review_url(token)).status_code == 410


def test_an_unknown_token_is_not_found(client, student, career_staff):
    with_faculty(student, career_staff)

    assert client.get(review_url("not-a-real-token")).status_code == 404
    assert client.get(review_url("x" * 150)).status_code == 404


def test_a_link_opens_its_own_request_only(client, student, school, career_staff):
    first, first_token = with_faculty(student, career_staff)
    second_student = StudentFactory(school=school).user
    second, _ = with_faculty(second_student, career_staff, faculty_email="dean@northbridge.edu")

    page = client.get(review_url(first_token)).content.decode()

    assert first.engagement.project.title in page
    assert second.engagement.project.title not in page
    assert second_student.get_full_name() not in page


def test_returning_needs_a_comment_beside_the_field_and_keeps_the_link(
    client, student, career_staff
):
    request, token = with_faculty(student, career_staff)

    response = client.post(review_url(token), {"decision": "return", "name": "Dana Lee"})

    assert response.status_code == 400
    assert "Tell the student what to change." in response.content.decode()
    request.refresh_from_db()
    assert request.status == CreditStatus.WITH_FACULTY
    assert FacultyReviewLink.objects.get(request=request).used_at is None


def test_the_faculty_member_returns_it_and_the_student_may_resend(client, student, career_staff):
    request, token = with_faculty(student, career_staff)

    client.post(
        review_url(token),
        {"decision": "return", "name": "Dana Lee", "comment": "Add the reflection first."},
    )
    run_after_commit(keep_mail=True)

    request.refresh_from_db()
    assert request.status == CreditStatus.RETURNED
    assert Notification.objects.filter(recipient=student, kind="credit").count() == 2
    services.credit_request_resubmit(
        actor=student, request=request, course_code="BUS 390", term_name="Spring 2027"
    )
    request.refresh_from_db()
    assert request.status == CreditStatus.SUBMITTED
    assert request.faculty_email == ""


def test_a_withdrawn_request_closes_the_faculty_link(client, student, career_staff):
    request, token = with_faculty(student, career_staff)

    services.credit_request_withdraw(actor=student, request=request)

    assert client.get(review_url(token)).status_code == 410


def test_the_database_keeps_one_live_link_per_request(student, career_staff):
    request = submitted(student)
    services.credit_request_staff_approve(
        actor=career_staff, request=request, faculty_email="a@example.edu"
    )
    services.credit_faculty_link_renew(actor=career_staff, request=request)

    live = FacultyReviewLink.objects.filter(
        request=request, used_at__isnull=True, revoked_at__isnull=True
    )
    assert live.count() == 1
    assert FacultyReviewLink.objects.filter(request=request).count() == 2


def test_approvers_read_the_reflection_even_when_it_is_kept_off_the_record(
    client, student, career_staff
):
    from outcomes.reflections import ReflectionData, reflection_submit

    request, token = with_faculty(student, career_staff)
    text = "I learned to plan interviews around a clear question. " + "word " * 320
    reflection_submit(
        actor=student,
        engagement=request.engagement,
        data=ReflectionData(text=text, share_on_record=False, notes={}),
    )

    faculty_page = client.get(review_url(token)).content.decode()
    client.force_login(career_staff)
    staff_page = client.get(reverse("outcomes:credit_review", args=[request.pk])).content.decode()

    for page in (faculty_page, staff_page):
        assert "I learned to plan interviews around a clear question." in page
        assert "has not written a reflection" not in page
