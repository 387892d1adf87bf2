"""Data rights: download all my data, close my account.

The two tests that keep them complete walk the model graph themselves (every foreign key,
one-to-one and many-to-many to a user or a profile), independently of datarights.graph:
a model added anywhere that points at a user must show up in the export and be erased."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, models, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import (
    AuditEvent,
    CareerStaffProfile,
    EmployerProfile,
    Notification,
    OutboundEmail,
    StudentProfile,
    TeamRole,
    User,
)
from datarights import closing, exporting, tasks
from datarights.graph import rows_of
from datarights.models import AccountClosure, DataExport
from engagements import services as engagements
from engagements.models import EngagementStatus
from outcomes.models import VerifiedExperience
from payments.models import LedgerEntry, Payment, Payout
from tests.factories import (
    PASSWORD,
    EmployerFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)
from tests.helpers import run_after_commit
from tests.payment_helpers import connect, fund

pytestmark = pytest.mark.django_db

SUBJECTS = (User, StudentProfile, EmployerProfile, CareerStaffProfile)


def links_to_a_user():
    """(model, field) for every relation of every model to a user or a profile."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.get_fields():
            if field.auto_created or not getattr(field, "related_model", None):
                continue
            if (field.many_to_one or field.one_to_one or field.many_to_many) and (
                field.related_model in SUBJECTS
            ):
                found.append((model, field.name))
    return found


def paid_engagement(student, *, project=None):
    """Funded, worked, handed in with a file, approved and paid out."""
    engagement = accepted_engagement(student=student, project=project, funded=False)
    fund(engagement)
    connect(student)
    engagements.time_entry_log(
        actor=student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=8,
        description=f"Worked on it, {student.first_name}",
    )
    engagements.submission_create(
        actor=student,
        engagement=engagement,
        data=engagements.SubmissionData(
            note=f"Done — {student.get_full_name()} ({student.email})",
            links=["https://example.com/work"],
            files=[SimpleUploadedFile("table.xlsx", b"the deliverable bytes")],
        ),
    )
    engagements.message_post(
        actor=employer_of(engagement.project),
        engagement=engagement,
        body=f"Thanks {student.first_name}, great work!",
    )
    engagements.message_post(
        actor=student, engagement=engagement, body="Here is the table, as promised."
    )
    engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)
    run_after_commit()
    engagement.refresh_from_db()
    return engagement


@pytest.fixture
def rich_student(school):
    profile = StudentFactory(
        school=school,
        bio="Ask me anything",
        linkedin_url="https://linkedin.com/in/someone-unique",
    )
    profile.resume.save("cv.pdf", ContentFile(b"%PDF-1.4 the resume"))
    profile.resume_filename = "cv.pdf"
    profile.authorization_document.save("i20.pdf", ContentFile(b"%PDF-1.4 the document"))
    profile.authorization_document_name = "i20.pdf"
    profile.save()
    student = profile.user
    engagement = paid_engagement(student)
    assert engagement.status == EngagementStatus.PAID
    Notification.objects.create(recipient=student, kind="x", key="x-1", message="Hello")
    return student


# --- Export ------------------------------------------------------------------------------


def exported(user) -> dict:
    document, _ = exporting.build_document(user)
    return json.loads(json.dumps(document, default=str))


def test_the_export_holds_every_model_that_points_at_a_user_and_every_row_it_links(
    rich_student,
):
    student = rich_student
    engagement = student.engagements.get()
    employer = employer_of(engagement.project)
    for user in (student, employer):
        tables = exported(user)["tables"]
        for model, field in links_to_a_user():
            label = model._meta.label
            if label in exporting.BOOKKEEPING_MODELS:
                continue
            assert label in tables, f"{label}.{field} points at a user and is not exported"
            if (label, field) in exporting.WITHHELD_LINKS:
                continue
            expected = set(
                str(pk)
                for pk in model._default_manager.filter(**{field: user.pk}).values_list(
                    "pk", flat=True
                )
            )
            got = {str(row["pk"]) for row in tables[label]}
            assert expected <= got, f"rows of {label}.{field} missing from the export"
    # What may be left out is a short list, reviewed here.
    assert {
        "datarights.DataExport",
        "datarights.AccountClosure",
        "datarights.ErasurePermit",
    } == exporting.BOOKKEEPING_MODELS
    assert {
        ("safety.Report", "reported_user"),
        ("safety.Report", "assignee"),
        ("safety.Report", "closed_by"),
    } == exporting.WITHHELD_LINKS


