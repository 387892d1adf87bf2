"""A feedback session as an iCalendar file (RFC 5545), built with the icalendar library.

Every text a user typed (the agenda, the project title, the meeting link) goes through
icalendar's TEXT escaping: a line break becomes the two characters \\n and can never start
a property of its own, and long lines are folded at 75 octets. Times are in UTC, so every
calendar shows them right in its own zone.
"""

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event

from feedback.models import FeedbackSession, SessionStatus

PRODID = "-//Micro-internships//Feedback sessions//EN"


def plain_text(value: str) -> str:
    """Text without control characters (RFC 5545 TEXT allows none but the tab); every kind
    of line break becomes one newline, which icalendar escapes."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char for char in value if char in "\n\t" or unicodedata.category(char) not in {"Cc", "Cs"}
    )


@dataclass(frozen=True)
class SessionLinks:
    uid_host: str  # the site's host, which makes the UID unique worldwide
    workspace_url: str


def session_event(session: FeedbackSession, *, links: SessionLinks, now: datetime) -> Event:
    """The session as one VEVENT. The UID stays the same for the session's whole life and the
    SEQUENCE grows when it moves or is cancelled, so a calendar that already holds it (a
    download or a subscription) replaces its copy instead of adding a second one."""
    engagement = session.engagement
    description = session.agenda
    if session.meeting_link:
        description = f"{description}\n\nJoin: {session.meeting_link}".strip()

    event = Event()
    event.add("uid", f"session-{session.pk}@{links.uid_host}")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("sequence", session.sequence)
    event.add("last-modified", session.updated_at.astimezone(UTC))
    event.add("dtstart", session.scheduled_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", plain_text(f"{session.get_kind_display()}: {engagement.project.title}"))
    if description:
        event.add("description", plain_text(description))
    if session.meeting_link:
        event.add("location", plain_text(session.meeting_link))
    event.add("url", links.workspace_url)
    event.add("status", "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED")
    return event


def new_calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def session_ical(session: FeedbackSession, *, links: SessionLinks, now: datetime) -> bytes:
    calendar = new_calendar()
    calendar.add_component(session_event(session, links=links, now=now))
    return calendar.to_ical()
