"""Disputes with deadlines: the other side responds with evidence within 5 business days, a
platform admin decides within 3 more with written reasons and a split, and the sweeps move
a dispute on when a deadline passes. Every step tells both sides and the student's career
services."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from engagements import services as engagements
from engagements.models import Dispute, DisputeEvidence, DisputeStatus, Message, TimeEntry
from marketplace.timezones import business_days_later
from payments import services as payments
from tests.factories import (
    AdminFactory,
    CareerStaffFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)
from tests.helpers import SWEEPS, run_after_commit
from tests.payment_helpers import disputed_engagement

pytestmark = pytest.mark.django_db

# A Wednesday afternoon in New York.
OPENED = "2026-11-04 20:00Z"


@pytest.fixture
def clock():
    with time_machine.travel(OPENED, tick=False) as traveller:
        yield traveller


@pytest.fixture
def engagement(clock, school):
    engagement = accepted_engagement(student=StudentFactory(school=school).user)
    engagement.student.time_zone = "America/Los_Angeles"
    engagement.student.save(update_fields=["time_zone"])
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=12,
        description="Interviewed five customers",
    )
    return engagement


@pytest.fixture
def admin(db):
    return AdminFactory()


def open_dispute(engagement, *, by_student=True):
    actor = engagement.student if by_student else employer_of(engagement.project)
    engagements.engagement_request_cancel(
        actor=actor, engagement=engagement, reason="We disagree about the scope."
    )
    run_after_commit()
    return Dispute.objects.get(engagement=engagement)


def told(user, kind: str) -> bool:
    return Notification.objects.filter(recipient=user, kind=kind).exists()


# --- Business days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "days", "zone", "ends"),
    [
        # Wednesday → the next Wednesday, end of day in that zone.
        ("2026-11-04 20:00Z", 5, "America/New_York", "2026-11-12 04:59Z"),
        # Friday → the next Friday.
        ("2026-11-06 15:00Z", 5, "America/New_York", "2026-11-14 04:59Z"),
        # Saturday and Sunday are not counted: from Saturday, Monday is the first day.
        ("2026-11-07 15:00Z", 1, "America/New_York", "2026-11-10 04:59Z"),
        # 11 pm Friday in Los Angeles is already Saturday in UTC: the local day counts.
        ("2026-11-07 07:00Z", 1, "America/Los_Angeles", "2026-11-10 07:59Z"),
    ],
)
def test_business_days_skip_the_weekend_in_the_readers_zone(moment, days, zone, ends):
    start = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    expected = datetime.fromisoformat(ends.replace("Z", "+00:00"))

    assert business_days_later(start, days, zone) == expected.astimezone(UTC)


# --- Opening ---------------------------------------------------------------------------------


def test_the_other_side_has_five_business_days_to_respond_and_everyone_is_told(
    engagement, career_staff, other_school_staff, admin
):
    employer = employer_of(engagement.project)
    employer.time_zone = "America/Chicago"
    employer.save(update_fields=["time_zone"])

    dispute = open_dispute(engagement, by_student=True)

    assert dispute.status == DisputeStatus.AWAITING_RESPONSE
    assert dispute.opened_by_side == "student"
    # Wednesday Nov 4 → Wednesday Nov 11, 23:59 in Chicago.
    assert dispute.response_due_at == datetime(2026, 11, 12, 5, 59, tzinfo=UTC)
    [first] = dispute.evidence.all()
    assert first.statement == "We disagree about the scope."
    for user in (employer, career_staff, admin):
        assert told(user, "engagement.cancelled")
    assert not told(other_school_staff, "engagement.cancelled")


def test_the_workspace_shows_the_deadline_to_both_sides_and_to_career_staff(
    client, engagement, career_staff
):
    open_dispute(engagement)

    for user in (engagement.student, employer_of(engagement.project), career_staff):
        client.force_login(user)
        page = client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()
        assert "responds, with evidence, by" in page
        assert "We disagree about the scope." in page
        assert ("Send to the platform" in page) is (user != career_staff)


# --- Evidence and the response ---------------------------------------------------------------


def test_the_response_with_evidence_moves_the_dispute_on_to_the_decision(
    client, clock, engagement, career_staff, admin
):
    employer = employer_of(engagement.project)
    message = engagements.message_post(
        actor=employer, engagement=engagement, body="Please only do the survey part."
    )
    entry = TimeEntry.objects.get(engagement=engagement)
    dispute = open_dispute(engagement)
    clock.shift(timedelta(hours=48))

    client.force_login(employer)
    response = client.post(
        reverse("engagements:dispute_evidence", args=[engagement.pk]),
        {
            "statement": "We agreed on the survey only.",
            "messages": [message.pk],
            "time_entries": [entry.pk],
        },
    )

    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AWAITING_DECISION
    assert dispute.responded_at == timezone.now()
    # Friday Nov 6 → 3 business days → Wednesday Nov 11, end of day.
    assert dispute.decision_due_at.astimezone(UTC).date().isoformat() == "2026-11-12"
    evidence = dispute.evidence.last()
    assert list(evidence.messages.all()) == [message]
    assert list(evidence.time_entries.all()) == [entry]
    for user in (engagement.student, career_staff, admin):
        assert told(user, "dispute.evidence")
    client.force_login(engagement.student)
    page = client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()
    assert "Please only do the survey part." in page
    assert "A platform admin decides by" in page


def test_more_evidence_from_the_opener_is_not_a_response(engagement):
    dispute = open_dispute(engagement)

    engagements.dispute_evidence_add(
        actor=engagement.student, engagement=engagement, statement="Here is my time log."
    )

    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AWAITING_RESPONSE
    assert dispute.evidence.count() == 2


def test_evidence_pointing_at_another_engagements_message_is_refused_where_it_was_typed(
    client, engagement
):
    other = accepted_engagement()
    foreign = Message.objects.create(engagement=other, author=other.student, body="Not yours")
    Message.objects.create(engagement=engagement, author=engagement.student, body="Mine")
    open_dispute(engagement)
    client.force_login(employer_of(engagement.project))

    response = client.post(
        reverse("engagements:dispute_evidence", args=[engagement.pk]),
        {"statement": "See this", "messages": [foreign.pk]},
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert DisputeEvidence.objects.count() == 1
    with pytest.raises(ValidationError, match="this engagement's own entries"):
        engagements.dispute_evidence_add(
            actor=employer_of(engagement.project),
            engagement=engagement,
            statement="See this",
            message_ids=[foreign.pk],
        )
    assert DisputeEvidence.objects.count() == 1


def test_an_empty_statement_gets_a_message_and_nothing_is_written(client, engagement):
    dispute = open_dispute(engagement)
    client.force_login(employer_of(engagement.project))

    response = client.post(
        reverse("engagements:dispute_evidence", args=[engagement.pk]), {"statement": "   "}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AWAITING_RESPONSE
    assert dispute.evidence.count() == 1


def test_only_the_two_sides_add_evidence(
    client, engagement, career_staff, other_employer, other_student, admin
):
    open_dispute(engagement)
    url = reverse("engagements:dispute_evidence", args=[engagement.pk])

    for user in (other_employer, other_student, career_staff, admin):
        client.force_login(user)
        assert client.post(url, {"statement": "Me too"}).status_code in (403, 404)
        with pytest.raises(PermissionDenied):
            engagements.dispute_evidence_add(actor=user, engagement=engagement, statement="x")
    client.logout()
    assert client.post(url, {"statement": "Me too"}).status_code in (302, 404)
    assert DisputeEvidence.objects.count() == 1


# --- Deadlines enforced by the sweep ---------------------------------------------------------


def test_no_response_by_the_deadline_moves_it_on_to_a_decision_on_the_evidence_in(
    clock, engagement, career_staff, admin
):
    dispute = open_dispute(engagement)
    clock.move_to(dispute.response_due_at - timedelta(minutes=1))

    assert SWEEPS["disputes"]() == 0
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AWAITING_RESPONSE

    clock.move_to(dispute.response_due_at)
    assert SWEEPS["disputes"]() == 1
    assert SWEEPS["disputes"]() == 0
    run_after_commit()

    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AWAITING_DECISION
    assert dispute.responded_at is None
    assert dispute.decision_due_at > dispute.response_due_at
    for user in (engagement.student, employer_of(engagement.project), career_staff, admin):
        assert Notification.objects.filter(recipient=user, kind="dispute.unanswered").count() == 1


def test_an_overdue_decision_is_put_before_the_admins_once(clock, engagement, admin):
    dispute = open_dispute(engagement)
    engagements.dispute_evidence_add(
        actor=employer_of(engagement.project), engagement=engagement, statement="Our side."
    )
    dispute.refresh_from_db()
    clock.move_to(dispute.decision_due_at)

    SWEEPS["disputes"]()
    SWEEPS["disputes"]()

    assert (
        Notification.objects.filter(recipient=admin, kind="dispute.decision_overdue").count() == 1
    )
    assert not told(engagement.student, "dispute.decision_overdue")


# --- The decision ----------------------------------------------------------------------------


def test_the_decision_records_reasons_and_split_and_ends_the_evidence(client, school, admin):
    engagement = disputed_engagement()
    staff = CareerStaffFactory(school=engagement.student.student_profile.school).user
    dispute = Dispute.objects.get(engagement=engagement)

    payments.dispute_settle(
        actor=admin,
        engagement=engagement,
        student_cents=engagement.fee_cents // 2,
        note="Half the hours were logged and the survey was delivered.",
    )
    run_after_commit()

    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.DECIDED
    assert dispute.student_cents == engagement.fee_cents // 2
    assert dispute.decided_by == admin
    assert dispute.decision_reasons.startswith("Half the hours")
    assert told(staff, "engagement.settled")
    with pytest.raises(ValidationError, match=r"no open dispute|is decided"):
        engagements.dispute_evidence_add(
            actor=engagement.student, engagement=engagement, statement="One more thing"
        )
    client.force_login(engagement.student)
    page = client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()
    assert "Half the hours were logged" in page
    assert "Send to the platform" not in page


def test_the_settle_page_shows_deadlines_and_evidence(client, engagement, admin):
    open_dispute(engagement)
    client.force_login(admin)

    page = client.get(reverse("admin:payments_settle_dispute", args=[engagement.pk]))

    assert page.status_code == 200
    assert "Response due by" in page.content.decode()
    assert "We disagree about the scope." in page.content.decode()


def test_a_second_school_staff_member_is_told_too(engagement, school):
    colleague = CareerStaffFactory(school=school).user

    open_dispute(engagement, by_student=False)

    assert told(colleague, "engagement.cancelled")


# --- Concurrency (PostgreSQL) ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_response_racing_the_deadline_sweep_is_either_a_response_or_too_late_never_both():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; races are tested on PostgreSQL.")
    from tests.factories import SchoolFactory

    engagement = accepted_engagement(student=StudentFactory(school=SchoolFactory()).user)
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=8,
        description="Half the survey",
    )
    dispute = open_dispute(engagement)
    employer = employer_of(engagement.project)
    start = threading.Barrier(2)
    errors = []

    def respond():
        try:
            start.wait(timeout=30)
            engagements.dispute_evidence_add(
                actor=employer, engagement=engagement, statement="Our side, just in time."
            )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def sweep():
        try:
            start.wait(timeout=30)
            engagements.sweep_disputes(now=dispute.response_due_at)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=respond), threading.Thread(target=sweep)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AWAITING_DECISION
    unanswered = Notification.objects.filter(kind="dispute.unanswered").exists()
    assert (dispute.responded_at is not None) != unanswered
    assert dispute.evidence.count() == 2
