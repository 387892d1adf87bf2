"""A student writes the reflection on a finished project, sees the word count as they type,
shares it, and finds it on the public verified record."""

import pytest

from outcomes.models import Reflection, VerifiedExperience
from tests.factories import ProjectFactory, StudentFactory
from tests.test_verified_experiences import evaluate, finish

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_student_writes_a_reflection_and_shows_it_on_the_record(page_for, live_server, quality):
    student = StudentFactory().user
    engagement = finish(
        student=student,
        project=ProjectFactory(
            title="Competitor pricing scan",
            objectives=["Compare pricing models", "Present findings to a manager"],
        ),
    )
    evaluate(engagement)
    record = VerifiedExperience.objects.get(engagement=engagement)

    page = page_for(student)
    page.goto(live_server.url + f"/experiences/{record.pk}/")
    page.get_by_role("heading", name="Learning objectives").wait_for()
    quality.check(page)
    page.get_by_role("link", name="Write your reflection").click()
    page.get_by_role("heading", name="Your reflection").wait_for()
    quality.check(page)

    text = page.get_by_label("Your reflection")
    text.fill("I learned " * 100)  # 200 words
    page.get_by_text("200 words (100 to go); between 300 and 500.").wait_for()
    page.get_by_role("button", name="Submit my reflection").click()
    page.get_by_text("Write at least 300 words: you have 200, 100 to go.").wait_for()
    quality.check(page)
    assert not Reflection.objects.exists()

    page.get_by_label("Your reflection").fill("I learned to compare prices carefully. " * 50)
    page.get_by_label("Objective 1: Compare pricing models").fill("Built one table per unit.")
    page.get_by_label("Show my reflection on my verified record").check()
    page.get_by_role("button", name="Submit my reflection").click()
    page.get_by_text("Your reflection is saved.").wait_for()
    quality.check(page)
    reflection = Reflection.objects.get(engagement=engagement)
    assert reflection.word_count == 300 and reflection.share_on_record

    page.goto(live_server.url + f"/verify/{record.code}/")
    page.get_by_role("heading", name="The student's reflection").wait_for()
    page.get_by_text("On objective 1:").wait_for()
    page.get_by_text("Built one table per unit.").wait_for()
    quality.check(page)
