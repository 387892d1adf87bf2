"""Uploaded files served back to the people allowed to see them.

The caller has already checked who is asking (one access helper per kind of object); this
module only decides how the bytes travel. From the local disk, or from object storage by
default, they stream through the web node. With STORAGE_PRESIGNED_DOWNLOADS the answer is
instead a redirect to a link the object store signed for a short time
(STORAGE_LINK_SECONDS), carrying the same attachment, type and no-store headers: the web
node then never holds a large deliverable in a worker while a slow client reads it.
"""

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

PRIVATE_CACHE_CONTROL = "private, no-store"


def private_download(
    file: FieldFile, *, filename: str, content_type: str | None = None
) -> FileResponse | HttpResponseRedirect:
    """An upload (résumé, authorization document, deliverable) as a download.

    Always an attachment, never shown inline: a crafted file then cannot run as a page of
    this site. The browser must not guess another type than the one declared (nosniff),
    and neither it nor any shared cache keeps a copy (private, no-store)."""
    if settings.STORAGE_PRESIGNED_DOWNLOADS:
        response = HttpResponseRedirect(_signed_link(file, filename, content_type))
    else:
        response = FileResponse(
            file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


def _signed_link(file: FieldFile, filename: str, content_type: str | None) -> str:
    # The object store answers the signed link with these headers instead of its own.
    parameters = {
        "ResponseContentDisposition": content_disposition_header(True, filename),
        "ResponseCacheControl": PRIVATE_CACHE_CONTROL,
        "ResponseContentType": content_type or "application/octet-stream",
    }
    return file.storage.url(file.name, parameters=parameters, expire=settings.STORAGE_LINK_SECONDS)
