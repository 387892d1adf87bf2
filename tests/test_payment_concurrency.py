"""Money under concurrency (PostgreSQL): approvals clicked many times at once, webhooks
replayed and payout runs racing them still move the student's money exactly once."""

import json
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from engagements import services as engagements
from engagements.models import Engagement
from payments import ledger
from payments import services as payments
from payments.gateways.stripe_gateway import StripeGateway
from payments.models import LedgerEntry, Payout, PayoutAccount
from tests import fake_stripe
from tests.factories import accepted_engagement, employer_of
from tests.fake_stripe import FakeStripe, signature_header

SECRET_KEY = "sk_test_fake"
WEBHOOK_SECRET = "whsec_fake"
THREADS = 20


def wait_for(read, seconds=15.0):
    """Poll `read` until it answers something (or give up and answer None)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = read()
        if value:
            return value
        time.sleep(0.01)
    return None


@pytest.mark.django_db(transaction=True)
def test_twenty_approvals_webhook_replays_and_payout_runs_at_once_pay_the_student_once(
    settings, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are tested on PostgreSQL.")
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_API_BASE = ""
    # Funded through the local gateway, then paid out through Stripe.
    engagement = accepted_engagement(funded=False)
    employer = employer_of(engagement.project)
    payment = payments.engagement_fund(actor=employer, engagement=engagement)
    payments.local_payment_complete(actor=employer, payment=payment, succeed=True)
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(
            note="The report", links=["https://example.com/report"], files=[]
        ),
    )
    PayoutAccount.objects.create(
        user=engagement.student,
        gateway="stripe",
        provider_id="acct_1Race",
        details_submitted=True,
        payouts_enabled=True,
        tax_form="w9",
        tax_info_provided=True,
    )
    fake = FakeStripe(api_key=SECRET_KEY)
    fake.serve_transfers()
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET

    def gateway():
        return StripeGateway(http_client=fake)

    monkeypatch.setattr("payments.gateways.get_gateway", gateway)

    barrier = threading.Barrier(2 * THREADS)
    errors = []

    def approve():
        try:
            barrier.wait(timeout=30)
            engagements.submission_approve(
                actor=employer, engagement=Engagement.objects.get(pk=engagement.pk)
            )
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    def replay_and_run(number):
        try:
            barrier.wait(timeout=30)
            payout_id = wait_for(
                lambda: (
                    Payout.objects.filter(engagement_id=engagement.pk)
                    .values_list("pk", flat=True)
                    .first()
                )
            )
            if payout_id:
                payments.payout_execute(payout_id=payout_id)
            # Stripe sends transfer events once the transfer exists; half the threads
            # replay one event, the others send events of their own.
            transfer = wait_for(lambda: next(iter(fake.transfers.values()), None))
            event_id = "evt_1Created" if number % 2 else f"evt_1Updated{number}"
            event_type = "transfer.created" if number % 2 else "transfer.updated"
            payload = json.dumps(fake_stripe.event(event_id, event_type, transfer))
            response = Client().post(
                reverse("payments:stripe_webhook"),
                data=payload,
                content_type="application/json",
                headers={"Stripe-Signature": signature_header(payload, WEBHOOK_SECRET)},
            )
            assert response.status_code == 200
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(THREADS)] + [
        threading.Thread(target=replay_and_run, args=(n,)) for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(fake.requests_to("POST", "/v1/transfers")) == 1
    assert fake.unexpected == []
    payout = Payout.objects.get()
    assert payout.status == "paid" and payout.amount_cents == engagement.fee_cents
    assert LedgerEntry.objects.filter(kind="payout").count() == 1
    engagement.refresh_from_db()
    assert engagement.status == "paid"
    assert ledger.balance(engagement.pk) == 0
