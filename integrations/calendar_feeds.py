"""Private calendar subscriptions: every feedback session and due date of one user, as an
iCalendar feed (RFC 5545) that calendar programs fetch on their own schedule.

- Who gets what: a student sees the sessions and due dates of their engagements and the
  apply-by dates of the applications still waiting for a decision; an employer sees the
  same for their organization's engagements and the apply-by dates of its open projects;
  career staff see the due dates of their school's students' engagements (verified
  students, as in every oversight list) and the follow-up dates of their school's flags.
- Each entry keeps one UID for its whole life (a session's is the one its download has), and
  carries SEQUENCE and LAST-MODIFIED: a moved session replaces the calendar's copy, a
  cancelled one stays with STATUS:CANCELLED so the calendar strikes it instead of keeping
  a stale meeting.
- The address holds a random key that finds the feed and a secret compared in constant time.
  Making a new address or turning the feed off makes the old one answer 404 at once.
- One feed costs a fixed number of queries, however many entries it holds.
"""

import hmac
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Event

from accounts.access import staff_school_id
from accounts.audit import audit
from accounts.models import Role, StudentProfile, User
from engagements.models import Engagement, EngagementStatus, ScopeExtension
from feedback.calendar import SessionLinks, new_calendar, plain_text, session_event
from feedback.models import FeedbackSession
from integrations.models import CalendarFeed
from oversight.models import Flag
from projects.models import PENDING_APPLICATION_STATUSES, Application, Project, ProjectStatus
from projects.rules import apply_by_today

FEED_ROLES = frozenset({Role.STUDENT, Role.EMPLOYER, Role.CAREER_STAFF})
# Entries older than this leave the feed; calendars keep what they already hold.
PAST_DAYS = 90
# How often a fetch is written down (the settings page shows when a calendar last read it).
FETCH_NOTE_EVERY = timedelta(minutes=15)


# --- The address -------------------------------------------------------------------------


def _new_key() -> str:
    return secrets.token_hex(8)  # 16 characters, letters and digits only


def _new_secret() -> str:
    return secrets.token_urlsafe(32)  # 43 characters of [A-Za-z0-9_-]


def _require_feed_role(actor: User) -> None:
    if actor.role not in FEED_ROLES:
        raise PermissionDenied("Calendar feeds are for students, employers and career services.")


@transaction.atomic
def calendar_feed_renew(*, actor: User) -> CalendarFeed:
    """Give the user a feed address, or a new one: the old address stops working at once."""
    _require_feed_role(actor)
    User.objects.select_for_update().get(pk=actor.pk)
    feed = CalendarFeed.objects.filter(user=actor).first()
    if feed is None:
        feed = CalendarFeed.objects.create(user=actor, key=_new_key(), secret=_new_secret())
        audit(actor=actor, action="calendar_feed.created", target=feed, summary="Calendar feed on")
        return feed
    feed.key, feed.secret = _new_key(), _new_secret()
    feed.created_at, feed.last_fetched_at = timezone.now(), None
    feed.save(update_fields=["key", "secret", "created_at", "last_fetched_at"])
    audit(actor=actor, action="calendar_feed.renewed", target=feed, summary="New calendar address")
    return feed


@transaction.atomic
def calendar_feed_disable(*, actor: User) -> bool:
    """Turn the feed off: its address answers 404 from now on. False if there was none."""
    User.objects.select_for_update().get(pk=actor.pk)
    feed = CalendarFeed.objects.filter(user=actor).first()
    if feed is None:
        return False
    audit(actor=actor, action="calendar_feed.disabled", target=feed, summary="Calendar feed off")
    feed.delete()
    return True


def feed_for_address(*, key: str, secret: str) -> CalendarFeed | None:
    """The feed this address opens, or None. The secret is compared in constant time; the
    user must still be active and of a role that has a feed."""
    feed = (
        CalendarFeed.objects.select_related(
            "user", "user__employer_profile", "user__career_staff_profile"
        )
        .filter(key=key)
        .first()
    )
    if feed is None or not hmac.compare_digest(feed.secret.encode(), secret.encode()):
        return None
    if not feed.user.is_active or feed.user.role not in FEED_ROLES:
        return None
    return feed


