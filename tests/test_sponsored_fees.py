"""Sponsored fees: who is covered, what each side pays, and both ledgers balancing."""

import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Notification, Organization
from engagements import services as engagements
from payments import ledger
from payments import services as payments
from payments.gateways.base import PaymentIntentInfo
from payments.models import LedgerEntry, Payment, Refund, Sponsor, SponsorEntry
from payments.services import sponsors
from tests.factories import (
    AdminFactory,
    OrganizationFactory,
    SchoolFactory,
    employer_of,
)
from tests.payment_helpers import connect, fund
from tests.sponsor_helpers import (
    engagement_at,
    log_and_ask_to_cancel,
    make_sponsor,
    nonprofit,
)


def kinds(engagement):
    return [
        (e.kind, e.amount_cents)
        for e in LedgerEntry.objects.filter(engagement=engagement).order_by("id")
    ]


def start(engagement) -> Payment:
    return payments.engagement_fund(actor=employer_of(engagement.project), engagement=engagement)


def submit_and_approve(on_commit, engagement, quarters=8):
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=quarters,
        description="Did the work",
    )
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(note="Done", links=["https://example.com/w"], files=[]),
    )
    with on_commit():
        engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)
    engagement.refresh_from_db()


# --- Who is covered ----------------------------------------------------------------------------


def test_a_nonprofit_hiring_a_sponsored_school_s_student_pays_half_the_fee_plus_the_platform_fee(
    school,
):
    sponsor = make_sponsor(school, share_percent=50)
    engagement = engagement_at(school)

    payment = start(engagement)

    assert payment.sponsor == sponsor
    assert (payment.fee_cents, payment.platform_fee_cents) == (40000, 4000)
    assert payment.sponsored_cents == 20000
    assert payment.amount_cents == 24000  # half the fee plus the whole platform fee
    assert sponsors.available_cents(sponsor.pk) == 80000


def test_small_businesses_are_covered_only_when_the_sponsor_says_so(school, settings):
    small = OrganizationFactory(verified=True, industry="technology", size="1-10")
    make_sponsor(school, covers_nonprofits=True, covers_small_businesses=False)

    assert start(engagement_at(school, organization=small)).sponsored_cents == 0

    make_sponsor(school, name="Small Business Fund", covers_small_businesses=True)
    assert start(engagement_at(school, organization=small)).sponsored_cents == 20000

    settings.SPONSOR_SMALL_BUSINESS_SIZES = ["1-10"]
    mid = OrganizationFactory(verified=True, industry="technology", size="11-50")
    assert start(engagement_at(school, organization=mid)).sponsored_cents == 0


def test_a_named_organization_is_covered_whatever_its_kind_or_size(school):
    big = OrganizationFactory(verified=True, industry="finance", size="1000+")
    sponsor = make_sponsor(school, covers_nonprofits=False)
    assert start(engagement_at(school, organization=big)).sponsored_cents == 0

    sponsor.organizations.add(big)

    assert start(engagement_at(school, organization=big)).sponsor == sponsor


def test_an_organization_no_longer_verified_is_not_sponsored(school):
    make_sponsor(school)
    organization = nonprofit()
    engagement = engagement_at(school, organization=organization)
    Organization.objects.filter(pk=organization.pk).update(verification_status="rejected")

    payment = start(engagement)

    assert payment.sponsor is None and payment.sponsored_cents == 0
    assert payment.amount_cents == 44000


def test_a_student_of_another_school_is_not_sponsored(school):
    sponsor = make_sponsor(school)

    payment = start(engagement_at(SchoolFactory()))

    assert payment.sponsor is None
    assert sponsors.available_cents(sponsor.pk) == 100000


def test_an_inactive_sponsor_pays_nothing(school):
    sponsor = make_sponsor(school, is_active=False)

    assert start(engagement_at(school)).sponsor is None
    assert sponsors.available_cents(sponsor.pk) == 100000


def test_a_budget_short_of_the_whole_share_pays_nothing_and_its_managers_hear_of_it(school):
    sponsor = make_sponsor(school, budget_cents=15000)

    payment = start(engagement_at(school))

    assert payment.sponsor is None and payment.amount_cents == 44000
    assert sponsors.available_cents(sponsor.pk) == 15000
    told = Notification.objects.get(kind="sponsor.budget_short")
    assert told.recipient == sponsor.managers.get()


def test_the_next_eligible_sponsor_pays_when_the_first_one_s_budget_is_short(school):
    make_sponsor(school, name="First Fund", budget_cents=1000)
    second = make_sponsor(school, name="Second Fund", share_percent=25)

    payment = start(engagement_at(school))

    assert payment.sponsor == second and payment.sponsored_cents == 10000


