"""A student who changes their declared work authorization: a change that would lift the
block on acceptance goes to their school's career services, who verify or reject it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    AuditEvent,
    AuthorizationStatus,
    AuthorizedSchedule,
    Notification,
    StudentProfile,
    WorkAuthorization,
)
from accounts.selectors import acceptance_blocker
from engagements import services as engagement_services
from projects.models import ApplicationStatus
from tests.factories import (
    ApplicationFactory,
    OrganizationFactory,
    ProjectFactory,
    StudentFactory,
    employer_of,
)
from tests.test_profiles import student_form

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
US = WorkAuthorization.US_AUTHORIZED


def cpt_student(school, status=AuthorizationStatus.PENDING):
    today = timezone.localdate()
    return StudentFactory(
        school=school,
        work_authorization=WorkAuthorization.F1_CPT,
        work_authorization_status=status,
        authorization_valid_from=today - 10 * DAY,
        authorization_valid_until=today + 90 * DAY,
        cpt_organization=OrganizationFactory(verified=True),
        authorized_schedule=AuthorizedSchedule.PART_TIME,
    )


def redeclare(client, profile, authorization=US):
    client.force_login(profile.user)
    response = client.post(
        reverse("profile"), student_form(profile.school, work_authorization=authorization)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    profile.refresh_from_db()
    return profile


def applicant_of_verified_org(profile):
    project = ProjectFactory()
    application = ApplicationFactory(project=project, student=profile.user)
    return employer_of(project), application


def test_a_pending_cpt_student_redeclaring_us_citizen_stays_blocked(client, school, on_commit):
    profile = cpt_student(school)
    employer, application = applicant_of_verified_org(profile)

    with on_commit():
        profile = redeclare(client, profile)

    assert profile.work_authorization == US
    assert profile.work_authorization_status == AuthorizationStatus.PENDING
    assert profile.authorization_changed_from == WorkAuthorization.F1_CPT
    assert "awaiting verification" in acceptance_blocker(profile)
    with pytest.raises(ValidationError, match="awaiting verification"):
        engagement_services.application_accept(actor=employer, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    page = client.get(reverse("student_dashboard")).content.decode()
    assert "You changed your declared status from F-1 student, Curricular Practical" in page


def test_career_staff_see_the_declared_change_in_their_queue(
    client, school, career_staff, on_commit
):
    profile = cpt_student(school)
    with on_commit():
        redeclare(client, profile)

    assert [m.to for m in mail.outbox] == [[career_staff.email]]
    assert "changed their work authorization" in mail.outbox[0].subject
    assert "declared change from F-1 student, Curricular Practical Training (CPT) to US" in (
        mail.outbox[0].body
    )
    client.force_login(career_staff)
    queue = client.get(
        reverse("admin:accounts_studentprofile_changelist"), {"authorization": "pending"}
    ).content.decode()
    assert "declared change from F-1 student, Curricular Practical Training (CPT) to US" in queue
    dashboard = client.get(reverse("career_staff_dashboard")).content.decode()
    assert "Declared change from F-1 student, Curricular Practical Training (CPT) to US" in (
        dashboard
    )
    review = client.get(
        reverse("admin:accounts_studentprofile_authorization", args=[profile.pk])
    ).content.decode()
    assert "Declared change from F-1 student, Curricular Practical Training (CPT) to US" in review


def test_verifying_the_change_lifts_the_block_and_is_audited(
    client, school, career_staff, on_commit
):
    profile = redeclare(client, cpt_student(school))
    employer, application = applicant_of_verified_org(profile)
    client.force_login(career_staff)
    url = reverse("admin:accounts_studentprofile_authorization", args=[profile.pk])

    with on_commit():
        response = client.post(url, {"decision": "verify"})

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.work_authorization_status == AuthorizationStatus.VERIFIED
    # A citizenship has no end date: the CPT's dates no longer apply.
    assert (profile.authorization_valid_from, profile.authorization_valid_until) == (None, None)
    assert acceptance_blocker(profile) == ""
    event = AuditEvent.objects.get(action="work_authorization.verified")
    assert event.actor == career_staff
    assert event.data["declared_before"] == WorkAuthorization.F1_CPT
    assert "declared change from F-1" in event.summary
    assert Notification.objects.filter(
        recipient=profile.user, kind="work_authorization.reviewed"
    ).exists()
    engagement = engagement_services.application_accept(actor=employer, application=application)
    assert engagement.student == profile.user


def test_rejecting_the_change_keeps_the_block_and_tells_the_student_why(
    client, school, career_staff, on_commit
):
    profile = redeclare(client, cpt_student(school))
    client.force_login(career_staff)
    url = reverse("admin:accounts_studentprofile_authorization", args=[profile.pk])

    with on_commit():
        client.post(url, {"decision": "reject", "reason": "Your I-20 shows you are on F-1."})

    profile.refresh_from_db()
    assert profile.work_authorization_status == AuthorizationStatus.REJECTED
    assert "not verified" in acceptance_blocker(profile)
    event = AuditEvent.objects.get(action="work_authorization.rejected")
    assert event.data["reason"] == "Your I-20 shows you are on F-1."
    assert event.data["declared_before"] == WorkAuthorization.F1_CPT
    note = Notification.objects.get(recipient=profile.user, kind="work_authorization.reviewed")
    assert note.message == "Career services could not verify your work authorization"
    client.force_login(profile.user)
    page = client.get(reverse("student_dashboard")).content.decode()
    assert "Your I-20 shows you are on F-1." in page


def test_a_verified_cpt_that_redeclares_is_checked_again(client, school):
    profile = redeclare(client, cpt_student(school, status=AuthorizationStatus.VERIFIED))

    assert profile.work_authorization_status == AuthorizationStatus.PENDING
    assert acceptance_blocker(profile) != ""


def test_not_authorized_then_us_citizen_is_checked_too(client, school):
    profile = StudentFactory(
        school=school,
        work_authorization=WorkAuthorization.NOT_AUTHORIZED,
        work_authorization_status=AuthorizationStatus.NOT_AUTHORIZED,
    )

    profile = redeclare(client, profile)

    assert profile.work_authorization_status == AuthorizationStatus.PENDING
    assert profile.authorization_changed_from == WorkAuthorization.NOT_AUTHORIZED
    assert acceptance_blocker(profile) != ""


def test_a_us_citizen_from_sign_up_needs_no_check_and_keeps_none(client, school):
    profile = StudentFactory(school=school)  # declared US citizen when signing up

    profile = redeclare(client, profile)

    assert profile.work_authorization_status == AuthorizationStatus.NOT_REQUIRED
    assert profile.authorization_changed_from == ""
    assert acceptance_blocker(profile) == ""


def test_changing_back_to_a_visa_goes_to_the_queue_as_a_document(client, school):
    profile = redeclare(client, cpt_student(school))

    profile = redeclare(client, profile, WorkAuthorization.F1_OPT)

    assert profile.work_authorization_status == AuthorizationStatus.PENDING
    assert profile.authorization_changed_from == US


def test_the_database_refuses_a_us_review_without_a_declared_change(school):
    profile = StudentFactory(school=school)

    with pytest.raises(IntegrityError), transaction.atomic():
        StudentProfile.objects.filter(pk=profile.pk).update(
            work_authorization_status=AuthorizationStatus.VERIFIED
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        StudentProfile.objects.filter(pk=profile.pk).update(
            authorization_changed_from=WorkAuthorization.F1_CPT
        )
