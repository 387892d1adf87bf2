"""Work authorization: the student's document and dates, career services' review, what the
student sees, who may open the document; and suspending an employer."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts import services
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
from projects import applications
from projects.models import Application, ApplicationStatus, Project, ProjectStatus
from projects.services import project_publish
from tests.factories import (
    ApplicationFactory,
    EmployerFactory,
    OrganizationFactory,
    ProjectFactory,
    StudentFactory,
    employer_of,
)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name="i20.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def profile_form(school, /, **overrides):
    today = timezone.localdate()
    data = {
        "account-first_name": "Amara",
        "account-last_name": "Okafor",
        "account-time_zone": "America/Chicago",
        "school": school.pk,
        "major": "Statistics",
        "graduation_year": today.year + 1,
        "other_skills": "Excel, Research",
        "bio": "I like numbers.",
        "linkedin_url": "",
        "github_url": "",
        "portfolio_url": "",
        "work_authorization": WorkAuthorization.F1_CPT,
        "authorization_valid_from": (today - 10 * DAY).isoformat(),
        "authorization_valid_until": (today + 90 * DAY).isoformat(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def cpt_student(school, **fields):
    today = timezone.localdate()
    values = {
        "work_authorization": WorkAuthorization.F1_CPT,
        "work_authorization_status": AuthorizationStatus.PENDING,
        "authorization_valid_from": today - 10 * DAY,
        "authorization_valid_until": today + 90 * DAY,
        "cpt_organization": OrganizationFactory(verified=True),
        "authorized_schedule": AuthorizedSchedule.PART_TIME,
        **fields,
    }
    return StudentFactory(school=school, **values)


def with_document(profile, name="i20.pdf", content=PDF):
    profile.authorization_document.save(name, upload(name, content), save=False)
    profile.authorization_document_name = name
    profile.save()
    return profile


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("student_dashboard"))
    assert response.status_code == 200
    return response.content.decode()


# --- The student declares and uploads -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("i20.pdf", PDF, "application/pdf"), ("ead-card.png", PNG, "image/png")],
)
def test_a_student_uploads_a_document_with_its_dates(
    client, school, career_staff, on_commit, name, content, content_type
):
    student = StudentFactory(school=school).user  # a US citizen so far
    client.force_login(student)

    with on_commit():
        response = client.post(
            reverse("profile"),
            profile_form(school, authorization_document=upload(name, content, content_type)),
        )

    assert response.status_code == 302
    profile = StudentProfile.objects.get(user=student)
    assert profile.work_authorization_status == AuthorizationStatus.PENDING
    assert profile.authorization_document_name == name
    assert profile.authorization_document.read() == content
    assert profile.authorization_valid_until == timezone.localdate() + 90 * DAY
    assert [m.to for m in mail.outbox] == [[career_staff.email]]


def test_other_kinds_of_file_are_refused(client, student, school):
    client.force_login(student)

    response = client.post(
        reverse("profile"),
        profile_form(
            school,
            authorization_document=upload(
                "i20.docx", b"PK\x03\x04 word", "application/vnd.openxmlformats"
            ),
        ),
    )

    assert response.status_code == 200
    assert "Upload a PDF, PNG or JPEG file." in response.content.decode()
    assert not StudentProfile.objects.get(user=student).authorization_document


def test_a_file_that_is_not_what_its_name_says_is_refused(client, student, school):
    client.force_login(student)

    response = client.post(
        reverse("profile"),
        profile_form(school, authorization_document=upload("i20.pdf", b"MZ\x90\x00 program")),
    )

    assert response.status_code == 200
    assert "This file is not the kind its name says." in response.content.decode()


def test_an_end_date_before_the_start_is_refused(client, student, school):
    client.force_login(student)
    today = timezone.localdate()

    response = client.post(
        reverse("profile"),
        profile_form(
            school,
            authorization_document=upload(),
            authorization_valid_from=today.isoformat(),
            authorization_valid_until=(today - DAY).isoformat(),
        ),
    )

    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    profile = StudentProfile.objects.get(user=student)
    assert profile.work_authorization == WorkAuthorization.US_AUTHORIZED


def test_a_new_document_after_a_refusal_goes_back_to_career_services(
    client, school, career_staff, on_commit
):
    profile = with_document(cpt_student(school))
    services.work_authorization_reject(actor=career_staff, profile=profile, reason="Blurry scan")
    old_name = StudentProfile.objects.get(pk=profile.pk).authorization_document.name
    client.force_login(profile.user)
    mail.outbox.clear()

    with on_commit():
        client.post(
            reverse("profile"),
            profile_form(
                school,
                authorization_document=upload("clear.pdf"),
                authorization_valid_from=profile.authorization_valid_from.isoformat(),
                authorization_valid_until=profile.authorization_valid_until.isoformat(),
            ),
        )

    profile.refresh_from_db()
    assert profile.work_authorization_status == AuthorizationStatus.PENDING
    assert profile.work_authorization_note == ""
    assert profile.authorization_document_name == "clear.pdf"
    assert not profile.authorization_document.storage.exists(old_name)
    assert [m.to for m in mail.outbox] == [[career_staff.email]]


# --- Career services review ------------------------------------------------------------------


def test_staff_of_the_students_school_verify(school, career_staff):
    profile = with_document(cpt_student(school))

    services.work_authorization_verify(actor=career_staff, profile=profile)

    profile.refresh_from_db()
    assert profile.work_authorization_status == AuthorizationStatus.VERIFIED
    assert profile.authorization_reviewed_by == career_staff
    assert profile.authorization_reviewed_at is not None
    told = Notification.objects.get(recipient=profile.user, kind="work_authorization.reviewed")
    assert told.message == "Career services verified your work authorization"
    assert AuditEvent.objects.filter(action="work_authorization.verified").exists()
    assert acceptance_blocker(profile) == ""


def test_verifying_twice_tells_the_student_once(school, career_staff):
    profile = cpt_student(school)

    services.work_authorization_verify(actor=career_staff, profile=profile)
    services.work_authorization_verify(actor=career_staff, profile=profile)

    assert Notification.objects.filter(recipient=profile.user).count() == 1


def test_a_platform_admin_may_verify(school, platform_admin):
    profile = cpt_student(school)

    services.work_authorization_verify(actor=platform_admin, profile=profile)

    profile.refresh_from_db()
    assert profile.work_authorization_status == AuthorizationStatus.VERIFIED


def test_staff_of_another_school_cannot_review(school, other_school_staff):
    profile = cpt_student(school)

    with pytest.raises(PermissionDenied):
        services.work_authorization_verify(actor=other_school_staff, profile=profile)
    with pytest.raises(PermissionDenied):
        services.work_authorization_reject(
            actor=other_school_staff, profile=profile, reason="Not ours"
        )

    profile.refresh_from_db()
    assert profile.work_authorization_status == AuthorizationStatus.PENDING


def test_a_cpt_is_verified_between_two_dates(school, career_staff):
    profile = cpt_student(school, authorization_valid_from=None, authorization_valid_until=None)

    with pytest.raises(ValidationError) as error:
        services.work_authorization_verify(actor=career_staff, profile=profile)

    assert list(error.value.error_dict) == ["valid_until"]


def test_an_expired_document_cannot_be_verified(school, career_staff):
    profile = cpt_student(
        school,
        authorization_valid_from=timezone.localdate() - 100 * DAY,
        authorization_valid_until=timezone.localdate() - DAY,
    )

    with pytest.raises(ValidationError):
        services.work_authorization_verify(actor=career_staff, profile=profile)


def test_a_rejection_needs_a_reason(school, career_staff):
    profile = cpt_student(school)

    with pytest.raises(ValidationError) as error:
        services.work_authorization_reject(actor=career_staff, profile=profile, reason="  ")

    assert list(error.value.error_dict) == ["reason"]


def test_the_student_sees_why_it_was_not_verified(client, school, career_staff):
    profile = cpt_student(school)

    services.work_authorization_reject(
        actor=career_staff, profile=profile, reason="The I-20 page does not show CPT dates."
    )

    page = dashboard(client, profile.user)
    assert "Not verified by career services" in page
    assert "Reason from career services: The I-20 page does not show CPT dates." in page
    told = Notification.objects.get(recipient=profile.user, kind="work_authorization.reviewed")
    assert told.message == "Career services could not verify your work authorization"
    profile.refresh_from_db()
    assert "was not verified" in acceptance_blocker(profile)


# --- What the student sees, and what blocks acceptance ------------------------------------------


def test_a_verified_authorization_shows_its_dates(client, school, career_staff):
    profile = cpt_student(school)
    services.work_authorization_verify(actor=career_staff, profile=profile)

    page = dashboard(client, profile.user)

    assert "Verified by career services" in page
    until = profile.authorization_valid_until
    assert f"until {until:%b} {until.day}, {until.year}" in page


def test_a_pending_authorization_says_career_services_will_check(client, school):
    page = dashboard(client, cpt_student(school).user)

    assert "Awaiting career services verification" in page


def test_a_verified_cpt_past_its_end_date_blocks_acceptance_and_shows_as_expired(
    client, school, career_staff
):
    profile = cpt_student(school)
    services.work_authorization_verify(actor=career_staff, profile=profile)
    StudentProfile.objects.filter(pk=profile.pk).update(
        authorization_valid_until=timezone.localdate() - DAY
    )
    profile.refresh_from_db()
    application = ApplicationFactory(student=profile.user)

    assert "expired" in acceptance_blocker(profile)
    with pytest.raises(ValidationError):
        engagement_services.application_accept(
            actor=employer_of(application.project), application=application
        )
    page = dashboard(client, profile.user)
    assert ">Expired</span>" in page
    assert "Verified by career services" not in page


def test_a_verified_cpt_not_yet_valid_blocks_acceptance(school, career_staff):
    profile = cpt_student(school)
    services.work_authorization_verify(
        actor=career_staff,
        profile=profile,
        valid_from=timezone.localdate() + 5 * DAY,
        valid_until=timezone.localdate() + 60 * DAY,
    )
    profile.refresh_from_db()

    assert "valid only from" in acceptance_blocker(profile)
    application = ApplicationFactory(student=profile.user)
    with pytest.raises(ValidationError):
        engagement_services.application_accept(
            actor=employer_of(application.project), application=application
        )


def test_a_cpt_starting_today_and_ending_on_the_due_date_can_be_accepted(school, career_staff):
    profile = cpt_student(
        school,
        authorization_valid_from=timezone.localdate(),
        authorization_valid_until=timezone.localdate() + 7 * DAY,
    )
    services.work_authorization_verify(actor=career_staff, profile=profile)
    profile.refresh_from_db()
    application = ApplicationFactory(
        student=profile.user,
        project=ProjectFactory(organization=profile.cpt_organization, days_to_complete=7),
    )

    engagement = engagement_services.application_accept(
        actor=employer_of(application.project), application=application
    )

    assert engagement.student == profile.user


# --- Who may open the document -------------------------------------------------------------------


@pytest.fixture
def documented(school):
    return with_document(cpt_student(school), name="my-i20.pdf")


def document_url(profile):
    return reverse("authorization_document", kwargs={"student_id": profile.user_id})


@pytest.mark.parametrize("who", ["student", "career_staff", "platform_admin"])
def test_the_student_their_schools_staff_and_admins_open_the_document(
    client, documented, career_staff, platform_admin, who
):
    viewer = {
        "student": documented.user,
        "career_staff": career_staff,
        "platform_admin": platform_admin,
    }[who]
    client.force_login(viewer)

    response = client.get(document_url(documented))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "my-i20.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_everyone_else_gets_not_found(client, documented, other_school_staff, other_student):
    # Even an employer who shortlisted the student: the document is never theirs to see.
    application = ApplicationFactory(student=documented.user)
    applications.application_shortlist(
        actor=employer_of(application.project), application=application
    )
    for viewer in (other_school_staff, other_student, employer_of(application.project)):
        client.force_login(viewer)
        assert client.get(document_url(documented)).status_code == 404
    client.logout()
    assert client.get(document_url(documented)).status_code == 404


def test_no_document_is_not_found(client, school, career_staff):
    client.force_login(career_staff)

    assert client.get(document_url(cpt_student(school))).status_code == 404


# --- Suspending an employer --------------------------------------------------------------------


@pytest.fixture
def employer_with_applicants(db):
    project = ProjectFactory()
    waiting = [
        ApplicationFactory(project=project),
        ApplicationFactory(project=project),
    ]
    applications.application_shortlist(actor=employer_of(project), application=waiting[1])
    draft = ProjectFactory(organization=project.organization, draft=True)
    return project, waiting, draft


def test_suspending_closes_open_projects_and_tells_the_applicants(
    employer_with_applicants, platform_admin, on_commit
):
    project, waiting, draft = employer_with_applicants
    org = project.organization

    with on_commit():
        services.organization_suspend(
            actor=platform_admin, organization=org, reason="Unpaid students reported"
        )

    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    for application in waiting:
        application.refresh_from_db()
        assert application.status == ApplicationStatus.DECLINED
        assert application.decline_message
        assert Notification.objects.filter(
            recipient=application.student, kind="project.closed"
        ).exists()
    org.refresh_from_db()
    assert org.suspension_reason == "Unpaid students reported"
    assert org.is_verified is False
    assert Notification.objects.filter(
        recipient=employer_of(project), kind="organization.suspended"
    ).exists()
    assert AuditEvent.objects.filter(action="organization.suspended").count() == 1
    closing = AuditEvent.objects.get(action="organization.projects_closed")
    assert closing.data["projects_closed"] == 1
    with pytest.raises(ValidationError):
        project_publish(actor=employer_of(project), project=draft)


def test_only_admins_suspend_and_always_with_a_reason(
    employer_with_applicants, career_staff, platform_admin
):
    project, _, _ = employer_with_applicants

    with pytest.raises(PermissionDenied):
        services.organization_suspend(
            actor=career_staff, organization=project.organization, reason="No"
        )
    with pytest.raises(PermissionDenied):
        services.organization_suspend(
            actor=employer_of(project), organization=project.organization, reason="No"
        )
    with pytest.raises(ValidationError) as error:
        services.organization_suspend(
            actor=platform_admin, organization=project.organization, reason=" "
        )

    assert list(error.value.error_dict) == ["reason"]
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.OPEN


def test_reinstating_restores_verification_but_not_the_closed_projects(
    employer_with_applicants, platform_admin, on_commit
):
    project, waiting, draft = employer_with_applicants
    org = project.organization
    with on_commit():
        services.organization_suspend(actor=platform_admin, organization=org, reason="Checking")

    services.organization_reinstate(actor=platform_admin, organization=org)

    org.refresh_from_db()
    assert org.is_verified is True
    assert org.suspended_at is None
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    assert Application.objects.filter(pk=waiting[0].pk, status="declined").exists()
    assert project_publish(actor=employer_of(project), project=draft).status == ProjectStatus.OPEN
    assert AuditEvent.objects.filter(action="organization.reinstated").exists()


def test_only_admins_reinstate(employer_with_applicants, platform_admin):
    project, _, _ = employer_with_applicants
    org = project.organization
    services.organization_suspend(actor=platform_admin, organization=org, reason="Checking")

    with pytest.raises(PermissionDenied):
        services.organization_reinstate(actor=employer_of(project), organization=org)

    org.refresh_from_db()
    assert org.suspended_at is not None


def test_an_unrelated_organization_is_untouched(employer_with_applicants, platform_admin):
    project, _, _ = employer_with_applicants
    other = ProjectFactory(organization=EmployerFactory(organization__verified=True).organization)

    services.organization_suspend(
        actor=platform_admin, organization=project.organization, reason="Checking"
    )

    assert Project.objects.get(pk=other.pk).status == ProjectStatus.OPEN
