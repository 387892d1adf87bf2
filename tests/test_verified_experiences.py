"""Verified experiences: issued on approval, the public record, certificate and badge."""

import hashlib
import importlib
import io
import json

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import AuditEvent, Notification
from engagements import services as engagements
from feedback import services as feedback_services
from outcomes import records
from outcomes.models import VerifiedExperience
from payments import services as payments
from tests.factories import (
    AdminFactory,
    CareerStaffFactory,
    EmployerFactory,
    ProjectFactory,
    SkillFactory,
    StudentFactory,
    UserFactory,
    accepted_engagement,
    employer_of,
)
from tests.helpers import run_after_commit

pytestmark = pytest.mark.django_db

SECRET_LINK = "https://docs.example.org/d/s3cr3t-share-token/edit?usp=sharing"


def finish(*, student=None, project=None, quarters=46, files=("pricing-table.xlsx",)):
    """An engagement worked, handed in and approved the way users do it."""
    project = project or ProjectFactory(
        title="Competitor pricing scan", skills=[SkillFactory(name="Market research")]
    )
    engagement = accepted_engagement(project=project, student=student)
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=quarters,
        description="Compared prices",
    )
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(
            note="The table and a summary",
            links=[SECRET_LINK],
            files=[SimpleUploadedFile(name, b"private contents of the file") for name in files],
        ),
    )
    engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)
    run_after_commit()
    engagement.refresh_from_db()
    return engagement


def evaluate(engagement, *, strengths="Clear, well sourced tables", both=True):
    feedback_services.student_evaluation_submit(
        actor=employer_of(engagement.project),
        engagement=engagement,
        data={
            "communication": 5,
            "problem_solving": 4,
            "quality": 5,
            "timeliness": 4,
            "professionalism": 4,
            "strengths": strengths,
            "growth_areas": "Ask questions sooner",
            "would_work_again": True,
            "objectives": {o.pk: True for o in engagement.project.objectives.all()},
        },
    )
    if both:
        feedback_services.employer_review_submit(
            actor=engagement.student,
            engagement=engagement,
            data={"clarity": 5, "support": 5, "learning_value": 5, "comment": "Great"},
        )


def record_of(engagement) -> VerifiedExperience:
    return VerifiedExperience.objects.get(engagement=engagement)


def verify_url(record, name="outcomes:verify"):
    return reverse(name, args=[record.code])


# --- Issuing ------------------------------------------------------------------------------------


def test_approval_issues_exactly_one_record():
    engagement = finish()

    assert VerifiedExperience.objects.filter(engagement=engagement).count() == 1
    # Approving again (a double click, a replayed sweep) changes nothing.
    engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)
    records.experience_record(engagement_id=engagement.pk)
    assert VerifiedExperience.objects.filter(engagement=engagement).count() == 1


def test_the_code_is_random_and_not_derived_from_ids():
    first, second = record_of(finish()), record_of(finish())

    assert first.code != second.code
    assert len(first.code) >= 20
    for record in (first, second):
        assert record.code not in (str(record.pk), str(record.engagement_id))
        assert not record.code.isdigit()
    # Issued again for the very same engagement, the code is a new one.
    engagement = first.engagement
    VerifiedExperience.objects.filter(pk=first.pk).delete()
    again = records.experience_record(engagement_id=engagement.pk)
    assert again.code != first.code


def test_the_automatic_approval_issues_the_record_too():
    engagement = accepted_engagement()
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(note="Done", links=["https://example.com/x"], files=[]),
    )
    engagements.submission_approve(actor=None, engagement=engagement)
    run_after_commit()

    assert VerifiedExperience.objects.filter(engagement=engagement).count() == 1


def test_work_that_is_not_approved_gets_no_record():
    engagement = accepted_engagement()

    assert records.experience_record(engagement_id=engagement.pk) is None
    assert not VerifiedExperience.objects.filter(engagement=engagement).exists()


