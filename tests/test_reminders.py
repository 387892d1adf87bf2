"""Reminders and automatic steps: who is told what, when, once; the clock is moved, not faked
per call, so the sweeps and the services they call read the same time."""

import logging
import zoneinfo
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db.models import Max
from django.urls import reverse

from accounts.models import Notification
from engagements import reminders as engagement_reminders
from engagements import services as engagements
from feedback import reminders as feedback_reminders
from feedback import services as feedback
from feedback.models import FeedbackSession
from payments import services as payments
from payments.models import LedgerEntry, Payout
from projects import applications
from projects import reminders as project_reminders
from tests.factories import (
    ApplicationFactory,
    CareerStaffFactory,
    EmployerFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)
from tests.helpers import SWEEPS

pytestmark = pytest.mark.django_db

# A Monday in winter (no daylight saving anywhere below): 10:00 in New York, the default
# time zone of every user, 07:00 in Los Angeles, where apply-by dates end.
START = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _after_commit_runs_at_once(monkeypatch):
    """Mail and payouts leave after commit; these tests run inside one transaction, so run
    what is queued for after commit straight away, as a committed request would."""
    from django.db import transaction as db_transaction

    monkeypatch.setattr(db_transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def clock():
    """The time every test starts at; `clock.move_to(...)` and `clock.shift(...)` move it."""
    traveller = time_machine.travel(START, tick=False)
    coordinates = traveller.start()
    yield coordinates
    traveller.stop()


# --- Helpers ---------------------------------------------------------------------------------


def fund(engagement):
    """The employer pays through the test-mode gateway: the engagement starts."""
    employer = employer_of(engagement.project)
    payment = payments.engagement_fund(actor=employer, engagement=engagement)
    payments.local_payment_complete(actor=employer, payment=payment, succeed=True)
    engagement.refresh_from_db()
    return engagement


def active_engagement(*, student=None, project=None, **project_fields):
    """An engagement accepted and funded now, so its sessions are planned."""
    project = project or ProjectFactory(**project_fields)
    return fund(accepted_engagement(project=project, student=student, funded=False))


def connect_payout_account(student):
    payments.payout_account_start(user=student, refresh_url="/", return_url="/")
    payments.local_account_complete(user=student)


def submit(engagement):
    return engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(
            note="The report", links=["https://example.com/report"], files=[]
        ),
    )


def approve(engagement):
    engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)
    engagement.refresh_from_db()
    return engagement


def sessions_of(engagement):
    return list(FeedbackSession.objects.filter(engagement=engagement).order_by("scheduled_at"))


def told(user, kind) -> int:
    """How many notifications of this kind the user has under the bell."""
    return Notification.objects.filter(recipient=user, kind=kind).count()


class News:
    """What people are told from the moment it is made: the bell and the emails."""

    def __init__(self):
        self.after = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
        mail.outbox.clear()

    def bell(self) -> Counter:
        """(recipient's email, kind) → how many notifications."""
        return Counter(
            Notification.objects.filter(pk__gt=self.after).values_list("recipient__email", "kind")
        )

    def mail(self) -> Counter:
        """Recipient's email → how many emails."""
        return Counter(to for message in mail.outbox for to in message.to)

    def keys(self, kind) -> set[str]:
        return set(
            Notification.objects.filter(pk__gt=self.after, kind=kind).values_list("key", flat=True)
        )


def run_every_sweep():
    for sweep in SWEEPS.values():
        sweep()


def local(moment, zone: str) -> datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)


