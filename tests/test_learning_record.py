"""The employer marks each learning objective in the final evaluation; the verified record,
its certificate and the workspace show the marks and the student's reflection to whom
they are for."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from feedback import services as feedback
from feedback.models import ObjectiveOutcome, StudentEvaluation
from outcomes import reflections
from outcomes.models import VerifiedExperience
from tests.factories import (
    CareerStaffFactory,
    ProjectFactory,
    accepted_engagement,
    approved_engagement,
    employer_of,
)
from tests.test_reflections import words

pytestmark = pytest.mark.django_db

OBJECTIVES = ["Compare pricing models", "Present findings to a manager"]
REFLECTION = words(310)


def evaluation_data(engagement, **marks) -> dict:
    return {
        "communication": 5,
        "problem_solving": 4,
        "quality": 5,
        "timeliness": 4,
        "professionalism": 4,
        "strengths": "Clear tables",
        "growth_areas": "Ask sooner",
        "would_work_again": True,
        "objectives": marks,
    }


@pytest.fixture
def approved(student):
    project = ProjectFactory(objectives=OBJECTIVES)
    return approved_engagement(accepted_engagement(project=project, student=student))


def objectives_of(engagement):
    return list(engagement.project.objectives.all())


def evaluate(engagement, first=True, second=False):
    one, two = objectives_of(engagement)
    return feedback.student_evaluation_submit(
        actor=employer_of(engagement.project),
        engagement=engagement,
        data=evaluation_data(engagement, **{}) | {"objectives": {one.pk: first, two.pk: second}},
    )


def reflect(engagement, *, share):
    return reflections.reflection_submit(
        actor=engagement.student,
        engagement=engagement,
        data=reflections.ReflectionData(text=REFLECTION, share_on_record=share, notes={}),
    )


# --- The final evaluation ------------------------------------------------------------------


def test_the_evaluation_marks_each_objective(approved):
    evaluation = evaluate(approved, first=True, second=False)

    marks = dict(
        ObjectiveOutcome.objects.filter(evaluation=evaluation).values_list("objective__text", "met")
    )
    assert marks == {OBJECTIVES[0]: True, OBJECTIVES[1]: False}


def test_an_evaluation_missing_an_objective_is_refused_and_nothing_is_saved(approved):
    one, _two = objectives_of(approved)

    with pytest.raises(ValidationError) as error:
        feedback.student_evaluation_submit(
            actor=employer_of(approved.project),
            engagement=approved,
            data=evaluation_data(approved) | {"objectives": {one.pk: True}},
        )

    assert len(error.value.message_dict) == 1
    assert not StudentEvaluation.objects.exists()


def test_a_project_without_objectives_is_evaluated_as_before(student):
    project = ProjectFactory(objectives=[])
    engagement = approved_engagement(accepted_engagement(project=project, student=student))

    evaluation = feedback.student_evaluation_submit(
        actor=employer_of(project), engagement=engagement, data=evaluation_data(engagement)
    )

    assert not evaluation.objective_outcomes.exists()


def test_the_evaluation_form_requires_every_objective(client, approved):
    one, two = objectives_of(approved)
    client.force_login(employer_of(approved.project))
    url = reverse("feedback:evaluate_student", args=[approved.pk])
    form = {k: v for k, v in evaluation_data(approved).items() if k != "objectives"}

    refused = client.post(url, form | {f"objective_{one.pk}": "met"})
    assert refused.status_code == 400
    assert "Say whether the student met this objective." in refused.content.decode()
    assert not StudentEvaluation.objects.exists()

    client.post(url, form | {f"objective_{one.pk}": "met", f"objective_{two.pk}": "not_met"})
    assert dict(ObjectiveOutcome.objects.values_list("objective_id", "met")) == {
        one.pk: True,
        two.pk: False,
    }


def test_the_workspace_offers_the_objectives_in_the_evaluation_form(client, approved):
    client.force_login(employer_of(approved.project))

    page = client.get(reverse("engagements:workspace", args=[approved.pk])).content.decode()

    for objective in objectives_of(approved):
        assert f'name="objective_{objective.pk}"' in page


# --- The verified record --------------------------------------------------------------------


def both_evaluate(engagement, **marks):
    evaluate(engagement, **marks)
    feedback.employer_review_submit(
        actor=engagement.student,
        engagement=engagement,
        data={"clarity": 5, "support": 5, "learning_value": 5, "comment": "Great"},
    )


def test_the_public_record_shows_the_marks_and_a_shared_reflection(client, approved):
    both_evaluate(approved, first=True, second=False)
    reflect(approved, share=True)
    record = VerifiedExperience.objects.get(engagement=approved)

    page = client.get(reverse("outcomes:verify", args=[record.code])).content.decode()

    assert OBJECTIVES[0] in page and OBJECTIVES[1] in page
    assert 'data-met="yes"' in page and 'data-met="no"' in page
    assert "word309" in page


def test_the_public_record_leaves_out_a_reflection_not_shared(client, approved):
    both_evaluate(approved)
    reflect(approved, share=False)
    record = VerifiedExperience.objects.get(engagement=approved)

    page = client.get(reverse("outcomes:verify", args=[record.code])).content.decode()

    assert OBJECTIVES[0] in page
    assert "word309" not in page


def test_marks_wait_until_the_evaluation_is_visible(client, approved):
    evaluate(approved)  # the student has not reviewed yet, and 14 days have not passed
    record = VerifiedExperience.objects.get(engagement=approved)

    page = client.get(reverse("outcomes:verify", args=[record.code])).content.decode()

    assert 'data-met="unknown"' in page and 'data-met="yes"' not in page


def pdf_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_certificate_prints_the_marks_and_only_a_shared_reflection(client, approved):
    both_evaluate(approved, first=True, second=False)
    reflection = reflect(approved, share=False)
    record = VerifiedExperience.objects.get(engagement=approved)
    url = reverse("outcomes:certificate", args=[record.code])

    text = pdf_text(client.get(url))
    assert "Compare pricing models — Met" in text
    assert "Present findings to a manager — Not met" in text
    assert "word309" not in text

    reflections.reflection_set_sharing(
        actor=approved.student, reflection=reflection, share_on_record=True
    )
    assert "word309" in pdf_text(client.get(url))


def test_the_students_own_record_page_offers_to_write_the_reflection(client, approved):
    record = VerifiedExperience.objects.get(engagement=approved)
    client.force_login(approved.student)

    page = client.get(reverse("outcomes:experience", args=[record.pk])).content.decode()

    assert reverse("outcomes:reflection", args=[approved.pk]) in page
    assert "Write your reflection" in page


def test_career_staff_read_the_reflection_even_when_not_shared(client, approved, career_staff):
    both_evaluate(approved)
    reflect(approved, share=False)
    record = VerifiedExperience.objects.get(engagement=approved)
    client.force_login(career_staff)

    record_page = client.get(reverse("outcomes:experience", args=[record.pk])).content.decode()
    workspace = client.get(reverse("engagements:workspace", args=[approved.pk])).content.decode()

    for page in (record_page, workspace):
        assert "word309" in page
        assert OBJECTIVES[0] in page and 'data-met="yes"' in page


@pytest.mark.parametrize("who", ["other_school_staff", "other_student", "other_employer"])
def test_others_never_read_the_reflection(client, request, approved, who):
    reflect(approved, share=False)
    record = VerifiedExperience.objects.get(engagement=approved)
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("outcomes:experience", args=[record.pk])).status_code == 404
    assert client.get(reverse("engagements:workspace", args=[approved.pk])).status_code == 404


def test_the_employer_sees_the_marks_but_not_a_private_reflection(client, approved):
    evaluate(approved, first=True, second=True)
    reflect(approved, share=False)
    client.force_login(employer_of(approved.project))

    page = client.get(reverse("engagements:workspace", args=[approved.pk])).content.decode()

    assert page.count('data-met="yes"') == 2
    assert "word309" not in page
    assert "The student wrote a reflection; it is for their school." in page


def test_the_workspace_panel_reads_the_same_queries_for_1_or_5_objectives(client):
    def workspace_queries(count):
        project = ProjectFactory(objectives=[f"Objective {i}" for i in range(count)])
        engagement = approved_engagement(accepted_engagement(project=project))
        staff = CareerStaffFactory(school=engagement.school).user
        client.force_login(staff)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("engagements:workspace", args=[engagement.pk])).status_code
        return len(queries)

    assert workspace_queries(1) == workspace_queries(5)
