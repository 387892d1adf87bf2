"""Everyone browses, filters, searches and sorts open projects, and opens a project's page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone

from projects.models import Category, ProjectStatus
from tests.factories import (
    ApplicationFactory,
    OrganizationFactory,
    ProjectFactory,
    SkillFactory,
    StudentFactory,
    accepted_engagement,
)

pytestmark = pytest.mark.django_db


def browse(client, **params):
    response = client.get(reverse("projects:browse"), params)
    assert response.status_code == 200
    return response


def listed(response):
    """The titles on the page, in the order shown."""
    return [p.title for p in response.context["result"].page.object_list]


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def in_days(n):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def organization(db):
    return OrganizationFactory(verified=True)


# --- What anonymous visitors see ----------------------------------------------------------


def test_anonymous_visitors_see_only_projects_open_for_applications(client):
    ProjectFactory(title="Open coffee price survey")
    ProjectFactory(title="Hidden draft", draft=True)
    ProjectFactory(title="Hidden cancelled", status=ProjectStatus.CANCELLED)
    ProjectFactory(title="Hidden closed", status=ProjectStatus.CLOSED)
    ProjectFactory(title="Hidden expired", apply_by=in_days(-3))

    response = browse(client)

    assert listed(response) == ["Open coffee price survey"]
    page = response.content.decode()
    assert "Open coffee price survey" in page
    assert "Hidden" not in page
    assert "1 project" in page


def test_the_project_page_shows_the_terms_and_the_organization(client):
    project = ProjectFactory(
        title="Competitor pricing study",
        hours=20,
        fee_cents=40000,
        days_to_complete=14,
        openings=2,
        apply_by=in_days(12),
    )

    response = client.get(reverse("projects:detail", args=[project.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Competitor pricing study" in page
    assert "$400" in page
    assert "20 (the cap)" in page
    assert "$20.00/hour" in page
    assert "14 days from the start" in page
    assert dateformat.format(project.apply_by, "l, F j") in page
    assert "2 of 2" in page
    assert project.organization.name in page
    assert "Verified organization" in page
    assert "Log in to apply" in page
    login = f"{reverse('account_login')}?next={reverse('projects:detail', args=[project.pk])}"
    assert f'href="{login}"' in page


def test_the_project_page_counts_the_openings_already_filled(client, organization):
    project = ProjectFactory(organization=organization, openings=2)
    accepted_engagement(project=project)

    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert "1 of 2" in page


# --- The apply button -------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_log_in_to_apply(client):
    project = ProjectFactory()

    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert "Log in to apply" in page
    assert reverse("projects:apply", args=[project.pk]) not in page


def test_a_student_gets_an_apply_button(client, student):
    project = ProjectFactory()
    client.force_login(student)

    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert f'href="{reverse("projects:apply", args=[project.pk])}">Apply</a>' in page
    assert "Log in to apply" not in page


def test_a_student_who_applied_is_told_so(client, student):
    project = ProjectFactory()
    ApplicationFactory(project=project, student=student)
    client.force_login(student)

    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert "You applied on" in page
    assert reverse("projects:apply", args=[project.pk]) not in page


def test_the_cards_mark_the_projects_a_student_applied_to(client, student):
    applied = ProjectFactory(title="Applied survey")
    ProjectFactory(title="Fresh survey")
    ApplicationFactory(project=applied, student=student)
    client.force_login(student)

    response = browse(client)

    assert response.context["result"].applied_project_ids == {applied.pk}
    assert response.content.decode().count(">Applied</span>") == 1


@pytest.mark.parametrize(
    ("status", "apply_by_in_days"),
    [(ProjectStatus.CLOSED, 10), (ProjectStatus.OPEN, -2)],
    ids=["closed", "apply-by-passed"],
)
def test_a_student_sees_that_applications_are_closed(client, student, status, apply_by_in_days):
    project = ProjectFactory(status=status, apply_by=in_days(apply_by_in_days))
    client.force_login(student)

    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert "Applications are closed." in page
    assert reverse("projects:apply", args=[project.pk]) not in page


def test_a_full_project_is_closed_to_other_students(client, student, organization):
    project = ProjectFactory(organization=organization, openings=1)
    accepted_engagement(project=project)
    client.force_login(student)

    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert "Applications are closed." in page


def test_an_employer_of_another_organization_is_told_only_students_apply(client, other_employer):
    project = ProjectFactory()
    client.force_login(other_employer)

    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert "Only students apply to projects." in page
    assert reverse("projects:apply", args=[project.pk]) not in page
    assert reverse("projects:edit", args=[project.pk]) not in page


def test_the_owner_sees_the_management_buttons_instead(client, employer):
    project = ProjectFactory(organization=employer.employer_profile.organization)
    client.force_login(employer)

    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert reverse("projects:edit", args=[project.pk]) in page
    assert reverse("projects:close", args=[project.pk]) in page
    assert "Only students apply" not in page


# --- Filters ----------------------------------------------------------------------------


def test_keywords_filter_by_the_words_of_the_title(client):
    ProjectFactory(title="Podcast show notes")
    ProjectFactory(title="Warehouse inventory count")

    assert listed(browse(client, q="podcast")) == ["Podcast show notes"]


def test_category_filter_takes_several_categories(client):
    ProjectFactory(title="Logo refresh", category=Category.DESIGN)
    ProjectFactory(title="Launch email campaign", category=Category.MARKETING)
    ProjectFactory(title="Competitor study", category=Category.RESEARCH)

    response = browse(client, category=["design", "marketing"])

    assert sorted(listed(response)) == ["Launch email campaign", "Logo refresh"]
    assert listed(browse(client, category="industry_research")) == ["Competitor study"]


def test_skills_filter_lists_a_project_with_two_chosen_skills_once(client):
    excel, sql, figma = (
        SkillFactory(name="Excel"),
        SkillFactory(name="SQL"),
        SkillFactory(name="Figma"),
    )
    ProjectFactory(title="Sales dashboard", skills=[excel, sql])
    ProjectFactory(title="App mockups", skills=[figma])
    ProjectFactory(title="Cold calling")

    assert listed(browse(client, skills=["excel", "sql"])) == ["Sales dashboard"]
    response = browse(client, skills=["excel", "figma"])
    assert sorted(listed(response)) == ["App mockups", "Sales dashboard"]
    assert response.context["result"].page.paginator.count == 2


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"fee_min": "350"}, ["Fee 400", "Fee 600"]),
        ({"fee_max": "450"}, ["Fee 300", "Fee 400"]),
        ({"fee_min": "400", "fee_max": "400"}, ["Fee 400"]),
        ({"fee_min": "400.01"}, ["Fee 600"]),
    ],
)
def test_fee_filters_are_in_dollars(client, params, expected):
    for dollars in (300, 400, 600):
        ProjectFactory(title=f"Fee {dollars}", hours=20, fee_cents=dollars * 100)

    assert sorted(listed(browse(client, **params))) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"hours_min": "15"}, ["20 hours", "30 hours"]),
        ({"hours_max": "20"}, ["10 hours", "20 hours"]),
        ({"hours_min": "11", "hours_max": "29"}, ["20 hours"]),
    ],
)
def test_hours_filters(client, params, expected):
    for hours in (10, 20, 30):
        ProjectFactory(title=f"{hours} hours", hours=hours, fee_cents=hours * 2000)

    assert sorted(listed(browse(client, **params))) == expected


def test_days_filter_keeps_projects_done_within_that_many_days(client):
    ProjectFactory(title="One week", days_to_complete=7)
    ProjectFactory(title="Two weeks", days_to_complete=14)
    ProjectFactory(title="A month", days_to_complete=30)

    assert listed(browse(client, days_max="10")) == ["One week"]
    assert sorted(listed(browse(client, days_max="14"))) == ["One week", "Two weeks"]


def test_remote_filter_hides_on_site_projects(client):
    ProjectFactory(title="From anywhere", is_remote=True)
    ProjectFactory(title="At our office", is_remote=False, location="Boston, MA")

    assert listed(browse(client, remote="on")) == ["From anywhere"]
    assert sorted(listed(browse(client))) == ["At our office", "From anywhere"]


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        ("1", ["Posted today"]),
        ("7", ["Posted this week", "Posted today"]),
        ("30", ["Posted this month", "Posted this week", "Posted today"]),
    ],
)
def test_posted_filter_keeps_recent_projects(client, posted, expected):
    ProjectFactory(title="Posted today", published_at=ago(hours=2))
    ProjectFactory(title="Posted this week", published_at=ago(days=3))
    ProjectFactory(title="Posted this month", published_at=ago(days=20))
    ProjectFactory(title="Posted long ago", published_at=ago(days=45))

    assert sorted(listed(browse(client, posted=posted))) == expected


def test_filters_combine(client):
    ProjectFactory(title="Remote design, good fee", category=Category.DESIGN, fee_cents=60000)
    ProjectFactory(title="Remote design, small fee", category=Category.DESIGN, fee_cents=30000)
    ProjectFactory(
        title="Office design, good fee",
        category=Category.DESIGN,
        fee_cents=60000,
        is_remote=False,
        location="Denver, CO",
    )
    ProjectFactory(title="Remote research, good fee", fee_cents=60000)

    response = browse(client, category="design", remote="on", fee_min="500")

    assert listed(response) == ["Remote design, good fee"]
    labels = [f.label for f in response.context["result"].active_filters]
    assert labels == ["Category: Design", "Fee from ($): 500", "Remote only: yes"]


def test_the_pages_of_a_filtered_search_keep_the_filters(client, organization):
    ProjectFactory.create_batch(25, organization=organization, category=Category.DESIGN)
    ProjectFactory.create_batch(3, organization=organization, category=Category.MARKETING)

    first = browse(client, category="design", remote="on")

    page = first.content.decode()
    assert "25 projects · page 1 of 2" in page
    assert 'href="?category=design&amp;remote=on&amp;page=2"' in page
    second = browse(client, category="design", remote="on", page="2")
    assert len(second.context["result"].page.object_list) == 5
    assert {p.category for p in second.context["result"].page.object_list} == {"design"}
    assert 'href="?category=design&amp;remote=on&amp;page=1"' in second.content.decode()


# --- Sorting ----------------------------------------------------------------------------


@pytest.fixture
def three_projects():
    """Three projects whose order differs for every sort."""
    ProjectFactory(
        title="A",
        hours=10,
        fee_cents=30000,
        apply_by=in_days(20),
        published_at=ago(days=2),
    )
    ProjectFactory(
        title="B",
        hours=20,
        fee_cents=40000,
        apply_by=in_days(5),
        published_at=ago(days=1),
    )
    ProjectFactory(
        title="C",
        hours=20,
        fee_cents=50000,
        apply_by=in_days(10),
        published_at=ago(days=3),
    )


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["B", "A", "C"]),
        ("fee", ["C", "B", "A"]),
        ("rate", ["A", "C", "B"]),
        ("apply_by", ["B", "C", "A"]),
    ],
)
def test_each_sort_orders_the_projects(client, three_projects, sort, expected):
    response = browse(client, sort=sort)

    assert listed(response) == expected
    assert response.context["result"].sort == sort


def test_newest_first_is_the_default_order(client, three_projects):
    assert listed(browse(client)) == ["B", "A", "C"]


def test_best_match_puts_projects_sharing_more_of_the_students_skills_first(client):
    excel, sql, figma = (
        SkillFactory(name="Excel"),
        SkillFactory(name="SQL"),
        SkillFactory(name="Figma"),
    )
    student = StudentFactory(skills=[excel, sql]).user
    ProjectFactory(title="No shared skill", skills=[figma], published_at=ago(hours=1))
    ProjectFactory(title="One shared skill", skills=[excel, figma], published_at=ago(hours=2))
    ProjectFactory(title="Two shared skills", skills=[excel, sql], published_at=ago(hours=3))
    ProjectFactory(title="No skills at all", published_at=ago(hours=4))
    client.force_login(student)

    response = browse(client, sort="match")

    assert listed(response) == [
        "Two shared skills",
        "One shared skill",
        "No shared skill",
        "No skills at all",
    ]
    assert response.context["result"].notice == ""


def test_best_match_pages_run_on_from_the_matched_projects_into_the_newest_others(
    client, organization
):
    excel, sql, figma = SkillFactory(name="Excel"), SkillFactory(name="SQL"), SkillFactory()
    student = StudentFactory(skills=[excel, sql]).user
    expected = []
    # 7 projects asking for both skills, 9 for one, 30 for neither: the second page holds
    # the last matched projects and the first others, the third only others.
    for i in range(46):
        skills = [excel, sql] if i < 7 else [sql, figma] if i < 16 else [figma]
        published = ago(minutes=i * 7 % 46 + 1)
        project = ProjectFactory(
            organization=organization, title=f"P{i}", skills=skills, published_at=published
        )
        expected.append((-len({excel, sql} & set(skills)), -published.timestamp(), project.title))
    expected = [title for *_, title in sorted(expected)]
    client.force_login(student)

    responses = [browse(client, sort="match", page=n) for n in (1, 2, 3)]

    pages = [listed(response) for response in responses]
    assert [len(page) for page in pages] == [20, 20, 6]
    assert pages[0] + pages[1] + pages[2] == expected
    assert responses[2].context["result"].page.paginator.count == 46


def test_best_match_keeps_the_filters_and_the_search(client, organization):
    excel, sql = SkillFactory(name="Excel"), SkillFactory(name="SQL")
    student = StudentFactory(skills=[excel, sql]).user
    ProjectFactory(
        title="Remote both", skills=[excel, sql], is_remote=True, published_at=ago(hours=3)
    )
    ProjectFactory(
        title="On site both",
        skills=[excel, sql],
        is_remote=False,
        location="Boston, MA",
        published_at=ago(hours=1),
    )
    ProjectFactory(title="Remote one", skills=[excel], is_remote=True, published_at=ago(hours=2))
    ProjectFactory(title="Remote none", is_remote=True, published_at=ago(hours=1))
    client.force_login(student)

    assert listed(browse(client, sort="match", remote="on")) == [
        "Remote both",
        "Remote one",
        "Remote none",
    ]
    assert listed(browse(client, sort="match", skills=excel.slug, remote="on")) == [
        "Remote both",
        "Remote one",
    ]


def test_best_match_for_anonymous_visitors_explains_and_shows_newest_first(client, three_projects):
    response = browse(client, sort="match")

    assert listed(response) == ["B", "A", "C"]
    assert response.context["result"].sort == "newest"
    assert "log in as a student with skills on your profile" in response.content.decode()


# --- Search -----------------------------------------------------------------------------


def test_search_finds_a_word_of_the_title_and_nothing_for_an_unknown_word(client):
    ProjectFactory(title="Translate our onboarding guide")
    ProjectFactory(title="Count the stock in our warehouse")

    assert listed(browse(client, q="onboarding")) == ["Translate our onboarding guide"]
    assert listed(browse(client, q="ONBOARDING guide")) == ["Translate our onboarding guide"]
    assert listed(browse(client, q="xylophone")) == []


def test_a_search_with_no_results_suggests_removing_each_filter(client):
    ProjectFactory(title="Design a poster", category=Category.DESIGN)

    response = browse(client, q="xylophone", category="design")

    page = response.content.decode()
    assert listed(response) == []
    assert "No open project matches all of this" in page
    assert "Try removing one filter at a time" in page
    assert '<a href="?category=design">Remove “Keywords: xylophone”</a>' in page
    assert '<a href="?q=xylophone">Remove “Category: Design”</a>' in page
    assert listed(browse(client, category="design")) == ["Design a poster"]


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Full-text ranking and stemming need PostgreSQL.")


def test_postgresql_ranks_title_matches_first_and_matches_word_forms(client, postgresql_only):
    ProjectFactory(
        title="Notes on our coffee shops",
        summary="Visit three shops and write down what you see.",
        description="We also care about pricing, but only a little.",
        deliverables="A page of notes.",
        published_at=ago(hours=1),
    )
    ProjectFactory(
        title="Pricing review of our coffee",
        summary="Compare our prices with three competitors.",
        description="A short study.",
        deliverables="A page of notes.",
        published_at=ago(days=2),
    )
    ProjectFactory(
        title="Market research for a bakery",
        summary="Find out which breads our neighbours buy.",
        description="Talk to twenty customers.",
        deliverables="A list of answers.",
        published_at=ago(days=3),
    )

    ranked = browse(client, q="pricing")
    stemmed = browse(client, q="researching")

    assert listed(ranked) == ["Pricing review of our coffee", "Notes on our coffee shops"]
    assert ranked.context["result"].sort == "relevance"
    assert listed(stemmed) == ["Market research for a bakery"]


# --- Pagination -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "number", "count"),
    [("1", 1, 20), ("2", 2, 20), ("3", 3, 5), ("999", 3, 5), ("abc", 1, 20)],
)
def test_results_come_twenty_a_page(client, organization, page, number, count):
    ProjectFactory.create_batch(45, organization=organization)

    result = browse(client, page=page).context["result"]

    assert result.page.number == number
    assert len(result.page.object_list) == count
    assert result.page.paginator.count == 45


# --- Bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"fee_min": "abc"},
        {"fee_max": "-5"},
        {"hours_max": "1e999"},
        {"sort": "bogus"},
        {"posted": "2"},
        {"category": "astrology"},
        {"skills": "no-such-skill"},
        {"page": "-1"},
        {"q": "  ' OR 1=1 -- & | ! :* () <script>"},
    ],
)
def test_invalid_filter_values_never_break_the_page(client, params):
    ProjectFactory()

    browse(client, **params)


# --- Query counts -----------------------------------------------------------------------


def skilled_projects(n, organization):
    for _ in range(n):
        ProjectFactory(organization=organization, skills=[SkillFactory(), SkillFactory()])


def test_browse_runs_the_same_queries_for_3_or_30_projects(client, organization):
    skilled_projects(3, organization)
    with CaptureQueriesContext(connection) as few:
        browse(client)
    skilled_projects(27, organization)
    with CaptureQueriesContext(connection) as many:
        response = browse(client)

    assert response.context["result"].page.paginator.count == 30
    assert len(many) == len(few)


def test_best_match_runs_the_same_queries_for_3_or_30_projects(client, organization):
    student = StudentFactory(skills=[SkillFactory(), SkillFactory()]).user
    client.force_login(student)
    skilled_projects(3, organization)
    with CaptureQueriesContext(connection) as few:
        browse(client, sort="match")
    skilled_projects(27, organization)
    with CaptureQueriesContext(connection) as many:
        response = browse(client, sort="match")

    assert response.context["result"].sort == "match"
    assert len(response.context["result"].page.object_list) == 20
    assert len(many) == len(few)


@pytest.mark.parametrize("viewer", [None, "student", "employer"])
def test_the_project_page_runs_the_same_queries_whatever_its_skills_and_questions(
    client, request, viewer
):
    small = ProjectFactory(skills=[SkillFactory()], questions=["Why you?"])
    large = ProjectFactory(
        skills=SkillFactory.create_batch(5),
        questions=["Why you?", "When can you start?", "Which tools?"],
    )
    if viewer:
        client.force_login(request.getfixturevalue(viewer))

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("projects:detail", args=[small.pk])).status_code == 200
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("projects:detail", args=[large.pk]))

    assert response.content.decode().count("badge text-bg-light border me-1") == 5
    assert len(many) == len(few)
