"""Career services through the REST API: their own school's students, engagements with the
integrity figures, evaluations, flags and dashboard figures, scoped as the admin scopes them;
and students' own applications, engagements and records."""

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import StudentEvaluation
from marketplace.terms import term_for
from oversight.dashboard import school_figures
from oversight.models import Flag
from tests.api_world import build_world, make_token
from tests.factories import StudentFactory, accepted_engagement, approved_engagement

pytestmark = pytest.mark.django_db


def evaluate(engagement, score=4):
    return StudentEvaluation.objects.create(
        engagement=engagement,
        author=engagement.project.created_by,
        communication=score,
        problem_solving=score,
        quality=score,
        timeliness=score,
        professionalism=score,
        strengths="Careful work.",
        growth_areas="Ask earlier.",
        would_work_again=True,
        interested_full_time=False,
    )


@pytest.fixture
def world():
    return build_world()


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_staff_list_only_their_school_s_verified_students(client, world):
    unverified = StudentFactory(school=world.objects["school"], unverified=True).user

    response = client.get(reverse("api:school_students"), **world.header("career_staff"))

    assert ids(response) == {world.users["student"].pk}
    assert unverified.pk not in ids(response)
    other = client.get(reverse("api:school_students"), **world.header("other_staff"))
    assert ids(other) == {world.users["other_student"].pk}


def test_staff_read_their_school_s_engagements_with_the_integrity_figures(client, world):
    elsewhere = accepted_engagement(student=world.users["other_student"])

    response = client.get(reverse("api:school_engagements"), **world.header("career_staff"))

    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [world.objects["engagement"].pk]
    assert elsewhere.pk not in ids(response)
    integrity = rows[0]["integrity"]
    assert integrity["hours_percent"] == 0
    assert integrity["flag_overdue"] is False
    assert integrity["sessions_held"] == 0


def test_flags_follow_the_admin_scope(client, world):
    elsewhere = accepted_engagement(student=world.users["other_student"])
    theirs = Flag.objects.create(
        school=world.objects["other_school"], engagement=elsewhere, note="Theirs"
    )
    about_employer = Flag.objects.create(
        school=world.objects["other_school"],
        organization=world.objects["organization"],
        note="A warning about the employer",
    )

    response = client.get(reverse("api:school_flags"), **world.header("career_staff"))

    assert ids(response) == {world.objects["flag"].pk, about_employer.pk}
    assert theirs.pk not in ids(response)


def test_evaluations_are_only_the_school_s_and_carry_scores_not_words(client, world):
    ours = evaluate(approved_engagement(world.objects["engagement"]))
    theirs = evaluate(
        approved_engagement(accepted_engagement(student=world.users["other_student"]))
    )

    response = client.get(reverse("api:school_evaluations"), **world.header("career_staff"))

    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [ours.pk]
    assert theirs.pk not in ids(response)
    assert rows[0]["average"] == 4
    assert "strengths" not in rows[0]


def test_the_dashboard_gives_the_admin_dashboard_s_figures(client, world):
    response = client.get(reverse("api:school_dashboard"), **world.header("career_staff"))

    term = term_for(timezone.localdate())
    figures = school_figures(world.objects["school"].pk, term)
    data = response.json()
    assert data["term"] == term.slug
    assert data["engagements_accepted"] == figures["engagements_accepted"] == 1
    assert data["students_accepted"] == 1


@pytest.mark.parametrize(
    "params, field",
    [
        ({"term": "someday"}, "term"),
        ({"start": "2026-01-01"}, "non_field_errors"),
        ({"start": "2026-05-01", "end": "2026-01-01"}, "non_field_errors"),
        ({"start": "1800-01-01", "end": "1800-02-01"}, "non_field_errors"),
    ],
)
def test_a_wrong_dashboard_period_is_a_field_error(client, world, params, field):
    response = client.get(reverse("api:school_dashboard"), params, **world.header("career_staff"))

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_the_school_engagement_list_costs_the_same_queries_for_many_rows(
    client, world, django_assert_max_num_queries
):
    url = reverse("api:school_engagements")
    with django_assert_max_num_queries(8) as few:
        assert client.get(url, **world.header("career_staff")).status_code == 200
    for _ in range(4):
        accepted_engagement(student=StudentFactory(school=world.objects["school"]).user)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, **world.header("career_staff"))

    assert len(response.json()["results"]) == 5


@pytest.mark.parametrize("name", ["school_students", "school_flags", "school_evaluations"])
def test_school_lists_cost_a_fixed_number_of_queries(
    client, world, name, django_assert_max_num_queries
):
    for _ in range(3):
        engagement = accepted_engagement(
            student=StudentFactory(school=world.objects["school"]).user
        )
        Flag.objects.create(school=world.objects["school"], engagement=engagement, note="Check")
        evaluate(approved_engagement(engagement))

    with django_assert_max_num_queries(8):
        response = client.get(reverse(f"api:{name}"), **world.header("career_staff"))

    assert len(response.json()["results"]) >= 3


def test_students_read_only_their_own_applications_engagements_and_records(client, world):
    approved_engagement(world.objects["engagement"])
    student = world.header("student")

    applications = client.get(reverse("api:applications"), **student).json()["results"]
    engagements = client.get(reverse("api:engagements"), **student).json()["results"]
    records = client.get(reverse("api:records"), **student).json()["results"]
    others = client.get(reverse("api:records"), **world.header("other_student")).json()

    assert [a["project"]["title"] for a in applications] == ["Pricing study"]
    assert [e["id"] for e in engagements] == [world.objects["engagement"].pk]
    assert [r["project"]["title"] for r in records] == ["Pricing study"]
    assert records[0]["verify_url"].startswith("http://testserver/verify/")
    assert others["results"] == []


def test_a_student_token_cannot_be_given_an_employer_scope(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_token(world.users["student"], scopes=["projects:read"])
