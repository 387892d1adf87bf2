"""Calendar subscriptions: a private address per user whose feed follows moved and cancelled
sessions; other users' addresses and turned-off or replaced ones open nothing."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from accounts.models import Affiliation, AuditEvent, StudentProfile
from engagements import services as engagement_services
from feedback import services as feedback_services
from feedback.models import FeedbackSession, SessionKind
from integrations import calendar_feeds
from integrations.models import CalendarFeed
from oversight import services as oversight_services
from projects.models import ProjectStatus
from tests.factories import (
    ApplicationFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)
from tests.helpers import path_of, run_after_commit

pytestmark = pytest.mark.django_db

NOW = "2026-11-02 15:00Z"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def engagement(clock, school):
    project = ProjectFactory(title="Market sizing memo, with a comma; and a semicolon")
    return accepted_engagement(project=project, student=StudentFactory(school=school).user)


@pytest.fixture
def kickoff(engagement):
    return FeedbackSession.objects.get(engagement=engagement, kind=SessionKind.KICKOFF)


def subscribe(client, user) -> str:
    """Turn the feed on from the integrations page, as the user would; the feed's path."""
    client.force_login(user)
    response = client.post(reverse("integrations:calendar_feed_renew"))
    assert response.status_code == 302
    page = client.get(reverse("integrations:settings")).content.decode()
    url = re.search(r'id="calendar-https" type="url" value="([^"]+)"', page).group(1)
    assert re.search(rf'value="webcal://{re.escape(url.split("://", 1)[1])}"', page)
    client.logout()
    return path_of(url)


