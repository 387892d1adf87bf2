"""A student opens the verified experience of a finished project, rewrites a résumé bullet,
saves it, downloads the certificate and checks the public page."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from outcomes.models import VerifiedExperience
from oversight import services as oversight
from tests.factories import CareerStaffFactory, ProjectFactory, SkillFactory, StudentFactory
from tests.test_verified_experiences import evaluate, finish

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_student_edits_their_verified_experience_and_downloads_the_certificate(
    page_for, live_server, quality
):
    student = StudentFactory(user__first_name="Zoë", user__last_name="Ñúñez").user
    engagement = finish(
        student=student,
        project=ProjectFactory(
            title="Competitor pricing scan", skills=[SkillFactory(name="Market research")]
        ),
    )
    evaluate(engagement)
    oversight.coaching_note_add(
        actor=CareerStaffFactory(school=engagement.school).user,
        engagement=engagement,
        text="Lead with the result the employer used.",
    )
    record = VerifiedExperience.objects.get(engagement=engagement)

    page = page_for(student)
    page.goto(live_server.url + "/student/")
    quality.check(page)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Verified experiences"
    ).click()
    quality.check(page)
    page.get_by_role("link", name="Competitor pricing scan").click()
    page.get_by_role("heading", name="For your résumé").wait_for()
    page.get_by_text("Lead with the result the employer used.").wait_for()
    quality.check(page)

    # Make the first bullet their own and save.
    bullet = page.get_by_label("Bullet 1")
    assert "Competitor pricing scan" in bullet.input_value()
    bullet.fill("Priced the products of three competitors for Acme's pricing review")
    page.get_by_role("button", name="Save bullets and story").click()
    page.get_by_text("Your bullets and story are saved.").wait_for()
    quality.check(page)
    record.refresh_from_db()
    assert record.bullet_list[0] == (
        "Priced the products of three competitors for Acme's pricing review"
    )
    assert page.get_by_label("Bullet 1").input_value().startswith("Priced the products")

    # The certificate.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate").click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Zoë Ñúñez" in text
    assert "Competitor pricing scan" in text

    # The public page the link leads to.
    page.get_by_role("link", name="Open the public page").click()
    page.get_by_role("heading", name="Competitor pricing scan").wait_for()
    page.get_by_text("Zoë Ñúñez").wait_for()
    quality.check(page)
