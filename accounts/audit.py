"""The audit trail: who changed what, and when.

`audit()` writes one event in the caller's transaction; the database refuses to
change or delete it afterwards. Each event names the school whose student it
concerns, so that school's career services staff can read it.
`AuditedAdminMixin` records every add, change and delete made through the admin.
"""

import datetime
import decimal
import json
import uuid

from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from accounts.models import AuditEvent, Role, School, User

# Default of `audit(school=...)`: work the school out from the target.
FROM_TARGET = object()


def school_id_of(target) -> int | None:
    """The school whose student `target` concerns, if any.

    Read from the target itself when it carries the school (an engagement, a flag, a
    student profile): no query then. Any other model names, in `audit_school_via`, the
    relation that leads to one that does (a payment → its engagement), so this module
    knows no other app's models.
    """
    if target is None:
        return None
    if isinstance(target, School):
        return target.pk
    if isinstance(target, User):
        if target.role != Role.STUDENT:
            return None
        profile = getattr(target, "student_profile", None)
        return profile.school_id if profile is not None else None
    if hasattr(target, "school_id"):
        return target.school_id
    relation = getattr(type(target), "audit_school_via", None)
    if relation and getattr(target, f"{relation}_id", None) is not None:
        return school_id_of(getattr(target, relation))
    return None


def audit(
    *,
    actor: User | None,
    action: str,
    target,
    summary: str,
    data: dict | None = None,
    school: School | int | None = FROM_TARGET,
) -> AuditEvent:
    """Record that `actor` (None: the platform itself) did `action` to `target`."""
    if school is FROM_TARGET:
        school_id = school_id_of(target)
    else:
        school_id = school.pk if isinstance(school, School) else school
    return AuditEvent.objects.create(
        actor=actor if actor and actor.pk else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        summary=summary[:300],
        data=data or {},
        school_id=school_id,
    )


# --- Changes made through the admin ---------------------------------------------------


def json_safe(value):
    """A value as it can be stored in the event's JSON: ids, strings, numbers."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, FieldFile):
        return value.name or None  # the file's name, never its contents
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | datetime.timedelta):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    try:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    except (TypeError, ValueError):
        return str(value)


class AuditedAdminMixin:
    """Records every add, change and delete made through this admin, in the same
    transaction as the write: who, when, and each changed field's before and after.

    Fields named in `audit_secret_fields` (password hashes) are recorded only as
    having changed; files only by name. Changes to inlines are not recorded.
    """

    audit_secret_fields: tuple[str, ...] = ("password",)

    # Reading the object's values ------------------------------------------------

    def _audited_fields(self):
        return [
            f
            for f in self.model._meta.concrete_fields
            if not f.primary_key and not getattr(f, "auto_now", False)
        ]

    def _values(self, obj) -> dict:
        return {f.name: getattr(obj, f.attname) for f in self._audited_fields()}

    def _m2m_before(self, obj, form) -> dict:
        return {
            f.name: sorted(getattr(obj, f.name).values_list("pk", flat=True))
            for f in self.model._meta.many_to_many
            if f.name in form.cleaned_data
        }

    def _m2m_after(self, form) -> dict:
        # What the form is about to save (`save_related` writes exactly these).
        return {
            f.name: sorted(o.pk for o in form.cleaned_data[f.name] or [])
            for f in self.model._meta.many_to_many
            if f.name in form.cleaned_data
        }

    def _changes(self, before: dict, after: dict) -> dict:
        changes = {}
        for name, new in after.items():
            old = before.get(name)
            if old == new:
                continue
            if name in self.audit_secret_fields:
                changes[name] = "changed"
            else:
                changes[name] = [json_safe(old), json_safe(new)]
        return changes

    def _record(self, request, action: str, obj, verb: str, data: dict, fields=()):
        summary = f"{request.user.email} {verb} {self.model._meta.verbose_name} “{obj}”"
        if fields:
            summary += ": " + ", ".join(fields)
        audit(actor=request.user, action=f"admin.{action}", target=obj, summary=summary, data=data)

    # Admin hooks ----------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if change:
                old = self.model._base_manager.get(pk=obj.pk)
                before = {**self._values(old), **self._m2m_before(old, form)}
            else:
                before = {}
            super().save_model(request, obj, form, change)
            after = {**self._values(obj), **self._m2m_after(form)}
            if not change:
                after = {k: v for k, v in after.items() if v not in (None, "", [])}
            changes = self._changes(before, after)
            if change and not changes:
                return  # saved without changing anything
            self._record(
                request,
                "change" if change else "add",
                obj,
                "changed" if change else "added",
                {"changes": changes},
                fields=list(changes) if change else (),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._record_delete(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._record_delete(request, obj)
            super().delete_queryset(request, queryset)

    def _record_delete(self, request, obj):
        values = {
            name: "(secret)" if name in self.audit_secret_fields else json_safe(value)
            for name, value in self._values(obj).items()
        }
        self._record(request, "delete", obj, "deleted", {"deleted": values})

    def user_change_password(self, request, id, form_url=""):
        """The user admin's password page: record that the password changed, never the hash."""
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            response = super().user_change_password(request, id, form_url)
            if user is not None:
                users = self.model._base_manager.filter(pk=user.pk)
                if users.values_list("password", flat=True).first() != user.password:
                    self._record(
                        request,
                        "change",
                        user,
                        "changed",
                        {"changes": {"password": "changed"}},
                        fields=["password"],
                    )
        return response


def pretty(data) -> str:
    """An event's data as indented JSON, for reading."""
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)