def test_the_students_export_follows_their_engagement_but_the_employers_does_not_hold_it(
    rich_student,
):
    student = rich_student
    tables = exported(student)["tables"]
    for label in (
        "engagements.Engagement",
        "engagements.Submission",
        "engagements.SubmissionFile",
        "engagements.TimeEntry",
        "engagements.Message",
        "payments.Payout",
        "payments.LedgerEntry",
        "outcomes.VerifiedExperience",
        "projects.Application",
    ):
        assert tables.get(label), f"{label} missing from the student's export"
    employer = employer_of(student.engagements.get().project)
    employer_tables = exported(employer)["tables"]
    assert employer_tables["projects.Project"]
    assert not employer_tables.get("engagements.TimeEntry")
    assert not employer_tables.get("engagements.SubmissionFile")
    # Credentials never leave.
    (user_row,) = tables["accounts.User"]
    assert "password" not in user_row["fields"]


def test_the_archive_holds_the_json_and_the_files_read_through_storage(rich_student):
    buffer = io.BytesIO()
    exporting.write_archive(rich_student, buffer)
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    names = archive.namelist()
    document = json.loads(archive.read("data.json"))
    assert document["user"] == rich_student.pk
    contents = {archive.read(name) for name in names if name.startswith("files/")}
    assert contents == {b"%PDF-1.4 the resume", b"%PDF-1.4 the document", b"the deliverable bytes"}
    assert sorted(document["files"]) == sorted(n for n in names if n.startswith("files/"))


def test_asking_prepares_the_archive_mails_the_link_and_only_its_user_downloads_it(
    client, rich_student, other_student, on_commit
):
    client.force_login(rich_student)
    with on_commit():
        response = client.post(reverse("datarights:export_request"), {"confirm": "on"})
    assert response.status_code == 302
    export = DataExport.objects.get(user=rich_student)
    assert export.status == DataExport.Status.READY
    assert export.expires_at - export.ready_at == timedelta(days=7)
    assert Notification.objects.filter(recipient=rich_student, kind="data_export.ready").exists()

    page = client.get(reverse("datarights:data"))
    url = reverse("datarights:export_download", args=[export.pk])
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert "data.json" in zipfile.ZipFile(io.BytesIO(body)).namelist()

    client.force_login(other_student)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_an_expired_link_is_refused_and_the_sweep_deletes_the_archive(client, student, on_commit):
    client.force_login(student)
    with on_commit():
        client.post(reverse("datarights:export_request"), {"confirm": "on"})
    export = DataExport.objects.get(user=student)
    name = export.file.name
    assert default_storage.exists(name)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    url = reverse("datarights:export_download", args=[export.pk])
    assert client.get(url).status_code == 404

    with on_commit():
        assert tasks.expire_exports() == 1
    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED
    assert not default_storage.exists(name)
    assert tasks.expire_exports() == 0


def test_one_export_is_prepared_at_a_time(client, student):
    client.force_login(student)
    assert client.post(reverse("datarights:export_request"), {"confirm": "on"}).status_code == 302
    response = client.post(reverse("datarights:export_request"), {"confirm": "on"})
    assert response.status_code == 400
    assert "already being prepared" in response.content.decode()
    assert DataExport.objects.filter(user=student).count() == 1
    # The lost task is caught up by the sweep.
    DataExport.objects.update(requested_at=timezone.now() - timedelta(hours=1))
    assert tasks.prepare_pending_exports() == 1
    assert DataExport.objects.get(user=student).status == DataExport.Status.READY


