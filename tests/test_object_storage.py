"""Uploads on S3-compatible object storage (a real S3 API: moto's server on 127.0.0.1).

Files go to the bucket, never to the local disk; they come back only through the views that
check who is asking, streamed or as a short-lived signed link; a command moves the files
of a site that started on the local disk, and can be run again safely."""

import urllib.error
import urllib.request
import uuid
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Role
from engagements import services as engagements
from tests.factories import StudentFactory, UserFactory, accepted_engagement, employer_of
from tests.files import one_page_pdf
from tests.test_profiles import student_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def bucket(s3_server, settings):
    """A fresh private bucket that uploads go to, for this test alone."""
    name = s3_server.create_bucket(f"uploads-{uuid.uuid4().hex[:12]}")
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_settings(name)}
    return name


def deliver(engagement, name="market-report.pdf", content=b"%PDF-1.4\n% the report\n"):
    submission = engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(
            note="Here it is",
            links=[],
            files=[SimpleUploadedFile(name, content, content_type="application/pdf")],
        ),
    )
    return submission.files.get()


def files_on_disk(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_a_resume_uploaded_through_the_profile_form_lands_in_the_bucket_only(
    client, school, bucket, s3_server, settings
):
    student = UserFactory(role=Role.STUDENT)
    client.force_login(student)
    content = one_page_pdf("Maya Chen")

    response = client.post(
        reverse("profile"),
        student_form(school, resume=SimpleUploadedFile("cv.pdf", content, "application/pdf")),
    )

    assert response.status_code == 302
    name = student.student_profile.resume.name
    assert s3_server.object_names(bucket) == [name]
    assert s3_server.read(bucket, name) == content
    assert files_on_disk(settings) == []


def test_a_deliverable_streams_from_the_bucket_to_the_employer_and_to_nobody_else(client, bucket):
    engagement = accepted_engagement()
    stored = deliver(engagement)
    url = reverse("engagements:download_file", args=[stored.pk])

    client.force_login(UserFactory(role=Role.EMPLOYER))
    refused = client.get(url)
    client.force_login(employer_of(engagement.project))
    response = client.get(url)

    assert refused.status_code == 404
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n% the report\n"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"


def test_a_presigned_download_is_a_short_lived_link_with_the_attachment_headers(
    client, bucket, s3_server, settings
):
    settings.STORAGE_PRESIGNED_DOWNLOADS = True
    student = StudentFactory().user
    profile = student.student_profile
    profile.resume.save("cv.pdf", ContentFile(one_page_pdf("Maya Chen")))
    profile.resume_filename = "Maya Chen CV.pdf"
    profile.save()
    client.force_login(student)

    response = client.get(reverse("projects:resume_download", kwargs={"student_id": student.pk}))

    assert response.status_code == 302
    link = response["Location"]
    assert link.startswith(s3_server.url + f"/{bucket}/")
    assert parse_qs(urlsplit(link).query)["X-Amz-Expires"] == ["60"]
    assert response["Cache-Control"] == "private, no-store"
    with urllib.request.urlopen(link) as fetched:
        assert fetched.read().startswith(b"%PDF-")
        assert fetched.headers["Content-Type"] == "application/pdf"
        assert fetched.headers["Content-Disposition"].startswith("attachment;")
        assert "Maya Chen CV.pdf" in fetched.headers["Content-Disposition"]
    # Without the signature the bucket refuses: nothing in it is public.
    with pytest.raises(urllib.error.HTTPError) as unsigned:
        urllib.request.urlopen(link.split("?")[0])
    assert unsigned.value.code == 403


def test_an_outsider_gets_no_signed_link(client, bucket, settings):
    settings.STORAGE_PRESIGNED_DOWNLOADS = True
    stored = deliver(accepted_engagement())
    client.force_login(StudentFactory().user)

    response = client.get(reverse("engagements:download_file", args=[stored.pk]))

    assert response.status_code == 404
    assert "Location" not in response


# --- Moving a site's files from the disk to the bucket ---------------------------------


@pytest.fixture
def files_on_the_disk(settings, school):
    """A résumé, a work-authorization document and a deliverable saved on the local disk."""
    disk = FileSystemStorage(location=settings.MEDIA_ROOT)
    profile = StudentFactory(school=school)
    profile.resume.save("cv.pdf", ContentFile(b"%PDF-1.4 resume"), save=False)
    profile.authorization_document.save("ead.pdf", ContentFile(b"%PDF-1.4 ead"), save=False)
    profile.save()
    stored = deliver(accepted_engagement(), content=b"%PDF-1.4 deliverable")
    names = {
        profile.resume.name: b"%PDF-1.4 resume",
        profile.authorization_document.name: b"%PDF-1.4 ead",
        stored.file.name: b"%PDF-1.4 deliverable",
    }
    assert all(disk.exists(name) for name in names)
    return names


def move(*args) -> str:
    out, err = StringIO(), StringIO()
    call_command("move_uploads_to_object_storage", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_moving_copies_every_file_under_the_same_name_and_again_copies_nothing(
    files_on_the_disk, s3_server, settings
):
    name = s3_server.create_bucket(f"uploads-{uuid.uuid4().hex[:12]}")
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_settings(name)}

    first = move()
    second = move()

    assert "Copied 3, already in object storage 0, missing from the disk 0." in first
    assert "Copied 0, already in object storage 3, missing from the disk 0." in second
    assert s3_server.object_names(name) == sorted(files_on_the_disk)
    assert all(s3_server.read(name, key) == data for key, data in files_on_the_disk.items())
    assert len(files_on_disk(settings)) == 3


def test_moving_reports_files_missing_from_the_disk_and_can_delete_local_copies(
    files_on_the_disk, s3_server, settings
):
    lost = sorted(files_on_the_disk)[0]
    FileSystemStorage(location=settings.MEDIA_ROOT).delete(lost)
    name = s3_server.create_bucket(f"uploads-{uuid.uuid4().hex[:12]}")
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_settings(name)}

    output = move("--delete-local")

    assert "Copied 2, already in object storage 0, missing from the disk 1" in output
    assert "deleted locally 2" in output
    assert "Not on the disk: " in output and lost in output
    assert files_on_disk(settings) == []


def test_moving_refuses_when_uploads_still_go_to_the_disk(files_on_the_disk):
    with pytest.raises(CommandError, match="STORAGE_BUCKET"):
        move()