def test_a_settled_dispute_is_not_a_verified_experience(
    monkeypatch, django_capture_on_commit_callbacks
):
    engagement = accepted_engagement(funded=False)
    employer = employer_of(engagement.project)
    with django_capture_on_commit_callbacks(execute=True):
        payment = payments.engagement_fund(actor=employer, engagement=engagement)
        payments.local_payment_complete(actor=employer, payment=payment, succeed=True)
    engagement.refresh_from_db()
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=8,
        description="Half the work",
    )
    engagements.engagement_request_cancel(actor=employer, engagement=engagement, reason="Unhappy")
    with django_capture_on_commit_callbacks(execute=True):
        payments.dispute_settle(
            actor=AdminFactory(), engagement=engagement, student_cents=10000, note="Split"
        )

    engagement.refresh_from_db()
    assert engagement.settled_at is not None
    assert not VerifiedExperience.objects.filter(engagement=engagement).exists()


def test_engagements_approved_before_records_existed_get_one_from_the_migration():
    engagement = finish()
    VerifiedExperience.objects.filter(engagement=engagement).delete()
    backfill = importlib.import_module("feedback.migrations.0004_verifiedexperience_backfill")
    # The models as they were when the migration ran (they have moved apps since).
    historical = (
        MigrationExecutor(connection)
        .loader.project_state(("feedback", "0004_verifiedexperience_backfill"))
        .apps
    )

    backfill.issue_records(historical, None)
    backfill.issue_records(historical, None)

    record = record_of(engagement)
    assert record.recipient_hash.startswith("sha256$")
    assert VerifiedExperience.objects.filter(engagement=engagement).count() == 1


# --- The public page ----------------------------------------------------------------------------


def test_anyone_can_open_a_public_record(client):
    student = StudentFactory(user__first_name="Zoë", user__last_name="Ñúñez").user
    engagement = finish(student=student)
    record = record_of(engagement)

    page = client.get(verify_url(record))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Zoë Ñúñez" in text
    assert "Competitor pricing scan" in text
    assert engagement.organization.name in text
    assert "Verified organization" in text
    assert "Market research" in text
    assert "11.5" in text  # hours logged
    assert "pricing-table.xlsx" in text
    assert "Shared link (docs.example.org)" in text
    assert '<meta name="robots" content="noindex">' in text
    # Deliverables are named, never opened or linked.
    assert "s3cr3t-share-token" not in text
    assert "private contents" not in text
    deliverable = engagement.submissions.get().files.get()
    assert reverse("engagements:download_file", args=[deliverable.pk]) not in text
    # The fee is not part of the record.
    assert "$400" not in text


@pytest.mark.parametrize("state", ["hidden", "revoked"])
def test_a_hidden_or_revoked_record_says_so_and_shows_nothing_else(client, state):
    student = StudentFactory(user__first_name="Imogen", user__last_name="Quarrie").user
    engagement = finish(student=student)
    record = record_of(engagement)
    if state == "hidden":
        records.experience_set_visibility(
            actor=student, record=record, is_public=False, show_evaluation=True
        )
    else:
        records.experience_revoke(actor=AdminFactory(), record=record, reason="Fraud found")

    page = client.get(verify_url(record))

    assert page.status_code == 200
    text = page.content.decode()
    if state == "hidden":
        assert "This record is hidden by its owner" in text
    else:
        assert f"This record was revoked on {timezone.localdate():%b} " in text
        assert "Fraud found" not in text
    for private in (
        "Imogen",
        "Quarrie",
        "Competitor pricing scan",
        engagement.organization.name,
        "Market research",
        "pricing-table",
    ):
        assert private not in text
    assert '<meta name="robots" content="noindex">' in text


def test_an_unknown_code_is_not_found(client):
    finish()
    for name in ("outcomes:verify", "outcomes:certificate", "outcomes:badge_assertion"):
        assert client.get(reverse(name, args=["no-such-code"])).status_code == 404


