"""Download all my data: the request, the archive, the link and its expiry.

The archive is a ZIP with `data.json` (every row about the user, found by walking the
model graph in `datarights.graph`, table by table) and `files/` (every file those rows hold:
résumé, work-authorization document, deliverables), read through the storage so that it
works the same with object storage. It is written to the private `default` storage and
served only to its user, and only until it expires (DATA_EXPORT_LINK_DAYS); a beat sweep
deletes expired archives.

What an employer's archive holds: their own account, profile and team records, and every
record they wrote (projects they posted, messages, evaluations and reviews, decisions,
payments they started). Their organization's other records belong to the organization
and its other members, and are not in it.
"""

import json
import logging
import tempfile
import zipfile
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import Role, User
from accounts.notifications import notify
from datarights.graph import rows_of
from datarights.models import AccountClosure, DataExport, ErasurePermit
from marketplace.queueing import delay_on_commit
from marketplace.timezones import zone_of

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
EXPORT_ROLES = frozenset({Role.STUDENT, Role.EMPLOYER})

# Rows found through these links are not exported: a report names who filed it, and the
# person reported, or the admins handling it, never learn that from the platform. The
# reports a user filed themselves are exported.
WITHHELD_LINKS = frozenset(
    {
        ("safety.Report", "reported_user"),
        ("safety.Report", "assignee"),
        ("safety.Report", "closed_by"),
    }
)
# Records about the user's own records that are someone else's working notes: career
# services' flags and coaching notes on an engagement, and reports others filed about a
# message of the engagement. They are erased with the account like everything else.
WITHHELD_MODELS = frozenset({"oversight.Flag", "oversight.CoachingNote", "safety.Report"})
# This app's own bookkeeping: the export does not contain earlier archives.
BOOKKEEPING_MODELS = frozenset(
    {DataExport._meta.label, AccountClosure._meta.label, ErasurePermit._meta.label}
)
# Columns never written to an archive: credentials, not data about the person.
SECRET_COLUMNS = frozenset(
    {
        ("accounts.User", "password"),
        ("account.EmailConfirmation", "key"),
        ("integrations.CalendarFeed", "secret"),
        # The REST API's credentials (api/, django-oauth-toolkit), even hashed.
        ("api.ApiToken", "secret_hash"),
        ("oauth2_provider.Application", "client_secret"),
        ("oauth2_provider.AccessToken", "token"),
        ("oauth2_provider.AccessToken", "token_checksum"),
        ("oauth2_provider.RefreshToken", "token"),
        ("oauth2_provider.RefreshToken", "token_checksum"),
        ("oauth2_provider.Grant", "code"),
        ("oauth2_provider.IDToken", "jti"),
        ("oauth2_provider.DeviceGrant", "device_code"),
        ("oauth2_provider.DeviceGrant", "user_code"),
    }
)


# --- Requests ----------------------------------------------------------------------------


def may_export(user: User) -> bool:
    return user.is_active and user.role in EXPORT_ROLES


@transaction.atomic
def data_export_request(*, user: User) -> DataExport:
    """Ask for an archive. One is prepared at a time; the task starts after commit."""
    from datarights import tasks

    if not may_export(user):
        raise ValidationError("Only students and employers download their data here.")
    User.objects.select_for_update().get(pk=user.pk)
    if DataExport.objects.filter(user=user, status=DataExport.Status.PENDING).exists():
        raise ValidationError("Your data is already being prepared: we email you when it is ready.")
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user)
    except IntegrityError as error:
        raise ValidationError("Your data is already being prepared.") from error
    audit(
        actor=user,
        action="data_export.requested",
        target=export,
        summary=f"User #{user.pk} asked for a download of their data",
        school=None,
    )
    delay_on_commit(tasks.prepare_data_export, export.pk)
    return export


def exports_of(user: User):
    return DataExport.objects.filter(user=user).order_by("-requested_at", "-id")[:10]


def export_for_owner_or_none(user: User, pk: int) -> DataExport | None:
    """The user's own archive, while it can be downloaded."""
    export = DataExport.objects.filter(pk=pk, user=user).first()
    if export is None or not export.is_downloadable():
        return None
    return export


@transaction.atomic
def data_export_mark_downloaded(*, export: DataExport) -> None:
    DataExport.objects.filter(pk=export.pk, downloaded_at__isnull=True).update(
        downloaded_at=timezone.now()
    )


# --- The archive -------------------------------------------------------------------------


