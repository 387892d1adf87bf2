"""Who sees what in the admin site.

Platform admins see everything. Career services staff see, read-only, the rows
that concern their own school's students, and nothing else: every place the
admin reads rows (lists, search, filters, counts, the change page, actions and
exports, autocomplete) goes through `get_queryset`, which this mixin scopes.
The few things staff may change are granted per model (`staff_can_add`,
`staff_can_change`) on top of their group's permissions.
"""

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.db import models
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

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


class RelationLink:
    """A read-only relation on an admin page, linked only for a viewer who may open it.

    Django links every read-only foreign key to the related object's admin page, whether
    or not the viewer may open it: career services staff would meet "403 Forbidden" on a
    student's user account or on a project. Made for one request; the admin page calls it
    with the object shown.
    """

    do_not_call_in_templates = True  # the inline table prints it as its column's name

    def __init__(self, model_admin, request, field):
        self.model_admin = model_admin
        self.request = request
        self.field = field
        self.__name__ = field.name
        self.short_description = field.verbose_name

    def __str__(self):
        return self.field.name

    def __call__(self, obj):
        target = getattr(obj, self.field.name)
        if target is None:
            return self.model_admin.get_empty_value_display()
        site = self.model_admin.admin_site
        try:
            target_admin = site.get_model_admin(type(target))
        except NotRegistered:
            return str(target)
        if not target_admin.has_view_permission(self.request, target):
            return str(target)
        opts = target._meta
        try:
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[quote(target.pk)],
                current_app=site.name,
            )
        except NoReverseMatch:
            return str(target)
        return format_html('<a href="{}">{}</a>', url, target)


class RelationLinksMixin:
    """For anyone but platform admins, the read-only foreign keys of a change page (and of
    its inlines) are shown as `RelationLink`s: a link where the viewer may follow it, the
    related object's name elsewhere. Done on the finished page, after Django has decided
    which fields are read-only, so every admin's own choice of fields is respected."""

    def render_change_form(self, request, context, *args, **kwargs):
        if not request.user.is_superuser:
            adminform = context.get("adminform")
            if adminform is not None:
                self._link_relations(request, adminform, self.model, skip="")
            for inline in context.get("inline_admin_formsets", ()):
                if not inline.has_change_permission:
                    inline.readonly_fields = list(inline.readonly_fields) + list(
                        flatten_fieldsets(inline.fieldsets)
                    )
                fk = getattr(inline.formset, "fk", None)
                self._link_relations(
                    request, inline, inline.formset.model, skip=fk.name if fk else ""
                )
        return super().render_change_form(request, context, *args, **kwargs)

    def _link_relations(self, request, shown, model, *, skip: str) -> None:
        """Swap each read-only foreign key of `shown` (an AdminForm or InlineAdminFormSet,
        both with `fieldsets` and `readonly_fields`) for its RelationLink."""
        links = {
            f.name: RelationLink(self, request, f)
            for f in model._meta.get_fields()
            if f.concrete and (f.many_to_one or f.one_to_one) and f.name != skip
        }
        swap = {
            name: links[name]
            for name in shown.readonly_fields
            if isinstance(name, str) and name in links
        }
        if not swap:
            return

        def swapped(names):
            return tuple(
                swapped(name) if isinstance(name, list | tuple) else swap.get(name, name)
                for name in names
            )

        shown.fieldsets = [
            (title, {**options, "fields": swapped(options["fields"])})
            for title, options in shown.fieldsets
        ]
        shown.readonly_fields = list(swapped(shown.readonly_fields))


class SchoolScopedAdmin(RelationLinksMixin, AuditedAdminMixin, admin.ModelAdmin):
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

    # Records out of reach ---------------------------------------------------------------

    def not_available(self, request):
        """What staff see for a record outside their school, or one that does not exist: the
        same page for both, so it tells nothing of other schools' records (Django would say
        "doesn't exist. Perhaps it was deleted?", untrue of another school's record)."""
        return render(
            request,
            "admin/not_available.html",
            {
                **self.admin_site.each_context(request),
                "title": "Not available",
                "opts": self.opts,
                "has_view_permission": self.has_view_permission(request),
            },
            status=404,
        )

    def _out_of_reach(self, request, object_id) -> bool:
        return not self.is_platform_admin(request) and (
            self.get_object(request, unquote(object_id)) is None
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self._out_of_reach(request, object_id):
            return self.not_available(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        if self._out_of_reach(request, object_id):
            return self.not_available(request)
        return super().history_view(request, object_id, extra_context)

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
