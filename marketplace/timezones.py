"""Times are stored in UTC and shown in the reader's own time zone: these are the only
helpers that turn one into the other."""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone


def zone_named(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone of that name; the default user zone for an empty or unknown name (never the
    server's UTC, so every time a reader sees is in one zone)."""
    for candidate in (name, settings.DEFAULT_USER_TIME_ZONE):
        if not candidate:
            continue
        try:
            return zoneinfo.ZoneInfo(candidate)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    return zoneinfo.ZoneInfo("UTC")


def zone_of(user) -> zoneinfo.ZoneInfo:
    """The user's zone; the default user zone for visitors and unknown zones."""
    if user is None or not getattr(user, "is_authenticated", False):
        return zone_named(None)
    return zone_named(getattr(user, "time_zone", None))


def local_text(moment: datetime, user) -> str:
    """A moment as its reader reads it: "Mon, Mar 2 at 3:30 PM EST"."""
    local = moment.astimezone(zone_of(user))
    return local.strftime("%a, %b %-d at %-I:%M %p ") + local.tzname()


def at_local_hour(
    moment: datetime, zone_name: str | None, *, hour: int, days_later: int
) -> datetime:
    """`hour` o'clock, `days_later` days after `moment`, in the named zone (returned in UTC)."""
    zone = zone_named(zone_name)
    day = moment.astimezone(zone).date() + timedelta(days=days_later)
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def today_in(zone_name: str) -> date:
    return timezone.now().astimezone(zone_named(zone_name)).date()


def weekdays_after(day: date, days: int, *, closed=frozenset()) -> date:
    """The `days`-th working day after `day`: Monday to Friday, not a day in `closed`. With
    0 days, `day` itself when it is a working day, otherwise the next one."""
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            counted += 1
    while day.weekday() >= 5 or day in closed:
        day += timedelta(days=1)
    return day


def business_days_later(moment: datetime, days: int, zone_name: str | None) -> datetime:
    """The end (23:59 local) of the `days`-th working day (Monday to Friday) after `moment`,
    in the named zone; returned in UTC. From a Friday, 5 business days end the next Friday."""
    zone = zone_named(zone_name)
    day = moment.astimezone(zone).date()
    if days:
        day = weekdays_after(day, days)
    return datetime.combine(day, time(23, 59), tzinfo=zone).astimezone(UTC)
