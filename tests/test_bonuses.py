"""Bonuses on approved work: offered by the employer, paid through the gateway with the
platform fee on top, and paid to the student in full, exactly once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Notification
from payments import ledger
from payments import services as payments
from payments.gateways.base import PaymentIntentInfo
from payments.models import Bonus, LedgerEntry, Payment, Payout, Refund
from tests.factories import (
    CareerStaffFactory,
    EmployerFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    approved_engagement,
    employer_of,
)
from tests.helpers import run_after_commit
from tests.payment_helpers import connect, fund

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(settings):
    settings.PLATFORM_FEE_PERCENT = 10
    settings.BONUS_MIN_CENTS = 500
    settings.BONUS_MAX_CENTS = 50000
    engagement = accepted_engagement(
        project=ProjectFactory(hours=20, fee_cents=40000), funded=False
    )
    fund(engagement)
    connect(engagement.student)
    engagement = approved_engagement(engagement)
    assert engagement.status == "paid"
    return engagement


def offer_page(client, engagement, **data):
    client.force_login(employer_of(engagement.project))
    return client.post(reverse("payments:bonus", args=[engagement.pk]), data)


def pay_in_test_mode(client, payment_id):
    response = client.post(reverse("payments:test_complete", args=[payment_id]), {"outcome": "pay"})
    run_after_commit()
    return response


def test_the_employer_gives_a_bonus_and_the_student_is_paid_all_of_it(client, approved):
    response = offer_page(client, approved, amount="75", message="Great work on the survey!")
    payment = Payment.objects.get(kind=Payment.Kind.BONUS)
    assert response.status_code == 302
    assert response.url == reverse("payments:pay", args=[payment.pk])
    assert (payment.fee_cents, payment.platform_fee_cents, payment.amount_cents) == (
        7500,
        750,
        8250,
    )
    page = client.get(response.url)
    assert "Bonus for the student" in page.content.decode()
    assert "Great work on the survey!" in page.content.decode()

    response = pay_in_test_mode(client, payment.pk)
    assert response.status_code == 302
    bonus = Bonus.objects.get()
    assert bonus.status == Bonus.Status.FUNDED
    payout = Payout.objects.get(bonus=bonus)
    assert (payout.kind, payout.amount_cents, payout.status) == ("bonus", 7500, "paid")
    # The fee's payout is untouched: one fee payout, one bonus payout.
    assert approved.payouts.count() == 2
    entries = list(
        LedgerEntry.objects.filter(payment=payment)
        .order_by("id")
        .values_list("kind", "amount_cents")
    )
    assert entries == [("funding_received", 8250), ("platform_fee", -750)]
    assert LedgerEntry.objects.get(payout=payout).amount_cents == -7500
    assert ledger.balance(approved.pk) == 0
    approved.refresh_from_db()
    assert approved.status == "paid"
    note = Notification.objects.get(recipient=approved.student, kind="bonus.funded")
    assert "$75" in note.message

    client.force_login(approved.student)
    workspace = client.get(reverse("engagements:workspace", args=[approved.pk])).content.decode()
    assert "Great work on the survey!" in workspace and "$75.00" in workspace
    earnings = client.get(reverse("payments:earnings")).content.decode()
    assert "Bonus" in earnings


def test_a_bonus_waits_for_approval(client, settings):
    engagement = accepted_engagement()
    response = offer_page(client, engagement, amount="50", message="")
    assert response.status_code == 200
    assert "once the work is approved" in response.content.decode()
    assert not Bonus.objects.exists()


@pytest.mark.parametrize(
    "amount, message",
    [
        ("4.99", "A bonus is at least $5.00."),
        ("500.01", "at most $500.00: $500.00 is left."),
        ("abc", "Enter an amount in US dollars"),
        ("-5", "Enter an amount in US dollars"),
        ("12.345", "Use at most two decimals"),
        ("", "This field is required."),
    ],
)
def test_bad_amounts_are_refused_on_the_field(client, approved, amount, message):
    response = offer_page(client, approved, amount=amount, message="Thanks")
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors["amount"])
    assert not Bonus.objects.exists() and not Payment.objects.filter(kind="bonus").exists()


def test_the_cap_counts_every_bonus_on_the_engagement(client, approved):
    pay_in_test_mode(client, _offer_and_payment(client, approved, "300").pk)
    response = offer_page(client, approved, amount="250")
    assert "$200.00 is left" in " ".join(response.context["form"].errors["amount"])
    pay_in_test_mode(client, _offer_and_payment(client, approved, "200").pk)
    page = client.get(reverse("payments:bonus", args=[approved.pk])).content.decode()
    assert "already has the most bonus allowed" in page
    assert Payout.objects.filter(kind="bonus").count() == 2


def _offer_and_payment(client, engagement, amount):
    response = offer_page(client, engagement, amount=amount)
    assert response.status_code == 302, response.context["form"].errors
    return Payment.objects.filter(kind="bonus").latest("pk")


def test_one_bonus_waits_at_a_time_and_a_double_click_offers_it_once(client, approved):
    first = offer_page(client, approved, amount="40", message="Thanks")
    again = offer_page(client, approved, amount="40", message="Thanks")
    assert first.url == again.url
    assert Bonus.objects.count() == 1 and Payment.objects.filter(kind="bonus").count() == 1
    other = offer_page(client, approved, amount="60", message="")
    assert other.status_code == 200
    assert "waiting for your payment" in other.content.decode()


def test_a_withdrawn_bonus_paid_late_is_refunded_in_full(client, approved):
    payment = _offer_and_payment(client, approved, "40")
    bonus = Bonus.objects.get()
    response = client.post(reverse("payments:bonus_withdraw", args=[bonus.pk]))
    assert response.status_code == 302
    bonus.refresh_from_db()
    assert bonus.status == Bonus.Status.WITHDRAWN
    # The card payment was already under way at the provider and succeeds afterwards.
    payments.payment_apply(
        payment_id=payment.pk,
        info=PaymentIntentInfo(
            provider_id=payment.provider_id,
            status="succeeded",
            amount_cents=payment.amount_cents,
            charge_id="ch_late",
        ),
        via="webhook",
    )
    run_after_commit()
    payment.refresh_from_db()
    assert payment.unpayable_reason == "The bonus was withdrawn before it was paid."
    assert Refund.objects.get(payment=payment).amount_cents == 4400
    assert not Payout.objects.filter(kind="bonus").exists()
    assert ledger.balance(approved.pk) == 0


def test_a_student_who_closed_their_account_gets_no_bonus(client, approved):
    payment = _offer_and_payment(client, approved, "40")
    # The student closes their account (datarights.closing) while the card payment is on
    # its way: it arrives for nobody and is refunded in full.
    type(approved.student).objects.filter(pk=approved.student_id).update(is_active=False)
    pay_in_test_mode(client, payment.pk)
    payment.refresh_from_db()
    assert payment.unpayable_reason == (
        "The student closed their account before the bonus was paid."
    )
    assert Refund.objects.get(payment=payment).amount_cents == 4400
    assert not Payout.objects.filter(kind="bonus").exists()
    Bonus.objects.update(status=Bonus.Status.WITHDRAWN)
    response = offer_page(client, approved, amount="40")
    assert "closed their account" in response.content.decode()
    assert not Bonus.objects.filter(status="awaiting_payment").exists()


def test_a_failed_card_leaves_the_bonus_to_pay_again(client, approved):
    payment = _offer_and_payment(client, approved, "40")
    client.post(reverse("payments:test_complete", args=[payment.pk]), {"outcome": "decline"})
    bonus = Bonus.objects.get()
    assert bonus.status == Bonus.Status.AWAITING_PAYMENT
    response = client.post(reverse("payments:bonus_pay", args=[bonus.pk]))
    retry = Payment.objects.filter(kind="bonus").latest("pk")
    assert retry.pk != payment.pk and response.url == reverse("payments:pay", args=[retry.pk])
    pay_in_test_mode(client, retry.pk)
    assert Payout.objects.get(bonus=bonus).status == "paid"


def test_replayed_payment_and_payout_runs_pay_the_bonus_once(client, approved):
    payment = _offer_and_payment(client, approved, "40")
    pay_in_test_mode(client, payment.pk)
    payment.refresh_from_db()
    info = PaymentIntentInfo(
        provider_id=payment.provider_id,
        status="succeeded",
        amount_cents=payment.amount_cents,
        charge_id=payment.charge_id,
    )
    for _ in range(3):
        payments.payment_apply(payment_id=payment.pk, info=info, via="webhook")
    payout = Payout.objects.get(kind="bonus")
    for _ in range(3):
        payments.payout_execute(payout_id=payout.pk)
        payments.payout_apply(payout_id=payout.pk, provider_id=payout.provider_id)
    run_after_commit()
    assert Payout.objects.filter(kind="bonus").count() == 1
    assert LedgerEntry.objects.filter(payout=payout).count() == 1
    assert ledger.balance(approved.pk) == 0


def test_the_bonus_waits_for_the_students_payout_account(client, settings):
    settings.PLATFORM_FEE_PERCENT = 10
    engagement = approved_engagement(_funded())
    payment = _offer_and_payment(client, engagement, "40")
    pay_in_test_mode(client, payment.pk)
    payout = Payout.objects.get(kind="bonus")
    assert payout.status == Payout.Status.WAITING_FOR_ACCOUNT
    connect(engagement.student)
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID


def _funded():
    engagement = accepted_engagement(funded=False)
    fund(engagement)
    return engagement


def test_only_the_engagements_employer_gives_or_withdraws_a_bonus(client, approved):
    url = reverse("payments:bonus", args=[approved.pk])
    outsider = EmployerFactory().user
    staff = CareerStaffFactory(school=approved.school).user
    for user, expected in [
        (approved.student, 403),
        (staff, 403),
        (outsider, 404),
        (StudentFactory().user, 403),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == expected, user
        assert client.post(url, {"amount": "50"}).status_code == expected, user
    assert not Bonus.objects.exists()
    payment = _offer_and_payment(client, approved, "40")
    bonus = Bonus.objects.get()
    client.force_login(outsider)
    assert client.post(reverse("payments:bonus_withdraw", args=[bonus.pk])).status_code == 404
    assert client.post(reverse("payments:bonus_pay", args=[bonus.pk])).status_code == 404
    assert client.get(reverse("payments:pay", args=[payment.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        payments.bonus_offer(actor=outsider, engagement=approved, amount_cents=1000, message="")
    with pytest.raises(PermissionDenied):
        payments.bonus_withdraw(actor=outsider, bonus=bonus)
    bonus.refresh_from_db()
    assert bonus.status == Bonus.Status.AWAITING_PAYMENT


def test_a_paid_bonus_cannot_be_withdrawn(client, approved):
    pay_in_test_mode(client, _offer_and_payment(client, approved, "40").pk)
    bonus = Bonus.objects.get()
    with pytest.raises(ValidationError, match="goes to the student"):
        payments.bonus_withdraw(actor=employer_of(approved.project), bonus=bonus)


def test_the_workspace_shows_bonuses_in_a_bounded_number_of_queries(
    client, approved, django_assert_max_num_queries
):
    for amount in ("40", "30", "20"):
        pay_in_test_mode(client, _offer_and_payment(client, approved, amount).pk)
    client.force_login(approved.student)
    url = reverse("engagements:workspace", args=[approved.pk])
    client.get(url)
    with django_assert_max_num_queries(80) as queries:
        page = client.get(url).content.decode()
    few = len(queries)
    assert page.count("given on") == 3
    pay_in_test_mode(client, _offer_and_payment(client, approved, "10").pk)
    client.force_login(approved.student)
    with django_assert_max_num_queries(few) as queries:
        client.get(url)