# --- Due date --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "shown", "not_shown"),
    [
        ("America/Los_Angeles", "due Mon, Jan 26 at 7:00 AM PST", "JST"),
        ("Asia/Tokyo", "due Tue, Jan 27 at 12:00 AM JST", "PST"),
    ],
)
def test_the_student_is_reminded_72_and_24_hours_before_the_due_date_in_their_own_time(
    clock, zone, shown, not_shown
):
    student = StudentFactory(user__time_zone=zone).user
    engagement = active_engagement(student=student, days_to_complete=14)
    employer = employer_of(engagement.project)
    due = engagement.due_at
    assert due == START + 14 * DAY
    news = News()

    clock.move_to(due - 73 * HOUR)
    engagement_reminders.sweep_due_soon()
    assert news.bell() == {}
    assert news.mail() == {}

    clock.move_to(due - 71 * HOUR)
    engagement_reminders.sweep_due_soon()
    assert news.bell() == {(student.email, "deadline.soon"): 1}
    assert news.mail() == {student.email: 1}
    assert shown in mail.outbox[-1].subject
    assert shown in mail.outbox[-1].body
    assert not_shown not in mail.outbox[-1].body
    assert "You have logged 0 of 20 hours" in mail.outbox[-1].body

    engagement_reminders.sweep_due_soon()
    clock.shift(HOUR)
    engagement_reminders.sweep_due_soon()
    assert news.bell() == {(student.email, "deadline.soon"): 1}
    assert len(mail.outbox) == 1

    clock.move_to(due - 23 * HOUR)
    engagement_reminders.sweep_due_soon()
    engagement_reminders.sweep_due_soon()
    assert news.bell() == {(student.email, "deadline.soon"): 2}
    assert news.mail() == {student.email: 2}
    assert shown in mail.outbox[-1].body
    assert told(employer, "deadline.soon") == 0


def test_work_handed_in_before_the_due_date_gets_no_due_date_reminder(clock):
    engagement = active_engagement(days_to_complete=14)
    submit(engagement)
    news = News()

    clock.move_to(engagement.due_at - 23 * HOUR)
    engagement_reminders.sweep_due_soon()

    assert news.bell() == {}


# --- Overdue ---------------------------------------------------------------------------------


def test_overdue_work_is_told_to_both_sides_and_the_school_once_then_again_48_hours_later(
    clock, school
):
    engagement = active_engagement(student=StudentFactory(school=school).user)
    student, employer = engagement.student, employer_of(engagement.project)
    colleague = EmployerFactory(organization=engagement.organization).user
    school_staff = CareerStaffFactory(school=school).user
    other_school_staff = CareerStaffFactory().user
    other_employer = EmployerFactory(organization__verified=True).user
    everyone = {student.email, employer.email, colleague.email, school_staff.email}
    news = News()

    clock.move_to(engagement.due_at - MINUTE)
    engagement_reminders.sweep_overdue()
    assert news.bell() == {}

    clock.move_to(engagement.due_at + MINUTE)
    engagement_reminders.sweep_overdue()
    engagement_reminders.sweep_overdue()
    assert news.bell() == {(email, "deadline.overdue"): 1 for email in everyone}
    assert news.mail() == {email: 1 for email in everyone}
    assert all("] Overdue:" in message.subject for message in mail.outbox)

    clock.move_to(engagement.due_at + 48 * HOUR - MINUTE)
    engagement_reminders.sweep_overdue()
    assert news.bell() == {(email, "deadline.overdue"): 1 for email in everyone}

    clock.move_to(engagement.due_at + 48 * HOUR + MINUTE)
    engagement_reminders.sweep_overdue()
    engagement_reminders.sweep_overdue()
    clock.shift(5 * DAY)
    engagement_reminders.sweep_overdue()
    assert news.bell() == {(email, "deadline.overdue"): 2 for email in everyone}
    assert news.mail() == {email: 2 for email in everyone}
    assert sum("] Still overdue:" in message.subject for message in mail.outbox) == 4
    assert told(other_school_staff, "deadline.overdue") == 0
    assert told(other_employer, "deadline.overdue") == 0


# --- Engagements that are over or not started -------------------------------------------------


