"""Blind review shows the student's bio, as the dashboard promises, without what identifies
them; shortlisting reveals it as written."""

import pytest
from django.urls import reverse

from accounts.blind import blind_bio
from projects import applications
from tests.factories import ApplicationFactory, SchoolFactory, StudentFactory, employer_of

pytestmark = pytest.mark.django_db

BIO = (
    "I'm Maya Chen, an Economics junior at Northbridge State University (NSU). "
    "I love tidy spreadsheets and turning survey data into short memos. "
    "See https://www.linkedin.com/in/mayachen or github.com/mchen, write to "
    "maya.chen@northbridge.edu or call (614) 555-0199. Worked 2019-2023 at a bakery."
)
IDENTIFYING = [
    "Maya",
    "Chen",
    "Economics",
    "Northbridge",
    "NSU",
    "linkedin",
    "github",
    "@",
    "555-0199",
]


@pytest.fixture
def maya():
    school = SchoolFactory(
        name="Northbridge State University", short_name="NSU", email_domain="northbridge.edu"
    )
    return StudentFactory(
        user__first_name="Maya",
        user__last_name="Chen",
        user__email="mchen@northbridge.edu",
        school=school,
        major="Economics",
        bio=BIO,
    )


def test_the_bio_is_masked_of_names_school_major_and_contact_details(maya):
    text = blind_bio(maya)

    for word in IDENTIFYING:
        assert word.lower() not in text.lower(), word
    assert "I love tidy spreadsheets and turning survey data into short memos." in text
    assert "[name]" in text and "[school]" in text and "[major]" in text and "[link]" in text
    assert "2019-2023" in text  # a year range is not a phone number


def test_employers_read_the_bio_before_shortlisting_without_identifying_details(client, maya):
    application = ApplicationFactory(student=maya.user)
    client.force_login(employer_of(application.project))

    html = client.get(reverse("engagements:applicants", args=[application.project_id]))
    html = html.content.decode()

    assert "I love tidy spreadsheets and turning survey data into short memos." in html
    for word in ("Maya", "Chen", "Northbridge", "linkedin", "555-0199"):
        assert word not in html, word


def test_shortlisting_reveals_the_bio_as_written(client, maya):
    application = ApplicationFactory(student=maya.user)
    employer = employer_of(application.project)
    applications.application_shortlist(actor=employer, application=application)
    client.force_login(employer)

    html = client.get(reverse("engagements:applicants", args=[application.project_id]))

    assert "https://www.linkedin.com/in/mayachen" in html.content.decode()


def test_the_dashboard_shows_the_student_their_bio_as_employers_read_it(client, maya):
    client.force_login(maya.user)

    html = client.get(reverse("student_dashboard")).content.decode()

    assert "your skills, your bio and what you write" in html
    assert "[name], an [major] junior at [school] ([school])" in html


def test_the_bio_field_tells_students_what_employers_read_first(client, maya):
    client.force_login(maya.user)

    html = client.get(reverse("profile")).content.decode()

    assert "Employers read it before they know who you are" in html