def feed_url(feed: CalendarFeed) -> str:
    path = reverse("integrations:calendar_feed", kwargs={"key": feed.key, "secret": feed.secret})
    return settings.SITE_URL + path


def webcal_url(feed: CalendarFeed) -> str:
    """The same address with the webcal scheme, which calendar programs open as a
    subscription (they fetch it over https, or http on a development machine)."""
    return "webcal://" + feed_url(feed).split("://", 1)[1]


def note_fetch(feed: CalendarFeed, *, now: datetime) -> None:
    """Remember that a calendar read the feed, at most once every few minutes."""
    CalendarFeed.objects.filter(pk=feed.pk).filter(
        Q(last_fetched_at__isnull=True) | Q(last_fetched_at__lt=now - FETCH_NOTE_EVERY)
    ).update(last_fetched_at=now)


# --- The feed ----------------------------------------------------------------------------


def _uid_host() -> str:
    return urlparse(settings.SITE_URL).netloc


def _workspace_url(engagement_id: int) -> str:
    return settings.SITE_URL + reverse("engagements:workspace", args=[engagement_id])


def _scoped(user: User) -> tuple[Q, Q]:
    """Which engagements (as a filter on Engagement, and on its children) are the user's."""
    if user.role == Role.STUDENT:
        return Q(student=user), Q(engagement__student=user)
    organization_id = user.employer_profile.organization_id
    return Q(organization_id=organization_id), Q(engagement__organization_id=organization_id)


def _sessions(user: User, since: datetime):
    _, children = _scoped(user)
    return (
        FeedbackSession.objects.filter(children, scheduled_at__gte=since)
        .select_related("engagement__project")
        .order_by("scheduled_at", "pk")
    )


def _engagements(user: User, since: datetime):
    """Engagements whose due date the feed shows, with what tells a calendar that the due
    date changed: each applied extension moves it, and a cancellation strikes it."""
    mine, _ = _scoped(user)
    applied = Q(extensions__status=ScopeExtension.Status.APPLIED)
    return (
        Engagement.objects.filter(mine, due_at__gte=since)
        .select_related("project")
        .annotate(
            moves=Count("extensions", filter=applied),
            last_move=Max("extensions__decided_at", filter=applied),
        )
        .order_by("due_at", "pk")
    )


def _apply_by_dates(user: User, today) -> list[tuple[str, Project]]:
    """(UID stem, project) for each apply-by date the user cares about."""
    if user.role == Role.STUDENT:
        applications = Application.objects.filter(
            student=user,
            status__in=PENDING_APPLICATION_STATUSES,
            project__status=ProjectStatus.OPEN,
            project__apply_by__gte=today,
        ).select_related("project")
        return [(f"application-{a.pk}-apply-by", a.project) for a in applications]
    projects = Project.objects.filter(
        organization_id=user.employer_profile.organization_id,
        status=ProjectStatus.OPEN,
        apply_by__gte=today,
    )
    return [(f"project-{p.pk}-apply-by", p) for p in projects]


