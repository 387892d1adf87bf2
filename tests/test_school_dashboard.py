"""The career services school dashboard: a term's figures for one school, its access rules,
its CSV download and its cost in queries."""

import csv
import io
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements.models import Engagement, EngagementStatus
from feedback.models import EmployerReview, FeedbackSession, StudentEvaluation
from marketplace.terms import parse_term, term_for
from oversight.dashboard import Period, school_figures
from projects.models import Application, Category
from tests.factories import (
    AdminFactory,
    ApplicationFactory,
    CareerStaffFactory,
    EmployerFactory,
    OrganizationFactory,
    ProjectFactory,
    SchoolFactory,
    StudentFactory,
    accepted_engagement,
)
from tests.helpers import status_fields

pytestmark = pytest.mark.django_db

URL = "/admin/school-dashboard/"
FALL_2025 = parse_term("2025-fall")
# Noon UTC: the same day in UTC and in every US time zone.
IN_TERM = datetime(2025, 10, 10, 12, tzinfo=UTC)
SUMMER = datetime(2025, 6, 10, 12, tzinfo=UTC)
VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"


def engage(
    *,
    student,
    organization,
    status,
    logged_quarters=0,
    fee_cents=40000,
    category=Category.RESEARCH,
    accepted_at=IN_TERM,
    on_time=True,
):
    """An engagement made through the services, then moved to the given state and dates."""
    project = ProjectFactory(organization=organization, category=category, fee_cents=fee_cents)
    engagement = accepted_engagement(project=project, student=student, funded=False)
    due_at = accepted_at + timedelta(days=14)
    submitted_at = approved_at = None
    if status in (EngagementStatus.APPROVED, EngagementStatus.PAID):
        submitted_at = due_at + timedelta(days=-1 if on_time else 1)
        approved_at = submitted_at + timedelta(days=1)
    Engagement.objects.filter(pk=engagement.pk).update(
        **status_fields(
            status,
            at=due_at,
            logged_quarters=logged_quarters,
            accepted_at=accepted_at,
            funded_at=accepted_at + timedelta(hours=2),
            due_at=due_at,
            submitted_at=submitted_at,
            approved_at=approved_at,
        )
    )
    Application.objects.filter(pk=engagement.application_id).update(
        created_at=accepted_at - timedelta(days=2)
    )
    engagement.refresh_from_db()
    return engagement


def session(engagement, status, at):
    return FeedbackSession.objects.create(
        engagement=engagement,
        kind=FeedbackSession.Kind.CHECK_IN,
        scheduled_at=at,
        status=status,
        marked_at=at if status in ("held", "missed") else None,
    )


def review(engagement, clarity, support, learning_value):
    EmployerReview.objects.create(
        engagement=engagement,
        author=engagement.student,
        clarity=clarity,
        support=support,
        learning_value=learning_value,
        comment="Clear brief.",
    )


def evaluation(engagement, *, interested):
    StudentEvaluation.objects.create(
        engagement=engagement,
        author=engagement.project.created_by,
        communication=4,
        problem_solving=4,
        quality=4,
        timeliness=4,
        professionalism=4,
        strengths="Careful work.",
        growth_areas="Ask earlier.",
        would_work_again=True,
        interested_full_time=interested,
    )