def test_asking_without_confirming_says_so(client, student):
    client.force_login(student)
    response = client.post(reverse("datarights:export_request"), {})
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    assert not DataExport.objects.exists()


# --- Closing -------------------------------------------------------------------------------


def money_sums():
    return (
        LedgerEntry.objects.aggregate(total=Sum("amount_cents"))["total"],
        LedgerEntry.objects.count(),
        Payment.objects.aggregate(total=Sum("amount_cents"))["total"],
        Payout.objects.aggregate(total=Sum("amount_cents"))["total"],
    )


def text_values(row):
    for field in type(row)._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField, models.FileField)):
            value = getattr(row, field.attname)
            if value:
                yield field.name, str(value)
        elif isinstance(field, models.JSONField):
            yield field.name, json.dumps(getattr(row, field.attname), ensure_ascii=False)


def rows_linked_to(user):
    """Every row that points at the user (walked here, independently) and the rows below the
    user's engagements, plus the audit events that named them."""
    user = User.objects.get(pk=user.pk)
    rows = []
    for model, field in links_to_a_user():
        rows += list(model._default_manager.filter(**{field: user.pk}))
    for engagement in user.engagements.all():
        for relation in engagement._meta.related_objects:
            accessor = relation.get_accessor_name()
            if relation.one_to_one:
                child = (
                    getattr(engagement, accessor, None) if hasattr(engagement, accessor) else None
                )
                rows += [child] if child else []
            else:
                rows += list(getattr(engagement, accessor).all())
    for rows_by_pk in rows_of(user).values():
        rows += list(rows_by_pk.values())
    # Rows of others that may name the person in words.
    return (
        rows
        + list(AuditEvent.objects.all())
        + list(Notification.objects.all())
        + list(OutboundEmail.objects.all())
    )


def test_closing_leaves_no_personal_data_in_any_column_and_the_ledger_unchanged(
    client, rich_student
):
    student = rich_student
    email, first, last = student.email, student.first_name, student.last_name
    full = student.get_full_name()
    profile = student.student_profile
    files = [profile.resume.name, profile.authorization_document.name]
    files += [
        f.file.name for s in student.engagements.get().submissions.all() for f in s.files.all()
    ]
    assert all(default_storage.exists(name) for name in files)
    before = money_sums()
    assert any(email in value for row in rows_linked_to(student) for _, value in text_values(row))
    assert Notification.objects.filter(message__contains=full).exclude(recipient=student)

    client.force_login(student)
    page = client.get(reverse("datarights:close"))
    assert "at once" in page.content.decode()
    response = client.post(
        reverse("datarights:close"), {"password": PASSWORD, "typed": "CLOSE"}, follow=True
    )
    assert response.status_code == 200
    assert "Your account is closed" in response.content.decode()
    run_after_commit()

    assert money_sums() == before
    leaks = []
    for row in rows_linked_to(student):
        for name, value in text_values(row):
            if (
                email.lower() in value.lower()
                or full.lower() in value.lower()
                or re.search(rf"(?<!\w){re.escape(first)}(?!\w)", value)
                or re.search(rf"(?<!\w){re.escape(last)}(?!\w)", value)
                or "someone-unique" in value
            ):
                leaks.append(f"{row._meta.label}.{name}={value!r}")
    assert leaks == []
    assert not any(default_storage.exists(name) for name in files)

    student.refresh_from_db()
    assert not student.is_active and not student.has_usable_password()
    assert student.get_full_name() == f"Former user #{student.pk}"
    assert client.login(username=email, password=PASSWORD) is False
    # The address is free for a new account.
    User.objects.create_user(email=email, password="x", role="student", first_name="N")
    # The money and the other side's records are still there, under the pseudonym.
    engagement = student.engagements.get()
    assert engagement.messages.exists() and engagement.payouts.get().status == Payout.Status.PAID
    assert not Notification.objects.filter(recipient=student).exists()
    record = VerifiedExperience.objects.get(engagement=engagement)
    assert record.is_revoked and not record.is_public
    closure = AccountClosure.objects.get(user=student)
    assert closure.status == AccountClosure.Status.CLOSED
    assert AuditEvent.objects.filter(action="account.closed", actor=student).exists()


