"""Certificates and résumé sections print names and titles in the student's own script."""

import io
import unicodedata

import pytest
from django.urls import reverse
from pypdf import PdfReader

from outcomes import pdfs
from tests.factories import ProjectFactory, SkillFactory, StudentFactory
from tests.test_verified_experiences import finish, record_of, verify_url

pytestmark = pytest.mark.django_db

NAMES = {
    "Vietnamese": ("Nguyễn Thị", "Minh Khai"),
    "Chinese": ("小明", "王"),
    "Arabic": ("محمد", "علي"),
    "Devanagari": ("देवनागरी", "नाम"),
    "Korean": ("민준", "김"),
    "Japanese": ("さくら", "山田"),
    "Hebrew": ("נועה", "כהן"),
    "Bengali": ("অমিত", "রায়"),
    "Tamil": ("பிரியா", "குமார்"),
    "Thai": ("สมชาย", "ใจดี"),
}
TITLES = {
    "Vietnamese": "Khảo sát thị trường cà phê",
    "Chinese": "市场调研报告",
    "Arabic": "دراسة السوق",
    "Devanagari": "बाज़ार अनुसंधान",
    "Korean": "시장 조사",
    "Japanese": "市場調査レポート",
    "Hebrew": "מחקר שוק",
    "Bengali": "বাজার গবেষণা",
    "Tamil": "சந்தை ஆய்வு",
    "Thai": "การวิจัยตลาด",
}


def pdf_words(content: bytes) -> str:
    """The PDF's text with no spaces, each word to be looked for on its own: extraction lays
    out right-to-left words in visual order. A shaped Indic cluster drawn with two glyphs
    carries its letters on the first; the reader shows the second as a control code, which
    is not text and is left out here."""
    assert content.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cc")


def assert_prints(words: str, text: str):
    assert "?" not in words
    for word in text.split():
        assert word in words, f"{word!r} is missing"


def student_named(script):
    first, last = NAMES[script]
    return StudentFactory(user__first_name=first, user__last_name=last).user


@pytest.mark.parametrize("script", NAMES)
def test_the_certificate_prints_the_name_and_title_as_written(client, script):
    student = student_named(script)
    project = ProjectFactory(title=TITLES[script], skills=[SkillFactory(name="Research")])
    record = record_of(finish(student=student, project=project))

    response = client.get(verify_url(record, "outcomes:certificate"))

    assert response.status_code == 200
    words = pdf_words(response.content)
    assert_prints(words, student.get_full_name())
    assert_prints(words, TITLES[script])


@pytest.mark.parametrize("script", NAMES)
def test_the_resume_section_prints_the_name_and_title_as_written(client, script):
    student = student_named(script)
    finish(student=student, project=ProjectFactory(title=TITLES[script]))
    client.force_login(student)

    response = client.get(reverse("outcomes:resume_pdf"))

    assert response.status_code == 200
    words = pdf_words(response.content)
    assert_prints(words, student.get_full_name())
    assert_prints(words, TITLES[script])


def test_names_mixing_scripts_print_whole(client):
    student = StudentFactory(user__first_name="Minh (明) محمد", user__last_name="Trần-Smith").user
    record = record_of(finish(student=student))

    words = pdf_words(client.get(verify_url(record, "outcomes:certificate")).content)

    assert_prints(words, "Minh (明) محمد Trần-Smith")


def test_arabic_is_shaped_and_right_to_left():
    content = pdfs.resume_pdf(student_name="محمد علي", entries=[])
    # Shaped: the letters of محمد join, so the PDF carries the joined (contextual) glyphs,
    # which extraction maps back to the letters; laid out right to left, the words come
    # out in visual order, the last word first.
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    first_line = text.splitlines()[0]
    assert first_line.split() == ["علي", "محمد"]


def test_a_character_no_font_has_never_breaks_the_pdf():
    # An emoji is left out; a letter of a script with no font here (Meetei Mayek) shows
    # as "?"; a letter with an accent no font has keeps its base letter.
    content = pdfs.resume_pdf(student_name="Ana 🚀 \uabc0 Ǆuro", entries=[])

    words = pdf_words(content)
    assert words.startswith("Ana?Ǆuro")


def test_a_latin_only_pdf_carries_no_other_fonts():
    # Only the fonts a document needs are embedded: a certificate stays small.
    content = pdfs.resume_pdf(student_name="Maya Chen", entries=[])

    assert b"NotoSansCJK" not in content
    assert b"NotoSansArabic" not in content
    assert len(content) < 60_000
