"""Yearly earnings statements for students, and the platform's information-return report.

A year's gross payments are the payouts whose transfer was made (`Payout.paid_at`) in that
calendar year and that stand (a reversed transfer is not a payment), grouped by the
organization whose project it was. The year is the student's calendar year in their own time
zone, the one every date on their pages is shown in: a payout sent at 11 p.m. on December 31
in New York belongs to that year even though it is already January 1 in UTC. The platform's
report uses the same rule for each student, so a student's statement and the report agree.
Amounts are integer cents, summed from the rows, never from floats.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from marketplace.money import dollars
from marketplace.pdf import Document, pdf_bytes
from marketplace.timezones import zone_of
from payments.models import Payout, PayoutAccount, TaxForm


@dataclass(frozen=True)
class PayerTotal:
    payer: str
    payments: int
    gross_cents: int


@dataclass(frozen=True)
class Statement:
    student: User
    year: int
    zone: str
    payers: list[PayerTotal]

    @property
    def gross_cents(self) -> int:
        return sum(p.gross_cents for p in self.payers)

    @property
    def payments(self) -> int:
        return sum(p.payments for p in self.payers)


def _counted():
    return Payout.objects.filter(status=Payout.Status.PAID, paid_at__isnull=False)


def _year_of(moment: datetime, user) -> int:
    return moment.astimezone(zone_of(user)).year


def _around_year(year: int):
    """UTC bounds wide enough for the year in every time zone (±14 hours)."""
    start = datetime(year, 1, 1, tzinfo=UTC) - timedelta(days=1)
    return start, datetime(year + 1, 1, 1, tzinfo=UTC) + timedelta(days=1)


def statement_years(student: User) -> list[int]:
    """The years the student was paid in, newest first."""
    moments = _counted().filter(student=student).values_list("paid_at", flat=True)
    return sorted({_year_of(m, student) for m in moments}, reverse=True)


def yearly_statement(student: User, year: int) -> Statement:
    start, end = _around_year(year)
    rows = (
        _counted()
        .filter(student=student, paid_at__gte=start, paid_at__lt=end)
        .values_list("paid_at", "amount_cents", "engagement__organization__name")
    )
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for paid_at, cents, payer in rows:
        if _year_of(paid_at, student) == year:
            totals[payer][0] += 1
            totals[payer][1] += cents
    payers = [
        PayerTotal(payer=name, payments=count, gross_cents=cents)
        for name, (count, cents) in sorted(totals.items(), key=lambda item: item[0].lower())
    ]
    return Statement(student=student, year=year, zone=str(zone_of(student)), payers=payers)


def _cents_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def statement_rows(statement: Statement) -> list[list]:
    rows = [[p.payer, p.payments, _cents_text(p.gross_cents)] for p in statement.payers]
    rows.append(["Total", statement.payments, _cents_text(statement.gross_cents)])
    return rows


STATEMENT_HEADER = ["Payer", "Payments", "Gross amount (USD)"]


def statement_pdf(statement: Statement) -> bytes:
    student = statement.student
    pdf = Document(orientation="P", unit="mm", format="letter")
    title = f"Earnings statement {statement.year}"
    pdf.set_title(pdf.ready(f"{title}: {student.get_full_name() or student.email}"))
    pdf.set_author(pdf.ready(settings.PLATFORM_LEGAL_NAME))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    grey = (90, 98, 105)
    pdf.write_line(settings.PLATFORM_LEGAL_NAME, size=12, style="B")
    if settings.PLATFORM_ADDRESS:
        pdf.write_line(settings.PLATFORM_ADDRESS, size=9, color=grey)
    pdf.ln(4)
    pdf.write_line(title, size=16, style="B", color=(13, 110, 253), height=8)
    pdf.write_line(f"Paid to {student.get_full_name() or student.email} ({student.email})", size=11)
    pdf.write_line(
        f"Payments made from January 1 to December 31, {statement.year} ({statement.zone} "
        f"time). Prepared {timezone.localdate():%B %-d, %Y}.",
        size=9,
        color=grey,
    )
    pdf.ln(3)
    widths = (100, 25, 51)
    pdf.set_font("NotoSans", style="B", size=10)
    for text, width, align in zip(STATEMENT_HEADER, widths, "LRR", strict=True):
        pdf.cell(width, 7, text, border="B", align=align)
    pdf.ln(7)
    for payer in statement.payers:
        pdf.set_font("NotoSans", size=10)
        pdf.cell(widths[0], 7, pdf.ready(payer.payer))
        pdf.cell(widths[1], 7, str(payer.payments), align="R")
        pdf.cell(widths[2], 7, dollars(payer.gross_cents), align="R")
        pdf.ln(7)
    pdf.set_font("NotoSans", style="B", size=10)
    pdf.cell(widths[0], 8, "Total", border="T")
    pdf.cell(widths[1], 8, str(statement.payments), border="T", align="R")
    pdf.cell(widths[2], 8, dollars(statement.gross_cents), border="T", align="R")
    pdf.ln(12)
    if not statement.payers:
        pdf.write_line(f"No payments in {statement.year}.", size=10)
    pdf.write_line(
        "Gross amounts: the whole fee each organization paid for your work, before any tax. "
        "Transfers that were reversed are not included. Keep this statement with your tax "
        "records; it is not a tax form.",
        size=8,
        color=grey,
    )
    return pdf_bytes(pdf)


# --- The platform's information-return report ----------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    student: User
    payments: int
    gross_cents: int
    tax_form: str
    tax_info_provided: bool

    @property
    def tax_form_label(self) -> str:
        return TaxForm(self.tax_form).label if self.tax_form else "Not known yet"


def threshold_report(year: int, threshold_cents: int | None = None) -> list[ReportRow]:
    """Students whose gross payments in `year` reach the threshold, largest first. Three
    queries whatever the number of students."""
    if threshold_cents is None:
        threshold_cents = settings.TAX_REPORT_THRESHOLD_CENTS
    start, end = _around_year(year)
    moments: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for student_id, paid_at, cents in (
        _counted()
        .filter(paid_at__gte=start, paid_at__lt=end)
        .values_list("student_id", "paid_at", "amount_cents")
    ):
        moments[student_id].append((paid_at, cents))
    users = User.objects.in_bulk(list(moments))
    accounts = {a.user_id: a for a in PayoutAccount.objects.filter(user_id__in=list(moments))}
    report = []
    for student_id, paid in moments.items():
        student = users[student_id]
        in_year = [cents for moment, cents in paid if _year_of(moment, student) == year]
        if sum(in_year) < threshold_cents:
            continue
        account = accounts.get(student_id)
        report.append(
            ReportRow(
                student=student,
                payments=len(in_year),
                gross_cents=sum(in_year),
                tax_form=account.tax_form if account else "",
                tax_info_provided=bool(account and account.tax_info_provided),
            )
        )
    report.sort(key=lambda r: (-r.gross_cents, r.student.email))
    return report


REPORT_HEADER = [
    "Student",
    "Email",
    "Payments",
    "Gross amount (USD)",
    "Tax form",
    "Tax information provided",
]


def report_rows(report: list[ReportRow]) -> list[list]:
    return [
        [
            r.student.get_full_name(),
            r.student.email,
            r.payments,
            _cents_text(r.gross_cents),
            r.tax_form_label,
            r.tax_info_provided,
        ]
        for r in report
    ]
