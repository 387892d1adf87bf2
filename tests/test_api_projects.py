"""Employers' projects through the REST API: drafts checked by the same rules as the web form,
publishing and closing through the same services, applicants blind until shortlisted, and
lists that cost the same few queries however many rows."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from projects import applications as application_services
from projects.forms import ProjectForm
from projects.models import Project, ProjectStatus
from tests.api_world import make_token
from tests.factories import (
    ApplicationFactory,
    EmployerFactory,
    ProjectFactory,
    SchoolFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db


def body(**changes) -> dict:
    data = {
        "title": "Survey our customers",
        "summary": "Write and send a short survey, then summarise the answers.",
        "description": "We want to know what our customers value most.",
        "category": "industry_research",
        "deliverables": "A survey\nA summary",
        "skills": ["Survey design", "Excel"],
        "hours": 20,
        "fee_cents": 40000,
        "days_to_complete": 14,
        "apply_by": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "questions": ["Have you run a survey before?"],
    }
    return data | changes


@pytest.fixture
def owner(db):
    return EmployerFactory(organization__verified=True).user


@pytest.fixture
def auth(owner):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(owner)}"}


def post(client, url, data, auth):
    return client.post(url, json.dumps(data), content_type="application/json", **auth)


def test_a_draft_is_made_as_the_token_s_maker_and_audited_with_the_token(client, owner, auth):
    response = post(client, reverse("api:projects"), body(), auth)

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "draft"
    assert data["fee_cents"] == 40000
    assert data["skills"] == ["Excel", "Survey design"]
    assert data["questions"] == ["Have you run a survey before?"]
    project = Project.objects.get(pk=data["id"])
    assert project.created_by == owner
    assert project.organization_id == owner.employer_profile.organization_id
    actions = set(AuditEvent.objects.filter(actor=owner).values_list("action", flat=True))
    assert {"project.created", "api.project_created", "api.token_created"} <= actions
    api_event = AuditEvent.objects.get(action="api.project_created")
    assert api_event.data["token"] and "API token" in api_event.summary


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"fee_cents": 2000}, "fee_cents"),  # $1 an hour: under the floor
        ({"hours": 1}, "hours"),
        ({"apply_by": (timezone.localdate() - timedelta(days=3)).isoformat()}, "apply_by"),
        ({"apply_by": (timezone.localdate() + timedelta(days=200)).isoformat()}, "apply_by"),
        ({"is_remote": False, "location": ""}, "location"),
    ],
)
def test_a_draft_breaking_a_rule_gets_the_web_form_s_message_under_the_field(
    client, auth, changes, field
):
    response = post(client, reverse("api:projects"), body(**changes), auth)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    form_field = {"fee_cents": "fee"}.get(field, field)
    data = body(**changes)
    form = ProjectForm(
        data={
            **data,
            "fee": f"{data['fee_cents'] / 100:.2f}",
            "is_remote": "on" if data.get("is_remote", True) else "",
        }
    )
    assert not form.is_valid()
    assert error["fields"][field] == form.errors[form_field]
    assert not Project.objects.exists()


def test_a_draft_with_a_wrong_type_is_refused_field_by_field(client, auth):
    response = post(client, reverse("api:projects"), body(hours="many", category="x"), auth)

    fields = response.json()["error"]["fields"]
    assert response.status_code == 400
    assert set(fields) == {"hours", "category"}


def test_publishing_follows_the_rules_of_the_publish_button(client, auth, owner):
    organization = owner.employer_profile.organization
    draft = ProjectFactory(organization=organization, created_by=owner, draft=True)
    organization.verification_status = "unverified"
    organization.verified_at = None
    organization.save()

    refused = post(client, reverse("api:project_publish", args=[draft.pk]), {}, auth)

    assert refused.status_code == 400
    assert "not verified" in refused.json()["error"]["fields"]["non_field_errors"][0]
    draft.refresh_from_db()
    assert draft.status == ProjectStatus.DRAFT

    organization.verification_status = "verified"
    organization.verified_at = timezone.now()
    organization.save()
    published = post(client, reverse("api:project_publish", args=[draft.pk]), {}, auth)

    assert published.status_code == 200
    assert published.json()["status"] == "open"
    assert AuditEvent.objects.filter(action="api.project_published", target_id=str(draft.pk))


def test_closing_an_open_project_and_refusing_to_close_a_draft(client, auth, owner):
    organization = owner.employer_profile.organization
    project = ProjectFactory(organization=organization, created_by=owner)
    draft = ProjectFactory(organization=organization, created_by=owner, draft=True)

    closed = post(client, reverse("api:project_close", args=[project.pk]), {}, auth)
    again = post(client, reverse("api:project_close", args=[project.pk]), {}, auth)
    refused = post(client, reverse("api:project_close", args=[draft.pk]), {}, auth)

    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action="api.project_closed").count() == 1
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["non_field_errors"] == [
        "Only an open project can stop taking applications."
    ]


def test_applicants_are_blind_until_shortlisted_and_numbered_across_pages(client, auth, owner):
    school = SchoolFactory(name="Northbridge College", short_name="NBC")
    project = ProjectFactory(organization=owner.employer_profile.organization, created_by=owner)
    first = StudentFactory(school=school, major="Chemistry", user__first_name="Maya")
    first.bio = "I'm Maya, a Chemistry student at Northbridge College."
    first.save()
    second = StudentFactory(school=school)
    ApplicationFactory(project=project, student=first.user)
    later = ApplicationFactory(project=project, student=second.user)
    application_services.application_shortlist(actor=owner, application=later)
    url = reverse("api:applicants", args=[project.pk])

    page_one = client.get(url, {"page_size": 1}, **auth).json()
    page_two = client.get(page_one["next"], **auth).json()

    blind = page_one["results"][0]
    assert blind["name"] == "Applicant 1"
    assert blind["revealed"] is False
    assert blind["school"] is None and blind["major"] is None
    assert "Maya" not in blind["bio"] and "Northbridge" not in blind["bio"]
    assert "Chemistry" not in blind["bio"]
    revealed = page_two["results"][0]
    assert revealed["number"] == 2
    assert revealed["revealed"] is True
    assert revealed["name"] == second.user.get_full_name()
    assert revealed["school"] == "Northbridge College"


def test_the_project_list_costs_the_same_queries_for_many_rows(
    client, auth, owner, django_assert_max_num_queries
):
    organization = owner.employer_profile.organization
    ProjectFactory(organization=organization, created_by=owner, questions=["Why?"])
    with django_assert_max_num_queries(8) as few:
        assert client.get(reverse("api:projects"), **auth).status_code == 200
    for _ in range(6):
        ProjectFactory(organization=organization, created_by=owner, questions=["Why?", "How?"])

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("api:projects"), **auth)

    assert len(response.json()["results"]) == 7


def test_the_applicant_list_costs_the_same_queries_for_many_rows(
    client, auth, owner, django_assert_max_num_queries
):
    project = ProjectFactory(organization=owner.employer_profile.organization, created_by=owner)
    ApplicationFactory(project=project)
    url = reverse("api:applicants", args=[project.pk])
    with django_assert_max_num_queries(14) as few:
        assert client.get(url, **auth).status_code == 200
    for _ in range(5):
        ApplicationFactory(project=project)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, **auth)

    assert len(response.json()["results"]) == 6


def test_another_organization_s_projects_are_not_listed(client, auth):
    ProjectFactory()

    response = client.get(reverse("api:projects"), **auth)

    assert response.json()["results"] == []


def test_a_fee_split_into_milestones_reads_the_same_through_the_api(client):
    from engagements import services as engagements
    from tests.factories import employer_of
    from tests.helpers import run_after_commit
    from tests.payment_helpers import milestone_engagement

    engagement = milestone_engagement()
    employer = employer_of(engagement.project)
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=4,
        description="Part 1",
    )
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(note="Part 1", links=["https://example.com/1"], files=[]),
    )
    engagements.submission_approve(actor=employer, engagement=engagement)
    run_after_commit()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {make_token(employer)}"}

    project = client.get(reverse("api:project", args=[engagement.project_id]), **auth).json()
    plan = [(m["number"], m["hours"], m["amount_cents"]) for m in project["milestones"]]
    assert plan == [
        (m.number, m.quarters / 4, m.amount_cents)
        for m in engagement.project.milestones.order_by("number")
    ]
    assert sum(amount for _, _, amount in plan) == project["fee_cents"]

    for who in (employer, engagement.student):
        token = {"HTTP_AUTHORIZATION": f"Bearer {make_token(who)}"}
        row = client.get(reverse("api:engagement", args=[engagement.pk]), **token).json()
        assert [m["status"] for m in row["milestones"]] == ["approved", "pending", "pending"]
        assert row["milestones"][0]["approved_at"] is not None
    # A fee paid in one go has no milestones.
    whole = ProjectFactory(organization=engagement.project.organization, created_by=employer)
    listed = {p["id"]: p for p in client.get(reverse("api:projects"), **auth).json()["results"]}
    assert listed[whole.pk]["milestones"] == []
    assert listed[engagement.project_id]["milestones"] == project["milestones"]