def test_no_deadline_or_upcoming_session_reminder_for_engagements_over_or_not_started(clock):
    cancelled = active_engagement()
    engagements.engagement_request_cancel(
        actor=cancelled.student, engagement=cancelled, reason="I got sick."
    )
    approved = active_engagement()
    submit(approved)
    approve(approved)
    paid = active_engagement()
    connect_payout_account(paid.student)
    submit(paid)
    approve(paid)
    waiting = accepted_engagement(project=ProjectFactory(), funded=False)
    under_way = active_engagement()
    for engagement, status in [
        (cancelled, "cancelled"),
        (approved, "approved"),
        (paid, "paid"),
        (waiting, "awaiting_funding"),
    ]:
        engagement.refresh_from_db()
        assert engagement.status == status
    quiet = [
        person
        for e in (cancelled, approved, paid, waiting)
        for person in (e.student, employer_of(e.project))
    ]
    moments = {under_way.due_at + offset for offset in (-71 * HOUR, -23 * HOUR, HOUR, 49 * HOUR)}
    for session in FeedbackSession.objects.all():
        moments |= {session.scheduled_at - 23 * HOUR, session.scheduled_at - 30 * MINUTE}

    for moment in sorted(moments):
        clock.move_to(moment)
        run_every_sweep()

    for person in quiet:
        for kind in ("deadline.soon", "deadline.overdue"):
            assert told(person, kind) == 0, (person, kind)
    for e in (cancelled, waiting):
        assert told(e.student, "session.soon") == 0
    # After approval the check-ins are cancelled; only the final review is still to come.
    for e in (approved, paid):
        reminded = {
            int(key.rsplit("-", 1)[1])
            for key in Notification.objects.filter(
                recipient=e.student, kind="session.soon"
            ).values_list("key", flat=True)
        }
        assert set(
            FeedbackSession.objects.filter(pk__in=reminded).values_list("kind", flat=True)
        ) <= {"final_review"}
        assert not FeedbackSession.objects.filter(
            engagement=e, kind="check_in", status="scheduled", scheduled_at__gt=e.approved_at
        ).exists()
    # The sweeps did run: the engagement under way got all of them.
    assert told(under_way.student, "deadline.soon") == 2
    assert told(under_way.student, "deadline.overdue") == 2
    assert told(under_way.student, "session.soon") == 2 * len(sessions_of(under_way))


# --- Feedback sessions -----------------------------------------------------------------------


def test_funding_plans_a_kickoff_the_next_day_at_10_and_weekly_check_ins_before_the_due_date(
    clock,
):
    project = ProjectFactory(days_to_complete=21)
    project.created_by.time_zone = "America/Chicago"
    project.created_by.save(update_fields=["time_zone"])
    engagement = accepted_engagement(project=project, funded=False)
    assert sessions_of(engagement) == []

    fund(engagement)

    sessions = sessions_of(engagement)
    assert [(s.kind, local(s.scheduled_at, "America/Chicago")) for s in sessions] == [
        ("kickoff", datetime(2026, 1, 13, 10, 0)),
        ("check_in", datetime(2026, 1, 20, 10, 0)),
        ("check_in", datetime(2026, 1, 27, 10, 0)),
    ]
    assert engagement.due_at == START + 21 * DAY
    assert all(s.scheduled_at < engagement.due_at - DAY for s in sessions)
    assert all(s.status == "scheduled" for s in sessions)


def test_both_sides_are_reminded_24_hours_and_1_hour_before_each_session_once(clock):
    project = ProjectFactory(days_to_complete=14)
    employer = project.created_by
    employer.time_zone = "America/Chicago"
    employer.save(update_fields=["time_zone"])
    colleague = EmployerFactory(organization=project.organization).user
    engagement = active_engagement(project=project)
    student = engagement.student
    kickoff, check_in = sessions_of(engagement)
    both = {student.email, employer.email, colleague.email}
    news = News()

    clock.move_to(kickoff.scheduled_at - 25 * HOUR)
    feedback_reminders.sweep_sessions()
    assert news.bell() == {}

    clock.move_to(kickoff.scheduled_at - 23 * HOUR)
    feedback_reminders.sweep_sessions()
    feedback_reminders.sweep_sessions()
    assert news.bell() == {(email, "session.soon"): 1 for email in both}
    assert news.mail() == {email: 1 for email in both}
    by_recipient = {message.to[0]: message for message in mail.outbox}
    # Each reads the time in their own zone: the employer in Chicago, the student in New York.
    assert "Kickoff" in by_recipient[student.email].subject
    assert "Tue, Jan 13 at 11:00 AM EST" in by_recipient[student.email].body
    assert "Tue, Jan 13 at 10:00 AM CST" in by_recipient[employer.email].body
    assert "Agenda: Meet, walk through the brief" in by_recipient[student.email].body

    clock.move_to(kickoff.scheduled_at - 2 * HOUR)
    feedback_reminders.sweep_sessions()
    assert news.bell() == {(email, "session.soon"): 1 for email in both}

    clock.move_to(kickoff.scheduled_at - 59 * MINUTE)
    feedback_reminders.sweep_sessions()
    feedback_reminders.sweep_sessions()
    clock.move_to(kickoff.scheduled_at + 10 * MINUTE)
    feedback_reminders.sweep_sessions()
    assert news.bell() == {(email, "session.soon"): 2 for email in both}
    assert news.mail() == {email: 2 for email in both}

    clock.move_to(check_in.scheduled_at - 23 * HOUR)
    feedback_reminders.sweep_sessions()
    clock.move_to(check_in.scheduled_at - 30 * MINUTE)
    feedback_reminders.sweep_sessions()
    feedback_reminders.sweep_sessions()
    soon = Counter(
        Notification.objects.filter(pk__gt=news.after, kind="session.soon").values_list(
            "recipient__email", flat=True
        )
    )
    assert soon == {email: 4 for email in both}
    assert news.keys("session.soon") == {
        f"session-{hours}h:session-{session.pk}"
        for hours in (24, 1)
        for session in (kickoff, check_in)
    }


