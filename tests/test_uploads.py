"""Uploads: a résumé must be a PDF that opens, and every uploaded file comes back as a
download that the browser neither shows inline, sniffs nor keeps."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from accounts.models import Role, StudentProfile
from engagements import services as engagements
from tests.factories import UserFactory, accepted_engagement, employer_of
from tests.files import VALID_PDF, one_page_pdf
from tests.test_profiles import student_form

pytestmark = pytest.mark.django_db


def upload_resume(client, school, content, name="resume.pdf"):
    student = UserFactory(role=Role.STUDENT)
    client.force_login(student)
    resume = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(reverse("profile"), student_form(school, resume=resume))
    return student, response


def assert_refused(response, student, message):
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors.get("resume", []))
    assert not StudentProfile.objects.filter(user=student).exists()


def test_a_real_pdf_is_accepted(client, school):
    student, response = upload_resume(client, school, one_page_pdf("Maya Chen"))

    assert response.status_code == 302
    assert student.student_profile.resume.read().startswith(b"%PDF-")


def test_a_file_with_other_bytes_before_the_pdf_header_is_refused(client, school):
    # A Windows program, say, with a PDF appended: some readers would still open it.
    disguised = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + VALID_PDF

    student, response = upload_resume(client, school, disguised)

    assert_refused(response, student, "This file is not a valid PDF")


def test_a_truncated_pdf_is_refused(client, school):
    cut_off = VALID_PDF[: len(VALID_PDF) * 2 // 3]

    student, response = upload_resume(client, school, cut_off)

    assert_refused(response, student, "damaged or incomplete")


def test_a_pdf_header_alone_is_refused(client, school):
    student, response = upload_resume(client, school, b"%PDF-1.7\n<html><script>x</script>")

    assert_refused(response, student, "damaged or incomplete")


def test_a_password_locked_pdf_is_refused_with_the_reason(client, school):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(VALID_PDF)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = io.BytesIO()
    writer.write(locked)

    student, response = upload_resume(client, school, locked.getvalue())

    assert_refused(response, student, "protected by a password")


# --- Downloads ----------------------------------------------------------------------------------


def assert_private_download(response, filename):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert filename in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_resume_downloads_as_an_attachment(client, student):
    profile = student.student_profile
    profile.resume.save("cv.pdf", ContentFile(VALID_PDF))
    profile.resume_filename = "Maya Chen CV.pdf"
    profile.save()
    client.force_login(student)

    response = client.get(reverse("projects:resume_download", kwargs={"student_id": student.pk}))

    assert_private_download(response, "Maya Chen CV.pdf")
    assert response["Content-Type"] == "application/pdf"


def test_an_authorization_document_downloads_as_an_attachment(client, student, career_staff):
    profile = student.student_profile
    profile.authorization_document.save("ead.png", ContentFile(b"\x89PNG\r\n\x1a\n..."))
    profile.authorization_document_name = "ead.png"
    profile.save()
    client.force_login(career_staff)

    response = client.get(reverse("authorization_document", kwargs={"student_id": student.pk}))

    assert_private_download(response, "ead.png")


def test_a_deliverable_downloads_as_an_attachment(client):
    engagement = accepted_engagement()
    submission = engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(
            note="Done",
            links=[],
            files=[SimpleUploadedFile("page.html", b"<script>alert(1)</script>")],
        ),
    )
    client.force_login(employer_of(engagement.project))

    response = client.get(reverse("engagements:download_file", args=[submission.files.get().pk]))

    assert_private_download(response, "page.html")
    assert response["Content-Type"] == "application/octet-stream"
