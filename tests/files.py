"""Real files for upload tests: what a student's PDF export would produce."""

from fpdf import FPDF


def one_page_pdf(text: str = "Curriculum vitae") -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text=text)
    return bytes(document.output())


VALID_PDF = one_page_pdf()
