"""Bonuses under concurrency (PostgreSQL): offers sent at once leave one bonus waiting for
payment, and a bonus payment confirmed many times at once pays the student once."""

import threading

import pytest
from django.db import connection

from engagements.models import Engagement
from payments import ledger
from payments import services as payments
from payments.gateways.base import PaymentIntentInfo
from payments.models import Bonus, LedgerEntry, Payment, Payout
from tests.factories import accepted_engagement, approved_engagement, employer_of
from tests.payment_helpers import connect, fund

THREADS = 12


def run_at_once(work, count=THREADS):
    barrier = threading.Barrier(count)
    errors, results = [], []

    def run(number):
        try:
            barrier.wait(timeout=30)
            results.append(work(number))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.fixture
def approved(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are tested on PostgreSQL.")
    engagement = accepted_engagement(funded=False)
    fund(engagement)
    connect(engagement.student)
    return approved_engagement(engagement)


def test_offers_sent_at_once_leave_one_bonus_waiting(approved):
    employer = employer_of(approved.project)

    def offer(number):
        return payments.bonus_offer(
            actor=employer,
            engagement=Engagement.objects.get(pk=approved.pk),
            amount_cents=1000 + number * 100,
            message="",
        )

    results, errors = run_at_once(offer)

    assert len(results) == 1
    assert len(errors) == THREADS - 1
    assert all("waiting for your payment" in " ".join(e.messages) for e in errors)
    assert Bonus.objects.filter(status="awaiting_payment").count() == 1


def test_a_bonus_confirmed_many_times_at_once_is_paid_once(approved):
    employer = employer_of(approved.project)
    bonus = payments.bonus_offer(
        actor=employer, engagement=approved, amount_cents=5000, message="Thanks"
    )
    payment = payments.payment_start(actor=employer, engagement=approved, bonus=bonus)
    info = PaymentIntentInfo(
        provider_id=payment.provider_id,
        status="succeeded",
        amount_cents=payment.amount_cents,
        charge_id="local_ch_race",
    )

    def confirm_and_pay(number):
        payments.payment_apply(payment_id=payment.pk, info=info, via="webhook")
        payout = Payout.objects.filter(bonus=bonus).first()
        if payout is not None:
            payments.payout_execute(payout_id=payout.pk)
        return number

    results, errors = run_at_once(confirm_and_pay)

    assert errors == [] and len(results) == THREADS
    payout = Payout.objects.get(bonus=bonus)
    if payout.status != "paid":
        payments.payout_execute(payout_id=payout.pk)
        payout.refresh_from_db()
    assert payout.status == "paid" and payout.amount_cents == 5000
    assert Payment.objects.filter(bonus=bonus, status="succeeded").count() == 1
    assert LedgerEntry.objects.filter(payment=payment).count() == 2
    assert LedgerEntry.objects.filter(payout=payout).count() == 1
    assert ledger.balance(approved.pk) == 0