def test_the_employers_are_nudged_the_day_after_a_session_nobody_marked_or_wrote_about(clock):
    engagement = active_engagement(days_to_complete=21)
    student, employer = engagement.student, employer_of(engagement.project)
    colleague = EmployerFactory(organization=engagement.organization).user
    kickoff, held, noted = sessions_of(engagement)
    news = News()

    clock.move_to(kickoff.scheduled_at + 23 * HOUR)
    feedback_reminders.sweep_sessions()
    assert news.keys("session.unmarked") == set()

    clock.move_to(kickoff.scheduled_at + 25 * HOUR)
    feedback_reminders.sweep_sessions()
    feedback_reminders.sweep_sessions()
    assert told(employer, "session.unmarked") == 1
    assert told(colleague, "session.unmarked") == 1
    assert told(student, "session.unmarked") == 0
    nudge = [m for m in mail.outbox if "Did the kickoff" in m.subject]
    assert sorted(m.to[0] for m in nudge) == sorted([employer.email, colleague.email])

    clock.move_to(held.scheduled_at + HOUR)
    feedback.session_mark(actor=employer, session=held, held=True)
    clock.move_to(noted.scheduled_at + HOUR)
    feedback.session_note_save(
        actor=student,
        session=noted,
        went_well="We agreed on the outline.",
        to_change="",
        next_steps="",
    )
    clock.move_to(noted.scheduled_at + 3 * DAY)
    feedback_reminders.sweep_sessions()

    assert news.keys("session.unmarked") == {f"session-unmarked:session-{kickoff.pk}"}
    assert told(employer, "session.unmarked") == 1
    assert told(colleague, "session.unmarked") == 1


# --- Submitted work --------------------------------------------------------------------------


def test_unreviewed_work_is_reminded_on_days_3_and_6_then_approved_and_paid_once_on_day_7(clock):
    engagement = active_engagement()
    student, employer = engagement.student, employer_of(engagement.project)
    colleague = EmployerFactory(organization=engagement.organization).user
    connect_payout_account(student)
    clock.shift(2 * DAY)
    submission = submit(engagement)
    engagement.refresh_from_db()
    submitted = engagement.submitted_at
    employers = {employer.email, colleague.email}
    news = News()

    clock.move_to(submitted + 3 * DAY - MINUTE)
    engagement_reminders.sweep_reviews()
    assert news.bell() == {}

    clock.move_to(submitted + 3 * DAY)
    engagement_reminders.sweep_reviews()
    engagement_reminders.sweep_reviews()
    assert news.bell() == {(email, "review.waiting"): 1 for email in employers}
    assert news.mail() == {email: 1 for email in employers}
    assert "submitted" in mail.outbox[0].subject and "3 days ago" in mail.outbox[0].subject
    assert "approved automatically on" in mail.outbox[0].body

    clock.move_to(submitted + 6 * DAY)
    engagement_reminders.sweep_reviews()
    assert news.bell() == {(email, "review.waiting"): 2 for email in employers}

    clock.move_to(submitted + 7 * DAY - MINUTE)
    engagement_reminders.sweep_reviews()
    engagement.refresh_from_db()
    assert engagement.status == "submitted"
    assert not Payout.objects.exists()

    clock.move_to(submitted + 7 * DAY)
    engagement_reminders.sweep_reviews()

    engagement.refresh_from_db()
    submission.refresh_from_db()
    assert engagement.status == "paid"
    assert engagement.approved_at == submitted + 7 * DAY
    assert submission.decision == "approved" and submission.reviewed_by is None
    assert "automatically" in submission.review_comment
    payout = Payout.objects.get(engagement=engagement)
    assert payout.status == "paid" and payout.amount_cents == engagement.fee_cents
    assert LedgerEntry.objects.filter(engagement=engagement, kind="payout").count() == 1
    student_news = {
        (email, kind): count
        for (email, kind), count in news.bell().items()
        if email == student.email
    }
    assert student_news == {
        (student.email, "engagement.approved"): 1,
        (student.email, "payout.paid"): 1,
    }
    assert all(news.bell()[(email, "review.waiting")] == 2 for email in employers)
    assert all(news.bell()[(email, "engagement.auto_approved")] == 1 for email in employers)
    assert news.mail()[student.email] == 2
    assert any("is approved" in m.subject for m in mail.outbox if m.to == [student.email])

    told_before, mailed_before = news.bell(), len(mail.outbox)
    engagement_reminders.sweep_reviews()
    clock.shift(DAY)
    engagement_reminders.sweep_reviews()
    assert news.bell() == told_before
    assert Payout.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="payout").count() == 1
    assert len(mail.outbox) == mailed_before


