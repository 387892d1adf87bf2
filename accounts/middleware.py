import zoneinfo

from django.conf import settings
from django.utils import timezone


class UserTimezoneMiddleware:
    """Show dates and times in the user's own time zone (they are stored in UTC).

    Visitors, and users whose zone is missing or unknown, see the default user zone: never
    the server's UTC, so every time on a page is in one zone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        name = settings.DEFAULT_USER_TIME_ZONE
        if user is not None and user.is_authenticated and user.time_zone:
            name = user.time_zone
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo(settings.DEFAULT_USER_TIME_ZONE)
        # Left active after the response: a streamed export still writes its rows in it.
        timezone.activate(zone)
        return self.get_response(request)
