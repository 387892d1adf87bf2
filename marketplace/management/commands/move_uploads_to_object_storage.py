"""Copy the uploads still on the local disk to the configured object storage."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError

from marketplace.uploads_move import uploads_move


class Command(BaseCommand):
    help = (
        "Copy every uploaded file (résumés, work-authorization documents, deliverables) "
        "from the local disk to the object storage named by STORAGE_BUCKET, under the same "
        "names. Safe to run again: files already there are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            default=str(settings.MEDIA_ROOT),
            help="The folder the files are in now (default: MEDIA_ROOT).",
        )
        parser.add_argument(
            "--delete-local",
            action="store_true",
            help="Delete each local file once the object storage holds it.",
        )

    def handle(self, *args, source, delete_local, **options):
        target = storages["default"]
        if isinstance(target, FileSystemStorage):
            raise CommandError(
                "Uploads are stored on the local disk: set STORAGE_BUCKET (and the other "
                "STORAGE_* settings) to the object storage to move them to."
            )
        report = uploads_move(
            source=FileSystemStorage(location=source),
            target=target,
            delete_source=delete_local,
        )
        for missing in report.missing:
            self.stderr.write(f"Not on the disk: {missing}")
        summary = (
            f"Copied {report.copied}, already in object storage {report.already_there}, "
            f"missing from the disk {len(report.missing)}"
        )
        if delete_local:
            summary += f", deleted locally {report.deleted_locally}"
        self.stdout.write(self.style.SUCCESS(summary + "."))
