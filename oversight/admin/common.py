"""What every oversight admin page shares, and the school dashboard's address."""

from django.contrib import admin
from django.db import models

from accounts.admin_scope import ReadOnlyInlineMixin
from engagements.models import EngagementStatus
from oversight.dashboard import dashboard_view

URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}
FINISHED = (EngagementStatus.APPROVED, EngagementStatus.PAID)

admin.site.register_view("school-dashboard/", dashboard_view, name="school_dashboard")


class ReadOnlyInline(ReadOnlyInlineMixin, admin.TabularInline):
    pass