def test_work_sent_back_for_a_revision_in_time_is_never_approved_automatically(clock):
    engagement = active_engagement()
    employer = employer_of(engagement.project)
    connect_payout_account(engagement.student)
    submit(engagement)
    engagement.refresh_from_db()
    submitted = engagement.submitted_at
    clock.move_to(submitted + 2 * DAY)
    engagements.submission_request_revision(
        actor=employer, engagement=engagement, comment="Add the sources."
    )
    news = News()

    for days in (3, 6, 7, 10):
        clock.move_to(submitted + days * DAY)
        engagement_reminders.sweep_reviews()

    engagement.refresh_from_db()
    assert engagement.status == "revision_requested"
    assert engagement.approved_at is None
    assert not Payout.objects.exists()
    assert told(employer, "review.waiting") == 0
    assert news.bell() == {}


def test_work_the_employer_approved_in_time_is_paid_once_and_not_approved_again(clock):
    engagement = active_engagement()
    connect_payout_account(engagement.student)
    submit(engagement)
    engagement.refresh_from_db()
    submitted = engagement.submitted_at
    clock.move_to(submitted + 5 * DAY)
    approve(engagement)
    news = News()

    for days in (6, 7, 8):
        clock.move_to(submitted + days * DAY)
        engagement_reminders.sweep_reviews()

    engagement.refresh_from_db()
    assert engagement.status == "paid" and engagement.approved_at == submitted + 5 * DAY
    assert Payout.objects.filter(engagement=engagement).count() == 1
    assert LedgerEntry.objects.filter(engagement=engagement, kind="payout").count() == 1
    assert news.bell() == {}


# --- Applications nobody decided on ---------------------------------------------------------


def test_applications_left_undecided_a_week_after_apply_by_are_declined_after_a_warning(clock):
    # Apply-by Wednesday Jan 14, counted in Los Angeles: the week ends on Jan 21 there.
    project = ProjectFactory(apply_by=date(2026, 1, 14), openings=3)
    employer = project.created_by
    colleague = EmployerFactory(organization=project.organization).user
    submitted = ApplicationFactory(project=project)
    shortlisted = ApplicationFactory(project=project)
    applications.application_shortlist(actor=employer, application=shortlisted)
    declined = ApplicationFactory(project=project)
    applications.application_decline(actor=employer, application=declined)
    declined.refresh_from_db()
    withdrawn = ApplicationFactory(project=project)
    applications.application_withdraw(student=withdrawn.student, application=withdrawn)
    accepted = ApplicationFactory(project=project)
    engagements.application_accept(actor=employer, application=accepted)
    other_project = ProjectFactory(apply_by=date(2026, 1, 20))
    later = ApplicationFactory(project=other_project)
    employers = {employer.email, colleague.email}
    news = News()

    # 23:59 on Jan 18 in Los Angeles (already Jan 19 in UTC): 4 days after apply-by.
    clock.move_to(datetime(2026, 1, 19, 7, 59, tzinfo=UTC))
    project_reminders.sweep_applications()
    assert news.bell() == {}

    # Jan 19 in Los Angeles: two days before the decline, the employers are warned.
    clock.move_to(datetime(2026, 1, 19, 8, 1, tzinfo=UTC))
    project_reminders.sweep_applications()
    project_reminders.sweep_applications()
    clock.shift(DAY)
    project_reminders.sweep_applications()
    assert news.bell() == {(email, "applications.decide"): 1 for email in employers}
    assert news.mail() == {email: 1 for email in employers}
    assert "are waiting for your decision" in mail.outbox[0].subject
    assert "declined automatically" in mail.outbox[0].body

    # 23:59 on Jan 20 in Los Angeles: nothing is declined yet.
    clock.move_to(datetime(2026, 1, 21, 7, 59, tzinfo=UTC))
    project_reminders.sweep_applications()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"

    clock.move_to(datetime(2026, 1, 21, 8, 1, tzinfo=UTC))
    project_reminders.sweep_applications()
    project_reminders.sweep_applications()

    for application, status in [
        (submitted, "declined"),
        (shortlisted, "declined"),
        (declined, "declined"),
        (withdrawn, "withdrawn"),
        (accepted, "accepted"),
        (later, "submitted"),
    ]:
        application.refresh_from_db()
        assert application.status == status
    assert news.bell() == {
        **{(email, "applications.decide"): 1 for email in employers},
        (submitted.student.email, "application.declined"): 1,
        (shortlisted.student.email, "application.declined"): 1,
    }
    notice = [m for m in mail.outbox if m.to == [submitted.student.email]]
    assert len(notice) == 1
    assert "did not make a decision in time" in notice[0].body
    assert declined.decided_at == START


