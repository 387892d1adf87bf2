"""Money through the local (test-mode) gateway: the same steps and ledger as with Stripe."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from engagements import services as engagements
from marketplace.pricing import price
from payments import ledger
from payments import services as payments
from payments.gateways.base import PaymentIntentInfo
from payments.models import LedgerEntry, Payment, Payout, PayoutAccount, Refund
from payments.services import payouts as payouts_module
from payments.tasks import execute_payout, execute_refund
from tests.factories import (
    AdminFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)
from tests.payment_helpers import connect, disputed_engagement, fund, funded_engagement

pytestmark = pytest.mark.django_db


# Payouts and refunds leave after commit. These tests run inside one transaction: each
# step that a real request would commit runs under `on_commit()`, which runs what the step
# queued for after its commit (and only then), so a step that sends money before its own
# commit, or forgets to queue it, fails here.


def submit(engagement, quarters=8):
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=quarters,
        description="Work",
    )
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(note="Done", links=["https://example.com/x"], files=[]),
    )


def submit_and_approve(on_commit, engagement, quarters=8):
    submit(engagement, quarters)
    with on_commit():
        engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)
    engagement.refresh_from_db()


def kinds(engagement):
    return list(
        LedgerEntry.objects.filter(engagement=engagement)
        .order_by("id")
        .values_list("kind", "amount_cents")
    )


# --- Funding -------------------------------------------------------------------------------


def test_funding_charges_fee_plus_platform_fee_and_records_both(settings):
    settings.PLATFORM_FEE_PERCENT = 10
    engagement = accepted_engagement(
        project=ProjectFactory(hours=20, fee_cents=40000), funded=False
    )

    payment = fund(engagement)
    payment.refresh_from_db()

    assert (payment.fee_cents, payment.platform_fee_cents, payment.amount_cents) == (
        40000,
        4000,
        44000,
    )
    assert payment.status == "succeeded"
    assert engagement.status == "active"
    assert kinds(engagement) == [("funding_received", 44000), ("platform_fee", -4000)]
    assert ledger.balance(engagement.pk) == 40000


def test_the_platform_fee_rounds_half_up_to_the_cent(settings):
    settings.PLATFORM_FEE_PERCENT = 10
    assert price(12345) == (12345, 1235, 13580)
    assert price(12344) == (12344, 1234, 13578)


def test_a_declined_payment_leaves_the_engagement_waiting_and_can_be_tried_again():
    engagement = accepted_engagement(funded=False)
    employer = employer_of(engagement.project)
    first = payments.engagement_fund(actor=employer, engagement=engagement)

    payments.local_payment_complete(actor=employer, payment=first, succeed=False)

    first.refresh_from_db()
    engagement.refresh_from_db()
    assert first.status == "failed" and first.failure_message
    assert engagement.status == "awaiting_funding"
    assert not LedgerEntry.objects.exists()
    second = payments.engagement_fund(actor=employer, engagement=engagement)
    assert second.pk != first.pk
    payments.local_payment_complete(actor=employer, payment=second, succeed=True)
    engagement.refresh_from_db()
    assert engagement.status == "active"


def test_starting_payment_twice_gives_the_same_payment_and_paying_twice_records_once():
    engagement = accepted_engagement(funded=False)
    employer = employer_of(engagement.project)

    first = payments.engagement_fund(actor=employer, engagement=engagement)
    again = payments.engagement_fund(actor=employer, engagement=engagement)
    payments.local_payment_complete(actor=employer, payment=first, succeed=True)
    payments.local_payment_complete(actor=employer, payment=first, succeed=True)

    assert first.pk == again.pk
    assert Payment.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="funding_received").count() == 1
    with pytest.raises(ValidationError, match="already funded"):
        payments.engagement_fund(actor=employer, engagement=engagement)


def test_the_due_date_counts_from_funding():
    engagement = accepted_engagement(funded=False)
    accepted_due = engagement.due_at

    fund(engagement)

    assert engagement.due_at >= accepted_due
    assert (engagement.due_at - engagement.funded_at).days == engagement.days_to_complete


# --- Payouts -------------------------------------------------------------------------------


def test_approval_pays_the_student_the_whole_fee_and_the_ledger_balances(on_commit):
    engagement = funded_engagement()
    connect(engagement.student)

    submit_and_approve(on_commit, engagement)

    payout = Payout.objects.get(engagement=engagement)
    assert payout.status == "paid" and payout.amount_cents == engagement.fee_cents
    assert engagement.status == "paid" and engagement.paid_at
    assert [k for k, _ in kinds(engagement)] == ["funding_received", "platform_fee", "payout"]
    assert ledger.balance(engagement.pk) == 0


def test_a_payout_waits_for_the_payout_account_and_goes_out_when_it_is_ready(client, on_commit):
    engagement = funded_engagement()
    submit_and_approve(on_commit, engagement)
    payout = Payout.objects.get(engagement=engagement)
    assert payout.status == "waiting_for_account"
    assert engagement.status == "approved"
    client.force_login(engagement.student)
    assert b"Waiting for your payout account" in client.get(reverse("payments:earnings")).content

    response = client.post(reverse("payments:connect"))
    assert response.url == reverse("payments:test_onboarding")
    with on_commit():
        client.post(reverse("payments:test_onboarding"), {"tax_form": "w8ben"})

    payout.refresh_from_db()
    engagement.refresh_from_db()
    assert payout.status == "paid"
    assert engagement.status == "paid"
    assert ledger.balance(engagement.pk) == 0


def test_a_payout_happens_once_whatever_is_repeated(on_commit):
    engagement = funded_engagement()
    connect(engagement.student)
    submit_and_approve(on_commit, engagement)
    payout = Payout.objects.get(engagement=engagement)

    with on_commit():
        engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)
        payments.payout_execute(payout_id=payout.pk)
        payments.payout_create(engagement=engagement, amount_cents=engagement.fee_cents)
        payments.payouts_retry_due()

    assert Payout.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="payout").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Payout.objects.create(
            engagement=engagement, student=engagement.student, amount_cents=1, status="pending"
        )


def test_the_ledger_cannot_be_rewritten():
    engagement = funded_engagement()
    entry = LedgerEntry.objects.filter(engagement=engagement).first()

    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_cents=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            engagement=engagement, kind="payout", amount_cents=5, key="bad", description="x"
        )


# --- Refunds and disputes ----------------------------------------------------------------------


def test_cancelling_before_any_hours_refunds_the_employer_in_full(on_commit):
    engagement = funded_engagement()

    with on_commit():
        engagements.engagement_request_cancel(
            actor=engagement.student, engagement=engagement, reason="Family emergency"
        )

    refund = Refund.objects.get()
    payment = refund.payment
    assert refund.status == "succeeded"
    assert refund.amount_cents == payment.amount_cents
    assert refund.platform_fee_cents == payment.platform_fee_cents
    assert ledger.balance(engagement.pk) == 0
    assert [k for k, _ in kinds(engagement)] == [
        "funding_received",
        "platform_fee",
        "refund",
        "reversal",
    ]


def test_cancelling_an_unfunded_engagement_refunds_nothing_and_cancels_the_open_payment():
    engagement = accepted_engagement(funded=False)
    payment = payments.engagement_fund(actor=employer_of(engagement.project), engagement=engagement)

    engagements.engagement_request_cancel(
        actor=employer_of(engagement.project), engagement=engagement, reason="Budget cut"
    )

    payment.refresh_from_db()
    assert payment.status == "canceled"
    assert not Refund.objects.exists()


@pytest.mark.parametrize(
    ("student_cents", "fee_kept", "refund_cents"),
    [(40000, 4000, 0), (10000, 1000, 33000), (0, 0, 44000), (12345, 1235, 30420)],
)
def test_a_dispute_split_pays_part_refunds_the_rest_and_balances(
    on_commit, settings, student_cents, fee_kept, refund_cents
):
    settings.PLATFORM_FEE_PERCENT = 10
    admin = AdminFactory()
    engagement = disputed_engagement()

    with on_commit():
        payments.dispute_settle(
            actor=admin, engagement=engagement, student_cents=student_cents, note="Split fairly"
        )

    engagement.refresh_from_db()
    assert engagement.status == "cancelled" and engagement.settled_at
    paid = Payout.objects.filter(engagement=engagement, status="paid")
    assert sum(p.amount_cents for p in paid) == student_cents
    refunded = sum(r.amount_cents for r in Refund.objects.filter(status="succeeded"))
    assert refunded == refund_cents
    platform = -sum(a for k, a in kinds(engagement) if k == "platform_fee") - sum(
        r.platform_fee_cents for r in Refund.objects.filter(status="succeeded")
    )
    assert platform == fee_kept
    assert ledger.balance(engagement.pk) == 0


def test_only_a_disputed_engagement_is_settled_and_only_by_an_admin():
    engagement = funded_engagement()
    with pytest.raises(ValidationError, match="disputed"):
        payments.dispute_settle(
            actor=AdminFactory(), engagement=engagement, student_cents=0, note="x"
        )
    with pytest.raises(Exception, match="platform admins"):
        payments.dispute_settle(
            actor=employer_of(engagement.project), engagement=engagement, student_cents=0, note="x"
        )


# --- Extensions ----------------------------------------------------------------------------


def test_an_extension_is_paid_for_before_it_applies_and_the_payout_includes_it(on_commit):
    engagement = funded_engagement(project=ProjectFactory(hours=10, fee_cents=20000))
    employer = employer_of(engagement.project)
    connect(engagement.student)
    extension = engagements.extension_propose(
        actor=employer,
        engagement=engagement,
        extra_quarters=8,
        extra_fee_cents=4000,
        extra_days=2,
        reason="One more chart",
    )
    engagements.extension_decide(actor=engagement.student, extension=extension, accept=True)
    payment = payments.payment_start(actor=employer, engagement=engagement, extension=extension)
    payments.local_payment_complete(actor=employer, payment=payment, succeed=True)
    engagement.refresh_from_db()

    submit_and_approve(on_commit, engagement, quarters=44)

    assert Payout.objects.get(engagement=engagement).amount_cents == 24000
    assert ledger.balance(engagement.pk) == 0


def accepted_extension(engagement, *, extra_quarters=8, extra_fee_cents=4000):
    extension = engagements.extension_propose(
        actor=employer_of(engagement.project),
        engagement=engagement,
        extra_quarters=extra_quarters,
        extra_fee_cents=extra_fee_cents,
        extra_days=2,
        reason="One more chart",
    )
    return engagements.extension_decide(actor=engagement.student, extension=extension, accept=True)


def succeeded_at_provider(payment):
    """What Stripe's webhook reports for a payment that went through."""
    return PaymentIntentInfo(
        provider_id=payment.provider_id,
        status="succeeded",
        amount_cents=payment.amount_cents,
        charge_id=f"ch_{payment.pk}",
    )


