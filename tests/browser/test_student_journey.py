"""A new student signs up, confirms the address from the mail, fills in the profile
and sees the student dashboard, in a real Chromium."""

import re

import pytest
from django.core import mail

from accounts.models import StudentProfile, User
from tests.browser.helpers import field, log_in
from tests.factories import SchoolFactory, SkillFactory, StudentFactory
from tests.files import VALID_PDF

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-and-unusual-passphrase-42"

PDF = VALID_PDF


def test_a_new_student_signs_up_confirms_and_completes_the_profile(page, live_server, quality):
    school = SchoolFactory(name="Northbridge State University")
    SkillFactory(name="Copywriting", slug="copywriting")
    SkillFactory(name="Market research", slug="market-research")

    page.goto(live_server.url)
    quality.check(page)
    page.get_by_role("link", name="I'm a student").click()
    quality.check(page)

    field(page, "First name").fill("Noor")
    field(page, "Last name").fill("Haddad")
    field(page, "Email address").fill("noor@northbridge.edu")
    field(page, "Password").fill(PASSWORD)
    field(page, "Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    quality.check(page)

    confirmation = mail.outbox[-1]
    assert confirmation.to == ["noor@northbridge.edu"]
    link = re.search(r"https?://\S+/confirm-email/\S+", confirmation.body).group(0)
    page.goto(link)
    quality.check(page)
    page.get_by_role("button", name="Confirm").click()

    page.get_by_role("heading", name="Set up your student profile").wait_for()
    quality.check(page)
    field(page, "School").select_option(label=school.name)
    field(page, "Major").fill("Marketing")
    field(page, "Graduation year").select_option(index=3)
    page.get_by_label("Copywriting").check()
    field(page, "Other skills").fill("Instagram, Canva")
    field(page, "Short bio").fill("I write clear copy and like research.")
    field(page, "LinkedIn profile").fill("https://www.linkedin.com/in/noor-haddad")
    field(page, "Résumé (PDF, at most 5 MB)").set_input_files(
        {"name": "noor-haddad.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    field(page, "Work authorization in the US").select_option(
        label="F-1 student, Optional Practical Training (OPT)"
    )
    page.get_by_role("button", name="Save").click()

    page.get_by_role("heading", name="Hello, Noor").wait_for()
    quality.check(page)
    assert page.get_by_text("Awaiting career services verification").is_visible()
    assert page.get_by_role("link", name="noor-haddad.pdf").is_visible()
    navigation = page.get_by_role("navigation", name="Main")
    assert navigation.get_by_role("link", name="Dashboard").is_visible()
    assert navigation.get_by_role("link", name="Oversight").count() == 0

    user = User.objects.get(email="noor@northbridge.edu")
    profile = StudentProfile.objects.get(user=user)
    assert profile.school == school
    assert sorted(s.name for s in profile.skills.all()) == ["Canva", "Copywriting", "Instagram"]


def test_a_bad_resume_is_refused_on_the_page(page, live_server, quality):
    profile = StudentFactory()
    page.goto(live_server.url + "/accounts/login/")
    quality.check(page)
    log_in(page, live_server, profile.user)
    page.get_by_role("heading", name=f"Hello, {profile.user.first_name}").wait_for()

    page.goto(live_server.url + "/profile/")
    field(page, "Other skills").fill("Research")
    field(page, "Résumé (PDF, at most 5 MB)").set_input_files(
        {"name": "resume.docx", "mimeType": "application/msword", "buffer": b"PK\x03\x04"}
    )
    page.get_by_role("button", name="Save").click()

    page.get_by_text("Upload your résumé as a PDF file (.pdf).").wait_for()
    quality.check(page)
    profile.refresh_from_db()
    assert not profile.resume