def test_a_student_may_keep_public_records_online(rich_student):
    record = VerifiedExperience.objects.get(engagement__student=rich_student)
    VerifiedExperience.objects.filter(pk=record.pk).update(is_public=True)
    closing.account_closure_request(user=rich_student, keep_records_public=True)
    record.refresh_from_db()
    assert record.is_public and not record.is_revoked


def test_money_under_way_stops_the_closing_and_the_page_says_why(client, student):
    engagement = accepted_engagement(student=student)
    assert engagement.status == EngagementStatus.ACTIVE
    client.force_login(student)
    page = client.get(reverse("datarights:close")).content.decode()
    assert "cannot close yet" in page and engagement.project.title in page
    response = client.post(reverse("datarights:close"), {"password": PASSWORD, "typed": "CLOSE"})
    assert response.status_code == 400
    student.refresh_from_db()
    assert student.is_active
    assert not AccountClosure.objects.exists()
    # The same for the employer who is the organization's only member.
    employer = employer_of(engagement.project)
    assert any("must be paid" in r for r in closing.closure_blockers(employer))


def test_a_payout_not_paid_stops_the_closing(student):
    engagement = accepted_engagement(student=student)
    engagements.time_entry_log(
        actor=student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=4,
        description="Work",
    )
    engagements.submission_create(
        actor=student,
        engagement=engagement,
        data=engagements.SubmissionData(note="Done", links=["https://example.com"], files=[]),
    )
    engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)
    run_after_commit()
    reasons = closing.closure_blockers(student)
    assert reasons
    with pytest.raises(ValidationError):
        closing.account_closure_request(user=student)


def test_the_last_admin_of_a_team_names_another_first(employer):
    profile = employer.employer_profile
    EmployerProfile.objects.filter(pk=profile.pk).update(team_role=TeamRole.ADMIN)
    colleague = EmployerFactory(organization=profile.organization, team_role=TeamRole.MEMBER).user
    reasons = closing.closure_blockers(employer)
    assert any("last admin" in r for r in reasons)
    EmployerProfile.objects.filter(user=colleague).update(team_role=TeamRole.ADMIN)
    assert closing.closure_blockers(employer) == []
    closing.account_closure_request(user=employer)
    employer.refresh_from_db()
    assert not employer.is_active


