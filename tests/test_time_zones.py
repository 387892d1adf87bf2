"""One zone on every page, the reader's own: the workspace history included."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import dateformat, timezone

from engagements.models import EngagementEvent
from feedback import services as feedback
from feedback.models import FeedbackSession
from tests.factories import accepted_engagement, employer_of

pytestmark = pytest.mark.django_db


def history(html: str) -> str:
    return re.search(r'<section id="history".*?</section>', html, re.S).group(0)


def planned_session(engagement):
    """A session the employer adds for 15:00 UTC the day after tomorrow."""
    moment = (timezone.now() + timedelta(days=2)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    feedback.session_schedule(
        actor=employer_of(engagement.project),
        engagement=engagement,
        data=feedback.SessionData(
            scheduled_at=moment, duration_minutes=30, meeting_link="", agenda=""
        ),
    )
    return moment


def test_the_history_writes_a_session_time_in_each_readers_own_zone(client):
    engagement = accepted_engagement()
    moment = planned_session(engagement)
    employer, student = employer_of(engagement.project), engagement.student
    employer.time_zone, student.time_zone = "America/Los_Angeles", "Asia/Tokyo"
    employer.save()
    student.save()
    url = reverse("engagements:workspace", args=[engagement.pk])

    client.force_login(employer)
    seen_by_employer = history(client.get(url).content.decode())
    client.force_login(student)
    seen_by_student = history(client.get(url).content.decode())

    pacific = dateformat.format(moment.astimezone(ZoneInfo("America/Los_Angeles")), "M j, g:i A T")
    tokyo = dateformat.format(moment.astimezone(ZoneInfo("Asia/Tokyo")), "M j, g:i A T")
    assert f"Session planned for {pacific}." in seen_by_employer
    assert f"Session planned for {tokyo}." in seen_by_student
    assert tokyo.endswith("12:00 AM JST")
    assert "UTC" not in seen_by_employer + seen_by_student


def test_a_marked_session_is_named_by_the_readers_day():
    engagement = accepted_engagement()
    session = FeedbackSession.objects.filter(engagement=engagement).order_by("scheduled_at")[0]
    # 02:00 UTC is still the evening before in New York.
    FeedbackSession.objects.filter(pk=session.pk).update(
        scheduled_at=datetime(2026, 3, 4, 2, 0, tzinfo=UTC)
    )
    session.refresh_from_db()
    feedback.session_mark(actor=employer_of(engagement.project), session=session, held=True)

    event = EngagementEvent.objects.get(kind="session_held")
    with timezone.override("America/New_York"):
        assert event.text == f"{session.get_kind_display()} of Mar 3 marked held."
    with timezone.override("Europe/Paris"):
        assert event.text == f"{session.get_kind_display()} of Mar 4 marked held."


def test_a_user_without_a_zone_sees_the_default_zone_not_utc(client, settings):
    settings.DEFAULT_USER_TIME_ZONE = "America/Chicago"
    engagement = accepted_engagement()
    student = engagement.student
    student.time_zone = ""
    student.save()
    client.force_login(student)

    html = client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()

    due = re.search(r"<dt[^>]*>Due</dt>\s*<dd[^>]*>([^<]*)", html).group(1)
    assert due.strip().endswith(("CST", "CDT")), due


@pytest.mark.django_db(transaction=True)
def test_history_written_before_in_utc_text_is_moved_to_the_readers_zone():
    engagement = accepted_engagement()
    session = FeedbackSession.objects.filter(engagement=engagement).order_by("scheduled_at")[0]
    day = timezone.localtime(session.scheduled_at, timezone=UTC)
    executor = MigrationExecutor(connection)
    executor.migrate([("projects", "0007_extension_and_engagement_rate_ceiling")])
    old_apps = executor.loader.project_state(
        [("projects", "0007_extension_and_engagement_rate_ceiling")]
    ).apps
    OldEvent = old_apps.get_model("projects", "EngagementEvent")
    created = timezone.now()
    OldEvent.objects.create(
        engagement_id=engagement.pk,
        kind="session_added",
        description=f"Session planned for {created:%b} {created.day}, 14:30 UTC.",
        created_at=created,
    )
    OldEvent.objects.create(
        engagement_id=engagement.pk,
        kind="session_held",
        description=f"{session.get_kind_display()} of {day:%b} {day.day} marked held.",
        created_at=created,
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    try:
        executor.migrate([("projects", "0008_engagementevent_at")])
        planned = EngagementEvent.objects.get(kind="session_added")
        held = EngagementEvent.objects.get(kind="session_held")
    finally:
        # Every later migration comes back, so the tests after this one find today's schema.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert planned.at == created.replace(hour=14, minute=30, second=0, microsecond=0)
    assert planned.description == "Session planned for {at}."
    assert held.at == session.scheduled_at
    with timezone.override("America/Los_Angeles"):
        assert "UTC" not in planned.text and "P" in planned.text.split()[-1]