def test_the_share_rounds_down_to_the_cent_and_stops_at_the_cap(school):
    make_sponsor(school, share_percent=33, max_share_cents=None, name="Third")
    payment = start(engagement_at(school, fee_cents=33333))
    assert payment.sponsored_cents == 10999  # 33% of $333.33 is $109.9989
    assert payment.amount_cents == 33333 + 3333 - 10999

    other = SchoolFactory()
    make_sponsor(other, share_percent=90, max_share_cents=5000)
    assert start(engagement_at(other)).sponsored_cents == 5000


def test_managers_hear_when_the_budget_left_cannot_pay_the_next_share(school):
    sponsor = make_sponsor(school, budget_cents=30000)

    start(engagement_at(school))

    low = Notification.objects.get(kind="sponsor.budget_low")
    assert low.recipient == sponsor.managers.get()
    assert "$100" in low.message


def test_the_database_refuses_an_amount_that_does_not_add_up(school):
    make_sponsor(school)
    payment = start(engagement_at(school))

    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(amount_cents=44000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(sponsored_cents=50000, amount_cents=-6000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(sponsor=None)


# --- The ledgers -------------------------------------------------------------------------------


def test_a_sponsored_engagement_balances_to_zero_once_the_student_is_paid(school, on_commit):
    sponsor = make_sponsor(school)
    engagement = engagement_at(school)
    fund(engagement)
    assert ledger.balance(engagement.pk) == 40000  # the whole fee is held
    connect(engagement.student)

    submit_and_approve(on_commit, engagement)

    engagement.refresh_from_db()
    assert engagement.status == "paid"
    assert kinds(engagement) == [
        ("funding_received", 24000),
        ("platform_fee", -4000),
        ("sponsor_share", 20000),
        ("payout", -40000),
    ]
    assert ledger.balance(engagement.pk) == 0
    assert list(
        SponsorEntry.objects.filter(sponsor=sponsor)
        .order_by("id")
        .values_list("kind", "amount_cents")
    ) == [("deposit", 100000), ("reserved", -20000)]


def test_a_declined_card_releases_the_reservation_and_the_next_try_reserves_again(school):
    sponsor = make_sponsor(school)
    engagement = engagement_at(school)
    employer = employer_of(engagement.project)
    payment = start(engagement)

    payments.local_payment_complete(actor=employer, payment=payment, succeed=False)

    assert sponsors.available_cents(sponsor.pk) == 100000
    assert not LedgerEntry.objects.filter(engagement=engagement).exists()
    again = start(engagement)
    assert again.pk != payment.pk and again.sponsored_cents == 20000
    assert sponsors.available_cents(sponsor.pk) == 80000


def test_cancelling_before_any_work_gives_the_sponsor_its_share_back(school, on_commit):
    sponsor = make_sponsor(school)
    engagement = engagement_at(school)
    fund(engagement)

    with on_commit():
        engagements.engagement_request_cancel(
            actor=engagement.student, engagement=engagement, reason="Family emergency"
        )

    refund = Refund.objects.get()
    assert refund.status == "succeeded" and refund.amount_cents == 24000  # what the employer paid
    assert ("sponsor_return", -20000) in kinds(engagement)
    assert ledger.balance(engagement.pk) == 0
    assert sponsors.available_cents(sponsor.pk) == 100000


def test_a_payment_cancelled_on_its_way_then_received_is_refunded_and_never_draws_on_the_sponsor(
    school, on_commit
):
    sponsor = make_sponsor(school)
    engagement = engagement_at(school)
    payment = start(engagement)
    with on_commit():
        engagements.engagement_request_cancel(
            actor=engagement.student, engagement=engagement, reason="Changed my mind"
        )
    assert sponsors.available_cents(sponsor.pk) == 100000

    with on_commit():
        payments.payment_apply(
            payment_id=payment.pk,
            info=PaymentIntentInfo(
                provider_id=payment.provider_id, status="succeeded", amount_cents=24000
            ),
        )

    payment.refresh_from_db()
    assert payment.unpayable_reason
    assert Refund.objects.get(payment=payment).amount_cents == 24000
    assert ledger.balance(engagement.pk) == 0
    assert sponsors.available_cents(sponsor.pk) == 100000  # released once, not twice


def test_a_dispute_split_gives_the_sponsor_its_part_of_what_is_refunded(school, on_commit):
    sponsor = make_sponsor(school)
    engagement = engagement_at(school)
    fund(engagement)
    connect(engagement.student)
    log_and_ask_to_cancel(engagement)

    with on_commit():
        payments.dispute_settle(
            actor=AdminFactory(), engagement=engagement, student_cents=10000, note="A quarter"
        )

    # $300 of the $400 fee is not paid out: the sponsor paid half the fee, so it gets $150.
    assert ("sponsor_return", -15000) in kinds(engagement)
    refund = Refund.objects.get(status="succeeded")
    # The employer gets the other $150 and the platform fee on the refunded part ($30).
    assert refund.amount_cents == 18000
    assert ledger.balance(engagement.pk) == 0
    assert sponsors.available_cents(sponsor.pk) == 100000 - 20000 + 15000


def test_the_sponsor_ledger_cannot_be_rewritten(school):
    sponsor = make_sponsor(school)
    entry = SponsorEntry.objects.filter(sponsor=sponsor).first()

    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 (IntegrityError or DB error)
        SponsorEntry.objects.filter(pk=entry.pk).update(amount_cents=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SponsorEntry.objects.create(
            sponsor=sponsor, kind="deposit", amount_cents=-5, key="bad", description="x"
        )


# --- Deposits on the local gateway ---------------------------------------------------------------


def test_a_manager_adds_funds_in_test_mode_and_gets_a_receipt(client, school, on_commit):
    sponsor = make_sponsor(school, budget_cents=0)
    manager = sponsor.managers.get()
    client.force_login(manager)

    response = client.post(
        reverse("payments:sponsor_deposit", args=[sponsor.pk]), {"amount": "1,500"}
    )

    deposit = sponsor.deposits.get()
    assert response.url == reverse("payments:sponsor_deposit_pay", args=[deposit.pk])
    page = client.get(response.url).content.decode()
    assert "Pay $1,500.00 (test mode)" in page
    with on_commit():
        paid = client.post(
            reverse("payments:sponsor_deposit_test_complete", args=[deposit.pk]),
            {"outcome": "pay"},
        )
    assert paid.url == reverse("payments:sponsor_deposit_receipt", args=[deposit.pk])
    receipt = client.get(paid.url).content.decode()
    assert deposit.receipt_number in receipt and deposit.receipt_number.startswith("SP-")
    assert "$1,500.00" in receipt
    assert sponsors.available_cents(sponsor.pk) == 150000
    pdf = client.get(reverse("payments:sponsor_deposit_receipt_pdf", args=[deposit.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert f"{deposit.receipt_number}.pdf" in pdf["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert deposit.receipt_number in text and "$1,500.00" in text and sponsor.name in text
    assert Notification.objects.filter(kind="sponsor.deposit_succeeded", recipient=manager).exists()
    budget = client.get(reverse("payments:sponsor", args=[sponsor.pk])).content.decode()
    assert "$1,500.00" in budget


def test_a_declined_deposit_adds_nothing(client, school):
    sponsor = make_sponsor(school, budget_cents=0)
    client.force_login(sponsor.managers.get())
    client.post(reverse("payments:sponsor_deposit", args=[sponsor.pk]), {"amount": "200"})
    deposit = sponsor.deposits.get()

    client.post(
        reverse("payments:sponsor_deposit_test_complete", args=[deposit.pk]),
        {"outcome": "decline"},
    )

    deposit.refresh_from_db()
    assert deposit.status == "failed"
    assert sponsors.available_cents(sponsor.pk) == 0
    assert (
        client.get(reverse("payments:sponsor_deposit_receipt", args=[deposit.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ("", "This field is required."),
        ("abc", "Enter an amount in US dollars"),
        ("0.50", "Enter at least $1"),
        ("10.999", "Use at most two decimals"),
    ],
)
def test_a_bad_amount_is_refused_on_the_form_and_starts_nothing(client, school, amount, error):
    sponsor = make_sponsor(school, budget_cents=0)
    client.force_login(sponsor.managers.get())

    response = client.post(
        reverse("payments:sponsor_deposit", args=[sponsor.pk]), {"amount": amount}
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not sponsor.deposits.exists()


# --- Pages -------------------------------------------------------------------------------------


def test_the_employer_sees_what_the_sponsor_pays_on_the_payment_page_and_the_receipt(
    client, school
):
    make_sponsor(school, name="Northbridge Access Fund")
    engagement = engagement_at(school)
    client.force_login(employer_of(engagement.project))

    response = client.post(reverse("payments:start_funding", args=[engagement.pk]))
    page = client.get(response.url).content.decode()

    expected = (
        "Sponsored by Northbridge Access Fund: Northbridge Access Fund pays $200.00 of the fee; "
        "you pay $240.00 (platform fee included)."
    )
    assert expected in page
    assert "Pay $240.00 (test mode)" in page
    payment = Payment.objects.get(engagement=engagement)
    client.post(reverse("payments:test_complete", args=[payment.pk]), {"outcome": "pay"})
    receipt = client.get(reverse("payments:receipt", args=[payment.pk])).content.decode()
    assert expected in receipt


def test_a_manager_changes_who_is_covered(client, school):
    sponsor = make_sponsor(school)
    named = OrganizationFactory(verified=True, name="Harbor Books")
    client.force_login(sponsor.managers.get())
    url = reverse("payments:sponsor_rules", args=[sponsor.pk])

    response = client.post(
        url,
        {
            "share_percent": "75",
            "covers_small_businesses": "on",
            "max_share_cents": "250",
            "organizations": [named.pk],
        },
    )

    assert response.status_code == 302
    sponsor.refresh_from_db()
    assert sponsor.share_percent == 75
    assert (sponsor.covers_nonprofits, sponsor.covers_small_businesses) == (False, True)
    assert sponsor.max_share_cents == 25000
    assert list(sponsor.organizations.all()) == [named]


@pytest.mark.parametrize("share", ["0", "101", "half", ""])
def test_a_bad_share_is_refused_on_the_form_and_changes_nothing(client, school, share):
    sponsor = make_sponsor(school)
    client.force_login(sponsor.managers.get())

    response = client.post(
        reverse("payments:sponsor_rules", args=[sponsor.pk]),
        {"share_percent": share, "covers_nonprofits": "on"},
    )

    assert response.status_code == 200
    assert 'id="error_1_id_share_percent"' in response.content.decode()
    sponsor.refresh_from_db()
    assert sponsor.share_percent == 50


def test_the_report_lists_each_sponsored_engagement_with_totals_and_as_csv(client, school):
    sponsor = make_sponsor(school, name="Access Fund")
    first = engagement_at(school)
    fund(first)
    second = engagement_at(school, fee_cents=30000)
    fund(second)
    client.force_login(sponsor.managers.get())

    page = client.get(reverse("payments:sponsor_report", args=[sponsor.pk])).content.decode()
    csv = client.get(reverse("payments:sponsor_report_csv", args=[sponsor.pk])).content.decode()

    for engagement in (first, second):
        assert engagement.project.title in page and engagement.project.title in csv
        assert engagement.organization.name in page
    assert school.name in page
    assert "2 payments" in page
    assert "$350.00" in page  # shares of $200 and $150
    lines = csv.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Date,Project,Organization,Student's school,Fee (USD)")
    assert (
        f"{second.project.title},{second.organization.name},{school.name},300.00,150.00,0.00"
        in (lines[1])
    )


def test_the_report_runs_the_same_number_of_queries_for_few_or_many_rows(
    client, school, django_assert_max_num_queries
):
    sponsor = make_sponsor(school, budget_cents=1000000)
    fund(engagement_at(school))
    client.force_login(sponsor.managers.get())
    url = reverse("payments:sponsor_report", args=[sponsor.pk])
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(4):
        fund(engagement_at(school))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert response.context["totals"]["count"] == 5


def test_the_budget_page_shows_available_reserved_and_spent(client, school):
    sponsor = make_sponsor(school)
    fund(engagement_at(school))  # $200 spent
    start(engagement_at(school))  # $200 reserved
    client.force_login(sponsor.managers.get())

    response = client.get(reverse("payments:sponsor", args=[sponsor.pk]))

    assert response.context["budget"] == {
        "available_cents": 60000,
        "deposited_cents": 100000,
        "reserved_cents": 20000,
        "spent_cents": 20000,
    }


def manager_pages(sponsor, deposit):
    return [
        reverse("payments:sponsor", args=[sponsor.pk]),
        reverse("payments:sponsor_deposit", args=[sponsor.pk]),
        reverse("payments:sponsor_rules", args=[sponsor.pk]),
        reverse("payments:sponsor_report", args=[sponsor.pk]),
        reverse("payments:sponsor_report_csv", args=[sponsor.pk]),
        reverse("payments:sponsor_deposit_receipt", args=[deposit.pk]),
        reverse("payments:sponsor_deposit_receipt_pdf", args=[deposit.pk]),
    ]


def test_only_the_sponsor_s_managers_open_its_pages(client, school, employer, student):
    sponsor = make_sponsor(school)
    deposit = sponsor.deposits.get()
    other_staff = make_sponsor(SchoolFactory()).managers.get()  # manages another sponsor
    same_school_staff = make_sponsor(school, name="Other fund").managers.get()

    client.force_login(sponsor.managers.get())
    for url in manager_pages(sponsor, deposit):
        assert client.get(url).status_code == 200, url
    for user, status in (
        (other_staff, 404),
        (same_school_staff, 404),
        (AdminFactory(), 404),
        (employer, 403),
        (student, 403),
    ):
        client.force_login(user)
        for url in manager_pages(sponsor, deposit):
            assert client.get(url).status_code == status, (user, url)
        assert (
            client.post(
                reverse("payments:sponsor_deposit_test_complete", args=[deposit.pk]),
                {"outcome": "pay"},
            ).status_code
            == status
        )
    client.logout()
    assert client.get(reverse("payments:sponsor", args=[sponsor.pk])).status_code == 302


def test_a_manager_of_one_sponsor_is_sent_straight_to_its_budget(client, school, career_staff):
    sponsor = make_sponsor(school)
    client.force_login(sponsor.managers.get())
    assert client.get(reverse("payments:sponsors")).url == reverse(
        "payments:sponsor", args=[sponsor.pk]
    )
    client.force_login(career_staff)
    page = client.get(reverse("payments:sponsors")).content.decode()
    assert "You manage no sponsor yet" in page


def test_an_extension_is_sponsored_too_and_the_engagement_still_balances(school, on_commit):
    sponsor = make_sponsor(school)
    engagement = engagement_at(school, fee_cents=20000, hours=10)
    fund(engagement)
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
    assert (payment.sponsored_cents, payment.amount_cents) == (2000, 4000 + 400 - 2000)
    payments.local_payment_complete(actor=employer, payment=payment, succeed=True)
    engagement.refresh_from_db()

    submit_and_approve(on_commit, engagement, quarters=44)

    assert ledger.balance(engagement.pk) == 0
    assert sponsors.available_cents(sponsor.pk) == 100000 - 10000 - 2000


def test_the_employer_s_workspace_asks_for_what_they_pay_after_the_sponsor_s_share(client, school):
    make_sponsor(school)
    engagement = engagement_at(school)
    client.force_login(employer_of(engagement.project))

    page = client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()

    assert "Pay $240.00" in page
    assert f"A sponsor of {engagement.student.first_name}'s school pays $200.00 of the fee." in page


def test_a_platform_admin_sets_up_a_sponsor_in_the_admin(client, school, career_staff, employer):
    admin = AdminFactory()
    client.force_login(admin)
    url = reverse("admin:payments_sponsor_add")

    form = client.get(url)
    managers = form.context["adminform"].form.fields["managers"].queryset
    assert career_staff in managers and employer not in managers

    response = client.post(
        url,
        {
            "name": "Alumni Fund",
            "schools": [school.pk],
            "share_percent": "40",
            "covers_nonprofits": "on",
            "is_active": "on",
            "managers": [career_staff.pk],
        },
    )

    assert response.status_code == 302
    sponsor = Sponsor.objects.get(name="Alumni Fund")
    assert list(sponsor.managers.all()) == [career_staff]
    client.force_login(career_staff)
    assert client.get(reverse("payments:sponsor", args=[sponsor.pk])).status_code == 200
    assert client.get(reverse("admin:payments_sponsor_changelist")).status_code == 403


def test_syncing_a_test_mode_deposit_again_changes_nothing(school):
    sponsor = make_sponsor(school)
    deposit = sponsor.deposits.get()

    for _ in range(2):
        sponsors.deposit_sync(deposit=deposit)

    assert sponsor.entries.filter(kind="deposit").count() == 1
    assert sponsors.available_cents(sponsor.pk) == 100000


def test_a_bonus_is_the_employer_s_alone_and_the_engagement_still_balances(
    school, on_commit, settings
):
    settings.BONUS_MAX_CENTS = 50000
    sponsor = make_sponsor(school)
    engagement = engagement_at(school)
    fund(engagement)
    connect(engagement.student)
    submit_and_approve(on_commit, engagement)
    employer = employer_of(engagement.project)

    bonus = payments.bonus_offer(
        actor=employer, engagement=engagement, amount_cents=5000, message="Thank you"
    )
    payment = payments.payment_start(actor=employer, engagement=engagement, bonus=bonus)
    with on_commit():
        payments.local_payment_complete(actor=employer, payment=payment, succeed=True)

    assert (payment.sponsor, payment.sponsored_cents, payment.amount_cents) == (None, 0, 5500)
    assert ledger.balance(engagement.pk) == 0
    assert sponsors.available_cents(sponsor.pk) == 80000