def assert_refunded_in_full(payment, engagement, *, fee_before, cap_before):
    payment.refresh_from_db()
    engagement.refresh_from_db()
    assert payment.status == "succeeded"
    refund = Refund.objects.get(payment=payment)
    assert refund.status == "succeeded"
    assert (refund.amount_cents, refund.platform_fee_cents) == (
        payment.amount_cents,
        payment.platform_fee_cents,
    )
    assert list(
        LedgerEntry.objects.filter(payment=payment)
        .order_by("id")
        .values_list("kind", "amount_cents")
    ) == [
        ("funding_received", payment.amount_cents),
        ("platform_fee", -payment.platform_fee_cents),
        ("refund", -payment.amount_cents),
        ("reversal", payment.platform_fee_cents),
    ]
    # Nothing of the payment stays with the platform, and the engagement's terms are unchanged.
    assert (
        sum(LedgerEntry.objects.filter(payment=payment).values_list("amount_cents", flat=True)) == 0
    )
    assert (engagement.fee_cents, engagement.cap_quarters) == (fee_before, cap_before)
    told = Notification.objects.filter(kind="payment.refunded_unpayable").values_list(
        "recipient", flat=True
    )
    assert sorted(told) == sorted([payment.created_by_id, engagement.student_id])
    assert AuditEvent.objects.filter(
        action="payment.refunded_unpayable", target_id=str(payment.pk)
    ).exists()
    return refund


