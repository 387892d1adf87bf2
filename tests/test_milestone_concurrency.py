"""Milestone approvals under concurrency (PostgreSQL): employers clicking at once and the
automatic-approval sweep racing them approve the milestone once and pay it once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from engagements import services as engagements
from engagements.models import Engagement, Submission
from engagements.reminders import auto_approve
from payments import ledger
from payments import services as payments
from payments.models import LedgerEntry, Payout
from tests.factories import employer_of
from tests.payment_helpers import milestone_engagement

THREADS = 8


def run_at_once(*targets):
    barrier = threading.Barrier(len(targets))
    errors = []

    def wrapped(target):
        try:
            barrier.wait(timeout=30)
            target()
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapped, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def submitted_milestone_engagement(settings):
    engagement = milestone_engagement()
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=4,
        description="Part one",
    )
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(note="Part one", links=["https://example.com"], files=[]),
    )
    # Handed in long enough ago for the sweep to approve it too.
    long_ago = timezone.now() - timedelta(days=settings.AUTO_APPROVE_DAYS, hours=1)
    Engagement.objects.filter(pk=engagement.pk).update(submitted_at=long_ago)
    return engagement


@pytest.mark.django_db(transaction=True)
def test_clicks_and_the_sweep_at_once_approve_and_pay_a_milestone_once(settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are tested on PostgreSQL.")
    engagement = submitted_milestone_engagement(settings)
    employer = employer_of(engagement.project)

    def click():
        engagements.submission_approve(
            actor=employer,
            engagement=Engagement.objects.get(pk=engagement.pk),
            milestone_number=1,
        )

    errors = run_at_once(*[click] * THREADS, *[auto_approve] * THREADS)

    assert errors == []
    first = engagement.milestones.get(number=1)
    assert first.status == "approved"
    assert Submission.objects.filter(engagement=engagement, decision="approved").count() == 1
    assert list(engagement.milestones.values_list("status", flat=True).order_by("number")) == [
        "approved",
        "pending",
        "pending",
    ]
    payout = Payout.objects.get(engagement=engagement)
    assert (payout.milestone, payout.amount_cents, payout.status) == (first, 12000, "paid")
    assert LedgerEntry.objects.filter(kind="payout").count() == 1
    assert ledger.milestone_balance(first.pk) == 0
    engagement.refresh_from_db()
    assert engagement.status == "active"
    assert engagement.events.filter(kind="milestone_approved").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_milestone_payout_sent_and_replayed_at_once_pays_once(settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are tested on PostgreSQL.")
    engagement = submitted_milestone_engagement(settings)
    # The payout is created with the approval but not sent yet: the race sends it.
    monkeypatch.setattr("payments.services.payouts.enqueue_payout", lambda payout_id: None)
    engagements.submission_approve(
        actor=employer_of(engagement.project), engagement=engagement, milestone_number=1
    )
    payout = Payout.objects.get(engagement=engagement)
    first = payout.milestone
    assert payout.status == "pending"

    def send():
        payments.payout_execute(payout_id=payout.pk)

    def replay():
        payments.payout_create(engagement=engagement, amount_cents=12000, milestone=first)
        payments.payout_apply(payout_id=payout.pk, provider_id=f"local_tr_{payout.pk}")

    errors = run_at_once(*[send] * THREADS, *[replay] * THREADS, payments.payouts_retry_due)

    assert errors == []
    payout.refresh_from_db()
    assert payout.status == "paid"
    assert Payout.objects.filter(milestone=first).count() == 1
    assert LedgerEntry.objects.filter(kind="payout", milestone=first).count() == 1
    assert ledger.milestone_balance(first.pk) == 0
