"""Payouts and tax on the local (test-mode) gateway: the tracker's timeline and expected
arrival, the tax form in test-mode onboarding, yearly statements (PDF and CSV) and the
platform's information-return report."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse

from payments.models import Payout, PayoutAccount, PayoutEvent
from payments.services import tracker
from payments.statements import threshold_report, yearly_statement
from tests.factories import OrganizationFactory, ProjectFactory, approved_engagement
from tests.payment_helpers import connect, funded_engagement

pytestmark = pytest.mark.django_db


def paid_for(student, *, fee_cents=40000, organization=None, hours=20):
    """One engagement for `student`, funded, done and approved: the payout goes out."""
    project = ProjectFactory(
        hours=hours,
        fee_cents=fee_cents,
        **({"organization": organization} if organization else {}),
    )
    engagement = funded_engagement(project=project, student=student)
    approved_engagement(engagement)
    return Payout.objects.get(engagement=engagement)


def steps(payout):
    return list(payout.events.order_by("at", "id").values_list("step", flat=True))


# --- Expected arrival -------------------------------------------------------------------------


def account(**fields):
    return PayoutAccount(**{"payout_delay_days": 2, "payout_interval": "daily", **fields})


@pytest.mark.parametrize(
    ("sent", "fields", "expected"),
    [
        # Daily, 2 business days: a Thursday transfer lands on Monday, a Friday one on Tuesday.
        ("2026-03-05T15:00", {}, date(2026, 3, 9)),
        ("2026-03-06T15:00", {}, date(2026, 3, 10)),
        # Made on a Saturday: the business days count from Monday.
        ("2026-03-07T15:00", {}, date(2026, 3, 10)),
        # Stripe's days are UTC days: Thursday 23:30 UTC is Thursday, 00:30 is Friday.
        ("2026-03-05T23:30", {}, date(2026, 3, 9)),
        ("2026-03-06T00:30", {}, date(2026, 3, 10)),
        # Weekly on Fridays, 2 days' delay: Monday's transfer waits for Friday.
        ("2026-03-02T12:00", {"payout_interval": "weekly", "payout_anchor": 4}, date(2026, 3, 6)),
        # Monthly on the 31st: February's last day instead, the 28th, a Saturday: Monday.
        ("2026-02-10T12:00", {"payout_interval": "monthly", "payout_anchor": 31}, date(2026, 3, 2)),
        # Monthly on the 15th, past this month's: next month's.
        (
            "2026-04-14T12:00",
            {"payout_interval": "monthly", "payout_anchor": 15},
            date(2026, 5, 15),
        ),
        # Bank holidays: sent the day before Thanksgiving, held two bank days (Friday and
        # Monday); a Friday transfer before Memorial Day lands on Wednesday.
        ("2026-11-25T12:00", {}, date(2026, 11, 30)),
        ("2026-05-22T12:00", {}, date(2026, 5, 27)),
        # Monthly on the 25th: Christmas Day, so the next bank day.
        (
            "2026-12-10T12:00",
            {"payout_interval": "monthly", "payout_anchor": 25},
            date(2026, 12, 28),
        ),
        # Manual payouts: no date to promise.
        ("2026-03-05T15:00", {"payout_interval": "manual"}, None),
    ],
)
def test_the_expected_arrival_follows_the_schedule_and_skips_weekends_and_bank_holidays(
    sent, fields, expected
):
    moment = datetime.fromisoformat(sent).replace(tzinfo=UTC)
    assert tracker.expected_arrival(moment, account(**fields)) == expected


# --- The timeline in test mode ------------------------------------------------------------------


def test_in_test_mode_a_payout_walks_the_same_timeline_and_the_student_plays_the_bank(
    client, student
):
    connect(student)
    with time_machine.travel(datetime(2026, 3, 6, 15, 0, tzinfo=UTC), tick=False):  # Friday
        payout = paid_for(student)

    assert (payout.status, payout.delivery) == ("paid", "in_transit")
    assert payout.expected_arrival == date(2026, 3, 10)
    assert steps(payout) == ["approved", "sent", "in_transit"]
    client.force_login(student)
    page = client.get(reverse("payments:earnings")).content.decode()
    assert "Expected in your bank by Tue, Mar 10, 2026" in page
    assert "Arrive in the bank (test mode)" in page

    response = client.post(
        reverse("payments:test_bank_outcome", args=[payout.pk]), {"outcome": "arrived"}
    )

    assert response.url == reverse("payments:earnings") + f"#payout-{payout.pk}"
    payout.refresh_from_db()
    assert payout.delivery == "paid" and payout.arrived_at is not None
    assert steps(payout) == ["approved", "sent", "in_transit", "paid"]
    # Pressed again: nothing more happens.
    client.post(reverse("payments:test_bank_outcome", args=[payout.pk]), {"outcome": "returned"})
    payout.refresh_from_db()
    assert payout.delivery == "paid"


def test_in_test_mode_the_bank_can_return_a_payout_with_the_reason_shown(client, student):
    connect(student)
    payout = paid_for(student)
    client.force_login(student)

    client.post(reverse("payments:test_bank_outcome", args=[payout.pk]), {"outcome": "returned"})

    payout.refresh_from_db()
    assert (payout.delivery, payout.failure_code) == ("failed", "account_closed")
    page = client.get(reverse("payments:earnings")).content.decode()
    assert "Your bank returned this payout." in page
    assert "The bank account is closed. Add a bank account that is open." in page
    # In test mode, "update your bank details" is the test-mode account page.
    assert client.post(reverse("payments:bank_details")).url == reverse("payments:test_onboarding")


def test_nobody_else_moves_a_students_payout(client, student, other_student, employer):
    connect(student)
    payout = paid_for(student)
    connect(other_student)

    client.force_login(other_student)
    response = client.post(
        reverse("payments:test_bank_outcome", args=[payout.pk]), {"outcome": "arrived"}
    )
    assert response.status_code == 404
    client.force_login(employer)
    response = client.post(
        reverse("payments:test_bank_outcome", args=[payout.pk]), {"outcome": "arrived"}
    )
    assert response.status_code == 403
    payout.refresh_from_db()
    assert payout.delivery == "in_transit"


def test_the_timeline_is_append_only(student):
    connect(student)
    payout = paid_for(student)
    event = payout.events.first()

    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        PayoutEvent.objects.filter(pk=event.pk).update(detail="Rewritten")
    with pytest.raises(IntegrityError), transaction.atomic():
        PayoutEvent.objects.create(payout=payout, step="sent", key=event.key)


def test_a_payout_cannot_be_delivered_before_its_transfer(student):
    connect(student)
    payout = paid_for(student)

    with pytest.raises(IntegrityError), transaction.atomic():
        Payout.objects.filter(pk=payout.pk).update(status="pending")


# --- Tax information in test mode ---------------------------------------------------------------


def test_test_mode_onboarding_asks_which_tax_form_and_refuses_none(client, student):
    client.force_login(student)
    client.post(reverse("payments:connect"))

    response = client.post(reverse("payments:test_onboarding"), {})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    account = PayoutAccount.objects.get(user=student)
    assert not account.is_ready and not account.tax_info_provided

    response = client.post(reverse("payments:test_onboarding"), {"tax_form": "w8ben"})

    assert response.url == reverse("payments:connect_return")
    account.refresh_from_db()
    assert account.is_ready and (account.tax_form, account.tax_info_provided) == ("w8ben", True)
    page = client.get(reverse("payments:earnings")).content.decode()
    assert "W-8BEN (not a US person)" in page


def test_an_account_cannot_claim_tax_information_without_a_form(student):
    connect(student)

    with pytest.raises(IntegrityError), transaction.atomic():
        PayoutAccount.objects.filter(user=student).update(tax_form="")


def test_with_tax_information_not_required_payouts_go_out_without_it(settings, student):
    settings.PAYOUTS_REQUIRE_TAX_INFO = False
    connect(student)
    PayoutAccount.objects.filter(user=student).update(tax_info_provided=False)

    payout = paid_for(student)

    assert payout.status == "paid"


# --- Yearly statements ----------------------------------------------------------------------


def paid_at(student, moment, **kwargs):
    with time_machine.travel(moment, tick=False):
        return paid_for(student, **kwargs)


@pytest.fixture
def year_of_work(student):
    """Payouts around New Year in New York (UTC−5): two organizations, three years."""
    student.time_zone = "America/New_York"
    student.save(update_fields=["time_zone"])
    connect(student)
    north = OrganizationFactory(verified=True, name="Northwind Labs")
    acme = OrganizationFactory(verified=True, name="Acme Research")
    # Dec 31, 2025 at 10 p.m. in New York (already 2026 in UTC): 2025.
    paid_at(student, datetime(2026, 1, 1, 3, 0, tzinfo=UTC), organization=north, fee_cents=30000)
    # Jan 1, 2026 at 0:30 a.m. in New York: 2026.
    paid_at(student, datetime(2026, 1, 1, 5, 30, tzinfo=UTC), organization=north, fee_cents=40050)
    paid_at(
        student,
        datetime(2026, 6, 1, 12, 0, tzinfo=UTC),
        organization=acme,
        fee_cents=25025,
        hours=10,
    )
    # Dec 31, 2026 at 11:30 p.m. in New York (2027 in UTC): 2026.
    paid_at(student, datetime(2027, 1, 1, 4, 30, tzinfo=UTC), organization=north, fee_cents=50000)
    # A reversed transfer is not a payment.
    reversed_ = paid_at(
        student, datetime(2026, 7, 1, 12, 0, tzinfo=UTC), organization=acme, fee_cents=60000
    )
    Payout.objects.filter(pk=reversed_.pk).update(status="reversed")
    return student


def test_a_statement_sums_each_payers_payments_in_the_students_calendar_year(year_of_work):
    statement = yearly_statement(year_of_work, 2026)

    assert [(p.payer, p.payments, p.gross_cents) for p in statement.payers] == [
        ("Acme Research", 1, 25025),
        ("Northwind Labs", 2, 90050),
    ]
    assert statement.gross_cents == 115075
    earlier = yearly_statement(year_of_work, 2025)
    assert [(p.payer, p.gross_cents) for p in earlier.payers] == [("Northwind Labs", 30000)]
    assert yearly_statement(year_of_work, 2027).payers == []


def test_the_earnings_page_offers_each_years_statement_as_csv_and_pdf(client, year_of_work):
    client.force_login(year_of_work)

    page = client.get(reverse("payments:earnings")).content.decode()

    assert reverse("payments:statement", args=["2026", "pdf"]) in page
    assert reverse("payments:statement", args=["2025", "csv"]) in page
    assert reverse("payments:statement", args=["2027", "csv"]) not in page

    response = client.get(reverse("payments:statement", args=["2026", "csv"]))

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="earnings-statement-2026.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Payer", "Payments", "Gross amount (USD)"],
        ["Acme Research", "1", "250.25"],
        ["Northwind Labs", "2", "900.50"],
        ["Total", "3", "1150.75"],
    ]


def test_the_pdf_statement_names_the_platform_the_student_and_the_amounts(
    client, settings, year_of_work
):
    from pypdf import PdfReader

    settings.PLATFORM_LEGAL_NAME = "Micro-internships Inc."
    settings.PLATFORM_ADDRESS = "100 Main Street, Springfield, IL 62701"
    client.force_login(year_of_work)

    response = client.get(reverse("payments:statement", args=["2026", "pdf"]))

    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "Micro-internships Inc.",
        "100 Main Street, Springfield, IL 62701",
        "Earnings statement 2026",
        year_of_work.email,
        "Northwind Labs",
        "$900.50",
        "$1,150.75",
        "America/New_York",
    ):
        assert expected in text, expected


def test_a_statement_of_a_bad_year_or_format_is_not_found(client, student):
    client.force_login(student)
    assert client.get("/payments/earnings/statements/1999.csv").status_code == 404
    assert client.get("/payments/earnings/statements/2026.xls").status_code == 404
    assert client.get("/payments/earnings/statements/20x6.csv").status_code == 404


def test_a_student_downloads_only_their_own_statement(client, year_of_work, other_student):
    client.force_login(other_student)

    response = client.get(reverse("payments:statement", args=["2026", "csv"]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["Payer", "Payments", "Gross amount (USD)"], ["Total", "0", "0.00"]]


@pytest.mark.parametrize("who", ["employer", "career_staff", "platform_admin"])
def test_only_students_open_statements(client, request, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("payments:statement", args=["2026", "csv"]))

    assert response.status_code == 403


# --- The information-return report ---------------------------------------------------------


@pytest.fixture
def near_threshold(settings, student, other_student):
    """One student paid $1,999.99 in 2026, the other exactly $2,000.00."""
    settings.TAX_REPORT_THRESHOLD_CENTS = 200000
    for who, cents in ((student, 199999), (other_student, 200000)):
        connect(who)
        first = cents // 2
        paid_at(who, datetime(2026, 3, 2, 12, 0, tzinfo=UTC), fee_cents=first, hours=40)
        paid_at(who, datetime(2026, 9, 1, 12, 0, tzinfo=UTC), fee_cents=cents - first, hours=40)
    PayoutAccount.objects.filter(user=student).update(tax_form="w9")
    PayoutAccount.objects.filter(user=other_student).update(tax_form="w8ben")
    return student, other_student


def test_the_report_lists_students_from_the_threshold_up(near_threshold):
    below, at_threshold = near_threshold

    report = threshold_report(2026)

    assert [(r.student, r.gross_cents, r.payments) for r in report] == [(at_threshold, 200000, 2)]
    assert (report[0].tax_form_label, report[0].tax_info_provided) == (
        "W-8BEN (not a US person)",
        True,
    )
    assert threshold_report(2026, threshold_cents=199999)[1].student == below
    assert threshold_report(2025) == []


def test_platform_admins_read_the_report_and_download_it(client, platform_admin, near_threshold):
    _, at_threshold = near_threshold
    client.force_login(platform_admin)
    url = reverse("admin:payments_tax_report")

    page = client.get(url, {"year": "2026"}).content.decode()

    assert at_threshold.email in page and "$2,000.00" in page
    assert near_threshold[0].email not in page
    assert url in client.get(reverse("admin:index")).content.decode()
    response = client.get(url, {"year": "2026", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Student", "Email", "Payments", "Gross amount (USD)"]
    assert rows[1][1:] == [at_threshold.email, "2", "2000.00", "W-8BEN (not a US person)", "yes"]
    assert len(rows) == 2


def test_the_report_refuses_a_year_that_is_not_one(client, platform_admin):
    client.force_login(platform_admin)

    response = client.get(reverse("admin:payments_tax_report"), {"year": "next"})

    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()


@pytest.mark.parametrize("who", ["student", "employer", "career_staff"])
def test_only_platform_admins_open_the_report(client, request, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("admin:payments_tax_report"), {"year": "2026"})

    assert response.status_code in (302, 403)
    assert b"Gross amount" not in response.content


# --- Query counts ---------------------------------------------------------------------------


def test_the_earnings_page_runs_a_bounded_number_of_queries(
    client, student, django_assert_max_num_queries
):
    connect(student)
    for _ in range(4):
        paid_for(student)
    client.force_login(student)

    with django_assert_max_num_queries(25):
        page = client.get(reverse("payments:earnings")).content.decode()

    assert page.count('class="border rounded p-3 mb-3"') == 4
    assert page.count("In transit to your bank") == 4


def test_the_report_runs_a_bounded_number_of_queries(
    client, platform_admin, settings, django_assert_max_num_queries
):
    from tests.factories import StudentFactory

    settings.TAX_REPORT_THRESHOLD_CENTS = 1000
    students = [StudentFactory().user for _ in range(4)]
    for who in students:
        connect(who)
        paid_at(who, datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    client.force_login(platform_admin)

    with django_assert_max_num_queries(20):
        page = client.get(reverse("admin:payments_tax_report"), {"year": "2026"}).content.decode()

    assert all(who.email in page for who in students)
