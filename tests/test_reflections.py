"""The student's reflection: written after approval, 300 to 500 words, revisable for a while,
shown on the verified record only if the student chooses."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from outcomes import reflections
from outcomes.models import Reflection, ReflectionNote
from outcomes.reflections import ReflectionData, word_count
from tests.factories import ProjectFactory, accepted_engagement, approved_engagement

pytestmark = pytest.mark.django_db

OBJECTIVES = ["Compare pricing models", "Summarise findings for a manager"]


def words(n: int) -> str:
    return " ".join(f"word{i}" for i in range(n))


@pytest.fixture
def project(employer):
    return ProjectFactory(
        organization=employer.employer_profile.organization,
        created_by=employer,
        objectives=OBJECTIVES,
    )


@pytest.fixture
def working(project, student):
    return accepted_engagement(project=project, student=student)


@pytest.fixture
def approved(working):
    return approved_engagement(working)


def submit(engagement, text, *, share=False, notes=None, actor=None):
    return reflections.reflection_submit(
        actor=actor or engagement.student,
        engagement=engagement,
        data=ReflectionData(text=text, share_on_record=share, notes=notes or {}),
    )


def test_words_are_counted_without_lone_punctuation():
    assert word_count("I learned — a lot, really.\n\n- bullet") == 6
    assert word_count("") == 0


@pytest.mark.parametrize(
    ("count", "accepted"), [(299, False), (300, True), (500, True), (501, False)]
)
def test_a_reflection_needs_300_to_500_words(approved, count, accepted):
    if accepted:
        reflection = submit(approved, words(count))
        assert reflection.word_count == count
    else:
        with pytest.raises(ValidationError) as error:
            submit(approved, words(count))
        assert "text" in error.value.message_dict
        assert not Reflection.objects.exists()


def test_the_database_refuses_a_word_count_out_of_range(approved):
    with pytest.raises(IntegrityError), transaction.atomic():
        Reflection.objects.create(engagement=approved, text="short", word_count=299)


def test_a_reflection_is_refused_before_the_work_is_approved(working):
    with pytest.raises(ValidationError, match="once the employer approves"):
        submit(working, words(350))

    assert not Reflection.objects.exists()


def test_only_the_student_writes_the_reflection(approved, other_student):
    employer = approved.project.created_by
    for actor in (employer, other_student):
        with pytest.raises(PermissionDenied):
            submit(approved, words(350), actor=actor)
    assert not Reflection.objects.exists()


def test_writing_a_reflection_is_audited_with_its_notes(approved):
    first = approved.project.objectives.get(position=1)

    reflection = submit(approved, words(320), notes={first.pk: "Built a table of 12 plans."})

    assert ReflectionNote.objects.get(reflection=reflection).objective == first
    event = AuditEvent.objects.get(action="reflection.submitted")
    assert event.school_id == approved.school_id
    assert event.data["words"] == 320


def test_a_note_on_another_projects_objective_is_refused(approved):
    stranger = ProjectFactory(objectives=["Something else"]).objectives.get()

    with pytest.raises(ValidationError):
        submit(approved, words(320), notes={stranger.pk: "Not mine"})
    assert not Reflection.objects.exists()


def test_a_reflection_is_revised_within_the_window_then_final(approved, settings):
    settings.REFLECTION_EDIT_DAYS = 14
    reflection = submit(approved, words(320))

    revised = submit(approved, words(400), share=True)
    assert revised.pk == reflection.pk and revised.word_count == 400

    Reflection.objects.filter(pk=reflection.pk).update(
        submitted_at=timezone.now() - timedelta(days=15),
        updated_at=timezone.now() - timedelta(days=15),
    )
    with pytest.raises(ValidationError, match="now final"):
        submit(approved, words(450), share=True)
    assert Reflection.objects.get().word_count == 400


def test_sharing_can_change_after_the_text_is_final(approved):
    reflection = submit(approved, words(320))
    Reflection.objects.filter(pk=reflection.pk).update(
        submitted_at=timezone.now() - timedelta(days=60),
        updated_at=timezone.now() - timedelta(days=60),
    )

    reflections.reflection_set_sharing(
        actor=approved.student, reflection=reflection, share_on_record=True
    )

    assert Reflection.objects.get().share_on_record is True
    assert AuditEvent.objects.filter(action="reflection.sharing").count() == 1


def test_submitting_the_same_reflection_again_changes_nothing(approved):
    submit(approved, words(320))
    submit(approved, words(320))

    assert AuditEvent.objects.filter(action__startswith="reflection.").count() == 1


# --- The page -------------------------------------------------------------------------------


def test_the_student_writes_the_reflection_on_its_page(client, approved):
    client.force_login(approved.student)
    url = reverse("outcomes:reflection", args=[approved.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert OBJECTIVES[0] in page.content.decode()

    first = approved.project.objectives.get(position=1)
    response = client.post(
        url, {"text": words(300), "share_on_record": "on", f"note_{first.pk}": "Done it."}
    )

    assert response.status_code == 302
    reflection = Reflection.objects.get(engagement=approved)
    assert reflection.share_on_record and reflection.notes.get().text == "Done it."


@pytest.mark.parametrize("count", [299, 501])
def test_a_reflection_of_the_wrong_length_is_shown_back_with_the_count(client, approved, count):
    client.force_login(approved.student)

    response = client.post(
        reverse("outcomes:reflection", args=[approved.pk]), {"text": words(count)}
    )

    assert response.status_code == 400
    assert f"you have {count}" in response.content.decode()
    assert not Reflection.objects.exists()


def test_the_page_explains_the_reflection_waits_for_approval(client, working):
    client.force_login(working.student)
    url = reverse("outcomes:reflection", args=[working.pk])

    page = client.get(url)
    assert "once" in page.content.decode() and "approves your work" in page.content.decode()
    assert 'name="text"' not in page.content.decode()

    response = client.post(url, {"text": words(350)})
    assert response.status_code == 400
    assert not Reflection.objects.exists()


@pytest.mark.parametrize(
    "who", ["other_student", "other_employer", "career_staff", "other_school_staff"]
)
def test_nobody_but_the_student_opens_or_posts_the_reflection_page(client, request, approved, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("outcomes:reflection", args=[approved.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"text": words(350)}).status_code == 404
    assert not Reflection.objects.exists()


def test_the_organizations_employer_cannot_write_the_students_reflection(client, approved):
    client.force_login(approved.project.created_by)

    assert client.get(reverse("outcomes:reflection", args=[approved.pk])).status_code == 404