def test_evaluation_highlights_show_only_when_chosen_and_visible_to_both(client):
    engagement = finish()
    record = record_of(engagement)
    evaluate(engagement, both=False)  # the employer's evaluation alone stays hidden for now
    records.experience_set_visibility(
        actor=engagement.student, record=record, is_public=True, show_evaluation=True
    )

    assert "Clear, well sourced tables" not in client.get(verify_url(record)).content.decode()

    feedback_services.employer_review_submit(
        actor=engagement.student,
        engagement=engagement,
        data={"clarity": 5, "support": 5, "learning_value": 5, "comment": "Great"},
    )
    text = client.get(verify_url(record)).content.decode()
    assert "Clear, well sourced tables" in text
    assert "would work with" in text
    assert "4.4 / 5" in text  # the average of 5, 4, 5, 4, 4
    assert "Ask questions sooner" not in text  # growth areas stay private

    records.experience_set_visibility(
        actor=engagement.student, record=record, is_public=True, show_evaluation=False
    )
    assert "Clear, well sourced tables" not in client.get(verify_url(record)).content.decode()


# --- Certificate --------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_the_certificate_is_a_pdf_of_the_record_even_with_accents_and_curly_quotes(client):
    student = StudentFactory(user__first_name="Zoë", user__last_name="Ñúñez").user
    project = ProjectFactory(
        title="“Café” owners’ survey — Łódź", skills=[SkillFactory(name="Survey design")]
    )
    engagement = finish(student=student, project=project)
    record = record_of(engagement)

    response = client.get(verify_url(record, "outcomes:certificate"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Zoë Ñúñez" in text
    assert "“Café” owners’ survey — Łódź" in text
    assert engagement.organization.name in text
    assert "11.5 hours" in text
    assert "Survey design" in text
    assert "http://testserver" + verify_url(record) in text.replace("\n", "")


def test_a_hidden_records_certificate_is_for_its_student_only(client):
    engagement = finish()
    record = record_of(engagement)
    records.experience_set_visibility(
        actor=engagement.student, record=record, is_public=False, show_evaluation=False
    )
    url = verify_url(record, "outcomes:certificate")

    assert client.get(url).status_code == 404
    client.force_login(StudentFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(engagement.student)
    assert client.get(url).status_code == 200


def test_a_revoked_record_has_no_certificate_even_for_its_student(client):
    engagement = finish()
    record = record_of(engagement)
    records.experience_revoke(actor=AdminFactory(), record=record, reason="Disputed later")
    client.force_login(engagement.student)

    assert client.get(verify_url(record, "outcomes:certificate")).status_code == 404


# --- Open Badges ---------------------------------------------------------------------------------


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    assert response["Content-Type"] in ("application/ld+json", "application/json")
    return json.loads(response.content)


def path_of(url: str) -> str:
    assert url.startswith("http://testserver/"), url
    return url.removeprefix("http://testserver")


def test_the_badge_follows_the_open_badges_2_hosted_shape(client):
    engagement = finish()
    record = record_of(engagement)

    assertion = get_json(client, verify_url(record, "outcomes:badge_assertion"))

    assert assertion["@context"] == "https://w3id.org/openbadges/v2"
    assert assertion["type"] == "Assertion"
    assert assertion["id"] == "http://testserver" + verify_url(record, "outcomes:badge_assertion")
    recipient = assertion["recipient"]
    assert recipient["type"] == "email"
    assert recipient["hashed"] is True
    email = engagement.student.email.lower()
    expected = hashlib.sha256((email + recipient["salt"]).encode()).hexdigest()
    assert recipient["identity"] == "sha256$" + expected
    assert email not in json.dumps(assertion)
    assert assertion["verification"] == {"type": "hosted"}
    assert timezone.datetime.fromisoformat(assertion["issuedOn"]) == engagement.approved_at
    assert "revoked" not in assertion
    # Every address resolves.
    assert path_of(assertion["id"]) == verify_url(record, "outcomes:badge_assertion")
    assert client.get(path_of(assertion["evidence"])).status_code == 200
    badge = get_json(client, path_of(assertion["badge"]))
    assert badge["@context"] == "https://w3id.org/openbadges/v2"
    assert badge["type"] == "BadgeClass"
    assert badge["id"] == assertion["badge"]
    assert "Competitor pricing scan" in badge["name"]
    assert badge["description"]
    assert badge["criteria"]["narrative"]
    image = path_of(badge["image"])
    assert image.endswith(".svg")
    assert finders.find(image.removeprefix("/static/"))
    issuer = get_json(client, path_of(badge["issuer"]))
    assert issuer["type"] == "Issuer"
    assert issuer["id"] == badge["issuer"]
    for field in ("name", "url", "email"):
        assert issuer[field]
    assert client.get(path_of(issuer["url"])).status_code == 200


def test_a_revoked_badge_is_gone_and_says_why(client):
    record = record_of(finish())
    records.experience_revoke(actor=AdminFactory(), record=record, reason="Awarded in error")

    revoked = get_json(client, verify_url(record, "outcomes:badge_assertion"), status=410)

    assert revoked["revoked"] is True
    assert revoked["revocationReason"] == "Awarded in error"
    assert revoked["id"].endswith(verify_url(record, "outcomes:badge_assertion"))
    assert "recipient" not in revoked
    assert client.get(verify_url(record, "outcomes:badge_class")).status_code == 404


def test_a_hidden_records_badge_is_not_found(client):
    engagement = finish()
    record = record_of(engagement)
    records.experience_set_visibility(
        actor=engagement.student, record=record, is_public=False, show_evaluation=False
    )

    assert client.get(verify_url(record, "outcomes:badge_assertion")).status_code == 404
    assert client.get(verify_url(record, "outcomes:badge_class")).status_code == 404


# --- The student's pages ------------------------------------------------------------------------


def detail_url(record):
    return reverse("outcomes:experience", args=[record.pk])


def test_the_owner_sees_and_changes_their_record(client):
    engagement = finish()
    record = record_of(engagement)
    client.force_login(engagement.student)

    page = client.get(detail_url(record))
    assert page.status_code == 200
    assert reverse("outcomes:experience_resume", args=[record.pk]).encode() in page.content
    assert b"linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page.content
    assert ("http://testserver" + verify_url(record)).encode() in page.content

    response = client.post(
        reverse("outcomes:experience_visibility", args=[record.pk]), {"show_evaluation": "on"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.is_public, record.show_evaluation) == (False, True)
    event = AuditEvent.objects.get(action="experience.visibility")
    assert event.actor == engagement.student
    assert event.school_id == engagement.school_id


@pytest.mark.parametrize("who", ["other_student", "employer", "other_school_staff", "stranger"])
def test_others_never_see_a_students_record_page(client, who):
    engagement = finish()
    record = record_of(engagement)
    viewer = {
        "other_student": lambda: StudentFactory(school=engagement.school).user,
        "employer": lambda: employer_of(engagement.project),
        "other_school_staff": lambda: CareerStaffFactory().user,
        "stranger": lambda: EmployerFactory(organization__verified=True).user,
    }[who]()
    client.force_login(viewer)

    assert client.get(detail_url(record)).status_code == 404
    visibility = client.post(
        reverse("outcomes:experience_visibility", args=[record.pk]), {"is_public": ""}
    )
    assert visibility.status_code == 404
    saved = client.post(
        reverse("outcomes:experience_resume", args=[record.pk]), {"bullet_1": "Mine now"}
    )
    assert saved.status_code == 404
    record.refresh_from_db()
    assert record.is_public and not record.is_edited


@pytest.mark.parametrize("who", ["own_school_staff", "platform_admin"])
def test_career_staff_of_the_school_and_admins_read_the_record_only(client, who):
    engagement = finish()
    record = record_of(engagement)
    viewer = (
        CareerStaffFactory(school=engagement.school).user
        if who == "own_school_staff"
        else AdminFactory()
    )
    client.force_login(viewer)

    page = client.get(detail_url(record))

    assert page.status_code == 200
    assert b"only the student can change it" in page.content
    assert reverse("outcomes:experience_resume", args=[record.pk]).encode() not in page.content
    assert (
        client.post(reverse("outcomes:experience_visibility", args=[record.pk]), {}).status_code
        == 404
    )
    record.refresh_from_db()
    assert record.is_public


def test_anonymous_visitors_are_sent_to_log_in(client):
    record = record_of(finish())

    response = client.get(detail_url(record))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_list_shows_only_the_students_own_records_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    student = StudentFactory().user
    mine = [record_of(finish(student=student)) for _ in range(2)]
    theirs = record_of(finish())
    client.force_login(student)

    with django_assert_max_num_queries(12) as few:
        client.get(reverse("outcomes:experiences"))
    for _ in range(4):
        finish(student=student)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("outcomes:experiences"))

    assert page.status_code == 200
    for record in mine:
        assert detail_url(record).encode() in page.content
    assert detail_url(theirs).encode() not in page.content


def test_only_students_open_the_list(client, employer, career_staff):
    for user in (employer, career_staff):
        client.force_login(user)
        assert client.get(reverse("outcomes:experiences")).status_code == 403


def test_the_dashboard_card_runs_at_most_two_queries(django_assert_max_num_queries):
    student = StudentFactory().user
    for _ in range(4):
        finish(student=student)
    template = Template("{% load records %}{% verified_experiences_card user %}")

    with django_assert_max_num_queries(2):
        html = template.render(Context({"user": student}))

    assert "All 4 records" in html


def test_the_student_dashboard_shows_the_card(client):
    engagement = finish()
    client.force_login(engagement.student)

    page = client.get(reverse("student_dashboard"))

    assert b"Verified experiences" in page.content
    assert detail_url(record_of(engagement)).encode() in page.content


# --- Revocation by platform admins ---------------------------------------------------------------


def test_a_platform_admin_revokes_through_the_admin_and_the_student_is_told(client, on_commit):
    engagement = finish()
    record = record_of(engagement)
    admin = AdminFactory()
    client.force_login(admin)
    changelist = reverse("admin:outcomes_verifiedexperience_changelist")

    assert client.get(changelist).status_code == 200
    confirm = client.post(
        changelist, {"action": "revoke_selected", "_selected_action": [record.pk]}
    )
    assert confirm.status_code == 200
    assert b"Revoke" in confirm.content
    missing = client.post(
        changelist,
        {"action": "revoke_selected", "_selected_action": [record.pk], "apply": "1", "reason": ""},
    )
    assert missing.status_code == 200
    record.refresh_from_db()
    assert not record.is_revoked

    with on_commit():
        client.post(
            changelist,
            {
                "action": "revoke_selected",
                "_selected_action": [record.pk],
                "apply": "1",
                "reason": "The dispute found the work was not the student's",
            },
        )

    record.refresh_from_db()
    assert record.is_revoked and record.revoked_by == admin
    event = AuditEvent.objects.get(action="experience.revoked")
    assert event.actor == admin and event.school_id == engagement.school_id
    assert Notification.objects.filter(
        recipient=engagement.student, kind="experience.revoked"
    ).exists()


def test_only_platform_admins_revoke():
    engagement = finish()
    record = record_of(engagement)
    for actor in (
        engagement.student,
        employer_of(engagement.project),
        CareerStaffFactory(school=engagement.school).user,
        UserFactory(),
    ):
        with pytest.raises(PermissionDenied):
            records.experience_revoke(actor=actor, record=record, reason="No")
    record.refresh_from_db()
    assert not record.is_revoked
