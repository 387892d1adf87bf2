"""A form's errors are shown once, next to what the user typed or on top of the form."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements import services as engagements
from tests.factories import StudentFactory, accepted_engagement, employer_of

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_submitting_work_with_nothing_attached_says_so_once(client):
    engagement = accepted_engagement()
    client.force_login(engagement.student)

    response = client.post(
        reverse("engagements:submit_work", args=[engagement.pk]), {"note": "Here it is"}
    )

    assert response.status_code == 400
    assert response.content.decode().count("Attach at least one file or link.") == 1


def test_scheduling_a_session_in_the_past_says_so_once_beside_the_date(client):
    engagement = accepted_engagement()
    client.force_login(employer_of(engagement.project))
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client.post(
        reverse("feedback:session_add", args=[engagement.pk]),
        {"date": yesterday.isoformat(), "start_time": "10:00", "duration_minutes": 30},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("Choose a time in the future.") == 1
    # Shown at the date the user typed, not as a banner over the whole form.
    assert response.context["session_form"].errors["date"] == ["Choose a time in the future."]


def test_a_refusal_of_the_whole_form_is_shown_once_in_an_alert(client):
    engagement = accepted_engagement()
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(note="Done", links=["https://example.com/w"], files=[]),
    )
    client.force_login(employer_of(engagement.project))

    response = client.post(
        reverse("engagements:review", args=[engagement.pk]), {"comment": "", "decision": "maybe"}
    )

    html = response.content.decode()
    assert html.count("Choose to approve or to ask for a revision.") == 1
    alert = re.search(r'<div class="alert[^"]*"[^>]*role="alert"[^>]*>(.*?)</div>', html, re.S)
    assert alert and "Choose to approve or to ask for a revision." in alert.group(1)


def test_no_template_repeats_the_errors_that_crispy_forms_already_shows():
    """crispy-forms shows a form's non-field errors on top of its fields (through
    templates/bootstrap5/errors.html); a page that also prints them shows them twice."""
    repeats = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        crispy = set(re.findall(r"{%\s*crispy\s+(\w+)", text))
        crispy |= set(re.findall(r"{{\s*(\w+)\|crispy", text))
        for name in crispy:
            if re.search(rf"\b{name}\.non_field_errors\b", text):
                repeats.append(f"{path.relative_to(TEMPLATES)}: {name}")
    assert not repeats


def test_a_wrong_password_is_said_once(client):
    user = StudentFactory().user

    response = client.post(reverse("account_login"), {"login": user.email, "password": "nope"})

    html = response.content.decode()
    assert html.count("The email address and/or password you specified are not correct.") == 1
