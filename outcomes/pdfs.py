"""PDFs of verified experiences: the certificate and the résumé section (fpdf2).

Our students write their names in every script, so the PDFs are written with
`marketplace.pdf`, which embeds the bundled Noto fonts and falls back character by character.
"""

from dataclasses import dataclass

from django.utils import timezone

from marketplace.pdf import FONT, Document, pdf_bytes, pdf_text
from outcomes.resume import hours_text

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


def _learning_page(pdf: Document, data: CertificateData) -> None:
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
    pdf = Document(orientation="L", unit="mm", format="letter")
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
    return pdf_bytes(pdf)


# --- The résumé section ------------------------------------------------------------------------


@dataclass(frozen=True)
class ResumeEntry:
    heading: str
    subheading: str
    bullets: list[str]
    verify_url: str


def resume_pdf(*, student_name: str, entries: list[ResumeEntry]) -> bytes:
    pdf = Document(orientation="P", unit="mm", format="letter")
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
    return pdf_bytes(pdf)


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
    pdf = Document(orientation="P", unit="mm", format="letter")
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
    return pdf_bytes(pdf)
