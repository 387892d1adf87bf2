"""Feedback sessions from the workspace: the employer adds and moves them, both sides
download them for their calendar; everyone else gets 404, and bad input a message."""

import zoneinfo
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from accounts.models import Notification
from engagements.models import EngagementEvent
from feedback.models import FeedbackSession, SessionKind, SessionStatus
from tests.factories import (
    CareerStaffFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
NOW = "2026-11-02 15:00Z"  # a Monday, 9:00 in Chicago


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def engagement(clock, school):
    project = ProjectFactory(title="Market sizing memo")
    project.created_by.time_zone = "America/Chicago"
    project.created_by.save(update_fields=["time_zone"])
    return accepted_engagement(project=project, student=StudentFactory(school=school).user)


def session_form(day: str, start: str = "15:30", **extra):
    return {
        "date": day,
        "start_time": start,
        "duration_minutes": 45,
        "meeting_link": "https://meet.example.com/market",
        "agenda": "Review the first estimate.",
        **extra,
    }


def outsiders(engagement):
    """Everyone who must not see or change this engagement's sessions."""
    return {
        "another student": StudentFactory().user,
        "another organization's employer": ProjectFactory().created_by,
        "staff of another school": CareerStaffFactory().user,
    }


def added(engagement):
    return FeedbackSession.objects.filter(engagement=engagement, kind=SessionKind.EXTRA)


# --- Adding a session --------------------------------------------------------------------------


def test_the_employer_adds_a_session_in_their_own_time_zone_and_the_student_is_told(
    client, on_commit, engagement
):
    client.force_login(employer_of(engagement.project))

    with on_commit():
        response = client.post(
            reverse("feedback:session_add", args=[engagement.pk]), session_form("2026-11-05")
        )

    assert response.status_code == 302
    session = added(engagement).get()
    assert session.scheduled_at == datetime(2026, 11, 5, 15, 30, tzinfo=CHICAGO)
    assert session.duration_minutes == 45
    assert Notification.objects.filter(
        recipient=engagement.student, kind="session.scheduled"
    ).exists()
    assert engagement.student.email in [m.to[0] for m in mail.outbox]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": "2026-11-01"}, "Choose a time in the future."),
        ({"date": "2027-03-01"}, "Choose a time within two weeks of the due date."),
        ({"date": "9999-12-31", "start_time": "23:59"}, "within two weeks of the due date"),
        ({"date": "0001-01-01", "start_time": "00:00"}, "Choose a time in the future."),
        ({"date": "2026-02-30"}, "Enter a valid date."),
        ({"start_time": "25:00"}, "Enter a valid time."),
        ({"duration_minutes": "5"}, "greater than or equal to 10"),
        ({"meeting_link": "javascript:alert(1)"}, "Enter a valid URL."),
    ],
)
def test_a_bad_session_gets_a_message_on_the_form_and_nothing_is_added(
    client, engagement, overrides, message
):
    client.force_login(employer_of(engagement.project))

    response = client.post(
        reverse("feedback:session_add", args=[engagement.pk]),
        session_form("2026-11-05", **overrides),
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not added(engagement).exists()
    assert not Notification.objects.filter(kind="session.scheduled").exists()


def test_no_session_before_the_engagement_is_funded(client, clock):
    # The form is not on the page then; a stale page still gets the reason.
    engagement = accepted_engagement(funded=False)
    client.force_login(employer_of(engagement.project))

    response = client.post(
        reverse("feedback:session_add", args=[engagement.pk]),
        session_form("2026-11-05"),
        follow=True,
    )

    assert "Sessions are for engagements under way." in response.content.decode()
    assert not added(engagement).exists()


def test_the_student_and_career_staff_cannot_add_sessions(client, engagement, school):
    staff = CareerStaffFactory(school=school).user
    for user in (engagement.student, staff):
        client.force_login(user)
        response = client.post(
            reverse("feedback:session_add", args=[engagement.pk]), session_form("2026-11-05")
        )
        assert response.status_code == 403
    assert not added(engagement).exists()


def test_outsiders_cannot_add_sessions(client, engagement):
    url = reverse("feedback:session_add", args=[engagement.pk])
    assert client.post(url, session_form("2026-11-05")).status_code == 404
    for user in outsiders(engagement).values():
        client.force_login(user)
        assert client.post(url, session_form("2026-11-05")).status_code == 404
    assert not added(engagement).exists()


def test_adding_is_post_only(client, engagement):
    client.force_login(employer_of(engagement.project))

    assert client.get(reverse("feedback:session_add", args=[engagement.pk])).status_code == 405


# --- Moving a session --------------------------------------------------------------------------


@pytest.fixture
def kickoff(engagement):
    return FeedbackSession.objects.get(engagement=engagement, kind=SessionKind.KICKOFF)


def test_the_edit_form_shows_the_session_in_the_employers_time_zone(client, kickoff):
    client.force_login(employer_of(kickoff.engagement.project))

    response = client.get(reverse("feedback:session_edit", args=[kickoff.pk]))

    assert response.status_code == 200
    local = kickoff.scheduled_at.astimezone(CHICAGO)
    page = response.content.decode()
    assert f'value="{local:%Y-%m-%d}"' in page
    assert f'value="{local:%H:%M}"' in page
    assert "Your time zone: America/Chicago." in page


def test_moving_a_session_tells_the_student_and_records_it(client, on_commit, kickoff):
    engagement = kickoff.engagement
    client.force_login(employer_of(engagement.project))

    with on_commit():
        response = client.post(
            reverse("feedback:session_edit", args=[kickoff.pk]),
            session_form("2026-11-04", "11:00"),
        )

    assert response.status_code == 302
    kickoff.refresh_from_db()
    assert kickoff.scheduled_at == datetime(2026, 11, 4, 11, 0, tzinfo=CHICAGO)
    assert kickoff.agenda == "Review the first estimate."
    moved = Notification.objects.get(recipient=engagement.student, kind="session.moved")
    assert "moved" in moved.message
    assert EngagementEvent.objects.filter(engagement=engagement, kind="session_moved").exists()


def test_changing_only_the_agenda_does_not_announce_a_move(client, kickoff):
    engagement = kickoff.engagement
    client.force_login(employer_of(engagement.project))
    local = kickoff.scheduled_at.astimezone(CHICAGO)

    response = client.post(
        reverse("feedback:session_edit", args=[kickoff.pk]),
        session_form(f"{local:%Y-%m-%d}", f"{local:%H:%M}", agenda="Bring questions."),
    )

    assert response.status_code == 302
    kickoff.refresh_from_db()
    assert kickoff.agenda == "Bring questions."
    assert not Notification.objects.filter(kind="session.moved").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": "2026-10-30"}, "Choose a time in the future."),
        ({"date": "9999-12-31", "start_time": "23:59"}, "within two weeks of the due date"),
        ({"duration_minutes": "600"}, "less than or equal to 240"),
    ],
)
def test_a_bad_move_gets_a_message_and_changes_nothing(client, kickoff, overrides, message):
    client.force_login(employer_of(kickoff.engagement.project))
    before = kickoff.scheduled_at

    response = client.post(
        reverse("feedback:session_edit", args=[kickoff.pk]),
        session_form("2026-11-04", "11:00", **overrides),
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    kickoff.refresh_from_db()
    assert kickoff.scheduled_at == before
    assert not Notification.objects.filter(kind="session.moved").exists()


def test_a_session_that_took_place_cannot_be_moved(client, kickoff):
    FeedbackSession.objects.filter(pk=kickoff.pk).update(
        status=SessionStatus.HELD, marked_at=kickoff.scheduled_at
    )
    client.force_login(employer_of(kickoff.engagement.project))

    response = client.post(
        reverse("feedback:session_edit", args=[kickoff.pk]), session_form("2026-11-04", "11:00")
    )

    assert response.status_code == 400
    assert "Only a session still to come can be moved." in response.content.decode()


def test_only_the_employer_moves_sessions(client, kickoff, school):
    url = reverse("feedback:session_edit", args=[kickoff.pk])
    before = kickoff.scheduled_at
    people = {
        "the student": kickoff.engagement.student,
        "career staff of the school": CareerStaffFactory(school=school).user,
        **outsiders(kickoff.engagement),
    }
    assert client.get(url).status_code == 404
    for who, user in people.items():
        client.force_login(user)
        assert client.get(url).status_code == 404, who
        assert client.post(url, session_form("2026-11-04", "11:00")).status_code == 404, who
    kickoff.refresh_from_db()
    assert kickoff.scheduled_at == before


# --- The calendar file -------------------------------------------------------------------------


def ics(client, session):
    return client.get(reverse("feedback:session_ics", args=[session.pk]))


def test_both_sides_and_their_schools_staff_download_the_session(client, kickoff, school):
    engagement = kickoff.engagement
    for user in (
        engagement.student,
        employer_of(engagement.project),
        CareerStaffFactory(school=school).user,
    ):
        client.force_login(user)
        response = ics(client, kickoff)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"] == (
            f'attachment; filename="session-{kickoff.pk}.ics"'
        )
        event = Calendar.from_ical(response.content).walk("VEVENT")[0]
        assert event.decoded("dtstart") == kickoff.scheduled_at
        assert event.decoded("dtend") == kickoff.ends_at
        assert str(event["summary"]) == "Kickoff: Market sizing memo"