def test_an_employer_closes_and_their_projects_stay_under_the_pseudonym(employer):
    project = ProjectFactory(
        created_by=employer, organization=employer.employer_profile.organization
    )
    project.status = "completed"
    project.save(update_fields=["status"])
    email = employer.email
    closing.account_closure_request(user=employer)
    project.refresh_from_db()
    assert project.created_by_id == employer.pk
    for row in rows_linked_to(employer):
        for _, value in text_values(row):
            assert email.lower() not in value.lower()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"password": "wrong", "typed": "CLOSE"}, "This is not your password."),
        ({"password": PASSWORD, "typed": "close it"}, "Type CLOSE to confirm."),
        ({"password": PASSWORD}, "Type CLOSE to confirm."),
        ({"typed": "CLOSE" * 10}, "This field is required."),
    ],
)
def test_bad_confirmation_says_what_is_wrong(client, student, data, message):
    client.force_login(student)
    response = client.post(reverse("datarights:close"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    student.refresh_from_db()
    assert student.is_active


def test_a_grace_period_schedules_the_closing_which_can_be_cancelled_or_run_by_the_sweep(
    client, student, settings
):
    settings.ACCOUNT_CLOSURE_GRACE_DAYS = 3
    client.force_login(student)
    assert "3 days" in client.get(reverse("datarights:close")).content.decode()
    client.post(reverse("datarights:close"), {"password": PASSWORD, "typed": "CLOSE"})
    closure = AccountClosure.objects.get(user=student)
    assert closure.status == AccountClosure.Status.SCHEDULED
    student.refresh_from_db()
    assert student.is_active
    assert tasks.close_due_accounts() == 0

    client.post(reverse("datarights:close_cancel"))
    closure.refresh_from_db()
    assert closure.status == AccountClosure.Status.CANCELLED

    client.post(reverse("datarights:close"), {"password": PASSWORD, "typed": "CLOSE"})
    AccountClosure.objects.filter(status="scheduled").update(
        effective_at=timezone.now() - timedelta(minutes=1)
    )
    assert tasks.close_due_accounts() == 1
    student.refresh_from_db()
    assert not student.is_active


def test_the_audit_trail_stays_append_only_outside_a_closing(student):
    event = audit(actor=student, action="x", target=student, summary="something")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="changed")


def test_career_staff_and_admins_have_no_data_pages(client, career_staff, platform_admin):
    for who in (career_staff, platform_admin):
        client.force_login(who)
        assert client.get(reverse("datarights:data")).status_code == 403
        assert client.get(reverse("datarights:close")).status_code == 403


def test_the_graph_finds_the_rows_below_the_students_engagement(rich_student):
    found = rows_of(rich_student)
    assert found["engagements.SubmissionFile"]
    assert found["payments.LedgerEntry"]


def test_platform_admins_read_exports_and_closings_in_the_admin_and_change_nothing(
    client, platform_admin, career_staff, student, employer
):
    export = exporting.data_export_request(user=student)
    closure = closing.account_closure_request(user=employer)
    pages = [
        reverse("admin:datarights_dataexport_changelist"),
        reverse("admin:datarights_dataexport_change", args=[export.pk]),
        reverse("admin:datarights_accountclosure_changelist"),
        reverse("admin:datarights_accountclosure_change", args=[closure.pk]),
    ]
    client.force_login(platform_admin)
    for url in pages:
        assert client.get(url).status_code == 200
    assert client.get(reverse("admin:datarights_dataexport_add")).status_code == 403
    response = client.post(reverse("admin:datarights_dataexport_delete", args=[export.pk]))
    assert response.status_code == 403
    assert DataExport.objects.filter(pk=export.pk).exists()
    client.force_login(career_staff)
    for url in pages:
        assert client.get(url).status_code in (302, 403)


@pytest.fixture
def bucket(s3_server, settings):
    """A fresh private bucket that uploads go to, for this test alone."""
    import uuid

    name = s3_server.create_bucket(f"uploads-{uuid.uuid4().hex[:12]}")
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_settings(name)}
    return name


def test_on_object_storage_the_archive_holds_the_files_and_closing_deletes_them(
    bucket, s3_server, student, on_commit
):
    profile = student.student_profile
    profile.resume.save("cv.pdf", ContentFile(b"%PDF-1.4 on the bucket"))
    resume_key = profile.resume.name
    with on_commit():
        export = exporting.data_export_request(user=student)
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    archive = zipfile.ZipFile(io.BytesIO(s3_server.read(bucket, export.file.name)))
    assert b"%PDF-1.4 on the bucket" in {archive.read(n) for n in archive.namelist()}

    assert sorted(s3_server.object_names(bucket)) == sorted([resume_key, export.file.name])
    with on_commit():
        closing.account_closure_request(user=student)
    assert s3_server.object_names(bucket) == []


def test_beat_runs_the_data_rights_sweeps():
    from marketplace.celery import app, beat_schedule

    schedule = beat_schedule(timedelta(minutes=5), recovery_every=timedelta(seconds=60))
    tasks_scheduled = {entry["task"]: entry["schedule"] for entry in schedule.values()}
    app.loader.import_default_modules()
    for name in (
        "datarights.prepare_pending_exports",
        "datarights.expire_exports",
        "datarights.close_due_accounts",
    ):
        assert name in tasks_scheduled
        assert name in app.tasks
    assert tasks_scheduled["datarights.prepare_pending_exports"] == timedelta(seconds=60)
