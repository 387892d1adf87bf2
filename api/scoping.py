"""Career services read their school's rows through the admin's own scope.

The school-scoped admin (accounts.admin_scope.SchoolScopedAdmin and its subclasses) decides
which rows of each model a school's staff may see: students whose affiliation is verified,
the school's engagements, its flags and every school's flags about an employer. The API asks
the registered admin for that same scope instead of restating it, so the two never differ.
"""

from django.contrib import admin


def school_rows(model, school_id: int, queryset=None):
    """`queryset` (default: every row of `model`) reduced to what the school's staff see."""
    model_admin = admin.site.get_model_admin(model)
    if queryset is None:
        queryset = model._default_manager.all()
    return model_admin.scope(queryset, school_id)