@pytest.fixture
def data():
    """School A in fall 2025: five engagements of four students with two employers.

    Hand-computed figures are in test_a_schools_figures_are_the_hand_computed_ones."""
    school_a, school_b = SchoolFactory(name="Alder College"), SchoolFactory(name="Birch College")
    northwind = OrganizationFactory(name="Northwind", verified=True)
    contoso = OrganizationFactory(name="Contoso", verified=True)
    s1, s2, s3, s4, s5 = (StudentFactory(school=school_a).user for _ in range(5))
    paid = EngagementStatus.PAID
    approved = EngagementStatus.APPROVED
    # Rates of completed work: 40000/20 h = 2000, 40000/10 h = 4000, 30000/12 h = 2500.
    e1 = engage(student=s1, organization=northwind, status=paid, logged_quarters=80)
    e2 = engage(
        student=s2, organization=northwind, status=approved, logged_quarters=40, on_time=False
    )
    engage(
        student=s3,
        organization=contoso,
        status=EngagementStatus.CANCELLED,
        logged_quarters=8,
        category=Category.DESIGN,
    )
    e4 = engage(
        student=s4,
        organization=contoso,
        status=EngagementStatus.ACTIVE,
        logged_quarters=20,
        category=Category.DESIGN,
    )
    e5 = engage(
        student=s1,
        organization=contoso,
        status=approved,
        logged_quarters=48,
        fee_cents=30000,
        category=Category.DESIGN,
    )
    # Another term and another school: never counted for school A in fall 2025.
    engage(
        student=StudentFactory(school=school_a).user,
        organization=contoso,
        status=paid,
        logged_quarters=40,
        accepted_at=SUMMER,
    )
    b1 = engage(
        student=StudentFactory(school=school_b).user,
        organization=northwind,
        status=paid,
        logged_quarters=80,
    )
    # s5 only applied; a school B student applied too.
    ApplicationFactory(student=s5, created_at=IN_TERM - timedelta(days=3))
    ApplicationFactory(
        student=StudentFactory(school=school_b).user, created_at=IN_TERM - timedelta(days=3)
    )

    held, missed = FeedbackSession.Status.HELD, FeedbackSession.Status.MISSED
    session(e1, held, IN_TERM + timedelta(days=1))
    session(e1, held, IN_TERM + timedelta(days=8))
    session(e1, missed, IN_TERM + timedelta(days=12))
    session(e2, held, IN_TERM + timedelta(days=1))
    session(e2, FeedbackSession.Status.CANCELLED, IN_TERM + timedelta(days=8))
    session(e4, FeedbackSession.Status.SCHEDULED, IN_TERM + timedelta(days=1))  # due, not held
    session(e4, FeedbackSession.Status.SCHEDULED, timezone.now() + timedelta(days=3))  # not due
    session(b1, held, IN_TERM + timedelta(days=1))

    review(e1, 5, 4, 3)  # 4.0
    review(e2, 5, 5, 5)  # 5.0
    review(e5, 2, 3, 4)  # 3.0
    review(b1, 1, 1, 1)  # school B's students' opinion
    evaluation(e1, interested=True)
    evaluation(e5, interested=True)  # the same student again: counted once
    evaluation(e2, interested=False)
    evaluation(b1, interested=True)

    return SimpleNamespace(
        school_a=school_a,
        school_b=school_b,
        staff_a=CareerStaffFactory(school=school_a).user,
        staff_b=CareerStaffFactory(school=school_b).user,
        northwind=northwind,
        contoso=contoso,
    )


def test_a_schools_figures_are_the_hand_computed_ones(data):
    figures = school_figures(data.school_a.pk, FALL_2025)

    assert figures["students_applied"] == 5
    assert figures["students_accepted"] == 4
    assert figures["students_completed"] == 2
    assert figures["engagements_accepted"] == 5
    assert figures["engagements_completed"] == 3
    assert figures["engagements_under_way"] == 1
    assert figures["hours_logged"] == 49  # (80 + 40 + 8 + 20 + 48) quarter hours
    assert figures["earnings_cents"] == 110000
    assert figures["median_rate_cents"] == 2500  # of 2000, 2500, 4000 (the mean is 2833)
    assert figures["completion_rate"] == 75.0  # 3 of 4 finished; the active one is left out
    assert figures["on_time_rate"] == 66.7
    assert (figures["sessions_held"], figures["sessions_due"]) == (3, 5)
    assert figures["supervision_rate"] == 60.0
    assert figures["interested_full_time"] == 1
    assert [(c["label"], c["count"]) for c in figures["categories"]] == [
        ("Design", 3),
        ("Industry research", 2),
    ]
    assert [
        (e["name"], e["engagements"], e["rating"], e["interested"]) for e in figures["employers"]
    ] == [
        ("Contoso", 3, 3.0, 1),
        ("Northwind", 2, 4.5, 1),
    ]


def test_every_schools_figures_add_the_other_schools(data):
    figures = school_figures(None, FALL_2025)

    assert figures["engagements_accepted"] == 6
    assert figures["students_applied"] == 7
    assert figures["earnings_cents"] == 150000
    assert figures["interested_full_time"] == 2
    northwind = next(e for e in figures["employers"] if e["name"] == "Northwind")
    assert northwind["engagements"] == 3
    assert northwind["rating"] == round((4 + 5 + 1) / 3, 2)


def test_a_term_without_engagements_has_no_rates_rather_than_an_error(data):
    figures = school_figures(data.school_a.pk, parse_term("2024-spring"))

    assert figures["engagements_accepted"] == 0
    assert figures["median_rate_cents"] is None
    assert figures["completion_rate"] is None
    assert figures["categories"] == [] and figures["employers"] == []


def test_a_custom_range_counts_only_engagements_accepted_within_it(data):
    day = IN_TERM.date()

    assert school_figures(data.school_a.pk, Period(day, day))["engagements_accepted"] == 5
    assert (
        school_figures(data.school_a.pk, Period(day + timedelta(days=1), FALL_2025.end))[
            "engagements_accepted"
        ]
        == 0
    )


