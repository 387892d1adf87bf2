"""Reads for the safety pages."""

from django.db.models import QuerySet

from accounts.models import User
from safety.models import Report


def reports_by(user: User) -> QuerySet[Report]:
    """The reports a person filed, newest first, with what each names (a fixed number of
    queries whatever their number)."""
    return Report.objects.filter(reporter=user).select_related(
        "project", "organization", "message", "reported_user"
    )