def test_paying_for_an_extension_withdrawn_at_approval_refunds_it_in_full(client, on_commit):
    engagement = funded_engagement(project=ProjectFactory(hours=10, fee_cents=20000))
    employer = employer_of(engagement.project)
    extension = accepted_extension(engagement)
    client.force_login(employer)
    opened = client.post(
        reverse("payments:start_extension_funding", args=[engagement.pk, extension.pk])
    )
    payment = Payment.objects.get(extension=extension)
    assert opened.url == reverse("payments:pay", args=[payment.pk])
    submit(engagement)
    with on_commit():
        client.post(reverse("engagements:review", args=[engagement.pk]), {"decision": "approve"})
    extension.refresh_from_db()
    assert extension.status == "withdrawn"
    fee_before, cap_before = 20000, 40

    with on_commit():
        response = client.post(
            reverse("payments:test_complete", args=[payment.pk]), {"outcome": "pay"}
        )

    assert response.status_code == 302
    assert_refunded_in_full(payment, engagement, fee_before=fee_before, cap_before=cap_before)
    page = client.get(response.url).content.decode()
    assert "refunded in full" in page
    assert Payout.objects.get(engagement=engagement).amount_cents == fee_before


def test_a_webhook_for_a_withdrawn_extension_refunds_it_once_however_often_it_comes(on_commit):
    engagement = funded_engagement(project=ProjectFactory(hours=10, fee_cents=20000))
    employer = employer_of(engagement.project)
    extension = accepted_extension(engagement)
    payment = payments.payment_start(actor=employer, engagement=engagement, extension=extension)
    submit_and_approve(on_commit, engagement)

    for _ in range(2):
        with on_commit():
            payments.payment_apply(
                payment_id=payment.pk, info=succeeded_at_provider(payment), via="stripe webhook"
            )

    refund = assert_refunded_in_full(payment, engagement, fee_before=20000, cap_before=40)
    assert Refund.objects.count() == 1
    assert "withdrawn" in refund.reason


