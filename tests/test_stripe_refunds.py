"""Refunds through Stripe that no task finished: the task was lost with the broker, the worker
died before recording Stripe's answer, Stripe refused, or Stripe holds the refund as pending.
The refund sweep sends each again with the same idempotency key, or reads it back, and the
money moves once (checked at Stripe's HTTP boundary, tests/fake_stripe.py)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Notification
from engagements import services as engagements
from payments import ledger
from payments import services as payments
from payments.gateways.stripe_gateway import StripeGateway
from payments.models import LedgerEntry, Refund
from payments.services import refunds as refunds_module
from payments.tasks import execute_refund
from tests import fake_stripe
from tests.fake_stripe import FakeStripe
from tests.payment_helpers import funded_engagement

pytestmark = pytest.mark.django_db

SECRET_KEY = "sk_test_fake"


@pytest.fixture(autouse=True)
def _local_gateway_until_switched(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    settings.STRIPE_API_BASE = ""


@pytest.fixture
def stripe_refunds(settings, monkeypatch):
    """The employer funded in test mode; from now on the platform talks to Stripe
    (a fake answering at the HTTP boundary), which keeps refunds as Stripe does."""

    def switch(status="succeeded") -> FakeStripe:
        fake = FakeStripe(api_key=SECRET_KEY)
        fake.serve_refunds(status=status)
        settings.STRIPE_SECRET_KEY = SECRET_KEY
        monkeypatch.setattr(
            "payments.gateways.get_gateway", lambda: StripeGateway(http_client=fake)
        )
        return fake

    return switch


@pytest.fixture
def lost_refund_tasks(monkeypatch):
    """The broker loses every refund task queued after commit (it restarted)."""
    monkeypatch.setattr(execute_refund, "delay", lambda *args: None)


def cancel_before_any_work(engagement, on_commit) -> Refund:
    with on_commit():
        engagements.engagement_request_cancel(
            actor=engagement.student, engagement=engagement, reason="Family emergency"
        )
    return Refund.objects.get()


def at(moment):
    return time_machine.travel(moment + timedelta(seconds=1), tick=False)


def recovered(settings):
    return at(timezone.now() + timedelta(seconds=settings.TASK_RECOVERY_SECONDS))


def refunded_once(engagement, fake, refund):
    (made,) = fake.refunds.values()
    refund.refresh_from_db()
    assert refund.status == "succeeded" and refund.provider_id == made["id"]
    assert LedgerEntry.objects.filter(engagement=engagement, kind="refund").count() == 1
    assert ledger.balance(engagement.pk) == 0


def test_a_refund_whose_task_was_lost_is_sent_by_the_sweep_once(
    stripe_refunds, lost_refund_tasks, on_commit, settings
):
    engagement = funded_engagement()
    fake = stripe_refunds()

    refund = cancel_before_any_work(engagement, on_commit)

    assert refund.status == "pending"
    assert payments.refunds_retry_due() == 0  # its task may still be on the way
    assert fake.requests == []
    with recovered(settings):
        assert payments.refunds_retry_due() == 1
        assert payments.refunds_retry_due() == 0

    (sent,) = fake.requests_to("POST", "/v1/refunds")
    assert sent.idempotency_key == f"refund-{refund.pk}"
    assert sent.params == {
        "payment_intent": refund.payment.provider_id,
        "amount": str(refund.payment.amount_cents),
    }
    refunded_once(engagement, fake, refund)
    assert Notification.objects.filter(
        recipient=refund.payment.created_by, kind="payment.refunded"
    ).exists()


def test_a_refund_stripe_made_whose_answer_was_lost_is_not_made_twice(
    stripe_refunds, on_commit, settings, monkeypatch
):
    engagement = funded_engagement()
    fake = stripe_refunds()

    def killed(**kwargs):
        raise SystemExit("the worker was killed before recording Stripe's answer")

    with monkeypatch.context() as patch, pytest.raises(SystemExit):
        patch.setattr(refunds_module, "refund_apply", killed)
        cancel_before_any_work(engagement, on_commit)
    refund = Refund.objects.get()
    assert (refund.status, refund.provider_id, refund.attempts) == ("pending", None, 1)

    assert payments.refunds_retry_due() == 0  # the worker may still be busy with it
    with recovered(settings):
        assert payments.refunds_retry_due() == 1

    sent = fake.requests_to("POST", "/v1/refunds")
    assert [r.idempotency_key for r in sent] == [f"refund-{refund.pk}"] * 2
    refunded_once(engagement, fake, refund)


def test_a_refused_refund_is_retried_later_and_platform_admins_hear_if_it_keeps_failing(
    stripe_refunds, on_commit, platform_admin
):
    engagement = funded_engagement()
    fake = stripe_refunds()
    refusal = fake_stripe.error(400, "Your Stripe balance is too low.", code="balance_insufficient")
    fake.queue("POST", "/v1/refunds", refusal, refusal, refusal)

    refund = cancel_before_any_work(engagement, on_commit)

    refund.refresh_from_db()
    assert (refund.status, refund.attempts) == ("pending", 1)
    assert refund.failure_message.startswith("The payment provider refused the request")
    assert payments.refunds_retry_due() == 0
    waits = []
    for attempt in (2, 3):
        waits.append(refund.next_attempt_at - timezone.now())
        with at(refund.next_attempt_at), on_commit():
            assert payments.refunds_retry_due() == 0
            refund.refresh_from_db()
            assert refund.attempts == attempt
    assert timedelta(minutes=4) < waits[0] <= timedelta(minutes=5)
    assert waits[1] > timedelta(minutes=14)
    alert = Notification.objects.get(kind="refund.failing")
    assert alert.recipient == platform_admin
    assert "balance is too low" in alert.message

    with at(refund.next_attempt_at):
        assert payments.refunds_retry_due() == 1

    assert len(fake.requests_to("POST", "/v1/refunds")) == 4
    refunded_once(engagement, fake, refund)


def test_a_refund_pending_at_stripe_is_read_back_until_it_succeeds(stripe_refunds, on_commit):
    engagement = funded_engagement()
    fake = stripe_refunds(status="pending")

    refund = cancel_before_any_work(engagement, on_commit)

    refund.refresh_from_db()
    assert refund.status == "pending" and refund.provider_id
    with at(refund.next_attempt_at):
        assert payments.refunds_retry_due() == 0
    refund.refresh_from_db()
    assert refund.status == "pending"
    fake.refunds[refund.provider_id]["status"] = "succeeded"
    with at(refund.next_attempt_at):
        assert payments.refunds_retry_due() == 1

    assert len(fake.requests_to("POST", "/v1/refunds")) == 1
    assert len(fake.requests_to("GET", "/v1/refunds")) == 2
    refunded_once(engagement, fake, refund)