# --- Who sees what -----------------------------------------------------------------------


def test_career_staff_see_their_own_schools_figures(client, data):
    client.force_login(data.staff_a)

    response = client.get(URL, {"term": "2025-fall"})

    assert response.status_code == 200
    assert response.context["figures"]["engagements_accepted"] == 5
    assert b"Alder College" in response.content
    assert b"Birch College" not in response.content


def test_career_staff_never_see_another_schools_figures_whatever_they_ask(client, data):
    client.force_login(data.staff_a)

    page = client.get(URL, {"term": "2025-fall", "school": data.school_b.pk})
    download = client.get(URL, {"term": "2025-fall", "school": "all", "format": "csv"})

    assert page.context["figures"]["engagements_accepted"] == 5
    assert b"Birch College" not in page.content
    assert 'name="school"' not in page.content.decode()  # no school selector for staff
    assert "summary,School,Alder College" in download.content.decode()
    assert "summary,Engagements accepted,5" in download.content.decode()

    client.force_login(data.staff_b)
    page_b = client.get(URL, {"term": "2025-fall", "school": data.school_a.pk})
    assert page_b.context["figures"]["engagements_accepted"] == 1
    assert b"Alder College" not in page_b.content


def test_a_platform_admin_sees_every_school_or_the_one_chosen(client, data):
    client.force_login(AdminFactory())

    every = client.get(URL, {"term": "2025-fall"})
    one = client.get(URL, {"term": "2025-fall", "school": data.school_b.pk})
    unknown = client.get(URL, {"term": "2025-fall", "school": "9999999"})

    assert every.context["figures"]["engagements_accepted"] == 6
    assert b"All schools" in every.content
    assert one.context["figures"]["engagements_accepted"] == 1
    assert b"<strong>Birch College</strong>" in one.content
    assert unknown.status_code == 200
    assert unknown.context["figures"]["engagements_accepted"] == 6
    assert b"There is no such school" in unknown.content


def test_students_employers_and_visitors_cannot_open_the_dashboard(client, data):
    student = StudentFactory(school=data.school_a).user
    employer = EmployerFactory(organization=data.northwind).user
    for user in (student, employer):
        client.force_login(user)
        assert client.get(URL, follow=True).status_code == 403
        assert client.get(URL, {"format": "csv"}, follow=True).status_code == 403
    client.logout()

    response = client.get(URL)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_staff_account_without_a_school_is_refused(client, data):
    profile = CareerStaffFactory(school=data.school_a)
    user = profile.user
    profile.delete()
    client.force_login(user)

    assert client.get(URL).status_code == 403


def test_the_admin_home_links_to_the_dashboard_for_staff_and_platform_admins(client, data):
    link = f'href="{reverse("admin:school_dashboard")}"'
    for user in (data.staff_a, AdminFactory()):
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert link in response.content.decode()
        assert 'class="app-' in response.content.decode()  # the app list is still there


# --- Periods -----------------------------------------------------------------------------


def test_the_current_term_is_the_default_and_an_unknown_term_falls_back_to_it(client, data):
    client.force_login(data.staff_a)
    current = term_for(timezone.localdate())

    default = client.get(URL)
    unknown = client.get(URL, {"term": "2025-winter"})
    nonsense = client.get(URL, {"term": "<script>"})
    chosen = client.get(URL, {"term": "2025-fall"})
    # The form as the browser sends it when no custom range is given.
    submitted = client.get(URL, {"term": "2025-fall", "start": "", "end": ""})

    for response in (default, unknown, nonsense):
        assert response.status_code == 200
        assert response.context["period"] == current
        assert b'<li class="error">' not in response.content
    for response in (chosen, submitted):
        assert response.context["period"] == FALL_2025
        assert b"Fall 2025" in response.content
        assert b'<li class="error">' not in response.content


def test_a_custom_range_replaces_the_term(client, data):
    client.force_login(data.staff_a)

    response = client.get(URL, {"term": "2025-fall", "start": "2025-10-10", "end": "2025-10-10"})

    assert response.context["figures"]["engagements_accepted"] == 5
    assert b"Oct 10, 2025 \xe2\x80\x93 Oct 10, 2025" in response.content


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2025-10-20", "2025-10-01", "The first day must come before the last day."),
        ("yesterday", "2025-10-01", "Enter a valid date."),
        ("2025-10-01", "", "Give both the first and the last day of the range."),
        ("2025-02-30", "2025-03-01", "Enter a valid date."),
        ("9999-12-30", "9999-12-31", "Choose dates between 2000 and 2100."),
    ],
)
def test_a_bad_custom_range_shows_a_message_and_the_term(client, data, start, end, message):
    client.force_login(data.staff_a)

    response = client.get(URL, {"term": "2025-fall", "start": start, "end": end})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["period"] == FALL_2025
    assert response.context["figures"]["engagements_accepted"] == 5


