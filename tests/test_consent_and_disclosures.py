"""Consent at apply and the disclosure log.

Applying asks for the student's dated consent to what shortlisting reveals; taking it back
withdraws the application. Every disclosure to an organization is logged exactly once per
event (one row per reason, organization and subject), a résumé download once per download;
the student reads the log on the privacy page."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, StudentProfile
from engagements import services as engagement_services
from engagements.models import Engagement
from feedback.models import StudentEvaluation
from outcomes import talent
from outcomes.models import VerifiedExperience
from projects import applications
from projects.disclosures import LOG_PAGE_SIZE
from projects.models import Application, ApplicationStatus, Disclosure, DisclosureReason
from tests.factories import (
    ApplicationFactory,
    EmployerFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    approved_engagement,
    employer_of,
)
from tests.helpers import run_after_commit

pytestmark = pytest.mark.django_db


def apply_form(**overrides):
    data = {"cover_note": "I clean survey data every week.", "confirmed_availability": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def with_resume(student):
    profile = student.student_profile
    profile.resume.save("cv.pdf", ContentFile(b"%PDF-1.4 resume"))
    profile.resume_filename = "cv.pdf"
    profile.save()
    return student


# --- Consent at apply -------------------------------------------------------------------


def test_the_apply_page_shows_what_will_be_disclosed_and_to_whom(client, student):
    project = ProjectFactory()
    client.force_login(student)

    page = client.get(reverse("projects:apply", args=[project.pk])).content.decode()

    profile = student.student_profile
    assert f"What {project.organization.name} sees if they shortlist you" in page
    for shown in (student.get_full_name(), profile.school.name, profile.major):
        assert shown in page
    assert str(profile.graduation_year) in page
    assert f"I consent to {project.organization.name} seeing" in page


def test_applying_without_consent_is_refused_on_the_field(client, student):
    project = ProjectFactory()
    client.force_login(student)

    response = client.post(reverse("projects:apply", args=[project.pk]), apply_form())

    assert response.status_code == 200
    assert "Tick to consent" in response.content.decode()
    assert response.context["form"].errors["consent"]
    assert not Application.objects.exists()


def test_the_service_refuses_an_application_without_consent(student):
    project = ProjectFactory()

    with pytest.raises(applications.ValidationError) as refused:
        applications.application_submit(
            student=student,
            project=project,
            data=applications.ApplicationData("Hello", {}, True),
        )

    assert "consent" in refused.value.message_dict
    assert not Application.objects.exists()


def test_consent_is_stored_dated_with_the_fields_consented_to(client, student):
    project = ProjectFactory()
    client.force_login(student)
    before = timezone.now()

    client.post(reverse("projects:apply", args=[project.pk]), apply_form(consent="on"))

    application = Application.objects.get()
    assert before <= application.consent_at <= timezone.now()
    assert application.consent_basis == "explicit"
    assert application.consent_fields == [
        "name",
        "school",
        "major",
        "graduation_year",
        "profile",
        "resume",
    ]
    audit = AuditEvent.objects.get(action="application.submitted")
    assert audit.data["consent_fields"] == application.consent_fields


def test_sharing_evaluation_averages_is_the_students_choice_per_application(client, student):
    project = ProjectFactory()
    client.force_login(student)

    client.post(
        reverse("projects:apply", args=[project.pk]),
        apply_form(consent="on", share_evaluations="on"),
    )

    assert "evaluation_averages" in Application.objects.get().consent_fields


def test_the_database_refuses_an_application_without_a_consent_date(student):
    project = ProjectFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(project=project, student=student, cover_note="x")


# --- Withdrawing consent ----------------------------------------------------------------


def test_withdrawing_consent_withdraws_the_application(client, student):
    application = ApplicationFactory(student=with_resume(student))
    employer = employer_of(application.project)
    applications.application_shortlist(actor=employer, application=application)
    client.force_login(student)

    response = client.post(reverse("safety:consent_withdraw", args=[application.pk]))

    assert response.url == reverse("safety:privacy")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.consent_withdrawn_at is not None
    # Through the withdrawal service: its audit row, then the consent's.
    assert AuditEvent.objects.filter(action="application.withdrawn").count() == 1
    assert AuditEvent.objects.filter(action="application.consent_withdrawn").count() == 1
    # Nothing more is shown: the résumé no longer opens for the organization.
    client.force_login(employer)
    url = reverse("projects:resume_download", kwargs={"student_id": student.pk})
    assert client.get(url).status_code == 404


def test_withdrawing_consent_twice_does_it_once(student):
    application = ApplicationFactory(student=student)

    first = applications.application_consent_withdraw(student=student, application=application)
    again = applications.application_consent_withdraw(student=student, application=application)

    assert again.consent_withdrawn_at == first.consent_withdrawn_at
    assert AuditEvent.objects.filter(action="application.consent_withdrawn").count() == 1


def test_consent_cannot_be_withdrawn_once_the_employer_accepted(client, student):
    engagement = accepted_engagement(student=student)
    application = engagement.application
    client.force_login(student)

    client.post(reverse("safety:consent_withdraw", args=[application.pk]))

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.consent_withdrawn_at is None


def test_the_database_refuses_withdrawn_consent_on_a_live_application(student):
    application = ApplicationFactory(student=student)

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(consent_withdrawn_at=timezone.now())


def test_someone_else_cannot_withdraw_a_students_consent(student, other_student):
    application = ApplicationFactory(student=student)

    with pytest.raises(applications.PermissionDenied):
        applications.application_consent_withdraw(student=other_student, application=application)


# --- The disclosure log: exactly once ---------------------------------------------------


def test_shortlisting_discloses_identity_once(student):
    application = ApplicationFactory(student=student)
    employer = employer_of(application.project)

    applications.application_shortlist(actor=employer, application=application)
    applications.application_shortlist(actor=employer, application=application)
    engagement_services.application_accept(actor=employer, application=application)

    row = Disclosure.objects.get()
    assert (row.student, row.organization, row.viewer, row.reason) == (
        student,
        application.project.organization,
        employer,
        DisclosureReason.SHORTLIST,
    )
    assert row.fields == ["name", "school", "major", "graduation_year", "profile"]
    assert row.project == application.project


def test_accepting_without_shortlisting_discloses_identity_once(student):
    accepted_engagement(student=student)

    assert Disclosure.objects.get().reason == DisclosureReason.SHORTLIST


def test_the_applicant_list_viewed_again_adds_nothing(client, student):
    application = ApplicationFactory(student=student)
    employer = employer_of(application.project)
    applications.application_shortlist(actor=employer, application=application)
    client.force_login(employer)
    url = reverse("engagements:applicants", args=[application.project_id])

    for _ in range(3):
        assert student.get_full_name() in client.get(url).content.decode()

    assert Disclosure.objects.count() == 1


def test_each_resume_download_is_a_disclosure_of_its_own(client, student):
    application = ApplicationFactory(student=with_resume(student))
    employer = employer_of(application.project)
    applications.application_shortlist(actor=employer, application=application)
    client.force_login(employer)
    url = reverse("projects:resume_download", kwargs={"student_id": student.pk})

    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200

    downloads = Disclosure.objects.filter(reason=DisclosureReason.RESUME)
    assert downloads.count() == 2
    assert {(d.viewer, d.file_name, tuple(d.fields)) for d in downloads} == {
        (employer, "cv.pdf", ("resume",))
    }


def test_the_student_and_their_staff_opening_the_resume_disclose_nothing(
    client, student, career_staff
):
    with_resume(student)
    url = reverse("projects:resume_download", kwargs={"student_id": student.pk})

    for viewer in (student, career_staff):
        client.force_login(viewer)
        assert client.get(url).status_code == 200

    assert not Disclosure.objects.exists()


def _evaluated(student):
    """A student with a revealed evaluation from a past employer, sharing their averages."""
    engagement = approved_engagement(accepted_engagement(student=student))
    StudentEvaluation.objects.create(
        engagement=engagement,
        author=employer_of(engagement.project),
        strengths="Careful.",
        growth_areas="Ask sooner.",
        would_work_again=True,
        interested_full_time=False,
        communication=5,
        problem_solving=4,
        quality=5,
        timeliness=4,
        professionalism=5,
    )
    Engagement.objects.filter(pk=engagement.pk).update(
        approved_at=timezone.now() - timedelta(days=60)
    )
    StudentProfile.objects.filter(user=student).update(show_evaluations_to_employers=True)
    Disclosure.objects.all().delete()  # the past employer's own shortlisting
    return student


@pytest.mark.parametrize("consented", [True, False])
def test_shared_averages_are_shown_with_consent_and_logged_once_per_application(
    client, student, consented
):
    _evaluated(student)
    fields = ["name", "school", "major", "graduation_year", "profile", "resume"]
    application = ApplicationFactory(
        student=student, consent_fields=fields + (["evaluation_averages"] if consented else [])
    )
    client.force_login(employer_of(application.project))
    url = reverse("engagements:applicants", args=[application.project_id])

    pages = [client.get(url).content.decode() for _ in range(2)]

    assert ("on average by 1 past employer" in pages[0]) == consented
    logged = Disclosure.objects.filter(reason=DisclosureReason.APPLICATION)
    assert logged.count() == (1 if consented else 0)
    if consented:
        assert logged.get().fields == ["evaluation_averages"]


def test_saving_to_the_talent_pool_discloses_once_per_entry(student):
    engagement = accepted_engagement(student=student)
    employer = employer_of(engagement.project)
    Disclosure.objects.all().delete()

    entry, created = talent.pool_save(actor=employer, student=student)
    talent.pool_save(actor=employer, student=student)

    assert created
    row = Disclosure.objects.get()
    assert (row.reason, row.subject, row.viewer) == (
        DisclosureReason.TALENT_POOL,
        f"pool:{entry.pk}",
        employer,
    )


def test_an_invited_students_application_discloses_their_name_to_the_inviter_once(student):
    engagement = accepted_engagement(student=student)
    employer = employer_of(engagement.project)
    StudentProfile.objects.filter(user=student).update(discoverable=True, contactable=True)
    project = ProjectFactory(organization=engagement.organization, created_by=employer)
    talent.invitation_send(actor=employer, student=student, project_id=project.pk)
    Disclosure.objects.all().delete()
    application = applications.application_submit(
        student=student,
        project=project,
        data=applications.ApplicationData("Happy to", {}, True, consented=True),
    )
    run_after_commit()

    talent.invitation_mark_applied(application_id=application.pk)
    talent.invitations_reconcile()

    row = Disclosure.objects.get()
    assert (row.reason, row.viewer, row.fields, row.project) == (
        DisclosureReason.INVITATION,
        employer,
        ["name"],
        project,
    )


def test_a_verified_record_viewed_by_another_organization_is_logged_once(client, student):
    approved_engagement(accepted_engagement(student=student))
    record = VerifiedExperience.objects.get()
    VerifiedExperience.objects.filter(pk=record.pk).update(is_public=True)
    Disclosure.objects.all().delete()
    url = reverse("outcomes:verify", args=[record.code])
    outsider = EmployerFactory(organization__verified=True).user
    issuer = employer_of(record.engagement.project)

    client.get(url)  # anonymous: not known, not logged
    client.force_login(issuer)
    client.get(url)  # the issuing organization knows it already
    client.force_login(outsider)
    client.get(url)
    client.get(url)

    row = Disclosure.objects.get()
    assert (row.reason, row.organization, row.viewer) == (
        DisclosureReason.RECORD_VIEW,
        outsider.employer_profile.organization,
        outsider,
    )
    assert row.fields == ["name", "experience"]


def test_the_database_keeps_a_disclosure_event_once(student):
    application = ApplicationFactory(student=student)
    applications.application_shortlist(
        actor=employer_of(application.project), application=application
    )
    row = Disclosure.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Disclosure.objects.create(
            student=row.student,
            organization=row.organization,
            viewer=row.viewer,
            reason=row.reason,
            subject=row.subject,
            once_key=row.once_key,
        )


# --- The privacy page -------------------------------------------------------------------


def test_the_privacy_page_shows_consents_log_and_what_is_kept(client, student, settings):
    settings.RETENTION_LEDGER_YEARS = 9
    application = ApplicationFactory(student=with_resume(student))
    employer = employer_of(application.project)
    applications.application_shortlist(actor=employer, application=application)
    client.force_login(student)

    page = client.get(reverse("safety:privacy")).content.decode()

    assert application.project.title in page
    assert "Name, School, Major, Graduation year, Bio as you wrote it, Résumé" in page
    assert "Withdraw consent" in page
    assert "Shortlisted (or accepted) for a project" in page
    assert employer.get_full_name() in page
    assert "9 years after the payment" in page
    assert reverse("safety:privacy") in page  # the navigation links to it


def _disclosures(student, count):
    organization = EmployerFactory(organization__verified=True)
    Disclosure.objects.bulk_create(
        Disclosure(
            student=student,
            organization=organization.organization,
            viewer=organization.user,
            reason=DisclosureReason.RESUME,
            fields=["resume"],
            file_name="cv.pdf",
            subject=f"resume:{student.pk}",
        )
        for _ in range(count)
    )
    for _ in range(count // 3 or 1):
        ApplicationFactory(student=student)


def test_the_privacy_page_runs_the_same_queries_for_a_few_or_many_rows(
    client, django_assert_max_num_queries
):
    few, many = StudentFactory().user, StudentFactory().user
    _disclosures(few, 2)
    _disclosures(many, 40)
    client.force_login(few)
    client.get(reverse("safety:privacy"))  # warm the session and caches

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("safety:privacy"))
    client.force_login(many)
    client.get(reverse("safety:privacy"))
    with CaptureQueriesContext(connection) as large:
        page = client.get(reverse("safety:privacy"))

    assert len(large) == len(small)
    assert len(page.context["log"].object_list) == LOG_PAGE_SIZE
    assert page.context["log"].has_next()
    with django_assert_max_num_queries(len(small)):
        client.get(reverse("safety:privacy") + "?page=2")


# --- Applications sent before consent was asked -------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_earlier_applications_take_their_sending_as_consent_with_what_was_shared():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    sharing = StudentFactory(show_evaluations_to_employers=True).user
    private = StudentFactory(show_evaluations_to_employers=False).user
    project = ProjectFactory()
    sent = timezone.now() - timedelta(days=40)
    before = [("projects", "0010_application_relation_to_major")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    OldApplication = executor.loader.project_state(before).apps.get_model("projects", "Application")
    for student in (sharing, private):
        OldApplication.objects.create(
            project_id=project.pk, student_id=student.pk, cover_note="Hello", created_at=sent
        )

    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("projects", "0011_application_consent_and_disclosures")])
        shared = Application.objects.get(student=sharing)
        kept = Application.objects.get(student=private)
    finally:
        # Every later migration comes back, so the tests after this one find today's schema.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert shared.consent_at == kept.consent_at == sent
    assert shared.consent_basis == kept.consent_basis == "notice"
    assert kept.consent_fields == [
        "name",
        "school",
        "major",
        "graduation_year",
        "profile",
        "resume",
    ]
    assert shared.consent_fields == [*kept.consent_fields, "evaluation_averages"]
