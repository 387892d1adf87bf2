"""Uploaded files served back to the people allowed to see them."""

from django.http import FileResponse


def private_download(file, *, filename: str, content_type: str | None = None) -> FileResponse:
    """An upload (résumé, authorization document, deliverable) as a download.

    Always an attachment, never shown inline: a crafted file then cannot run as a page of
    this site. The browser must not guess another type than the one declared (nosniff),
    and neither it nor any shared cache keeps a copy (private, no-store)."""
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