def test_outsiders_cannot_download_the_session(client, kickoff):
    assert ics(client, kickoff).status_code == 404
    for who, user in outsiders(kickoff.engagement).items():
        client.force_login(user)
        assert ics(client, kickoff).status_code == 404, who


CRAFTED_AGENDA = (
    "Bring the draft.\r\nATTENDEE:mailto:attacker@example.com\r"
    "ORGANIZER:mailto:attacker@example.com\n"
    "END:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Injected; with, specials\\"
)


def test_typed_line_breaks_cannot_add_calendar_properties(client, kickoff):
    FeedbackSession.objects.filter(pk=kickoff.pk).update(agenda=CRAFTED_AGENDA)
    client.force_login(kickoff.engagement.student)

    content = ics(client, kickoff).content

    calendar = Calendar.from_ical(content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert "ATTENDEE" not in event
    assert "ORGANIZER" not in event
    assert str(event["summary"]) == "Kickoff: Market sizing memo"
    assert str(event["description"]) == CRAFTED_AGENDA.replace("\r\n", "\n").replace("\r", "\n")
    assert b"\r" not in content.replace(b"\r\n", b"")  # no bare carriage return anywhere
    assert content.split(b"\r\n").count(b"BEGIN:VEVENT") == 1


def test_long_lines_are_folded_at_75_octets(client, kickoff):
    title = ("Étude de marché — 市场调研 — " * 8)[:120]
    project = kickoff.engagement.project
    project.title = title
    project.save(update_fields=["title"])
    FeedbackSession.objects.filter(pk=kickoff.pk).update(
        agenda="Première réunion. " * 40, meeting_link="https://meet.example.com/" + "x" * 90
    )
    kickoff.refresh_from_db()
    client.force_login(kickoff.engagement.student)

    content = ics(client, kickoff).content

    lines = content.split(b"\r\n")
    assert lines[-1] == b""  # every line ends with CRLF
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # folded, not cut
    for line in lines:
        line.decode("utf-8")  # never split inside a character
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["summary"]) == f"Kickoff: {title}"
    assert str(event["description"]).startswith("Première réunion. " * 40)
    assert str(event["description"]).endswith(f"Join: {kickoff.meeting_link}".strip())


def test_a_cancelled_session_is_marked_cancelled(client, kickoff):
    FeedbackSession.objects.filter(pk=kickoff.pk).update(status=SessionStatus.CANCELLED)
    client.force_login(kickoff.engagement.student)

    event = Calendar.from_ical(ics(client, kickoff).content).walk("VEVENT")[0]

    assert str(event["status"]) == "CANCELLED"


def test_the_times_are_in_utc(client, kickoff):
    client.force_login(kickoff.engagement.student)

    content = ics(client, kickoff).content.decode()

    assert f"DTSTART:{kickoff.scheduled_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in content
    assert f"DTEND:{kickoff.ends_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in content
