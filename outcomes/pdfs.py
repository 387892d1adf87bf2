"""PDFs of verified experiences: the certificate and the résumé section (fpdf2).

Our students write their names in every script, so the PDFs use the Noto fonts bundled in
`outcomes/fonts/` (see its README), never a font installed on the server: Noto Sans for
Latin, Greek and Cyrillic, and, character by character, the first fallback font that has a
character (Arabic, Devanagari and other Indic scripts, Hebrew, Thai, Chinese, Japanese,
Korean). A document loads only the fallback fonts its text needs. Text shaping (HarfBuzz)
joins Arabic letters, lays out right-to-left text and forms Indic conjuncts. A character no
bundled font has is reduced to its unaccented letter when it has one, a symbol (an emoji) is
left out and anything else prints as "?", so no name or title can make the PDF fail.
"""

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from fontTools.ttLib import TTFont
from fpdf import FPDF

from outcomes.resume import hours_text

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "NotoSans"
# The main family first, then the fallbacks in the order they are tried. A family without a
# bold file prints bold text in its regular face.
FONT_FILES: dict[str, dict[str, str]] = {
    "NotoSans": {"": "NotoSans-Regular.ttf", "B": "NotoSans-Bold.ttf"},
    "NotoSansArabic": {"": "NotoSansArabic-Regular.ttf", "B": "NotoSansArabic-Bold.ttf"},
    "NotoSansDevanagari": {
        "": "NotoSansDevanagari-Regular.ttf",
        "B": "NotoSansDevanagari-Bold.ttf",
    },
    "NotoSansBengali": {"": "NotoSansBengali-Regular.ttf"},
    "NotoSansGujarati": {"": "NotoSansGujarati-Regular.ttf"},
    "NotoSansGurmukhi": {"": "NotoSansGurmukhi-Regular.ttf"},
    "NotoSansTamil": {"": "NotoSansTamil-Regular.ttf"},
    "NotoSansTelugu": {"": "NotoSansTelugu-Regular.ttf"},
    "NotoSansHebrew": {"": "NotoSansHebrew-Regular.ttf"},
    "NotoSansThai": {"": "NotoSansThai-Regular.ttf"},
    "NotoSansCJK": {"": "NotoSansCJKsc-Regular-Subset.ttf"},
}