def _due_event(
    engagement: Engagement, *, host: str, now: datetime, summary: str = "", url: str = ""
) -> Event:
    cancelled = engagement.status == EngagementStatus.CANCELLED
    modified = max(
        stamp
        for stamp in (engagement.accepted_at, engagement.last_move, engagement.cancelled_at)
        if stamp is not None
    )
    event = Event()
    event.add("uid", f"engagement-{engagement.pk}-due@{host}")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("sequence", engagement.moves + (1 if cancelled else 0))
    event.add("last-modified", modified.astimezone(UTC))
    event.add("dtstart", engagement.due_at.astimezone(UTC))
    event.add("dtend", engagement.due_at.astimezone(UTC))
    event.add("summary", plain_text(summary or f"Work due: {engagement.project.title}"))
    event.add("url", url or _workspace_url(engagement.pk))
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: the time stays free
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _apply_by_event(uid_stem: str, project: Project, *, host: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", f"{uid_stem}@{host}")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("last-modified", project.updated_at.astimezone(UTC))
    event.add("dtstart", project.apply_by)  # a whole day: VALUE=DATE
    event.add("dtend", project.apply_by + timedelta(days=1))
    event.add("summary", plain_text(f"Applications close: {project.title}"))
    event.add("url", settings.SITE_URL + reverse("projects:detail", args=[project.pk]))
    event.add("transp", "TRANSPARENT")
    return event


def _admin_url(name: str, pk: int) -> str:
    return settings.SITE_URL + reverse(f"admin:{name}_change", args=[pk])


def _school_engagements(school_id: int, since: datetime):
    """The due dates of the school's verified students' engagements."""
    applied = Q(extensions__status=ScopeExtension.Status.APPLIED)
    return (
        Engagement.objects.filter(
            StudentProfile.verified_at_school(school_id, prefix="student__student_profile__"),
            due_at__gte=since,
        )
        .select_related("project", "student")
        .annotate(
            moves=Count("extensions", filter=applied),
            last_move=Max("extensions__decided_at", filter=applied),
        )
        .order_by("due_at", "pk")
    )


def _follow_up_event(flag: Flag, *, host: str, now: datetime) -> Event:
    """A flag's follow-up day. Resolving the flag strikes it (STATUS:CANCELLED)."""
    resolved = flag.status == Flag.Status.RESOLVED
    event = Event()
    event.add("uid", f"flag-{flag.pk}-follow-up@{host}")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("sequence", 1 if resolved else 0)
    event.add("last-modified", (flag.resolved_at or flag.raised_at).astimezone(UTC))
    event.add("dtstart", flag.follow_up_on)  # a whole day: VALUE=DATE
    event.add("dtend", flag.follow_up_on + timedelta(days=1))
    event.add("summary", plain_text(f"Follow up: {flag}"))
    event.add("description", plain_text(flag.note))
    event.add("url", _admin_url("oversight_flag", flag.pk))
    event.add("transp", "TRANSPARENT")
    event.add("status", "CANCELLED" if resolved else "CONFIRMED")
    return event


def _add_school_entries(calendar, user: User, *, host: str, now: datetime) -> None:
    school_id = staff_school_id(user)
    if school_id is None:
        return
    since = now - timedelta(days=PAST_DAYS)
    for engagement in _school_engagements(school_id, since):
        calendar.add_component(
            _due_event(
                engagement,
                host=host,
                now=now,
                summary=f"Work due: {engagement.student.get_full_name()}, "
                f"{engagement.project.title}",
                url=_admin_url("engagements_engagement", engagement.pk),
            )
        )
    flags = (
        Flag.objects.filter(school_id=school_id, follow_up_on__gte=since.date())
        .select_related("engagement__project", "engagement__student", "organization")
        .order_by("follow_up_on", "pk")
    )
    for flag in flags:
        calendar.add_component(_follow_up_event(flag, host=host, now=now))


def feed_ical(user: User, *, now: datetime) -> bytes:
    host = _uid_host()
    since = now - timedelta(days=PAST_DAYS)
    calendar = new_calendar()
    calendar.add("x-wr-calname", "Micro-internships")
    # How often to fetch again (RFC 7986, and the older name some programs still read).
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    if user.role == Role.CAREER_STAFF:
        _add_school_entries(calendar, user, host=host, now=now)
        return calendar.to_ical()
    for session in _sessions(user, since):
        links = SessionLinks(uid_host=host, workspace_url=_workspace_url(session.engagement_id))
        calendar.add_component(session_event(session, links=links, now=now))
    for engagement in _engagements(user, since):
        calendar.add_component(_due_event(engagement, host=host, now=now))
    for uid_stem, project in _apply_by_dates(user, apply_by_today()):
        calendar.add_component(_apply_by_event(uid_stem, project, host=host, now=now))
    return calendar.to_ical()