def test_an_extension_paid_while_the_engagement_is_disputed_is_refunded(on_commit):
    engagement = funded_engagement(project=ProjectFactory(hours=10, fee_cents=20000))
    employer = employer_of(engagement.project)
    extension = accepted_extension(engagement)
    payment = payments.payment_start(actor=employer, engagement=engagement, extension=extension)
    submit(engagement)
    engagements.engagement_request_cancel(
        actor=employer, engagement=engagement, reason="Not what we asked for"
    )

    with on_commit():
        payments.local_payment_complete(actor=employer, payment=payment, succeed=True)

    refund = assert_refunded_in_full(payment, engagement, fee_before=20000, cap_before=40)
    assert "disputed" in refund.reason


def test_a_second_funding_payment_that_succeeds_late_is_refunded(on_commit):
    engagement = accepted_engagement(funded=False)
    employer = employer_of(engagement.project)
    first = payments.engagement_fund(actor=employer, engagement=engagement)
    payments.local_payment_complete(actor=employer, payment=first, succeed=False)
    fund(engagement)  # a second payment goes through and starts the work

    with on_commit():  # the first one went through after all (a late 3-D Secure answer)
        payments.payment_apply(
            payment_id=first.pk, info=succeeded_at_provider(first), via="stripe webhook"
        )

    refund = assert_refunded_in_full(
        first, engagement, fee_before=engagement.fee_cents, cap_before=engagement.cap_quarters
    )
    assert "already funded" in refund.reason
    engagement.refresh_from_db()
    assert engagement.status == "active"
    assert ledger.balance(engagement.pk) == engagement.fee_cents


def test_funding_that_arrives_after_cancellation_is_refunded_and_both_sides_told(on_commit):
    engagement = accepted_engagement(funded=False)
    employer = employer_of(engagement.project)
    payment = payments.engagement_fund(actor=employer, engagement=engagement)
    engagements.engagement_request_cancel(
        actor=employer, engagement=engagement, reason="Budget cut"
    )

    with on_commit():
        payments.payment_apply(
            payment_id=payment.pk, info=succeeded_at_provider(payment), via="stripe webhook"
        )

    engagement.refresh_from_db()
    refund = assert_refunded_in_full(
        payment, engagement, fee_before=engagement.fee_cents, cap_before=engagement.cap_quarters
    )
    assert engagement.status == "cancelled"
    assert "cancelled" in refund.reason
    assert ledger.balance(engagement.pk) == 0


# --- Pages ---------------------------------------------------------------------------------


def test_the_employer_sees_receipts_for_payments_and_refunds(client, on_commit):
    engagement = funded_engagement()
    payment = Payment.objects.get(engagement=engagement)
    with on_commit():
        engagements.engagement_request_cancel(
            actor=engagement.student, engagement=engagement, reason="Changed plans"
        )
    client.force_login(employer_of(engagement.project))

    listing = client.get(reverse("payments:receipts")).content.decode()
    detail = client.get(reverse("payments:receipt", args=[payment.pk])).content.decode()

    assert payment.receipt_number in listing
    assert "test mode" in listing
    assert f"${payment.amount_cents / 100:,.2f}" in detail
    assert "Refunded" in detail


