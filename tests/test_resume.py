"""Résumé drafts: built from the engagement's facts only, edited by the student, exported."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from engagements.models import Engagement
from feedback import services
from feedback.models import FeedbackSession, SessionStatus
from outcomes import records, resume
from outcomes.models import VerifiedExperience
from oversight import services as oversight
from tests.factories import (
    AdminFactory,
    CareerStaffFactory,
    ProjectFactory,
    SkillFactory,
    StudentFactory,
)
from tests.test_verified_experiences import evaluate, finish

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def draft_of(engagement) -> resume.Draft:
    record = VerifiedExperience.objects.get(engagement=engagement)
    return records.resume_draft(records.record_view(record))


def all_text(draft: resume.Draft) -> str:
    return "\n".join([*draft.bullets, *draft.story.values()])


def facts_of(engagement) -> resume.Facts:
    record = VerifiedExperience.objects.get(engagement=engagement)
    return records.record_view(record).facts


def research_project(**kwargs):
    defaults = {
        "title": "Competitor pricing scan",
        "summary": "Research three competitors and summarise what they charge.",
        "deliverables": "- A spreadsheet of prices\n- A two-page summary",
        "hours": 20,
        "fee_cents": 43700,
        "skills": [SkillFactory(name="Market research"), SkillFactory(name="Excel")],
    }
    return ProjectFactory(**{**defaults, **kwargs})


def test_every_number_in_the_draft_is_a_fact_of_the_engagement():
    engagement = finish(
        project=research_project(), quarters=46, files=("prices.xlsx", "summary-2pp.pdf")
    )
    FeedbackSession.objects.filter(engagement=engagement).update(
        status=SessionStatus.HELD, marked_at=timezone.now()
    )
    evaluate(engagement, strengths="Found 3 pricing tiers nobody had noticed")

    draft = draft_of(engagement)
    facts = facts_of(engagement)
    text = all_text(draft)

    assert len(draft.bullets) == 3 and all(draft.bullets)
    assert all(draft.story.values())
    numbers = set(NUMBER.findall(text))
    assert numbers, text
    fact_numbers = set()
    for piece in facts.texts():
        fact_numbers.update(NUMBER.findall(piece))
    assert numbers <= fact_numbers, numbers - fact_numbers
    assert "11.5 hours" in text
    assert "3 deliverables" in text  # two files and a shared link
    # The fee is never résumé material.
    assert "437" not in text and "$" not in text


def test_the_draft_says_what_was_done_with_whom():
    engagement = finish(project=research_project(), files=("prices.xlsx",))
    evaluate(engagement)

    draft = draft_of(engagement)
    text = all_text(draft)

    assert "Competitor pricing scan" in draft.bullets[0]
    assert engagement.organization.name in draft.bullets[0]
    assert "industry research" in draft.bullets[0]
    assert "prices.xlsx" in draft.bullets[1]
    assert "a shared link (docs.example.org)" in draft.bullets[1]
    assert "s3cr3t" not in text
    assert "Market research" in draft.bullets[2]
    assert "communication and quality of work" in draft.bullets[2]
    assert "would work with me again" in draft.bullets[2]
    assert "Clear, well sourced tables" in draft.result
    assert "a spreadsheet of prices" in draft.task


def test_changing_the_facts_changes_the_draft():
    engagement = finish(project=research_project(), quarters=20)
    before = draft_of(engagement)

    Engagement.objects.filter(pk=engagement.pk).update(logged_quarters=30)
    engagement.project.title = "Supplier price benchmark"
    engagement.project.save()
    engagement.project.skills.add(SkillFactory(name="Negotiation"))

    after = draft_of(engagement)
    assert after.bullets != before.bullets
    assert "7.5 hours" in after.bullets[0] and "5 hours" in before.bullets[0]
    assert "Supplier price benchmark" in after.bullets[0]
    assert "Negotiation" in after.bullets[2]


def test_the_evaluation_is_used_only_once_the_student_may_see_it():
    engagement = finish(project=research_project())
    evaluate(engagement, both=False)

    assert "Clear, well sourced tables" not in all_text(draft_of(engagement))
    assert "rated" not in all_text(draft_of(engagement))

    services.employer_review_submit(
        actor=engagement.student,
        engagement=engagement,
        data={"clarity": 4, "support": 4, "learning_value": 4, "comment": "Good"},
    )
    assert "Clear, well sourced tables" in all_text(draft_of(engagement))


def test_coaching_notes_are_shown_beside_the_draft_not_pasted_into_it(client):
    engagement = finish(project=research_project())
    staff = CareerStaffFactory(school=engagement.school).user
    oversight.coaching_note_add(
        actor=staff, engagement=engagement, text="Lead with the 3 recommendations they used."
    )
    record = VerifiedExperience.objects.get(engagement=engagement)
    client.force_login(engagement.student)

    page = client.get(reverse("outcomes:experience", args=[record.pk])).content.decode()

    assert "Lead with the 3 recommendations they used." in page
    assert "recommendations" not in all_text(draft_of(engagement))


# --- Editing ----------------------------------------------------------------------------------


def resume_url(record):
    return reverse("outcomes:experience_resume", args=[record.pk])


def test_the_student_edits_saves_and_resets_the_draft(client):
    engagement = finish(project=research_project())
    record = VerifiedExperience.objects.get(engagement=engagement)
    client.force_login(engagement.student)

    response = client.post(
        resume_url(record),
        {
            "bullet_1": "Priced 40 competing products for a retailer",
            "bullet_2": "",
            "bullet_3": "Presented the findings",
            "situation": "S",
            "task": "T",
            "action": "A",
            "result": "R",
        },
    )

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.bullet_list == [
        "Priced 40 competing products for a retailer",
        "Presented the findings",
    ]
    assert record.story_result == "R" and record.is_edited
    page = client.get(reverse("outcomes:experience", args=[record.pk])).content.decode()
    assert "Priced 40 competing products" in page
    assert "Reset to the draft" in page

    client.post(resume_url(record), {"reset": "1"})
    record.refresh_from_db()
    assert not record.is_edited and record.bullets == ""
    assert draft_of(engagement).bullets[0].startswith("Completed “Competitor pricing scan”")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"bullet_1": "", "bullet_2": " ", "bullet_3": ""}, "Write at least one bullet"),
        ({"bullet_1": "x" * 401}, "at most 400 characters"),
    ],
)
def test_bad_bullets_are_refused_on_the_form_and_change_nothing(client, data, message):
    engagement = finish(project=research_project())
    record = VerifiedExperience.objects.get(engagement=engagement)
    client.force_login(engagement.student)

    response = client.post(resume_url(record), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    record.refresh_from_db()
    assert not record.is_edited


# --- Export --------------------------------------------------------------------------------------


def test_the_student_exports_every_valid_record_as_a_resume_section(client):
    student = StudentFactory(user__first_name="Zoë", user__last_name="Ñúñez").user
    kept = finish(student=student, project=research_project(title="“Quoted” market scan"))
    hidden = finish(student=student, project=research_project(title="Hidden survey"))
    revoked = finish(student=student, project=research_project(title="Revoked campaign"))
    hidden_record = VerifiedExperience.objects.get(engagement=hidden)
    records.experience_set_visibility(
        actor=student, record=hidden_record, is_public=False, show_evaluation=False
    )
    records.experience_revoke(
        actor=AdminFactory(),
        record=VerifiedExperience.objects.get(engagement=revoked),
        reason="Fraud",
    )
    client.force_login(student)

    text = client.get(reverse("outcomes:resume_txt")).content.decode()
    assert text.startswith("Zoë Ñúñez")
    assert "“Quoted” market scan (micro-internship)" in text
    assert draft_of(kept).bullets[1] in text
    kept_code = VerifiedExperience.objects.get(engagement=kept).code
    assert f"/verify/{kept_code}/" in text
    assert "Hidden survey" in text and f"/verify/{hidden_record.code}/" not in text
    assert "Revoked campaign" not in text

    pdf = client.get(reverse("outcomes:resume_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    content = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Zoë Ñúñez" in content
    assert "“Quoted” market scan" in content
    assert "Revoked campaign" not in content


def test_only_students_export(client, employer, career_staff):
    for user in (employer, career_staff):
        client.force_login(user)
        assert client.get(reverse("outcomes:resume_txt")).status_code == 403
        assert client.get(reverse("outcomes:resume_pdf")).status_code == 403
