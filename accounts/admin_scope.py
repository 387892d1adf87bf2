"""Who sees what in the admin site.

Platform admins see everything. Career services staff see, read-only, the rows
that concern their own school's students, and nothing else: every place the
admin reads rows (lists, search, filters, counts, the change page, actions and
exports, autocomplete) goes through `get_queryset`, which this mixin scopes.
The few things staff may change are granted per model (`staff_can_add`,
`staff_can_change`) on top of their group's permissions.
"""

from django.contrib import admin
from django.db import models

from accounts.access import staff_school_id
from accounts.audit import AuditedAdminMixin


class PlatformAdminOnly:
    """Models only platform admins see; career staff never do."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class PlatformAdminReadOnly(PlatformAdminOnly):
    """Records platform admins read but never write through the admin (services do)."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SchoolScopedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    # ORM path from the model to the school it concerns, e.g. "engagement__school".
    school_path: str = ""
    staff_can_add = False
    staff_can_change = False
    # What platform admins may do here (they never delete: records are kept).
    admin_can_add = False
    admin_can_change = False
    # Actions career staff may run (every other action is for platform admins).
    staff_actions: tuple[str, ...] = ()

    @staticmethod
    def is_platform_admin(request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def scope(self, queryset, school_id: int):
        return queryset.filter(**{self.school_path: school_id})

    def staff_school(self, request) -> int | None:
        """The school a career staff member sees; None for platform admins (every school)."""
        return None if self.is_platform_admin(request) else staff_school_id(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.is_platform_admin(request):
            return queryset
        school_id = staff_school_id(request.user)
        if school_id is None or not self.school_path:
            return queryset.none()
        return self.scope(queryset, school_id)

    def _staff_may(self, request, action: str) -> bool:
        opts = self.opts
        return staff_school_id(request.user) is not None and request.user.has_perm(
            f"{opts.app_label}.{action}_{opts.model_name}"
        )

    def _in_scope(self, request, obj) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        return self.is_platform_admin(request) or self._staff_may(request, "view")

    def has_view_permission(self, request, obj=None):
        if self.is_platform_admin(request):
            return True
        return self._staff_may(request, "view") and self._in_scope(request, obj)

    def has_add_permission(self, request, *args):
        if self.is_platform_admin(request):
            return self.admin_can_add
        return self.staff_can_add and self._staff_may(request, "add")

    def has_change_permission(self, request, obj=None):
        if self.is_platform_admin(request):
            return self.admin_can_change
        return (
            self.staff_can_change
            and self._staff_may(request, "change")
            and self._in_scope(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def get_list_filter(self, request):
        """Staff filter choices come from their own rows only: a related-object filter
        would otherwise list every school's employers or projects."""
        filters = super().get_list_filter(request)
        if self.is_platform_admin(request):
            return filters
        scoped = []
        for item in filters:
            if isinstance(item, str) and self._is_relation(item):
                scoped.append((item, admin.RelatedOnlyFieldListFilter))
            else:
                scoped.append(item)
        return scoped

    def _is_relation(self, path: str) -> bool:
        model = self.model
        field = None
        for part in path.split("__"):
            field = model._meta.get_field(part)
            if field.is_relation:
                model = field.related_model
        return isinstance(field, models.ForeignKey | models.OneToOneField | models.ManyToManyField)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.is_platform_admin(request):
            for name in list(actions):
                if name not in self.staff_actions:
                    del actions[name]
        return actions


class ReadOnlyInlineMixin:
    """Rows shown read-only on a parent page the viewer may already see (the parent's
    admin is scoped, so the inline needs no scope of its own)."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and (
            request.user.is_superuser or staff_school_id(request.user) is not None
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
