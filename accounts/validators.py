"""Checks on what users upload and type, with messages that say how to fix it."""

from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from pypdf import PdfReader
from pypdf.errors import DependencyError


def validate_resume(upload) -> None:
    """A résumé must be a real PDF no larger than RESUME_MAX_BYTES.

    The name, the declared type and the file's first bytes must all say PDF, and the file
    must open as one: a renamed Word document or image, a file with other bytes before the
    PDF header, a truncated upload or a password-locked PDF is refused.
    """
    limit = settings.RESUME_MAX_BYTES
    name = (upload.name or "").lower()
    if not name.endswith(".pdf"):
        raise ValidationError("Upload your résumé as a PDF file (.pdf).", code="resume_type")
    if upload.size > limit:
        raise ValidationError(
            f"This file is {filesizeformat(upload.size)}; a résumé can be at most "
            f"{filesizeformat(limit)}.",
            code="resume_size",
        )
    if upload.size == 0:
        raise ValidationError("This file is empty.", code="resume_empty")
    content_type = getattr(upload, "content_type", None)
    if content_type and content_type not in {
        "application/pdf",
        "application/x-pdf",
        "application/octet-stream",
    }:
        raise ValidationError("Upload your résumé as a PDF file (.pdf).", code="resume_type")
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        # A PDF starts with its header; bytes before it are another kind of file dressed
        # up as one (which a browser or an old reader might still open as that kind).
        raise ValidationError(
            "This file is not a valid PDF. Export your résumé to PDF and upload it again.",
            code="resume_not_pdf",
        )
    problem = _pdf_problem(upload)
    if problem:
        raise ValidationError(problem, code="resume_not_pdf")


def _pdf_problem(upload) -> str | None:
    """Why the file cannot be opened as a PDF (truncated, damaged, locked), or None."""
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    return (
                        "This PDF is protected by a password, so employers could not open it. "
                        "Save it without a password and upload it again."
                    )
            except DependencyError:
                # AES encryption with an empty password: readable by anyone, and the file's
                # structure (cross-reference table, trailer) has already been read.
                return None
        if len(reader.pages) == 0:
            return "This PDF has no pages. Export your résumé to PDF and upload it again."
        reader.pages[0].mediabox  # noqa: B018  (reading the first page proves it is there)
    except Exception:
        # pypdf raises many kinds of errors on damaged files: any of them means the file
        # would not open for the employer either.
        return (
            "This PDF is damaged or incomplete (perhaps the upload was cut off). "
            "Export your résumé to PDF again and upload the new file."
        )
    finally:
        upload.seek(0)
    return None


class PassphraseLengthValidator(MinimumLengthValidator):
    """At least `min_length` characters (12 by default, ASVS 2.1.1), said in a way that
    helps: length matters more than symbols, and a phrase is long and easy to remember."""

    def __init__(self, min_length: int = 12):
        super().__init__(min_length=min_length)

    def get_error_message(self) -> str:
        return (
            f"This password is too short: use at least {self.min_length} characters. "
            "A few unrelated words make a passphrase that is long enough and easy to remember."
        )

    def get_help_text(self) -> str:
        return (
            f"Use at least {self.min_length} characters. A few unrelated words "
            "(a passphrase) are easy to remember and hard to guess."
        )


def validate_profile_url(value: str, *, hosts: tuple[str, ...], example: str) -> None:
    host = (urlparse(value).hostname or "").lower()
    if not any(host == h or host.endswith("." + h) for h in hosts):
        raise ValidationError(f"Enter an address on {hosts[0]}, like {example}.")


AUTHORIZATION_SIGNATURES = {
    ".pdf": b"%PDF-",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}


def validate_authorization_document(upload) -> None:
    """A CPT page or an EAD card: a PDF or a photo (PNG, JPEG), at most RESUME_MAX_BYTES."""
    name = (upload.name or "").lower()
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in AUTHORIZATION_SIGNATURES:
        raise ValidationError("Upload a PDF, PNG or JPEG file.", code="document_type")
    if upload.size > settings.RESUME_MAX_BYTES:
        raise ValidationError(
            f"This file is {filesizeformat(upload.size)}; the limit is "
            f"{filesizeformat(settings.RESUME_MAX_BYTES)}.",
            code="document_size",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(AUTHORIZATION_SIGNATURES[extension]):
        raise ValidationError("This file is not the kind its name says.", code="document_content")
