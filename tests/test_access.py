"""Who may open what: every page with one user's data, against every other role and user."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuthorizationStatus, WorkAuthorization
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

ROLES = ["student", "employer", "career_staff", "platform_admin"]
# Pages of one role's own data, each open only to that role.
DASHBOARDS = {
    "student_dashboard": "student",
    "school_affiliation": "student",
    "team": "employer",
    "employer_dashboard": "employer",
    "career_staff_dashboard": "career_staff",
}


@pytest.mark.parametrize("url_name", DASHBOARDS)
def test_dashboards_send_anonymous_visitors_to_log_in(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize("url_name", DASHBOARDS)
@pytest.mark.parametrize("who", ROLES)
def test_each_dashboard_opens_only_for_its_own_role(client, request, url_name, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse(url_name))

    if DASHBOARDS[url_name] == who:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert b"not available to your account" in response.content


def test_the_profile_page_is_not_for_anonymous_visitors_or_admins(client, platform_admin):
    assert client.get(reverse("profile")).status_code == 302
    client.force_login(platform_admin)
    assert client.get(reverse("profile")).status_code == 403


@pytest.fixture
def resume_owner(school):
    profile = StudentFactory(school=school)
    profile.resume.save("cv.pdf", ContentFile(b"%PDF-1.4 owner's resume"))
    profile.resume_filename = "cv.pdf"
    profile.save()
    return profile.user


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("resume_owner", True),
        ("career_staff", True),
        ("platform_admin", True),
        ("other_student", False),
        ("employer", False),
        ("other_school_staff", False),
    ],
)
def test_a_resume_opens_only_for_its_student_their_schools_staff_and_admins(
    client, request, resume_owner, who, allowed
):
    client.force_login(request.getfixturevalue(who))

    response = client.get(
        reverse("projects:resume_download", kwargs={"student_id": resume_owner.pk})
    )

    if allowed:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == b"%PDF-1.4 owner's resume"
        assert "private" in response["Cache-Control"]
    else:
        assert response.status_code == 404


def test_a_resume_is_not_served_to_anonymous_visitors(client, resume_owner):
    response = client.get(
        reverse("projects:resume_download", kwargs={"student_id": resume_owner.pk})
    )
    assert response.status_code == 404


def test_uploads_have_no_public_address(client, resume_owner):
    stored = resume_owner.student_profile.resume.name
    assert client.get(f"/media/{stored}").status_code == 404
    assert client.get(f"/media-not-served/{stored}").status_code == 404


def test_career_staff_dashboard_lists_only_their_schools_pending_checks(
    client, career_staff, school, other_school
):
    mine = StudentFactory(
        school=school,
        work_authorization=WorkAuthorization.F1_CPT,
        work_authorization_status=AuthorizationStatus.PENDING,
    )
    theirs = StudentFactory(
        school=other_school,
        work_authorization=WorkAuthorization.F1_OPT,
        work_authorization_status=AuthorizationStatus.PENDING,
    )
    client.force_login(career_staff)

    page = client.get(reverse("career_staff_dashboard")).content.decode()

    assert mine.user.get_full_name() in page
    assert theirs.user.get_full_name() not in page


def test_career_staff_dashboard_runs_the_same_queries_for_3_or_30_pending_students(
    client, career_staff, school
):
    def pending(n):
        StudentFactory.create_batch(
            n,
            school=school,
            work_authorization=WorkAuthorization.F1_CPT,
            work_authorization_status=AuthorizationStatus.PENDING,
        )

    client.force_login(career_staff)
    pending(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("career_staff_dashboard")).status_code == 200
    pending(27)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("career_staff_dashboard"))

    assert page.context["overview"].needs_verification == 30
    assert len(many) == len(few)
    assert len(many) <= 12


def test_the_claims_queue_is_for_career_staff_and_platform_admins_only(
    client, student, employer, career_staff, platform_admin
):
    url = reverse("admin:accounts_affiliationclaim_changelist")
    for user in (student, employer):
        client.force_login(user)
        assert client.get(url).status_code == 302
    for user in (career_staff, platform_admin):
        client.force_login(user)
        assert client.get(url).status_code == 200