def events(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def session_uid(session) -> str:
    return f"session-{session.pk}@127.0.0.1:8000"


def test_the_student_subscribes_and_sees_sessions_and_the_due_date(client, engagement, kickoff):
    feed_path = subscribe(client, engagement.student)

    found = events(client.get(feed_path))

    event = found[session_uid(kickoff)]
    assert event.decoded("dtstart") == kickoff.scheduled_at.astimezone(UTC)
    assert str(event["status"]) == "CONFIRMED"
    assert int(event["sequence"]) == 0
    due = found[f"engagement-{engagement.pk}-due@127.0.0.1:8000"]
    assert due.decoded("dtstart") == engagement.due_at.astimezone(UTC)
    assert str(due["summary"]) == f"Work due: {engagement.project.title}"
    # The title's comma and semicolon are escaped in the file, as RFC 5545 requires.
    assert "Market sizing memo\\, with a comma\\; and a semicolon" in (
        client.get(feed_path).content.decode()
    )


def test_the_employer_sees_the_same_session_under_the_same_uid(client, engagement, kickoff):
    feed_path = subscribe(client, employer_of(engagement.project))

    found = events(client.get(feed_path))

    assert session_uid(kickoff) in found
    assert f"engagement-{engagement.pk}-due@127.0.0.1:8000" in found


def test_a_moved_session_keeps_its_uid_with_a_higher_sequence(client, engagement, kickoff):
    feed_path = subscribe(client, engagement.student)
    before = events(client.get(feed_path))[session_uid(kickoff)]
    new_time = kickoff.scheduled_at + timedelta(days=1, hours=2)

    with time_machine.travel("2026-11-02 16:00Z", tick=False):
        feedback_services.session_move(
            actor=employer_of(engagement.project),
            session=kickoff,
            data=feedback_services.SessionData(
                scheduled_at=new_time, duration_minutes=45, meeting_link="", agenda="Moved."
            ),
        )
    after = events(client.get(feed_path))[session_uid(kickoff)]

    assert after.decoded("dtstart") == new_time.astimezone(UTC)
    assert after.decoded("dtend") == (new_time + timedelta(minutes=45)).astimezone(UTC)
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    assert after.decoded("last-modified") == datetime(2026, 11, 2, 16, 0, tzinfo=UTC)


def test_a_cancelled_engagement_cancels_its_sessions_and_due_date_in_the_feed(
    client, engagement, kickoff
):
    feed_path = subscribe(client, engagement.student)

    engagement_services.engagement_request_cancel(
        actor=engagement.student, engagement=engagement, reason="Exams came up."
    )
    run_after_commit()
    found = events(client.get(feed_path))

    event = found[session_uid(kickoff)]
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 1
    due = found[f"engagement-{engagement.pk}-due@127.0.0.1:8000"]
    assert str(due["status"]) == "CANCELLED"
    assert int(due["sequence"]) == 1


def test_the_student_sees_apply_by_dates_of_applications_still_waiting(client, clock, student):
    waiting = ApplicationFactory(student=student, project__apply_by=date(2026, 11, 20))
    withdrawn = ApplicationFactory(
        student=student, project__apply_by=date(2026, 11, 21), status="withdrawn"
    )
    feed_path = subscribe(client, student)

    found = events(client.get(feed_path))

    event = found[f"application-{waiting.pk}-apply-by@127.0.0.1:8000"]
    assert event.decoded("dtstart") == date(2026, 11, 20)
    assert event.decoded("dtend") == date(2026, 11, 21)
    assert f"application-{withdrawn.pk}-apply-by@127.0.0.1:8000" not in found


def test_the_employer_sees_apply_by_dates_of_their_open_projects(client, clock, employer):
    organization = employer.employer_profile.organization
    open_project = ProjectFactory(organization=organization, apply_by=date(2026, 11, 25))
    draft = ProjectFactory(organization=organization, status=ProjectStatus.DRAFT)
    someone_elses = ProjectFactory()
    feed_path = subscribe(client, employer)

    found = events(client.get(feed_path))

    assert found[f"project-{open_project.pk}-apply-by@127.0.0.1:8000"].decoded("dtstart") == (
        date(2026, 11, 25)
    )
    assert f"project-{draft.pk}-apply-by@127.0.0.1:8000" not in found
    assert f"project-{someone_elses.pk}-apply-by@127.0.0.1:8000" not in found


def test_a_feed_shows_nothing_of_other_users(client, engagement, kickoff, other_student):
    other_engagement = accepted_engagement(student=other_student)
    feed_path = subscribe(client, other_student)

    found = events(client.get(feed_path))

    assert session_uid(kickoff) not in found
    assert f"engagement-{engagement.pk}-due@127.0.0.1:8000" not in found
    assert f"engagement-{other_engagement.pk}-due@127.0.0.1:8000" in found


def test_another_users_secret_does_not_open_a_feed(client, engagement, other_student):
    mine = subscribe(client, engagement.student)
    theirs = subscribe(client, other_student)
    my_key = mine.split("/")[2]
    their_secret = theirs.split("/")[3]

    response = client.get(
        reverse("integrations:calendar_feed", kwargs={"key": my_key, "secret": their_secret[:-4]})
    )

    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content


def test_a_new_address_replaces_the_old_one(client, engagement):
    old = subscribe(client, engagement.student)
    new = subscribe(client, engagement.student)

    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert AuditEvent.objects.filter(action="calendar_feed.renewed").count() == 1


def test_a_turned_off_feed_answers_404(client, engagement):
    feed_path = subscribe(client, engagement.student)
    client.force_login(engagement.student)

    response = client.post(reverse("integrations:calendar_feed_disable"), follow=True)

    assert "Calendar feed turned off" in response.content.decode()
    assert not CalendarFeed.objects.filter(user=engagement.student).exists()
    assert client.get(feed_path).status_code == 404
    assert AuditEvent.objects.filter(action="calendar_feed.disabled").exists()


def test_a_deactivated_users_feed_answers_404(client, engagement):
    feed_path = subscribe(client, engagement.student)
    engagement.student.is_active = False
    engagement.student.save(update_fields=["is_active"])

    assert client.get(feed_path).status_code == 404


def test_the_calendar_feed_is_for_students_employers_and_career_staff(
    client, student, employer, career_staff, platform_admin
):
    url = reverse("integrations:settings")
    assert client.get(url).status_code == 302
    for user, status in (
        (student, 200),
        (employer, 200),
        (career_staff, 200),
        (platform_admin, 403),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
        shows_calendar = "Calendar subscription" in response.content.decode()
        assert shows_calendar == (user in (student, employer, career_staff))
    client.force_login(platform_admin)
    assert client.post(reverse("integrations:calendar_feed_renew")).status_code == 403
    assert not CalendarFeed.objects.exists()


# --- Career services: their school's due dates and follow-ups ------------------------------


def test_career_staff_see_the_due_dates_of_their_schools_students(
    client, engagement, career_staff, other_school
):
    elsewhere = accepted_engagement(student=StudentFactory(school=other_school).user)
    unverified = accepted_engagement(
        student=StudentFactory(school=engagement.student.student_profile.school).user
    )
    # A lapsed school address: the student's affiliation is no longer verified.
    StudentProfile.objects.filter(user=unverified.student).update(
        affiliation=Affiliation.UNVERIFIED, affiliation_method="", affiliation_verified_at=None
    )
    feed_path = subscribe(client, career_staff)

    found = events(client.get(feed_path))

    due = found[f"engagement-{engagement.pk}-due@127.0.0.1:8000"]
    assert engagement.student.get_full_name() in str(due["summary"])
    assert "/admin/engagements/engagement/" in str(due["url"])
    assert f"engagement-{elsewhere.pk}-due@127.0.0.1:8000" not in found
    assert f"engagement-{unverified.pk}-due@127.0.0.1:8000" not in found
    assert not any(uid.startswith("session-") for uid in found)


def test_a_follow_up_day_is_struck_when_the_flag_is_resolved(
    client, clock, engagement, career_staff
):
    flag = oversight_services.flag_raise(
        actor=career_staff,
        engagement=engagement,
        note="Hours look thin; call the student.",
        follow_up_on=date(2026, 11, 9),
    )
    feed_path = subscribe(client, career_staff)
    uid = f"flag-{flag.pk}-follow-up@127.0.0.1:8000"

    before = events(client.get(feed_path))[uid]
    clock.shift(timedelta(days=1))
    oversight_services.flag_resolve(actor=career_staff, flag=flag, resolution="Called; fine.")
    after = events(client.get(feed_path))[uid]

    assert before["dtstart"].dt == date(2026, 11, 9)
    assert str(before["status"]) == "CONFIRMED"
    assert "call the student" in str(before["description"])
    assert str(after["status"]) == "CANCELLED"
    assert after["sequence"] > before["sequence"]


def test_another_schools_flags_stay_out_of_the_feed(
    client, clock, engagement, career_staff, other_school_staff
):
    oversight_services.flag_raise(
        actor=career_staff, engagement=engagement, note="Check in.", follow_up_on=date(2026, 11, 9)
    )
    feed_path = subscribe(client, other_school_staff)

    assert not any(uid.startswith("flag-") for uid in events(client.get(feed_path)))


def test_the_staff_feed_costs_the_same_few_queries_however_long_it_is(
    client, clock, school, career_staff, django_assert_max_num_queries
):
    accepted_engagement(student=StudentFactory(school=school).user)
    feed_path = subscribe(client, career_staff)
    with django_assert_max_num_queries(5):
        small = events(client.get(feed_path))
    for _ in range(4):
        extra = accepted_engagement(student=StudentFactory(school=school).user)
        oversight_services.flag_raise(
            actor=career_staff, engagement=extra, note="Check in.", follow_up_on=date(2026, 11, 20)
        )

    with django_assert_max_num_queries(5):
        large = events(client.get(feed_path))

    assert len(large) == len(small) + 8


def test_changing_the_feed_is_post_only(client, student):
    client.force_login(student)

    assert client.get(reverse("integrations:calendar_feed_renew")).status_code == 405
    assert client.get(reverse("integrations:calendar_feed_disable")).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_the_page_says_when_a_calendar_last_read_the_feed(client, engagement):
    feed_path = subscribe(client, engagement.student)
    client.get(feed_path)
    client.force_login(engagement.student)

    page = client.get(reverse("integrations:settings")).content.decode()

    assert "A calendar last read it" in page


def test_long_lines_are_folded_at_75_octets(client, clock, student):
    ApplicationFactory(student=student, project__title="Research " * 12)
    feed_path = subscribe(client, student)

    raw = client.get(feed_path).content

    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert b"\r\n " in raw  # a folded continuation line


def test_the_feed_costs_the_same_few_queries_however_long_it_is(
    client, clock, django_assert_max_num_queries
):
    project = ProjectFactory()
    first = accepted_engagement(project=project)
    feed_path = subscribe(client, employer_of(project))
    with django_assert_max_num_queries(6):
        small = events(client.get(feed_path))
    for _ in range(4):
        accepted_engagement(project=ProjectFactory(organization=project.organization))

    with django_assert_max_num_queries(6):
        large = events(client.get(feed_path))

    assert f"engagement-{first.pk}-due@127.0.0.1:8000" in small
    assert len(large) > len(small) + 8


def test_the_address_is_built_from_the_site_url(settings, student):
    settings.SITE_URL = "https://interns.example.edu"
    feed = calendar_feeds.calendar_feed_renew(actor=student)

    assert calendar_feeds.feed_url(feed).startswith("https://interns.example.edu/calendar/")
    assert calendar_feeds.webcal_url(feed).startswith("webcal://interns.example.edu/calendar/")
