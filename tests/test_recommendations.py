"""Recommended projects on the student dashboard: the order, the reasons, what is left out,
and a fixed number of queries whatever the number of open projects."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements.models import Engagement, EngagementStatus
from feedback.models import StudentEvaluation
from outcomes.recommendations import recommended_projects
from projects.models import Category, ProjectStatus
from projects.rules import apply_by_today
from tests.factories import (
    ApplicationFactory,
    OrganizationFactory,
    ProjectFactory,
    SkillFactory,
    StudentFactory,
    accepted_engagement,
)
from tests.helpers import status_fields

pytestmark = pytest.mark.django_db


def completed(student, *, organization=None, category=Category.OTHER, approved_days_ago=1):
    project = ProjectFactory(
        category=category, **({"organization": organization} if organization else {})
    )
    engagement = accepted_engagement(project=project, student=student)
    Engagement.objects.filter(pk=engagement.pk).update(
        **status_fields(
            EngagementStatus.APPROVED,
            approved_at=timezone.now() - timedelta(days=approved_days_ago),
        )
    )
    return engagement


def evaluate(engagement, scores):
    names = ("communication", "problem_solving", "quality", "timeliness", "professionalism")
    StudentEvaluation.objects.create(
        engagement=engagement,
        author=engagement.project.created_by,
        strengths="Good",
        growth_areas="More",
        would_work_again=True,
        interested_full_time=False,
        **dict(zip(names, scores, strict=True)),
    )


@pytest.fixture
def world():
    """A student with three skills, two data analysis projects done, one organization that
    rated them 4.6 and one that rated them 3, and open projects hand-built so that the
    expected order is plain."""
    python, sql, excel, other = (SkillFactory(name=n) for n in ("Python", "SQL", "Excel", "Figma"))
    student = StudentFactory(skills=[python, sql, excel]).user
    for _ in range(2):
        completed(student, category=Category.DATA_ANALYSIS)
    fan = OrganizationFactory(name="Brightline Analytics", verified=True)
    lukewarm = OrganizationFactory(name="Lukewarm Inc", verified=True)
    secret = OrganizationFactory(name="Not Yet Revealed", verified=True)
    # Revealed: approved more than the reveal delay ago.
    evaluate(completed(student, organization=fan, approved_days_ago=30), (5, 5, 4, 5, 4))
    evaluate(completed(student, organization=lukewarm, approved_days_ago=30), (3, 3, 3, 3, 3))
    # Not revealed yet (no review from the student, approved yesterday): it must not count.
    evaluate(completed(student, organization=secret), (5, 5, 5, 5, 5))

    now = timezone.now()
    three_skills = ProjectFactory(title="Three skills", skills=[python, sql, excel])
    skill_and_category = ProjectFactory(
        title="Skill and category", skills=[python, other], category=Category.DATA_ANALYSIS
    )
    rated = ProjectFactory(
        title="Rated", organization=fan, category=Category.RESEARCH, published_at=now
    )
    category_only = ProjectFactory(
        title="Category only",
        category=Category.DATA_ANALYSIS,
        published_at=now - timedelta(days=2),
    )
    # Left out: nothing in common, already applied, closed, a lukewarm or unrevealed rating.
    ProjectFactory(title="Nothing in common", skills=[other], category=Category.DESIGN)
    applied = ProjectFactory(title="Applied already", skills=[python, sql, excel])
    ApplicationFactory(project=applied, student=student)
    ProjectFactory(title="Closed", skills=[python, sql, excel], status=ProjectStatus.CLOSED)
    ProjectFactory(
        title="Past its apply-by date",
        skills=[python, sql, excel],
        apply_by=apply_by_today() - timedelta(days=1),
    )
    ProjectFactory(title="Lukewarm", organization=lukewarm, category=Category.RESEARCH)
    ProjectFactory(title="Secret", organization=secret, category=Category.RESEARCH)
    return {
        "student": student,
        "order": [three_skills, skill_and_category, rated, category_only],
    }


def test_recommendations_are_ranked_with_their_reasons(world):
    picks = recommended_projects(world["student"])

    assert [p.project.title for p in picks] == [p.title for p in world["order"]]
    assert [p.reasons for p in picks] == [
        ["matches 3 of your skills"],
        ["matches 1 of your skills", "you completed 2 data analysis projects"],
        ["Brightline Analytics rated your work 4.6/5"],
        ["you completed 2 data analysis projects"],
    ]
    assert [p.score for p in picks] == [9, 7, 4, 4]


def test_at_most_five_are_recommended(world):
    python = world["student"].student_profile.skills.get(name="Python")
    for i in range(6):
        ProjectFactory(title=f"More {i}", skills=[python])

    assert len(recommended_projects(world["student"])) == 5


def test_a_student_with_nothing_to_go_on_gets_no_recommendations_and_a_hint(client):
    student = StudentFactory().user
    ProjectFactory()
    client.force_login(student)

    assert recommended_projects(student) == []
    page = client.get(reverse("student_dashboard")).content.decode()
    assert "Recommended for you" in page
    assert "Add skills to your profile" in page


def test_the_dashboard_shows_the_recommendations_and_why(client, world):
    client.force_login(world["student"])

    page = client.get(reverse("student_dashboard")).content.decode()

    assert "Recommended for you" in page
    assert "Matches 3 of your skills" in page
    assert "Brightline Analytics rated your work 4.6/5" in page
    assert "Secret" not in page


def test_recommendations_run_the_same_few_queries_for_few_or_many_projects(
    world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    student = world["student"]
    with CaptureQueriesContext(connection) as few:
        recommended_projects(student)
    skills = list(student.student_profile.skills.all())
    for i in range(30):
        ProjectFactory(title=f"Extra {i}", skills=skills[: i % 3 + 1])
    with django_assert_max_num_queries(4):
        picks = recommended_projects(student)
    with CaptureQueriesContext(connection) as many:
        recommended_projects(student)
    assert len(picks) == 5
    assert len(few.captured_queries) == len(many.captured_queries) == 4


def test_the_student_dashboard_stays_bounded_with_outcomes(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["student"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("student_dashboard"))
    skills = list(world["student"].student_profile.skills.all())
    for i in range(15):
        ProjectFactory(title=f"Extra {i}", skills=skills)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("student_dashboard"))
    assert len(few.captured_queries) == len(many.captured_queries)