def test_another_organization_sees_no_receipt_or_payment_page(client, other_employer):
    engagement = funded_engagement()
    payment = Payment.objects.get(engagement=engagement)
    client.force_login(other_employer)

    assert client.get(reverse("payments:receipt", args=[payment.pk])).status_code == 404
    assert client.get(reverse("payments:pay", args=[payment.pk])).status_code == 404
    assert payment.receipt_number.encode() not in client.get(reverse("payments:receipts")).content
    response = client.post(reverse("payments:test_complete", args=[payment.pk]), {"outcome": "pay"})
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["student", "career_staff", "platform_admin"])
def test_only_employers_open_receipts_and_only_students_open_earnings(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("payments:receipts")).status_code == 403
    expected = 200 if who == "student" else 403
    assert client.get(reverse("payments:earnings")).status_code == expected


def test_earnings_show_pending_paid_and_this_years_total(client, on_commit):
    student = StudentFactory().user
    connect(student)
    paid = funded_engagement(student=student, project=ProjectFactory(fee_cents=30000, hours=15))
    submit_and_approve(on_commit, paid)
    pending = funded_engagement(student=student, project=ProjectFactory(fee_cents=20000, hours=10))
    engagements.submission_create(
        actor=student,
        engagement=pending,
        data=engagements.SubmissionData(note="x", links=["https://example.com"], files=[]),
    )
    PayoutAccount.objects.filter(user=student).update(payouts_enabled=False)
    engagements.submission_approve(actor=employer_of(pending.project), engagement=pending)
    client.force_login(student)

    page = client.get(reverse("payments:earnings"))

    assert page.context["paid_cents"] == 30000
    assert page.context["year_cents"] == 30000
    assert page.context["pending_cents"] == 20000
    html = page.content.decode()
    assert 'id="paid-total">$300<' in html
    assert 'id="pending-total">$200<' in html


def test_money_pages_say_test_mode_without_stripe_keys(client):
    engagement = accepted_engagement(funded=False)
    client.force_login(employer_of(engagement.project))

    workspace = client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()
    started = client.post(reverse("payments:start_funding", args=[engagement.pk]))
    pay_page = client.get(started.url).content.decode()

    assert "test mode" in workspace
    assert "Test-mode payment" in pay_page
    assert "js.stripe.com" not in pay_page


# --- Work whose task was lost (the broker restarted, a worker was killed) ----------------------


def lose(monkeypatch, task):
    monkeypatch.setattr(task, "delay", lambda *args: None)


def test_a_payout_whose_task_was_lost_is_sent_by_the_payout_sweep(monkeypatch, on_commit):
    lose(monkeypatch, execute_payout)
    engagement = funded_engagement()
    connect(engagement.student)

    submit_and_approve(on_commit, engagement)

    payout = Payout.objects.get(engagement=engagement)
    assert payout.status == "pending"
    assert payments.payouts_retry_due() == 1
    assert payments.payouts_retry_due() == 0
    payout.refresh_from_db()
    engagement.refresh_from_db()
    assert (payout.status, engagement.status) == ("paid", "paid")
    assert LedgerEntry.objects.filter(engagement=engagement, kind="payout").count() == 1


def test_a_payout_an_admin_sends_again_is_swept_if_that_send_never_happened(monkeypatch, on_commit):
    lose(monkeypatch, execute_payout)
    engagement = funded_engagement()
    connect(engagement.student)
    submit_and_approve(on_commit, engagement)
    payout = Payout.objects.get(engagement=engagement)
    Payout.objects.filter(pk=payout.pk).update(
        status="failed", attempts=1, next_attempt_at=timezone.now() + timedelta(hours=3)
    )

    def killed(**kwargs):
        raise SystemExit("the web server stopped")

    with monkeypatch.context() as patch, pytest.raises(SystemExit):
        patch.setattr(payouts_module, "payout_execute", killed)
        payments.payout_retry_now(actor=AdminFactory(), payout=payout)

    assert payments.payouts_retry_due() == 1
    payout.refresh_from_db()
    assert payout.status == "paid"


def test_a_refund_whose_task_was_lost_is_sent_by_the_refund_sweep(monkeypatch, settings):
    lose(monkeypatch, execute_refund)
    engagement = funded_engagement()

    engagements.engagement_request_cancel(
        actor=engagement.student, engagement=engagement, reason="Family emergency"
    )

    refund = Refund.objects.get()
    assert refund.status == "pending"
    assert payments.refunds_retry_due() == 0  # its task may still be on the way
    later = timezone.now() + timedelta(seconds=settings.TASK_RECOVERY_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert payments.refunds_retry_due() == 1
        assert payments.refunds_retry_due() == 0
    refund.refresh_from_db()
    assert refund.status == "succeeded"
    assert ledger.balance(engagement.pk) == 0
