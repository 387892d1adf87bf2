"""Demo data for integrations: the main demo student and employer have their calendar
subscription turned on, so `make run` shows a feed with real sessions and due dates."""

from accounts.models import User
from integrations import calendar_feeds
from integrations.models import CalendarFeed

CALENDAR_USERS = ["student@demo.test", "employer@demo.test"]


def seed_integrations() -> bool:
    """True if anything was created."""
    created = False
    for user in User.objects.filter(email__in=CALENDAR_USERS).order_by("email"):
        if not CalendarFeed.objects.filter(user=user).exists():
            calendar_feeds.calendar_feed_renew(actor=user)
            created = True
    return created


def calendar_addresses() -> list[tuple[str, str]]:
    """(email, feed address) of each demo calendar feed, to print with the logins."""
    feeds = CalendarFeed.objects.filter(user__email__in=CALENDAR_USERS).select_related("user")
    return sorted((feed.user.email, calendar_feeds.feed_url(feed)) for feed in feeds)
