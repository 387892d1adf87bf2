"""Career services see deliverables' metadata (names and sizes), never the files or links,
unless the engagement is disputed, as for messages. Everyone else outside the engagement
gets nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from engagements import services as engagements
from tests.factories import AdminFactory, StudentFactory, accepted_engagement, employer_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% the student's report\n"
LINK = "https://example.com/shared-folder"


@pytest.fixture
def delivered(school):
    """A funded engagement of a student of `school`, with a report file and a link handed in."""
    engagement = accepted_engagement(student=StudentFactory(school=school).user)
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=4,
        description="Research",
    )
    submission = engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(
            note="Here it is",
            links=[LINK],
            files=[SimpleUploadedFile("market-report.pdf", PDF, content_type="application/pdf")],
        ),
    )
    return engagement, submission.files.get()


def download(client, stored):
    return client.get(reverse("engagements:download_file", args=[stored.pk]))


def test_staff_of_the_students_school_see_names_and_sizes_but_no_file_or_link(
    client, delivered, career_staff
):
    engagement, stored = delivered
    client.force_login(career_staff)

    page = client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()
    response = download(client, stored)

    assert "market-report.pdf" in page
    assert f"({len(PDF)}\xa0bytes)" in page
    assert reverse("engagements:download_file", args=[stored.pk]) not in page
    assert LINK not in page
    assert "1 link to the work" in page
    assert "not the work itself, unless a dispute is open" in page
    assert response.status_code == 404
    assert PDF not in response.content


def test_in_a_dispute_staff_of_the_students_school_open_the_file_and_links(
    client, delivered, career_staff
):
    engagement, stored = delivered
    engagements.engagement_request_cancel(
        actor=employer_of(engagement.project), engagement=engagement, reason="Not what we asked"
    )
    client.force_login(career_staff)

    page = client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()
    response = download(client, stored)

    assert reverse("engagements:download_file", args=[stored.pk]) in page
    assert LINK in page
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("who", ["the_student", "the_employer", "platform_admin"])
def test_the_engagements_people_and_admins_open_the_file(client, delivered, request, who):
    engagement, stored = delivered
    user = {
        "the_student": lambda: engagement.student,
        "the_employer": lambda: employer_of(engagement.project),
        "platform_admin": AdminFactory,
    }[who]()
    client.force_login(user)

    page = client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()
    response = download(client, stored)

    assert reverse("engagements:download_file", args=[stored.pk]) in page
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("who", ["other_school_staff", "other_employer", "other_student"])
@pytest.mark.parametrize("disputed", [False, True])
def test_anyone_else_gets_not_found_even_in_a_dispute(client, delivered, request, who, disputed):
    engagement, stored = delivered
    if disputed:
        engagements.engagement_request_cancel(
            actor=engagement.student, engagement=engagement, reason="Cannot continue"
        )
    client.force_login(request.getfixturevalue(who))

    assert download(client, stored).status_code == 404
    workspace = client.get(reverse("engagements:workspace", args=[engagement.pk]))
    assert workspace.status_code == 404
    assert b"market-report.pdf" not in workspace.content


def test_anonymous_visitors_get_not_found(client, delivered):
    _engagement, stored = delivered

    assert download(client, stored).status_code == 404
