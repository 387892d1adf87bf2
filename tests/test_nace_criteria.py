"""NACE internship criteria on projects: learning objectives, a named supervisor, and the
criteria the project page shows."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from projects import criteria, services
from projects.models import LearningObjective, Project, ProjectStatus
from tests.factories import EmployerFactory, ProjectFactory, accepted_engagement
from tests.test_project_posting import form_of, project_form, project_of

pytestmark = pytest.mark.django_db


def objectives_fields(n: int) -> dict:
    return {f"objective_{i}": (f"Objective number {i}" if i <= n else "") for i in range(1, 6)}


# --- Publishing needs 1 to 5 objectives and a supervisor ------------------------------------


@pytest.mark.parametrize(("count", "published"), [(0, False), (1, True), (5, True)])
def test_publishing_from_the_form_needs_at_least_one_objective(client, employer, count, published):
    client.force_login(employer)

    response = client.post(
        reverse("projects:create"),
        project_form(employer, action="publish", **objectives_fields(count)),
    )

    if published:
        project = Project.objects.get()
        assert response.status_code == 302
        assert project.status == ProjectStatus.OPEN
        assert project.objectives.count() == count
    else:
        assert response.status_code == 200
        assert "State at least 1 learning objective to publish" in response.content.decode()
        assert not Project.objects.exists()


def test_a_draft_may_be_saved_without_objectives_or_supervisor(client, employer):
    client.force_login(employer)

    response = client.post(
        reverse("projects:create"),
        project_form(employer, action="draft", supervisor="", **objectives_fields(0)),
    )

    assert response.status_code == 302
    project = Project.objects.get()
    assert project.status == ProjectStatus.DRAFT
    assert not project.objectives.exists() and not project.has_named_supervisor


@pytest.mark.parametrize(("count", "allowed"), [(0, False), (1, True), (5, True), (6, False)])
def test_the_publish_service_counts_the_objectives(employer, count, allowed):
    draft = project_of(employer, draft=True, objectives=[])
    texts = [f"Objective {i}" for i in range(1, count + 1)]
    data = services.ProjectData(
        **{
            **{f: getattr(draft, f) for f in ("title", "summary", "description", "category")},
            **{f: getattr(draft, f) for f in ("deliverables", "hours", "fee_cents")},
            **{f: getattr(draft, f) for f in ("days_to_complete", "openings", "is_remote")},
            "apply_by": draft.apply_by,
            "location": "",
            "objectives": texts,
            "supervisor_id": employer.pk,
        }
    )
    if count > 5:
        with pytest.raises(ValidationError, match="At most 5 learning objectives"):
            services.project_update(actor=employer, project=draft, data=data)
        assert not draft.objectives.exists()
        return
    services.project_update(actor=employer, project=draft, data=data)
    if allowed:
        assert services.project_publish(actor=employer, project=draft).status == "open"
    else:
        with pytest.raises(ValidationError) as error:
            services.project_publish(actor=employer, project=draft)
        assert "objectives" in error.value.message_dict
        draft.refresh_from_db()
        assert draft.status == ProjectStatus.DRAFT


def test_publishing_needs_a_named_supervisor(employer):
    draft = project_of(employer, draft=True, supervisor_name="", supervisor_email="")

    with pytest.raises(ValidationError) as error:
        services.project_publish(actor=employer, project=draft)

    assert "supervisor" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.status == ProjectStatus.DRAFT


def test_publish_from_the_form_without_a_supervisor_says_why(client, employer):
    client.force_login(employer)

    response = client.post(
        reverse("projects:create"), project_form(employer, action="publish", supervisor="")
    )

    assert response.status_code == 200
    assert "Name the supervisor to publish" in response.content.decode()
    assert not Project.objects.exists()


def test_a_supervisor_outside_the_team_is_named_with_an_address(client, employer):
    client.force_login(employer)
    url = reverse("projects:create")

    refused = client.post(
        url, project_form(employer, supervisor="", supervisor_name="Sam Lee", supervisor_email="")
    )
    assert refused.status_code == 200
    assert "Give the supervisor&#x27;s email address" in refused.content.decode()

    client.post(
        url,
        project_form(
            employer,
            action="publish",
            supervisor="",
            supervisor_name="Sam Lee",
            supervisor_title="Research lead",
            supervisor_email="Sam@Partner.example",
        ),
    )
    project = Project.objects.get()
    assert project.status == ProjectStatus.OPEN
    assert (project.supervisor_name, project.supervisor_email) == ("Sam Lee", "sam@partner.example")


def test_a_team_member_supervisor_takes_their_job_title(client, employer):
    client.force_login(employer)

    client.post(reverse("projects:create"), project_form(employer, supervisor=employer.pk))

    project = Project.objects.get()
    assert project.supervisor == employer
    assert project.supervisor_title == employer.employer_profile.job_title


def test_another_organizations_member_cannot_be_the_supervisor(client, employer, other_employer):
    client.force_login(employer)

    response = client.post(
        reverse("projects:create"), project_form(employer, supervisor=other_employer.pk)
    )

    assert response.status_code == 200
    assert not Project.objects.exists()
    with pytest.raises(ValidationError, match="member of your organization"):
        data = services.ProjectData(
            title="T",
            summary="S",
            description="D",
            category="industry_research",
            deliverables="X",
            hours=20,
            fee_cents=40000,
            days_to_complete=14,
            apply_by=draft_date(),
            openings=1,
            is_remote=True,
            location="",
            supervisor_id=other_employer.pk,
        )
        services.project_create(actor=employer, data=data)


def draft_date():
    from projects.rules import apply_by_today

    return apply_by_today() + timedelta(days=10)


def test_the_posting_form_explains_why_it_asks(client, employer):
    client.force_login(employer)

    page = client.get(reverse("projects:create")).content.decode()

    assert 'id="nace-why"' in page
    assert "Learning objective 5" in page and "Learning objective 6" not in page
    assert employer.get_full_name() in page  # a team member to choose as the supervisor


# --- Editing and duplicating --------------------------------------------------------------


def test_a_project_published_before_the_rule_is_still_edited_without_objectives(client, employer):
    old = project_of(employer, objectives=[], supervisor_name="", supervisor_email="")
    client.force_login(employer)

    response = client.post(
        reverse("projects:edit", args=[old.pk]), form_of(old, title="A clearer title")
    )

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.title == "A clearer title" and old.status == ProjectStatus.OPEN


def test_a_published_project_keeps_its_last_objective(client, employer):
    project = project_of(employer)
    client.force_login(employer)

    response = client.post(
        reverse("projects:edit", args=[project.pk]), form_of(project, **objectives_fields(0))
    )

    assert response.status_code == 200
    assert "keeps at least one learning objective" in response.content.decode()
    assert project.objectives.count() == 2


def test_objectives_are_fixed_once_a_student_is_accepted(employer):
    project = project_of(employer)
    accepted_engagement(project=project)
    project.refresh_from_db()
    data = services.ProjectData(
        **{
            **{f: getattr(project, f) for f in ("title", "summary", "description", "category")},
            **{f: getattr(project, f) for f in ("deliverables", "hours", "fee_cents")},
            **{f: getattr(project, f) for f in ("days_to_complete", "openings", "is_remote")},
            "apply_by": project.apply_by,
            "location": "",
            "objectives": ["Something new entirely"],
            "supervisor_id": employer.pk,
        }
    )

    with pytest.raises(ValidationError, match="Fixed once a student was accepted"):
        services.project_update(actor=employer, project=project, data=data)
    assert project.objectives.count() == 2


def test_duplicating_copies_the_objectives_and_the_supervisor(employer):
    source = project_of(employer, objectives=["One", "Two", "Three"])

    copy = services.project_duplicate(actor=employer, project=source)

    assert list(copy.objectives.values_list("position", "text")) == [
        (1, "One"),
        (2, "Two"),
        (3, "Three"),
    ]
    assert copy.supervisor_email == source.supervisor_email


def test_duplicating_leaves_out_a_supervisor_who_left_the_team(employer):
    colleague = EmployerFactory(organization=employer.employer_profile.organization).user
    source = project_of(employer, supervisor=colleague, supervisor_name="", supervisor_email="")
    colleague.is_active = False
    colleague.save()

    copy = services.project_duplicate(actor=employer, project=source)

    assert copy.supervisor is None and not copy.has_named_supervisor


# --- The database -----------------------------------------------------------------------


@pytest.mark.parametrize("position", [0, 6])
def test_the_database_refuses_an_objective_position_out_of_range(position):
    project = ProjectFactory(objectives=[])
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningObjective.objects.create(project=project, position=position, text="x")


def test_the_database_refuses_two_objectives_at_one_position():
    project = ProjectFactory(objectives=["First"])
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningObjective.objects.create(project=project, position=1, text="Again")


def test_the_database_refuses_a_named_supervisor_without_an_address():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(supervisor_name="Sam Lee", supervisor_email="")


# --- The criteria ------------------------------------------------------------------------


def met(project) -> dict[str, bool]:
    found = criteria.project_criteria(project, objective_count=project.objectives.count())
    return {c.key: c.met for c in found}


def test_a_project_posted_today_meets_every_criterion():
    assert all(met(ProjectFactory()).values())


@pytest.mark.parametrize(("count", "meets"), [(0, False), (1, True), (5, True), (6, False)])
def test_the_objectives_criterion_needs_1_to_5(count, meets):
    project = Project(
        description="The work",
        deliverables="A table",
        hours=20,
        fee_cents=40000,
        days_to_complete=14,
        apply_by=draft_date(),
        supervisor_name="Dana Reyes",
        supervisor_email="dana@acme.example",
    )

    found = criteria.project_criteria(project, objective_count=count)

    assert {c.key: c.met for c in found}[criteria.OBJECTIVES] is meets


@pytest.mark.parametrize(("days", "meets"), [(9, False), (10, True)])
def test_scheduled_feedback_needs_room_for_a_weekly_check_in(days, meets):
    assert met(ProjectFactory(days_to_complete=days))[criteria.FEEDBACK] is meets


@pytest.mark.parametrize(("fee_cents", "meets"), [(39999, False), (40000, True)])
def test_pay_is_met_at_the_floor_and_not_a_cent_under(settings, fee_cents, meets):
    settings.HOURLY_RATE_FLOOR_CENTS = 2000  # $20 an hour: $400 for 20 hours
    project = ProjectFactory(hours=20, fee_cents=40000)
    project.fee_cents = fee_cents

    assert met(project)[criteria.PAY] is meets


def test_the_database_condition_agrees_with_the_page():
    good = ProjectFactory()
    ProjectFactory(objectives=[])
    ProjectFactory(supervisor_name="", supervisor_email="")
    ProjectFactory(days_to_complete=7)

    matching = set(Project.objects.filter(criteria.project_criteria_q()).values_list("pk", flat=1))

    assert matching == {good.pk}
    assert {p.pk for p in Project.objects.all() if all(met(p).values())} == {good.pk}


def test_the_project_page_shows_the_objectives_supervisor_and_criteria(client, student):
    project = ProjectFactory(objectives=["Build a pricing table"], days_to_complete=7)
    client.force_login(student)

    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert "Build a pricing table" in page
    assert "Supervised by <strong>Dana Reyes</strong>, Head of Research" in page
    assert 'data-criterion="objectives" data-met="yes"' in page
    assert 'data-criterion="feedback" data-met="no"' in page


def test_a_project_from_before_the_rule_shows_the_criteria_unmet(client, student):
    project = ProjectFactory(objectives=[], supervisor_name="", supervisor_email="")
    client.force_login(student)

    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert 'data-criterion="objectives" data-met="no"' in page
    assert 'data-criterion="supervisor" data-met="no"' in page
    assert "No supervisor named yet." in page