# --- CSV ---------------------------------------------------------------------------------


def test_the_csv_holds_every_figure_category_and_employer(client, data):
    client.force_login(data.staff_a)

    response = client.get(URL, {"term": "2025-fall", "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "figure", "value", "average rating", "interested full-time"]
    summary = {row[1]: row[2] for row in rows if row[0] == "summary"}
    assert summary["Period"] == "Fall 2025"
    assert summary["Students who applied"] == "5"
    assert summary["Hours logged"] == "49.0"
    assert summary["Earnings (USD)"] == "$1,100.00"
    assert summary["Median effective hourly rate (USD)"] == "$25.00"
    assert summary["Completion rate (%)"] == "75.0"
    assert summary["Supervision compliance (%)"] == "60.0"
    assert [row[1:3] for row in rows if row[0] == "category"] == [
        ["Design", "3"],
        ["Industry research", "2"],
    ]
    assert [row[1:] for row in rows if row[0] == "employer"] == [
        ["Contoso", "3", "3.0", "1"],
        ["Northwind", "2", "4.5", "1"],
    ]


def test_an_employer_name_that_is_a_formula_is_quoted_in_the_csv(client, data):
    data.contoso.name = '=HYPERLINK("x")'
    data.contoso.save(update_fields=["name"])
    client.force_login(data.staff_a)

    response = client.get(URL, {"term": "2025-fall", "format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    employers = [row[1] for row in rows if row[0] == "employer"]
    assert employers == ['\'=HYPERLINK("x")', "Northwind"]


# --- Cost --------------------------------------------------------------------------------


def _school_with(engagements: int):
    """A school whose fall 2025 has the given number of engagements, each with sessions,
    a review and an evaluation."""
    school = SchoolFactory()
    organizations = [OrganizationFactory(verified=True) for _ in range(2)]
    for i in range(engagements):
        engagement = engage(
            student=StudentFactory(school=school).user,
            organization=organizations[i % 2],
            status=EngagementStatus.PAID if i % 3 else EngagementStatus.ACTIVE,
            logged_quarters=40 + i,
            category=[Category.RESEARCH, Category.DESIGN, Category.DATA_ENTRY][i % 3],
        )
        session(engagement, FeedbackSession.Status.HELD, IN_TERM + timedelta(days=1))
        review(engagement, 4, 4, 4)
        evaluation(engagement, interested=i % 2 == 0)
    return school, CareerStaffFactory(school=school).user


def _queries(client, user, params) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_dashboard_costs_a_few_queries_whatever_the_number_of_engagements(client, db):
    small_school, small_staff = _school_with(2)
    big_school, big_staff = _school_with(10)

    with CaptureQueriesContext(connection) as small:
        school_figures(small_school.pk, FALL_2025)
    with CaptureQueriesContext(connection) as big:
        figures = school_figures(big_school.pk, FALL_2025)
    assert figures["engagements_accepted"] == 10
    assert len(small.captured_queries) == len(big.captured_queries) <= 6

    for params in ({"term": "2025-fall"}, {"term": "2025-fall", "format": "csv"}):
        assert _queries(client, small_staff, params) == _queries(client, big_staff, params)


def test_the_dashboard_page_stays_under_its_query_budget(
    client, data, django_assert_max_num_queries
):
    client.force_login(AdminFactory())
    with django_assert_max_num_queries(15):
        client.get(URL, {"term": "2025-fall"})
    client.force_login(data.staff_a)
    with django_assert_max_num_queries(15):
        client.get(URL, {"term": "2025-fall", "format": "csv"})


# --- Markup ------------------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("java") is None or not VNU_JAR.exists(), reason="needs java and vnu.jar"
)
def test_the_page_is_valid_html_with_a_chart_title_and_table_for_each_chart(client, data, tmp_path):
    client.force_login(AdminFactory())
    response = client.get(URL, {"term": "2025-fall", "start": "2025-10-20", "end": "x"})
    html = response.content.decode()

    assert html.count('<svg role="img"') == 3
    assert html.count("<title id=") == 3
    assert html.count("<table") >= 3
    page = tmp_path / "dashboard.html"
    page.write_text(html)
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
