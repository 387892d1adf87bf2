"""A sponsor's deposit receipt as a PDF, with the bundled fonts (marketplace.pdf)."""

from django.conf import settings
from django.utils import timezone

from marketplace.money import dollars
from marketplace.pdf import Document, pdf_bytes
from marketplace.timezones import zone_of
from payments.models import SponsorDeposit


def deposit_receipt_pdf(deposit: SponsorDeposit, *, viewer) -> bytes:
    """The receipt of a succeeded deposit, its time in the viewer's time zone."""
    sponsor = deposit.sponsor
    paid_at = timezone.localtime(deposit.succeeded_at, zone_of(viewer))
    pdf = Document(orientation="P", unit="mm", format="letter")
    title = f"Receipt {deposit.receipt_number}"
    pdf.set_title(pdf.ready(f"{title}: {sponsor.name}"))
    pdf.set_author(pdf.ready(settings.PLATFORM_LEGAL_NAME))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    grey = (90, 98, 105)
    pdf.write_line(settings.PLATFORM_LEGAL_NAME, size=12, style="B")
    if settings.PLATFORM_ADDRESS:
        pdf.write_line(settings.PLATFORM_ADDRESS, size=9, color=grey)
    pdf.ln(4)
    pdf.write_line(title, size=16, style="B", color=(13, 110, 253), height=8)
    pdf.write_line(sponsor.name, size=11, style="B")
    by = deposit.created_by.get_full_name() or deposit.created_by.email
    pdf.write_line(f"Paid {paid_at:%B %-d, %Y, %-I:%M %p %Z} by {by}", size=9, color=grey)
    pdf.ln(3)
    pdf.write_line("Funds for sponsored micro-internship fees, held by the platform.", size=10)
    pdf.ln(2)
    pdf.set_font("NotoSans", style="B", size=11)
    pdf.cell(120, 8, "Added to the budget", border="T")
    pdf.cell(56, 8, dollars(deposit.amount_cents), border="T", align="R")
    pdf.ln(12)
    how = (
        "Test mode: no real money moved."
        if deposit.gateway == "local"
        else "Charged by card through Stripe."
    )
    pdf.write_line(how, size=8, color=grey)
    return pdf_bytes(pdf)
