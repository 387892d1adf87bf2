"""Who may open what: every page with one user's data, against every other role and user."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuthorizationStatus, WorkAuthorization
from engagements.services import message_post
from tests.factories import StudentFactory, accepted_engagement, employer_of

pytestmark = pytest.mark.django_db

ROLES = ["student", "employer", "career_staff", "platform_admin"]
# Pages of one role's own data, each open only to that role.
DASHBOARDS = {
    "student_dashboard": "student",
    "school_affiliation": "student",
    "outcomes:employment_log": "student",
    "payments:earnings": "student",
    "team": "employer",
    "employer_dashboard": "employer",
    "career_staff_dashboard": "career_staff",
    "outcomes:credit_requests": "student",
    "outcomes:credit_queue": "career_staff",
    "outcomes:credit_policy": "career_staff",
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


# Pages of more than one role: which roles open them (the others get 403).
SHARED_PAGES = {
    "integrations:settings": {"student", "employer", "career_staff"},
    # The REST API page; the API itself has its own matrix (tests/test_api_access.py).
    "api_settings:tokens": {"student", "employer", "career_staff"},
    "datarights:data": {"student", "employer"},
    "datarights:close": {"student", "employer"},
}


@pytest.mark.parametrize("url_name", SHARED_PAGES)
@pytest.mark.parametrize("who", ROLES)
def test_each_shared_page_opens_only_for_its_roles(client, request, url_name, who):
    assert client.get(reverse(url_name)).status_code == 302
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse(url_name))

    assert response.status_code == (200 if who in SHARED_PAGES[url_name] else 403)


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


# --- Reports (safety) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("student", 200), ("employer", 200), ("career_staff", 200), ("platform_admin", 403)],
)
def test_my_reports_opens_for_those_who_report(client, request, who, status):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("safety:my_reports")).status_code == status


def test_my_reports_sends_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("safety:my_reports"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("the_student", 200),
        ("other_student", 404),
        ("other_employer", 404),
        ("career_staff", 404),
        ("platform_admin", 403),
    ],
)
def test_reporting_a_message_opens_only_for_the_other_side_of_its_thread(
    client, request, student, who, status
):
    engagement = accepted_engagement(student=student)
    message = message_post(
        actor=employer_of(engagement.project), engagement=engagement, body="Hello"
    )
    viewer = student if who == "the_student" else request.getfixturevalue(who)
    client.force_login(viewer)

    response = client.get(reverse("safety:report", kwargs={"kind": "message", "pk": message.pk}))

    assert response.status_code == status


# --- Privacy: consents and the disclosure log -----------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("student", 200), ("employer", 403), ("career_staff", 403), ("platform_admin", 403)],
)
def test_the_privacy_page_opens_for_students_only(client, request, who, status):
    assert client.get(reverse("safety:privacy")).status_code == 302
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("safety:privacy")).status_code == status


@pytest.fixture
def shortlisted(student):
    from projects.applications import application_shortlist
    from tests.factories import ApplicationFactory

    application = ApplicationFactory(student=student)
    application_shortlist(actor=employer_of(application.project), application=application)
    return application


def test_a_students_privacy_page_shows_only_their_own_log(client, shortlisted, other_student):
    organization = shortlisted.project.organization.name
    client.force_login(shortlisted.student)
    assert organization in client.get(reverse("safety:privacy")).content.decode()

    client.force_login(other_student)
    page = client.get(reverse("safety:privacy")).content.decode()
    assert organization not in page
    assert "No organization has seen" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("the_student", 302),
        ("other_student", 404),
        ("employer", 403),
        ("career_staff", 403),
        ("platform_admin", 403),
    ],
)
def test_only_the_student_withdraws_their_consent(client, request, shortlisted, who, status):
    viewer = shortlisted.student if who == "the_student" else request.getfixturevalue(who)
    client.force_login(viewer)

    response = client.post(reverse("safety:consent_withdraw", args=[shortlisted.pk]))

    assert response.status_code == status
    shortlisted.refresh_from_db()
    assert (shortlisted.consent_withdrawn_at is not None) == (who == "the_student")


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("career_staff", True),
        ("platform_admin", True),
        ("other_school_staff", False),
        ("student", False),
        ("employer", False),
    ],
)
def test_a_students_disclosure_log_opens_for_their_schools_staff_and_admins_only(
    client, request, shortlisted, who, allowed
):
    from projects.models import Disclosure

    disclosure = Disclosure.objects.get()
    client.force_login(request.getfixturevalue(who))

    page = client.get(reverse("admin:projects_disclosure_change", args=[disclosure.pk]))
    listing = client.get(reverse("admin:projects_disclosure_changelist"))

    if allowed:
        assert page.status_code == 200
        assert shortlisted.student.email in listing.content.decode()
    elif who == "other_school_staff":
        assert page.status_code == 404
        assert listing.status_code == 200
        assert shortlisted.student.email not in listing.content.decode()
    else:
        assert page.status_code == 302
        assert listing.status_code == 302


@pytest.fixture
def school_term(school):
    from accounts.models import AcademicTerm

    return AcademicTerm.objects.create(
        school=school, name="Fall 2026", starts_on="2026-08-24", ends_on="2026-12-18"
    )


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("career_staff", True),
        ("platform_admin", True),
        ("other_school_staff", False),
        ("student", False),
        ("employer", False),
    ],
)
def test_a_schools_academic_calendar_opens_for_its_staff_and_admins_only(
    client, request, school_term, who, allowed
):
    client.force_login(request.getfixturevalue(who))

    page = client.get(reverse("admin:accounts_academicterm_change", args=[school_term.pk]))
    listing = client.get(reverse("admin:accounts_academicterm_changelist"))

    if allowed:
        assert page.status_code == 200
        assert "Fall 2026" in listing.content.decode()
    elif who == "other_school_staff":
        assert page.status_code == 404
        assert "Fall 2026" not in listing.content.decode()
    else:
        # Students and employers are sent to the admin's login page.
        assert page.status_code == 302
        assert listing.status_code == 302


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


@pytest.mark.parametrize("who", [*ROLES, "other_student", "other_employer"])
def test_a_data_export_downloads_only_for_its_own_user(client, request, student, employer, who):
    from datarights import exporting

    exports = {}
    for owner in (student, employer):
        export = exporting.data_export_request(user=owner)
        exporting.data_export_prepare(export_id=export.pk)
        exports[owner.role] = export
    viewer = request.getfixturevalue(who)
    client.force_login(viewer)

    for export in exports.values():
        url = reverse("datarights:export_download", args=[export.pk])
        response = client.get(url)
        if viewer.pk == export.user_id:
            assert response.status_code == 200
        elif viewer.role in ("student", "employer"):
            assert response.status_code == 404
        else:
            assert response.status_code == 403


# --- Team members of one organization against another's projects and applicants ----------

TEAM_ROLES = ["owner", "admin", "member"]
# Pages and actions on one project or application of an organization.
PROJECT_PAGES = [
    ("get", "projects:edit", "project"),
    ("get", "projects:preview", "project"),
    ("post", "projects:publish", "project"),
    ("post", "projects:close", "project"),
    ("post", "projects:cancel", "project"),
    ("post", "projects:duplicate", "project"),
    ("get", "engagements:applicants", "project"),
    ("post", "projects:shortlist", "application"),
    ("post", "projects:decline", "application"),
    ("post", "engagements:accept", "application"),
]


@pytest.mark.parametrize("team_role", TEAM_ROLES)
@pytest.mark.parametrize(("method", "url_name", "kind"), PROJECT_PAGES)
def test_a_team_member_of_one_organization_is_refused_anothers_projects_and_applicants(
    client, team_role, method, url_name, kind
):
    from projects.models import Application, Project
    from tests.factories import ApplicationFactory, EmployerFactory, ProjectFactory

    theirs = ApplicationFactory(project=ProjectFactory(draft=kind == "project"))
    mine = EmployerFactory(team_role=team_role).user
    client.force_login(mine)
    pk = theirs.project_id if kind == "project" else theirs.pk
    before = (Project.objects.count(), Project.objects.get(pk=theirs.project_id).status)

    response = getattr(client, method)(reverse(url_name, args=[pk]))

    assert response.status_code in (403, 404)
    assert (Project.objects.count(), Project.objects.get(pk=theirs.project_id).status) == before
    assert Application.objects.get(pk=theirs.pk).status == theirs.status


# --- Payouts and tax ------------------------------------------------------------------------


@pytest.fixture
def payout_in_transit(student):
    from payments.models import Payout
    from tests.factories import approved_engagement
    from tests.payment_helpers import connect, funded_engagement

    connect(student)
    engagement = approved_engagement(funded_engagement(student=student))
    return Payout.objects.get(engagement=engagement)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("student", 302),
        ("other_student", 404),
        ("employer", 403),
        ("career_staff", 403),
        ("platform_admin", 403),
    ],
)
def test_only_the_payouts_student_moves_it_on_in_test_mode(
    client, request, payout_in_transit, who, status
):
    client.force_login(request.getfixturevalue(who))

    response = client.post(
        reverse("payments:test_bank_outcome", args=[payout_in_transit.pk]),
        {"outcome": "arrived"},
    )

    assert response.status_code == status
    payout_in_transit.refresh_from_db()
    assert payout_in_transit.delivery == ("paid" if who == "student" else "in_transit")


@pytest.mark.parametrize(
    ("who", "sees_payout"),
    [("student", True), ("other_student", False)],
)
def test_the_earnings_page_and_statement_show_only_the_students_own_payouts(
    client, request, payout_in_transit, who, sees_payout
):
    client.force_login(request.getfixturevalue(who))
    year = payout_in_transit.paid_at.year

    page = client.get(reverse("payments:earnings")).content.decode()
    statement = client.get(reverse("payments:statement", args=[str(year), "csv"]))

    title = payout_in_transit.engagement.project.title
    organization = payout_in_transit.engagement.organization.name
    assert (f'id="payout-{payout_in_transit.pk}"' in page) is sees_payout
    assert (title in page) is sees_payout
    assert (organization in statement.content.decode()) is sees_payout


@pytest.mark.parametrize("url_name", ["payments:bank_details"])
@pytest.mark.parametrize("who", ["employer", "career_staff", "platform_admin"])
def test_only_students_change_bank_details(client, request, url_name, who):
    client.force_login(request.getfixturevalue(who))

    assert client.post(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("who", ["student", "employer", "career_staff", "platform_admin"])
def test_statements_are_for_students_and_the_tax_report_for_platform_admins(client, request, who):
    client.force_login(request.getfixturevalue(who))

    statement = client.get(reverse("payments:statement", args=["2026", "pdf"]))
    report = client.get(reverse("admin:payments_tax_report"), {"year": "2026"})

    assert statement.status_code == (200 if who == "student" else 403)
    if who == "platform_admin":
        assert report.status_code == 200
    else:
        assert report.status_code in (302, 403) and b"information-return" not in report.content


# --- Academic credit ------------------------------------------------------------------------


@pytest.fixture
def credit_request(student):
    from tests.credit_helpers import submitted

    return submitted(student)


CREDIT_VIEWERS = [
    "the_student",
    "other_student",
    "the_employer",
    "employer",
    "career_staff",
    "other_school_staff",
    "platform_admin",
]


def _credit_viewer(request, credit_request, who):
    if who == "the_student":
        return credit_request.student
    if who == "the_employer":
        return employer_of(credit_request.engagement.project)
    return request.getfixturevalue(who)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("the_student", 200),
        ("other_student", 404),
        ("the_employer", 403),
        ("employer", 403),
        ("career_staff", 403),
        ("other_school_staff", 403),
        ("platform_admin", 403),
    ],
)
def test_a_credit_request_opens_only_for_its_student(client, request, credit_request, who, status):
    client.force_login(_credit_viewer(request, credit_request, who))

    response = client.get(reverse("outcomes:credit_request", args=[credit_request.pk]))
    withdraw = client.post(reverse("outcomes:credit_withdraw", args=[credit_request.pk]))

    assert response.status_code == status
    assert withdraw.status_code == (302 if who == "the_student" else status)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("the_student", 403),
        ("other_student", 403),
        ("the_employer", 403),
        ("employer", 403),
        ("career_staff", 200),
        ("other_school_staff", 404),
        ("platform_admin", 403),
    ],
)
def test_a_credit_review_opens_only_for_the_students_school(
    client, request, credit_request, who, status
):
    client.force_login(_credit_viewer(request, credit_request, who))

    assert client.get(reverse("outcomes:credit_review", args=[credit_request.pk])).status_code == (
        status
    )


@pytest.mark.parametrize("who", CREDIT_VIEWERS)
def test_only_its_student_asks_credit_for_an_engagement(client, request, credit_request, who):
    from tests.credit_helpers import approved_work

    engagement = approved_work(credit_request.student)
    client.force_login(_credit_viewer(request, credit_request, who))

    response = client.get(reverse("outcomes:credit_request_new", args=[engagement.pk]))

    expected = {"the_student": 200, "other_student": 404}.get(who, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("who", ["student", "employer", "platform_admin", "other_school_staff"])
def test_the_registrar_csv_is_for_career_staff_of_the_school(
    client, request, credit_request, career_staff, who
):
    from datetime import timedelta

    from django.utils import timezone

    from outcomes.credit.services import credit_request_staff_approve

    credit_request_staff_approve(actor=career_staff, request=credit_request)
    today = timezone.localdate()  # the range is read in the viewer's zone: a day either side
    days = {"start": today - timedelta(days=1), "end": today + timedelta(days=1)}
    client.force_login(career_staff)
    own = client.get(reverse("outcomes:credit_csv"), days)
    assert credit_request.student.email in own.content.decode()
    client.force_login(request.getfixturevalue(who))

    response = client.get(
        reverse("outcomes:credit_csv"), {"start": "2026-01-01", "end": "2027-12-31"}
    )

    if who == "other_school_staff":
        assert response.status_code == 200
        assert credit_request.student.email not in response.content.decode()
    else:
        assert response.status_code == 403


def test_credit_pages_send_anonymous_visitors_to_log_in(client, credit_request):
    for url in (
        reverse("outcomes:credit_request", args=[credit_request.pk]),
        reverse("outcomes:credit_review", args=[credit_request.pk]),
        reverse("outcomes:credit_csv"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


# --- The student's reflection: written only by its student; read by their school's staff ---

REFLECTION_PAGES = [
    ("get", "outcomes:reflection"),
    ("post", "outcomes:reflection"),
    ("post", "outcomes:reflection_sharing"),
]


@pytest.fixture
def reflected(student):
    from outcomes import reflections
    from tests.factories import approved_engagement

    engagement = approved_engagement(accepted_engagement(student=student))
    reflections.reflection_submit(
        actor=student,
        engagement=engagement,
        data=reflections.ReflectionData(
            text=" ".join(["learned"] * 320), share_on_record=False, notes={}
        ),
    )
    return engagement


@pytest.mark.parametrize(("method", "url_name"), REFLECTION_PAGES)
@pytest.mark.parametrize(
    "who",
    [
        "the_student",
        "the_employer",
        "other_student",
        "employer",
        "career_staff",
        "other_school_staff",
        "platform_admin",
    ],
)
def test_only_the_student_opens_and_changes_their_reflection(
    client, request, reflected, method, url_name, who
):
    from outcomes.models import Reflection

    viewer = {
        "the_student": reflected.student,
        "the_employer": employer_of(reflected.project),
    }.get(who) or request.getfixturevalue(who)
    client.force_login(viewer)
    url = reverse(url_name, args=[reflected.pk])

    response = getattr(client, method)(url, {"text": " ".join(["other"] * 330)})

    reflection = Reflection.objects.get(engagement=reflected)
    if who == "the_student":
        assert response.status_code == (200 if method == "get" else 302)
    else:
        assert response.status_code == 404
        assert reflection.word_count == 320 and "other" not in reflection.text


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("career_staff", True),
        ("platform_admin", True),
        ("other_school_staff", False),
        ("student", False),
        ("employer", False),
    ],
)
def test_a_reflection_in_the_admin_is_for_the_students_school_staff_and_admins(
    client, request, reflected, who, allowed
):
    from outcomes.models import Reflection

    reflection = Reflection.objects.get(engagement=reflected)
    client.force_login(request.getfixturevalue(who))

    page = client.get(reverse("admin:outcomes_reflection_change", args=[reflection.pk]))
    listing = client.get(reverse("admin:outcomes_reflection_changelist"))

    if allowed:
        assert page.status_code == 200
        assert "learned learned" in page.content.decode()
        assert reflected.project.title in listing.content.decode()
    elif who == "other_school_staff":
        assert page.status_code == 404
        assert reflected.project.title not in listing.content.decode()
    else:
        assert page.status_code == 302
        assert listing.status_code == 302
