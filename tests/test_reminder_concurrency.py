"""Sweeps under concurrency (PostgreSQL): two beat ticks running the same sweep at the same
moment still send each reminder once, and approve and pay the student once."""

import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection

from accounts.models import Notification
from engagements import reminders as engagement_reminders
from engagements import services as engagements
from engagements.models import Engagement
from feedback import reminders as feedback_reminders
from feedback.models import FeedbackSession
from payments import services as payments
from payments.models import LedgerEntry, Payout
from tests.factories import accepted_engagement, employer_of

# 10:00 in New York, the employers' time zone: kickoffs are planned for 10:00 the next day.
START = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)
ENGAGEMENTS = 5
THREADS = 2


def skip_unless_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; races are tested on PostgreSQL.")


def active_engagement():
    engagement = accepted_engagement(funded=False)
    employer = employer_of(engagement.project)
    payment = payments.engagement_fund(actor=employer, engagement=engagement)
    payments.local_payment_complete(actor=employer, payment=payment, succeed=True)
    engagement.refresh_from_db()
    return engagement


def at_once(sweep, monkeypatch) -> tuple[list[int], list[int]]:
    """Run `sweep` in THREADS threads released together. Each thread waits for the others
    before claiming its reminders, so all of them found the same reminders still unsent and
    really compete for them. Returns what each sweep offered and what each returned."""
    start, claim = threading.Barrier(THREADS), threading.Barrier(THREADS)
    offered, results, errors = [], [], []
    module = sys.modules[sweep.__module__]
    notify_many = module.notify_many

    def notify_many_together(items, **kwargs):
        offered.append(len(items))
        claim.wait(timeout=30)
        return notify_many(items, **kwargs)

    def run():
        try:
            start.wait(timeout=30)
            results.append(sweep())
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    monkeypatch.setattr(module, "notify_many", notify_many_together)
    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    monkeypatch.setattr(module, "notify_many", notify_many)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    return offered, results


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_send_each_reminder_once(monkeypatch):
    skip_unless_postgresql()
    with time_machine.travel(START, tick=False) as clock:
        started = [active_engagement() for _ in range(ENGAGEMENTS)]
        kickoffs = FeedbackSession.objects.filter(kind="kickoff")
        assert kickoffs.count() == ENGAGEMENTS
        kickoff_at = kickoffs.first().scheduled_at
        due_at = started[0].due_at
        assert all(e.due_at == due_at for e in started)
        mail.outbox.clear()
        sent = []

        # Half an hour before the kickoffs: both the 24 h and the 1 h reminders are due,
        # to the student and the employer.
        clock.move_to(kickoff_at - timedelta(minutes=30))
        offered, results = at_once(feedback_reminders.sweep_sessions, monkeypatch)
        assert offered == [ENGAGEMENTS * 2 * 2] * THREADS
        sent += results
        # A day before the due date: both the 72 h and the 24 h reminders are due.
        clock.move_to(due_at - timedelta(hours=23))
        offered, results = at_once(engagement_reminders.sweep_due_soon, monkeypatch)
        assert offered == [ENGAGEMENTS * 2] * THREADS
        sent += results
        # Two days past it: the first overdue notice and the repeat are both due.
        clock.move_to(due_at + timedelta(hours=49))
        offered, results = at_once(engagement_reminders.sweep_overdue, monkeypatch)
        assert offered == [ENGAGEMENTS * 2 * 2] * THREADS
        sent += results

    reminded = Notification.objects.filter(
        kind__in=["session.soon", "deadline.soon", "deadline.overdue"]
    )
    per_key = Counter(reminded.values_list("recipient_id", "key"))
    # Sessions: 2 people x 2 reminders; due date: the student x 2; overdue: 2 people x 2.
    distinct = ENGAGEMENTS * (4 + 2 + 4)
    assert len(per_key) == distinct
    assert set(per_key.values()) == {1}
    assert sum(sent) == distinct
    assert len(mail.outbox) == distinct
    # Each person got one email per reminder under their bell, not one per thread.
    assert Counter(m.to[0] for m in mail.outbox) == Counter(
        reminded.values_list("recipient__email", flat=True)
    )
    for engagement in started:
        assert reminded.filter(recipient=engagement.student).count() == 2 + 2 + 2


@pytest.mark.django_db(transaction=True)
def test_two_automatic_approvals_at_the_same_moment_pay_the_student_once(monkeypatch):
    skip_unless_postgresql()
    with time_machine.travel(START, tick=False) as clock:
        submitted = []
        for _ in range(3):
            engagement = active_engagement()
            payments.payout_account_start(user=engagement.student, refresh_url="/", return_url="/")
            payments.local_account_complete(user=engagement.student)
            engagements.submission_create(
                actor=engagement.student,
                engagement=engagement,
                data=engagements.SubmissionData(
                    note="The report", links=["https://example.com/report"], files=[]
                ),
            )
            submitted.append(engagement)
        mail.outbox.clear()

        clock.shift(timedelta(days=7))
        offered, _ = at_once(engagement_reminders.sweep_reviews, monkeypatch)
        # The employers' 3- and 6-day reminders were still unsent for both threads.
        assert offered == [len(submitted) * 2] * THREADS

    for engagement in submitted:
        engagement = Engagement.objects.get(pk=engagement.pk)
        student = engagement.student
        assert engagement.status == "paid"
        payout = Payout.objects.get(engagement=engagement)
        assert payout.status == "paid" and payout.amount_cents == engagement.fee_cents
        assert LedgerEntry.objects.filter(engagement=engagement, kind="payout").count() == 1
        assert Counter(
            Notification.objects.filter(recipient=student).values_list("kind", flat=True)
        ) == {
            "application.accepted": 1,
            "engagement.funded": 1,
            "engagement.approved": 1,
            "payout.paid": 1,
        }
        assert sum(m.to == [student.email] for m in mail.outbox) == 2
        employer = employer_of(engagement.project)
        assert Notification.objects.filter(recipient=employer, kind="review.waiting").count() == 2
    assert Payout.objects.count() == len(submitted)
    assert set(Counter((m.to[0], m.subject) for m in mail.outbox).values()) == {1}