# --- Evaluations -----------------------------------------------------------------------------

STUDENT_EVALUATION = {
    "communication": 5,
    "problem_solving": 4,
    "quality": 5,
    "timeliness": 4,
    "professionalism": 5,
    "strengths": "Clear, well-sourced writing.",
    "growth_areas": "Ask questions earlier.",
    "would_work_again": True,
    "interested_full_time": False,
}
EMPLOYER_REVIEW = {
    "clarity": 4,
    "support": 5,
    "learning_value": 5,
    "comment": "A patient team that explained its market well.",
}


def evaluation_of(engagement) -> dict:
    """The evaluation above, with each of the project's objectives marked met."""
    marks = {o.pk: True for o in engagement.project.objectives.all()}
    return {**STUDENT_EVALUATION, "objectives": marks}


def approved_engagement(clock):
    engagement = active_engagement()
    submit(engagement)
    clock.shift(DAY)
    return approve(engagement)


def workspace_text(client, user, engagement) -> str:
    client.force_login(user)
    response = client.get(reverse("engagements:workspace", args=[engagement.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_side_that_has_not_evaluated_is_reminded_2_and_7_days_after_approval(clock):
    engagement = approved_engagement(clock)
    student, employer = engagement.student, employer_of(engagement.project)
    colleague = EmployerFactory(organization=engagement.organization).user
    approved = engagement.approved_at
    everyone = {student.email, employer.email, colleague.email}
    news = News()

    clock.move_to(approved + 2 * DAY - MINUTE)
    feedback_reminders.sweep_evaluations()
    assert news.bell() == {}

    clock.move_to(approved + 2 * DAY)
    feedback_reminders.sweep_evaluations()
    feedback_reminders.sweep_evaluations()
    assert news.bell() == {(email, "evaluation.reminder"): 1 for email in everyone}
    assert news.mail() == {email: 1 for email in everyone}

    clock.move_to(approved + 3 * DAY)
    feedback.employer_review_submit(actor=student, engagement=engagement, data=EMPLOYER_REVIEW)

    clock.move_to(approved + 7 * DAY)
    feedback_reminders.sweep_evaluations()
    feedback_reminders.sweep_evaluations()
    clock.move_to(approved + 13 * DAY)
    feedback_reminders.sweep_evaluations()

    reminded = Counter(
        Notification.objects.filter(pk__gt=news.after, kind="evaluation.reminder").values_list(
            "recipient__email", flat=True
        )
    )
    assert reminded == {student.email: 1, employer.email: 2, colleague.email: 2}
    assert news.bell()[(employer.email, "evaluation.submitted")] == 1


def test_once_both_have_evaluated_nobody_is_reminded(clock):
    engagement = approved_engagement(clock)
    employer = employer_of(engagement.project)
    feedback.employer_review_submit(
        actor=engagement.student, engagement=engagement, data=EMPLOYER_REVIEW
    )
    feedback.student_evaluation_submit(
        actor=employer, engagement=engagement, data=evaluation_of(engagement)
    )
    news = News()

    for days in (2, 7, 13):
        clock.move_to(engagement.approved_at + days * DAY)
        feedback_reminders.sweep_evaluations()

    assert news.bell() == {}


def test_evaluations_stay_hidden_from_the_other_side_until_both_are_in(clock, client):
    engagement = approved_engagement(clock)
    student, employer = engagement.student, employer_of(engagement.project)
    clock.shift(DAY)

    feedback.employer_review_submit(actor=student, engagement=engagement, data=EMPLOYER_REVIEW)

    assert not feedback.evaluations_visible(engagement, both_in=None)
    page = workspace_text(client, employer, engagement)
    assert EMPLOYER_REVIEW["comment"] not in page
    assert "you will see it once your evaluation is in" in page

    feedback.student_evaluation_submit(
        actor=employer, engagement=engagement, data=evaluation_of(engagement)
    )

    assert feedback.evaluations_visible(engagement, both_in=None)
    assert EMPLOYER_REVIEW["comment"] in workspace_text(client, employer, engagement)
    assert STUDENT_EVALUATION["strengths"] in workspace_text(client, student, engagement)


def test_one_sided_evaluations_show_14_days_after_approval(clock, client):
    engagement = approved_engagement(clock)
    employer = employer_of(engagement.project)
    staff = CareerStaffFactory(school=engagement.school).user
    clock.shift(DAY)
    feedback.employer_review_submit(
        actor=engagement.student, engagement=engagement, data=EMPLOYER_REVIEW
    )

    clock.move_to(engagement.approved_at + 14 * DAY - MINUTE)
    assert not feedback.evaluations_visible(engagement, both_in=None)
    assert EMPLOYER_REVIEW["comment"] not in workspace_text(client, employer, engagement)
    assert EMPLOYER_REVIEW["comment"] not in workspace_text(client, staff, engagement)

    clock.move_to(engagement.approved_at + 14 * DAY)
    assert feedback.evaluations_visible(engagement, both_in=None)
    assert EMPLOYER_REVIEW["comment"] in workspace_text(client, employer, engagement)
    assert EMPLOYER_REVIEW["comment"] in workspace_text(client, staff, engagement)

    news = News()
    feedback_reminders.sweep_evaluations()
    assert news.bell() == {}


# --- Session notes are private to the engagement --------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("the_student", True),
        ("the_employer", True),
        ("colleague", True),
        ("school_staff", True),
        ("platform_admin", True),
        ("other_student", False),
        ("other_employer", False),
        ("other_school_staff", False),
    ],
)
def test_session_notes_show_only_to_the_people_of_the_engagement(
    clock, client, request, school, who, allowed
):
    engagement = active_engagement(student=StudentFactory(school=school).user)
    kickoff = sessions_of(engagement)[0]
    clock.move_to(kickoff.scheduled_at + HOUR)
    feedback.session_note_save(
        actor=engagement.student,
        session=kickoff,
        went_well="Private: the brief finally makes sense.",
        to_change="",
        next_steps="",
    )
    people = {
        "the_student": lambda: engagement.student,
        "the_employer": lambda: employer_of(engagement.project),
        "colleague": lambda: EmployerFactory(organization=engagement.organization).user,
        "school_staff": lambda: CareerStaffFactory(school=school).user,
    }
    user = people[who]() if who in people else request.getfixturevalue(who)
    client.force_login(user)

    response = client.get(reverse("engagements:workspace", args=[engagement.pk]))

    if allowed:
        assert response.status_code == 200
        assert "Private: the brief finally makes sense." in response.content.decode()
    else:
        assert response.status_code == 404
        assert b"the brief finally makes sense" not in response.content


# --- Every delay is a setting --------------------------------------------------------------


def test_the_due_date_reminder_comes_when_the_setting_says(clock, settings):
    settings.REMINDER_DUE_HOURS = [48]
    engagement = active_engagement()
    student = engagement.student
    news = News()

    clock.move_to(engagement.due_at - 49 * HOUR)
    engagement_reminders.sweep_due_soon()
    assert news.bell() == {}

    clock.move_to(engagement.due_at - 47 * HOUR)
    engagement_reminders.sweep_due_soon()
    clock.move_to(engagement.due_at - 23 * HOUR)
    engagement_reminders.sweep_due_soon()

    assert news.bell() == {(student.email, "deadline.soon"): 1}
    assert news.keys("deadline.soon") == {f"due-48h:engagement-{engagement.pk}"}


def test_review_reminders_and_automatic_approval_follow_their_settings(clock, settings):
    settings.REMINDER_REVIEW_DAYS = [1]
    settings.AUTO_APPROVE_DAYS = 2
    engagement = active_engagement()
    employer = employer_of(engagement.project)
    submit(engagement)
    engagement.refresh_from_db()
    submitted = engagement.submitted_at

    clock.move_to(submitted + DAY)
    engagement_reminders.sweep_reviews()
    assert told(employer, "review.waiting") == 1

    clock.move_to(submitted + 2 * DAY - MINUTE)
    engagement_reminders.sweep_reviews()
    engagement.refresh_from_db()
    assert engagement.status == "submitted"

    clock.move_to(submitted + 2 * DAY)
    engagement_reminders.sweep_reviews()
    engagement.refresh_from_db()
    assert engagement.status == "approved"  # no payout account yet: the payout waits
    assert told(employer, "review.waiting") == 1
    assert told(engagement.student, "engagement.approved") == 1


def test_overdue_repeat_and_session_reminders_follow_their_settings(clock, settings):
    settings.REMINDER_OVERDUE_REPEAT_HOURS = 12
    settings.REMINDER_SESSION_HOURS = [2]
    engagement = active_engagement()
    student = engagement.student
    kickoff = sessions_of(engagement)[0]

    clock.move_to(kickoff.scheduled_at - 3 * HOUR)
    feedback_reminders.sweep_sessions()
    assert told(student, "session.soon") == 0
    clock.move_to(kickoff.scheduled_at - 90 * MINUTE)
    feedback_reminders.sweep_sessions()
    clock.move_to(kickoff.scheduled_at - 30 * MINUTE)
    feedback_reminders.sweep_sessions()
    assert told(student, "session.soon") == 1

    clock.move_to(engagement.due_at + MINUTE)
    engagement_reminders.sweep_overdue()
    clock.move_to(engagement.due_at + 12 * HOUR + MINUTE)
    engagement_reminders.sweep_overdue()
    assert told(student, "deadline.overdue") == 2


# --- A bad row does not stop a sweep ------------------------------------------------------


def test_automatic_approval_goes_on_past_an_engagement_that_fails(clock, monkeypatch, caplog):
    broken, fine = active_engagement(), active_engagement()
    submit(broken)
    submit(fine)
    real_approve = engagements.submission_approve

    def approve_or_fail(*, actor, engagement, comment="", **more):
        if engagement.pk == broken.pk:
            raise RuntimeError("the database hiccuped")
        return real_approve(actor=actor, engagement=engagement, comment=comment, **more)

    monkeypatch.setattr(engagements, "submission_approve", approve_or_fail)
    clock.shift(7 * DAY)

    with caplog.at_level(logging.ERROR, logger="feedback.reminders"):
        engagement_reminders.sweep_reviews()

    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.status == "submitted"
    assert fine.status == "approved"
    assert told(fine.student, "engagement.approved") == 1
    assert f"Could not approve engagement {broken.pk}" in caplog.text

    # The next run catches up once the cause is gone.
    monkeypatch.setattr(engagements, "submission_approve", real_approve)
    clock.shift(5 * MINUTE)
    engagement_reminders.sweep_reviews()
    broken.refresh_from_db()
    assert broken.status == "approved"
    assert told(fine.student, "engagement.approved") == 1


def test_automatic_declines_go_on_past_an_application_that_fails(clock, monkeypatch, caplog):
    project = ProjectFactory(apply_by=date(2026, 1, 5))
    broken, fine = ApplicationFactory(project=project), ApplicationFactory(project=project)
    real_expire = applications.application_expire

    def expire_or_fail(*, application_id):
        if application_id == broken.pk:
            raise RuntimeError("the database hiccuped")
        return real_expire(application_id=application_id)

    monkeypatch.setattr(applications, "application_expire", expire_or_fail)

    with caplog.at_level(logging.ERROR, logger="feedback.reminders"):
        project_reminders.sweep_applications()

    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.status == "submitted"
    assert fine.status == "declined"
    assert told(fine.student, "application.declined") == 1
    assert f"Could not close application {broken.pk}" in caplog.text