@functools.cache
def _coverage(family: str) -> frozenset[int]:
    """The characters a family's regular face has (read once per process)."""
    font = TTFont(FONT_DIR / FONT_FILES[family][""], lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def _covered(char: str) -> bool:
    return any(ord(char) in _coverage(family) for family in FONT_FILES)


def pdf_text(value) -> str:
    """The text as typed wherever a bundled font has the characters; never an error."""
    out = []
    for char in unicodedata.normalize("NFC", str(value)):
        if char in "\n\t" or _covered(char):
            out.append(char)
            continue
        category = unicodedata.category(char)
        if category.startswith(("C", "S")):
            continue  # a control character or a symbol no font here draws (an emoji)
        if category.startswith("Z"):
            out.append(" ")
            continue
        plain = "".join(
            c
            for c in unicodedata.normalize("NFKD", char)
            if not unicodedata.combining(c) and _covered(c)
        )
        out.append(plain or "?")
    return "".join(out)


class _Document(FPDF):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.set_creator("Micro-internships")
        self.set_auto_page_break(auto=True, margin=18)
        self._add_family(FONT)
        self._fallbacks: list[str] = []
        self.set_text_shaping(True)

    def _add_family(self, family: str) -> None:
        for style, filename in FONT_FILES[family].items():
            self.add_font(family, style=style, fname=FONT_DIR / filename)

    def ready(self, value) -> str:
        """Ready `value` for drawing: load the fallback fonts its characters need."""
        value = pdf_text(value)
        main = _coverage(FONT)
        for char in set(value):
            if ord(char) in main or char in "\n\t":
                continue
            family = next((f for f in FONT_FILES if f != FONT and ord(char) in _coverage(f)), None)
            if family and family not in self._fallbacks:
                self._add_family(family)
                self._fallbacks.append(family)
                order = [f for f in FONT_FILES if f in self._fallbacks]
                self.set_fallback_fonts(order, exact_match=False)
        return value

    def write_line(self, text, *, size=11, style="", height=None, align="L", color=(33, 37, 41)):
        self.set_font(FONT, style=style, size=size)
        self.set_text_color(*color)
        self.multi_cell(
            0, height or size * 0.55, self.ready(text), align=align, new_x="LMARGIN", new_y="NEXT"
        )


def _bytes(document: FPDF) -> bytes:
    return bytes(document.output())


# --- The certificate ------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateData:
    student_name: str
    project_title: str
    organization: str
    organization_verified: bool
    started: str
    finished: str
    hours: float
    skills: list[str]
    deliverables: list[str]
    verify_url: str
    code: str
    # (objective, "Met" | "Not met" | "Not evaluated yet"), and the reflection the student
    # chose to show: printed on a second page when there is either.
    objectives: tuple[tuple[str, str], ...] = ()
    reflection: str = ""


def _learning_page(pdf: "_Document", data: CertificateData) -> None:
    pdf.add_page()
    blue = (13, 110, 253)
    grey = (90, 98, 105)
    pdf.write_line("Learning objectives and reflection", size=16, style="B", color=blue)
    pdf.write_line(f"{data.student_name} · {data.project_title}", size=11, color=grey)
    pdf.ln(3)
    if data.objectives:
        pdf.write_line("Learning objectives, as evaluated by the employer", size=12, style="B")
        for number, (text, outcome) in enumerate(data.objectives, start=1):
            pdf.write_line(f"{number}. {text} — {outcome}", size=11)
        pdf.ln(3)
    if data.reflection:
        pdf.write_line("The student's reflection", size=12, style="B")
        pdf.write_line(data.reflection, size=10, height=5)
    pdf.ln(2)
    pdf.write_line(f"Verify this record at {data.verify_url}", size=9, color=grey)


def certificate_pdf(data: CertificateData) -> bytes:
    pdf = _Document(orientation="L", unit="mm", format="letter")
    pdf.set_title(pdf_text(f"Verified experience: {data.project_title}"))
    pdf.set_author("Micro-internships")
    pdf.set_margins(28, 24, 28)
    pdf.add_page()
    # A double frame.
    pdf.set_draw_color(13, 110, 253)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, pdf.w - 28, pdf.h - 28)

    pdf.set_y(26)
    blue = (13, 110, 253)
    grey = (90, 98, 105)
    pdf.write_line("MICRO-INTERNSHIPS", size=10, style="B", align="C", color=grey)
    pdf.ln(2)
    pdf.write_line("Certificate of verified experience", size=24, style="B", align="C", color=blue)
    pdf.ln(4)
    pdf.write_line("This certifies that", size=12, align="C", color=grey)
    pdf.ln(1)
    pdf.write_line(data.student_name, size=22, style="B", align="C", height=11)
    pdf.ln(1)
    pdf.write_line("completed the micro-internship", size=12, align="C", color=grey)
    pdf.ln(1)
    pdf.write_line(data.project_title, size=16, style="B", align="C", height=8)
    organization = data.organization + (
        " (verified organization)" if data.organization_verified else ""
    )
    pdf.write_line(f"for {organization}", size=13, align="C")
    pdf.ln(4)
    hours = hours_text(data.hours)
    pdf.write_line(
        f"From {data.started} to {data.finished}  ·  {hours} hours logged  ·  "
        "work approved by the employer",
        size=11,
        align="C",
    )
    if data.skills:
        pdf.write_line("Skills used: " + ", ".join(data.skills), size=11, align="C")
    if data.deliverables:
        pdf.write_line(
            "Deliverables: " + ", ".join(data.deliverables), size=10, align="C", color=grey
        )
    pdf.ln(6)
    pdf.write_line("Verify this record at", size=10, align="C", color=grey)
    pdf.set_font(FONT, size=10)
    pdf.set_text_color(*blue)
    pdf.cell(
        0,
        6,
        pdf.ready(data.verify_url),
        align="C",
        link=data.verify_url,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.write_line(f"Code {data.code}", size=9, align="C", color=grey)
    if data.objectives or data.reflection:
        _learning_page(pdf, data)
    return _bytes(pdf)


# --- The résumé section ------------------------------------------------------------------------


@dataclass(frozen=True)
class ResumeEntry:
    heading: str
    subheading: str
    bullets: list[str]
    verify_url: str


def resume_pdf(*, student_name: str, entries: list[ResumeEntry]) -> bytes:
    pdf = _Document(orientation="P", unit="mm", format="letter")
    pdf.set_title(pdf_text(f"{student_name}: verified experience"))
    pdf.set_author(pdf_text(student_name))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.write_line(student_name, size=16, style="B", height=8)
    pdf.write_line("Experience", size=12, style="B", color=(13, 110, 253), height=8)
    pdf.set_draw_color(13, 110, 253)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(3)
    for entry in entries:
        pdf.write_line(entry.heading, size=11, style="B")
        pdf.write_line(entry.subheading, size=10, color=(90, 98, 105))
        for bullet in entry.bullets:
            pdf.set_x(pdf.l_margin + 3)
            pdf.set_font(FONT, size=10)
            pdf.set_text_color(33, 37, 41)
            pdf.multi_cell(0, 5.2, pdf.ready(f"•  {bullet}"), new_x="LMARGIN", new_y="NEXT")
        if entry.verify_url:
            pdf.write_line(f"Verified record: {entry.verify_url}", size=8, color=(90, 98, 105))
        pdf.ln(4)
    if not entries:
        pdf.write_line("No verified experience yet.", size=10)
    return _bytes(pdf)


def resume_text(*, student_name: str, entries: list[ResumeEntry]) -> str:
    lines = [student_name, "", "EXPERIENCE", ""]
    for entry in entries:
        lines.append(entry.heading)
        lines.append(entry.subheading)
        lines.extend(f"- {bullet}" for bullet in entry.bullets)
        if entry.verify_url:
            lines.append(f"Verified record: {entry.verify_url}")
        lines.append("")
    if not entries:
        lines.append("No verified experience yet.")
    return "\n".join(lines).rstrip() + "\n"


def employment_log_pdf(*, student_name: str, school: str, rows) -> bytes:
    """The OPT employment log (outcomes.employment_log): one block per employer."""
    pdf = _Document(orientation="P", unit="mm", format="letter")
    pdf.set_title(pdf_text(f"{student_name}: OPT employment log"))
    pdf.set_author(pdf_text(student_name))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.write_line(student_name, size=16, style="B", height=8)
    pdf.write_line(
        f"OPT employment log · {school}", size=12, style="B", color=(13, 110, 253), height=8
    )
    pdf.write_line(
        f"Prepared {timezone.localdate():%B %-d, %Y} for reporting in the SEVP portal.",
        size=9,
        color=(90, 98, 105),
    )
    pdf.set_draw_color(13, 110, 253)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(3)
    for row in rows:
        pdf.write_line(row.employer, size=11, style="B")
        end = f"{row.end:%b %-d, %Y}" + (" (expected)" if row.end_is_expected else "")
        facts = [
            ("Address", row.address or "Not given by the employer"),
            ("Project", row.project),
            ("Dates", f"{row.start:%b %-d, %Y} to {end}"),
            ("Hours per week", f"{row.hours_per_week:g}"),
            ("Duties", row.duties),
            ("Relation to major", row.relation_to_major or "Not recorded"),
        ]
        for label, value in facts:
            pdf.set_x(pdf.l_margin + 3)
            pdf.set_font(FONT, size=10)
            pdf.set_text_color(33, 37, 41)
            pdf.multi_cell(0, 5.2, pdf.ready(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    if not rows:
        pdf.write_line("No employment yet: work appears here once an engagement starts.", size=10)
    return _bytes(pdf)
