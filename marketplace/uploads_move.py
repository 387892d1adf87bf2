"""Moving existing uploads from the local disk to the configured (object) storage.

A site that starts on one machine keeps its uploads under MEDIA_ROOT. Once STORAGE_BUCKET
points at object storage, every row still names its file the same way; this copies each
named file to the new storage under that same name, so no row has to change. Every file
field of every model is covered, including ones added later.

Safe to run again and again (while the site runs, too): a file already in the target is
counted and left alone, a file missing from the disk is reported and never invents a row
change, and the local copy is deleted only on request and only once the target has it.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models


@dataclass
class MoveReport:
    copied: int = 0
    already_there: int = 0
    missing: list[str] = field(default_factory=list)
    deleted_locally: int = 0


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every (model, file field) pair of the installed apps, each table once (a proxy model
    reads the same rows as its concrete model)."""
    return [
        (model, model_field)
        for model in apps.get_models()
        if not model._meta.proxy
        for model_field in model._meta.concrete_fields
        if isinstance(model_field, models.FileField)
    ]


def uploads_move(*, source: Storage, target: Storage, delete_source: bool = False) -> MoveReport:
    report = MoveReport()
    for model, model_field in file_fields():
        rows = (
            model._default_manager.exclude(**{model_field.name: ""})
            .exclude(**{f"{model_field.name}__isnull": True})
            .values_list("pk", model_field.name)
            .order_by("pk")
        )
        for pk, name in rows.iterator():
            if target.exists(name):
                report.already_there += 1
            elif not source.exists(name):
                report.missing.append(f"{model._meta.label} {pk}: {name}")
                continue
            else:
                with source.open(name, "rb") as content:
                    saved = target.save(name, content)
                if saved != name:
                    # The target chose another name (one was taken meanwhile): the row
                    # follows, unless it changed since it was read.
                    model._default_manager.filter(pk=pk, **{model_field.name: name}).update(
                        **{model_field.name: saved}
                    )
                report.copied += 1
            if delete_source and source.exists(name):
                source.delete(name)
                report.deleted_locally += 1
    return report