def _serialize(rows: list[models.Model]) -> list[dict]:
    document = serializers.serialize("python", rows)
    for row in document:
        for model_label, column in SECRET_COLUMNS:
            if row["model"] == model_label.lower():
                row["fields"].pop(column, None)
    return document


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def build_document(user: User) -> tuple[dict, list[tuple[str, models.fields.files.FieldFile]]]:
    """The JSON document of every row about `user`, and the files those rows hold
    (archive name, stored file)."""
    found = rows_of(user, withheld_links=WITHHELD_LINKS, withheld_models=WITHHELD_MODELS)
    tables = {}
    files = []
    for label in sorted(found):
        if label in BOOKKEEPING_MODELS:
            continue
        rows = sorted(found[label].values(), key=lambda row: str(row.pk))
        tables[label] = _serialize(rows)
        for row in rows:
            for field in _file_fields(type(row)):
                stored = getattr(row, field.attname)
                if stored:
                    name = PurePath(stored.name).name
                    files.append((f"files/{label}/{row.pk}/{field.name}/{name}", stored))
    document = {
        "format": FORMAT_VERSION,
        "user": user.pk,
        "generated_at": timezone.now(),
        "tables": tables,
        "files": [name for name, _ in files],
    }
    return document, files


def write_archive(user: User, target) -> None:
    document, files = build_document(user)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
        archive.writestr("README.txt", README)
        for name, stored in files:
            try:
                with stored.open("rb") as source, archive.open(name, "w") as out:
                    for chunk in iter(lambda: source.read(1024 * 1024), b""):
                        out.write(chunk)
            except FileNotFoundError:
                logger.warning("A file of user %s is missing from storage: %s", user.pk, name)


README = """Everything the marketplace holds about you.

data.json   every record about you, table by table ("tables"), each row with its id and
            its columns, as the database holds them (times in UTC, money in cents).
files/      the files those records hold (your résumé, documents, deliverables), filed by
            table, record id and field.
"""


def data_export_prepare(*, export_id: int) -> DataExport | None:
    """Build the archive of a pending export, store it and mail the link. Safe to repeat:
    an export that is no longer pending is left alone."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status != DataExport.Status.PENDING:
            return export
        user = export.user
        with tempfile.TemporaryFile() as spool:
            write_archive(user, spool)
            spool.seek(0, 2)
            size = spool.tell()
            spool.seek(0)
            export.file.save("export.zip", File(spool), save=False)
        now = timezone.now()
        export.status = DataExport.Status.READY
        export.size = size
        export.ready_at = now
        export.expires_at = now + timedelta(days=settings.DATA_EXPORT_LINK_DAYS)
        export.save(update_fields=["file", "status", "size", "ready_at", "expires_at"])
        stored_name = export.file.name
        try:
            notify(
                recipients=[user],
                kind="data_export.ready",
                key=f"data-export-{export.pk}-ready",
                message="Your data is ready to download",
                url=reverse("datarights:data"),
                context={
                    "details": (
                        "The download works until "
                        f"{timezone.localtime(export.expires_at, zone_of(user)):%B %-d, %Y} "
                        "and only when you are logged in."
                    )
                },
            )
        except Exception:
            export.file.storage.delete(stored_name)
            raise
    return export


def data_exports_prepare_pending(batch: int = 20) -> int:
    """Sweep: pending exports whose task was lost."""
    stale = timezone.now() - timedelta(minutes=5)
    ids = list(
        DataExport.objects.filter(status=DataExport.Status.PENDING, requested_at__lt=stale)
        .order_by("requested_at")
        .values_list("pk", flat=True)[:batch]
    )
    done = 0
    for export_id in ids:
        try:
            data_export_prepare(export_id=export_id)
            done += 1
        except Exception:
            logger.exception("Could not prepare data export %s", export_id)
            data_export_mark_failed(export_id)
    return done


@transaction.atomic
def data_export_mark_failed(export_id: int) -> None:
    DataExport.objects.filter(pk=export_id, status=DataExport.Status.PENDING).update(
        status=DataExport.Status.FAILED, error="The archive could not be built."
    )


def data_exports_expire(now=None, batch: int = 200) -> int:
    """Sweep: delete the archives past their expiry from storage."""
    now = now or timezone.now()
    expired = 0
    ids = list(
        DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=now)
        .order_by("expires_at")
        .values_list("pk", flat=True)[:batch]
    )
    for export_id in ids:
        with transaction.atomic():
            export = DataExport.objects.select_for_update().filter(pk=export_id).first()
            if export is None or export.status != DataExport.Status.READY:
                continue
            name = export.file.name
            storage = export.file.storage
            export.status = DataExport.Status.EXPIRED
            export.file = ""
            export.save(update_fields=["status", "file"])
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
            expired += 1
    return expired
