"""Applying, withdrawing and the employer's decisions, with blind review."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuthorizationStatus, Notification, WorkAuthorization
from engagements import services as engagement_services
from engagements.models import Engagement
from projects import applications
from projects.models import Application, ProjectStatus
from tests.factories import (
    ApplicationFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)

pytestmark = pytest.mark.django_db


def apply_form(project, **overrides):
    data = {
        "cover_note": "I have cleaned survey data before.",
        "confirmed_availability": "on",
        "consent": "on",
    }
    for question in project.questions.all():
        data[f"answer_{question.pk}"] = "A careful answer."
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_student_applies_with_a_note_and_answers_and_the_employer_is_told(
    client, on_commit, student
):
    project = ProjectFactory(questions=["Which tools do you use?", "When can you start?"])
    client.force_login(student)

    with on_commit():
        response = client.post(reverse("projects:apply", args=[project.pk]), apply_form(project))

    assert response.status_code == 302
    application = Application.objects.get(project=project, student=student)
    assert application.status == "submitted"
    assert application.confirmed_availability
    assert sorted(a.text for a in application.answers.all()) == ["A careful answer."] * 2
    employer = employer_of(project)
    assert [m.to for m in mail.outbox] == [[employer.email]]
    assert Notification.objects.filter(recipient=employer, kind="application.new").count() == 1
    dashboard = client.get(reverse("student_dashboard"))
    assert project.title.encode() in dashboard.content
    assert b"Submitted" in dashboard.content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"cover_note": ""}, "cover_note", "This field is required"),
        ({"cover_note": "x" * 2001}, "cover_note", "at most 2000 characters"),
        (
            {"confirmed_availability": None},
            "confirmed_availability",
            "Confirm you can do the hours",
        ),
    ],
)
def test_an_incomplete_application_is_refused_where_it_is_wrong(
    client, student, overrides, field, message
):
    project = ProjectFactory()
    client.force_login(student)

    response = client.post(
        reverse("projects:apply", args=[project.pk]), apply_form(project, **overrides)
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Application.objects.exists()


def test_every_screening_question_needs_an_answer(client, student):
    project = ProjectFactory(questions=["Why this project?"])
    question = project.questions.get()
    client.force_login(student)

    response = client.post(
        reverse("projects:apply", args=[project.pk]),
        apply_form(project, **{f"answer_{question.pk}": ""}),
    )

    assert response.status_code == 200
    assert f"answer_{question.pk}" in response.context["form"].errors
    assert not Application.objects.exists()


def test_a_student_applies_only_once(client, student):
    project = ProjectFactory()
    client.force_login(student)
    client.post(reverse("projects:apply", args=[project.pk]), apply_form(project))

    second = client.post(reverse("projects:apply", args=[project.pk]), apply_form(project))

    assert Application.objects.filter(project=project, student=student).count() == 1
    assert second.status_code == 302
    with pytest.raises(ValidationError, match="already applied"):
        applications.application_submit(
            student=student,
            project=project,
            data=applications.ApplicationData("Again", {}, True, consented=True),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            project=project, student=student, cover_note="x", consent_at=timezone.now()
        )


@pytest.mark.parametrize(
    "make_project",
    [
        lambda: ProjectFactory(status=ProjectStatus.CLOSED),
        lambda: ProjectFactory(status=ProjectStatus.CANCELLED),
        lambda: ProjectFactory(draft=True),
    ],
)
def test_applying_to_a_project_not_taking_applications_is_refused(student, make_project):
    project = make_project()

    with pytest.raises(ValidationError):
        applications.application_submit(
            student=student,
            project=project,
            data=applications.ApplicationData("Hello", {}, True, consented=True),
        )
    assert not Application.objects.exists()


def test_applying_after_the_apply_by_date_is_refused(client, student):
    from datetime import timedelta

    from projects.rules import apply_by_today

    # Apply-by days end at midnight in APPLY_BY_TIME_ZONE, whoever looks.
    project = ProjectFactory(apply_by=apply_by_today() - timedelta(days=1))
    client.force_login(student)

    response = client.post(reverse("projects:apply", args=[project.pk]), apply_form(project))

    assert response.status_code == 302
    assert not Application.objects.exists()


def test_a_student_withdraws_until_a_decision(client, student):
    application = ApplicationFactory(student=student)
    client.force_login(student)

    client.post(reverse("projects:withdraw", args=[application.pk]))

    application.refresh_from_db()
    assert application.status == "withdrawn"
    decided = ApplicationFactory(student=student, status="declined")
    client.post(reverse("projects:withdraw", args=[decided.pk]))
    decided.refresh_from_db()
    assert decided.status == "declined"


def test_review_is_blind_until_shortlisting(client, on_commit):
    profile = StudentFactory(major="Astrophysics")
    profile.user.first_name, profile.user.last_name = "Zelda", "Quigley"
    profile.user.save()
    application = ApplicationFactory(student=profile.user, cover_note="I love spreadsheets.")
    employer = employer_of(application.project)
    client.force_login(employer)
    url = reverse("engagements:applicants", args=[application.project_id])

    blind = client.get(url).content.decode()
    assert "I love spreadsheets." in blind
    assert "Applicant 1" in blind
    for hidden in ("Zelda", "Quigley", "Astrophysics", profile.school.name, "Résumé (PDF)"):
        assert hidden not in blind
    assert str(profile.graduation_year) not in blind

    with on_commit():
        client.post(reverse("projects:shortlist", args=[application.pk]))

    revealed = client.get(url).content.decode()
    assert "Zelda Quigley" in revealed
    assert "Astrophysics" in revealed
    assert profile.school.name in revealed
    assert mail.outbox[-1].to == [profile.user.email]
    assert "shortlisted" in mail.outbox[-1].subject


def test_declining_tells_the_student_with_the_optional_message(client, on_commit):
    application = ApplicationFactory()
    client.force_login(employer_of(application.project))

    with on_commit():
        client.post(
            reverse("projects:decline", args=[application.pk]),
            {"message": "We chose someone with more SQL experience."},
        )

    application.refresh_from_db()
    assert application.status == "declined"
    assert application.decline_message == "We chose someone with more SQL experience."
    assert mail.outbox[-1].to == [application.student.email]
    assert "more SQL experience" in mail.outbox[-1].body


def test_accepting_creates_an_engagement_that_snapshots_the_terms(client, on_commit):
    project = ProjectFactory(hours=12, fee_cents=24000, days_to_complete=10)
    application = ApplicationFactory(project=project)
    client.force_login(employer_of(project))

    with on_commit():
        response = client.post(reverse("engagements:accept", args=[application.pk]))

    engagement = Engagement.objects.get(application=application)
    assert response.url == reverse("engagements:workspace", args=[engagement.pk])
    assert engagement.status == "awaiting_funding"
    assert (engagement.fee_cents, engagement.cap_quarters, engagement.days_to_complete) == (
        24000,
        48,
        10,
    )
    assert (engagement.due_at - engagement.accepted_at).days == 10
    assert engagement.school == application.student.student_profile.school
    project.refresh_from_db()
    assert project.terms_frozen
    assert mail.outbox[-1].to == [application.student.email]
    assert "accepted" in mail.outbox[-1].subject


def test_filling_the_last_opening_declines_the_others_politely_and_closes_applications(on_commit):
    project = ProjectFactory(openings=2)
    first, second, third, fourth = ApplicationFactory.create_batch(4, project=project)
    withdrawn = ApplicationFactory(project=project, status="withdrawn")
    employer = employer_of(project)

    engagement_services.application_accept(actor=employer, application=first)
    project.refresh_from_db()
    assert project.status == ProjectStatus.OPEN
    with on_commit():
        engagement_services.application_accept(actor=employer, application=second)

    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    for other in (third, fourth):
        other.refresh_from_db()
        assert other.status == "declined"
    withdrawn.refresh_from_db()
    assert withdrawn.status == "withdrawn"
    declined_mail = [m for m in mail.outbox if "not selected" in m.subject]
    assert sorted(m.to[0] for m in declined_mail) == sorted(
        [third.student.email, fourth.student.email]
    )
    assert all("Every opening of this project is now filled" in m.body for m in declined_mail)
    with pytest.raises(ValidationError, match="already been decided"):
        engagement_services.application_accept(actor=employer, application=third)


def test_accepting_beyond_the_openings_is_refused():
    project = ProjectFactory(openings=1)
    first = ApplicationFactory(project=project)
    late = ApplicationFactory(project=project)
    employer = employer_of(project)
    engagement_services.application_accept(actor=employer, application=first)
    late.refresh_from_db()
    late.status = "shortlisted"
    late.save()

    with pytest.raises(ValidationError, match="already filled"):
        engagement_services.application_accept(actor=employer, application=late)
    assert Engagement.objects.filter(project=project).count() == 1


@pytest.mark.parametrize(
    ("authorization", "status", "accepted", "reason"),
    [
        (WorkAuthorization.F1_CPT, AuthorizationStatus.PENDING, False, "awaiting verification"),
        (WorkAuthorization.F1_OPT, AuthorizationStatus.REJECTED, False, "was not verified"),
        (
            WorkAuthorization.NOT_AUTHORIZED,
            AuthorizationStatus.NOT_AUTHORIZED,
            False,
            "not authorized",
        ),
        (WorkAuthorization.F1_OPT, AuthorizationStatus.VERIFIED, True, ""),
        (WorkAuthorization.US_AUTHORIZED, AuthorizationStatus.NOT_REQUIRED, True, ""),
    ],
)
def test_work_authorization_decides_who_can_be_accepted_and_both_sides_see_why(
    client, authorization, status, accepted, reason
):
    profile = StudentFactory(work_authorization=authorization, work_authorization_status=status)
    application = ApplicationFactory(student=profile.user)
    employer = employer_of(application.project)

    if accepted:
        engagement_services.application_accept(actor=employer, application=application)
        assert Engagement.objects.filter(application=application).exists()
        return
    with pytest.raises(ValidationError, match=reason):
        engagement_services.application_accept(actor=employer, application=application)
    assert not Engagement.objects.exists()
    client.force_login(employer)
    employer_page = client.get(reverse("engagements:applicants", args=[application.project_id]))
    assert reason.encode() in employer_page.content
    assert (
        reverse("engagements:accept", args=[application.pk]).encode() not in employer_page.content
    )
    client.force_login(profile.user)
    assert reason.encode() in client.get(reverse("student_dashboard")).content


def test_a_student_at_the_active_engagement_limit_cannot_be_accepted(client, settings):
    settings.ACTIVE_ENGAGEMENT_LIMIT = 2
    student = StudentFactory().user
    accepted_engagement(student=student)
    accepted_engagement(student=student, funded=False)
    application = ApplicationFactory(student=student)

    with pytest.raises(ValidationError, match="2 micro-internships under way"):
        engagement_services.application_accept(
            actor=employer_of(application.project), application=application
        )
    client.force_login(student)
    assert b"2 micro-internships under way" in client.get(reverse("student_dashboard")).content


@pytest.mark.parametrize("action", ["shortlist", "decline", "accept"])
def test_another_organizations_employer_cannot_decide(client, other_employer, action):
    application = ApplicationFactory()
    client.force_login(other_employer)

    namespace = "engagements" if action == "accept" else "projects"
    response = client.post(reverse(f"{namespace}:{action}", args=[application.pk]))

    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"


@pytest.mark.parametrize("who", ["student", "other_student", "career_staff", "platform_admin"])
def test_only_the_projects_employer_sees_its_applicants(client, request, who):
    application = ApplicationFactory()
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("engagements:applicants", args=[application.project_id]))

    assert response.status_code in (403, 404)
    assert application.cover_note.encode() not in response.content


def test_the_applicants_page_is_not_for_anonymous_visitors(client):
    application = ApplicationFactory()
    response = client.get(reverse("engagements:applicants", args=[application.project_id]))
    assert response.status_code == 302


def test_a_student_cannot_withdraw_someone_elses_application(client, other_student):
    application = ApplicationFactory()
    client.force_login(other_student)

    assert client.post(reverse("projects:withdraw", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"


def test_employers_see_a_resume_only_after_shortlisting(client):
    from django.core.files.base import ContentFile

    profile = StudentFactory()
    profile.resume.save("cv.pdf", ContentFile(b"%PDF-1.4 cv"))
    application = ApplicationFactory(student=profile.user)
    employer = employer_of(application.project)
    client.force_login(employer)
    url = reverse("projects:resume_download", kwargs={"student_id": profile.user_id})

    assert client.get(url).status_code == 404
    applications.application_shortlist(actor=employer, application=application)
    assert client.get(url).status_code == 200


def test_the_applicant_list_runs_the_same_queries_for_2_or_12_applicants(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = ProjectFactory(questions=["One?", "Two?"])
    client.force_login(employer_of(project))
    url = reverse("engagements:applicants", args=[project.pk])

    def add(n):
        for application in ApplicationFactory.create_batch(n, project=project):
            for question in project.questions.all():
                application.answers.create(question=question, text="Answer")

    add(2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(10)
    applications.application_shortlist(
        actor=employer_of(project), application=project.applications.first()
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(response.context["applicants"]) == 12
    assert len(many) == len(few)
