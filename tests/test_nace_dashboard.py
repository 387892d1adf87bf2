"""The school dashboard's share of completed engagements meeting every NACE criterion."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.models import Engagement, EngagementStatus
from feedback.models import FeedbackSession, ObjectiveOutcome, StudentEvaluation
from outcomes.models import Reflection
from oversight.dashboard import school_figures
from projects import criteria
from tests.factories import CareerStaffFactory, OrganizationFactory, SchoolFactory, StudentFactory
from tests.test_reflections import words
from tests.test_school_dashboard import FALL_2025, IN_TERM, URL, engage, evaluation, session

pytestmark = pytest.mark.django_db

HELD = FeedbackSession.Status.HELD


def complete(engagement, *, held=True, marked=True, reflected=True):
    """Follow a completed engagement up as the criteria ask, or leave a part out."""
    if held:
        session(engagement, HELD, IN_TERM)
    if marked:
        evaluation(engagement, interested=False)
        ObjectiveOutcome.objects.bulk_create(
            ObjectiveOutcome(
                evaluation=engagement.student_evaluation, objective=objective, met=True
            )
            for objective in engagement.project.objectives.all()
        )
    if reflected:
        Reflection.objects.create(engagement=engagement, text=words(300), word_count=300)
    return engagement


@pytest.fixture
def school():
    return SchoolFactory()


def engagement_of(school, status=EngagementStatus.PAID, **fields):
    engagement = engage(
        student=StudentFactory(school=school).user,
        organization=OrganizationFactory(verified=True),
        status=status,
        logged_quarters=40,
    )
    if fields:
        objectives = fields.pop("objectives", None)
        type(engagement.project).objects.filter(pk=engagement.project_id).update(**fields)
        if objectives == []:
            engagement.project.objectives.all().delete()
        engagement.project.refresh_from_db()
    return engagement


def meets_all_in_python(engagement) -> bool:
    """`projects.criteria.engagement_meets_all`, read from the objects one by one."""
    project = engagement.project
    objectives = list(project.objectives.all())
    project_met = criteria.meets_all(
        criteria.project_criteria(project, objective_count=len(objectives))
    )
    evaluation = StudentEvaluation.objects.filter(engagement=engagement).first()
    marked = evaluation is not None and set(
        evaluation.objective_outcomes.values_list("objective_id", flat=True)
    ) == {o.pk for o in objectives}
    return criteria.engagement_meets_all(
        project_met,
        paid_at_floor=engagement.fee_cents * 4 >= engagement.cap_quarters * 1500,
        feedback_held=engagement.feedback_sessions.filter(status=HELD).exists(),
        objectives_evaluated=marked and bool(objectives),
        reflected=Reflection.objects.filter(engagement=engagement).exists(),
    )


def test_the_share_counts_completed_engagements_meeting_every_criterion(school):
    full = complete(engagement_of(school))
    complete(engagement_of(school), reflected=False)
    complete(engagement_of(school), held=False)
    complete(engagement_of(school), marked=False)
    complete(engagement_of(school, objectives=[]))  # posted before the rule: nothing to mark
    complete(engagement_of(school, supervisor_name="", supervisor_email=""))
    complete(engagement_of(school, days_to_complete=9))  # too short for a check-in
    under_way = engagement_of(school, status=EngagementStatus.ACTIVE)
    complete(under_way)  # not completed: out of the share altogether

    figures = school_figures(school.pk, FALL_2025)

    assert figures["engagements_completed"] == 7
    assert figures["nace_met"] == 1
    assert figures["nace_rate"] == round(100 / 7, 1)
    parts = {label: count for label, count, _ in figures["nace_parts"]}
    assert parts["Reflection written"] == 6
    assert parts["A feedback session held"] == 6
    completed = Engagement.objects.filter(school=school, status=EngagementStatus.PAID)
    assert [e.pk for e in completed if meets_all_in_python(e)] == [full.pk]


def test_an_engagement_paid_under_the_floor_after_a_rule_change_does_not_count(school, settings):
    complete(engagement_of(school))  # $400 for 20 hours: $20 an hour

    settings.HOURLY_RATE_FLOOR_CENTS = 2000
    assert school_figures(school.pk, FALL_2025)["nace_met"] == 1
    settings.HOURLY_RATE_FLOOR_CENTS = 2001
    assert school_figures(school.pk, FALL_2025)["nace_met"] == 0


def test_another_schools_engagements_do_not_count(school):
    complete(engagement_of(school))
    complete(engagement_of(SchoolFactory()))

    assert school_figures(school.pk, FALL_2025)["nace_met"] == 1
    assert school_figures(None, FALL_2025)["nace_met"] == 2


def test_no_completed_engagement_means_no_share_rather_than_zero(school):
    assert school_figures(school.pk, FALL_2025)["nace_rate"] is None


def test_the_figure_costs_the_same_queries_for_2_or_8_engagements(
    client, django_assert_max_num_queries
):
    def queries(count):
        school = SchoolFactory()
        for i in range(count):
            complete(engagement_of(school), reflected=i % 2 == 0)
        with CaptureQueriesContext(connection) as captured:
            figures = school_figures(school.pk, FALL_2025)
        assert figures["nace_met"] == (count + 1) // 2
        return len(captured.captured_queries), school

    few, _ = queries(2)
    many, school = queries(8)
    assert few == many <= 6
    client.force_login(CareerStaffFactory(school=school).user)
    with django_assert_max_num_queries(15):
        page = client.get(URL, {"term": "2025-fall"}).content.decode()
    assert "Meeting every internship criterion (NACE)" in page
    assert "50%" in page
