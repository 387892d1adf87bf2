from django.utils import timezone

from marketplace.timezones import zone_of


class UserTimezoneMiddleware:
    """Show dates and times in the user's own time zone (they are stored in UTC).

    Visitors, and users whose zone is missing or unknown, see the default user zone: never
    the server's UTC, so every time on a page is in one zone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Left active after the response: a streamed export still writes its rows in it.
        timezone.activate(zone_of(getattr(request, "user", None)))
        return self.get_response(request)
