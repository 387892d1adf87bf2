"""Employers post, publish, edit, close, cancel and duplicate projects; only their own."""

import zoneinfo
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from projects import rules, services
from projects.forms import ProjectForm
from projects.models import Application, ApplicationStatus, Project, ProjectStatus
from tests.factories import (
    ApplicationFactory,
    EmployerFactory,
    ProjectFactory,
    SkillFactory,
    UserFactory,
    accepted_engagement,
)

pytestmark = pytest.mark.django_db


def today_for(user):
    """The date in the user's own time zone, which is the one their requests use."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(user.time_zone))


def project_form(user, /, **overrides):
    data = {
        "title": "Price survey of ten coffee roasters",
        "summary": "Collect the prices of ten roasters and compare them with ours.",
        "description": "We roast coffee in small batches and want to price next year well.",
        "category": "industry_research",
        "other_skills": "Market research, Spreadsheets",
        "deliverables": "- A spreadsheet of prices\n- A one-page summary",
        "hours": 20,
        "fee": "400",
        "days_to_complete": 14,
        "apply_by": (today_for(user) + timedelta(days=14)).isoformat(),
        "openings": 1,
        "is_remote": "on",
        "location": "",
        "question_1": "Which spreadsheet tools do you use?",
        "question_2": "",
        "question_3": "",
        "objective_1": "Compare roasters' prices in a structured table",
        "objective_2": "Present a pricing recommendation to the owner",
        "supervisor": user.pk,
        "action": "draft",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def form_of(project, /, **overrides):
    """What the edit form posts back for a project, with some answers changed."""
    questions = {q.position: q.text for q in project.questions.all()}
    objectives = {o.position: o.text for o in project.objectives.all()}
    data = {
        **{f"objective_{n}": objectives.get(n, "") for n in range(1, 6)},
        "supervisor": project.supervisor_id or "",
        "supervisor_title": project.supervisor_title,
        "supervisor_name": project.supervisor_name,
        "supervisor_email": project.supervisor_email,
        "title": project.title,
        "summary": project.summary,
        "description": project.description,
        "category": project.category,
        "skills": [s.pk for s in project.skills.all()],
        "other_skills": "",
        "deliverables": project.deliverables,
        "hours": project.hours,
        "fee": f"{project.fee_cents / 100:.2f}",
        "days_to_complete": project.days_to_complete,
        "apply_by": project.apply_by.isoformat(),
        "openings": project.openings,
        "is_remote": "on" if project.is_remote else None,
        "location": project.location,
        "question_1": questions.get(1, ""),
        "question_2": questions.get(2, ""),
        "question_3": questions.get(3, ""),
        "action": "draft",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def project_of(user, /, **kwargs):
    return ProjectFactory(
        organization=user.employer_profile.organization, created_by=user, **kwargs
    )


# --- The create form: the rules of the field --------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param({"hours": 4, "fee": "80"}, "hours", "Between 5 and 40 hours", id="hours-4"),
        pytest.param({"hours": 41, "fee": "820"}, "hours", "Between 5 and 40 hours", id="hours-41"),
        pytest.param(
            {"days_to_complete": 6}, "days_to_complete", "Between 7 and 30 days", id="days-6"
        ),
        pytest.param(
            {"days_to_complete": 31}, "days_to_complete", "Between 7 and 30 days", id="days-31"
        ),
        pytest.param(
            {"hours": 20, "fee": "299.99"},
            "fee",
            "the minimum is $15.00 an hour. For 20 hours, pay at least $300.00.",
            id="rate-a-cent-under-the-floor",
        ),
        pytest.param(
            {"hours": 10, "fee": "1000.10"},
            "fee",
            "above the $100.00 limit",
            id="rate-over-the-ceiling",
        ),
        pytest.param({"fee": "0"}, "fee", "Enter at least $0.01.", id="no-fee"),
        pytest.param({"openings": 0}, "openings", "greater than or equal to 1", id="openings-0"),
        pytest.param({"openings": 11}, "openings", "less than or equal to 10", id="openings-11"),
        pytest.param(
            {"is_remote": None, "location": ""},
            "location",
            "Say where the work happens",
            id="on-site-without-location",
        ),
        pytest.param({"category": ""}, "category", "This field is required", id="no-category"),
    ],
)
def test_a_project_outside_the_rules_is_refused_with_a_clear_message_and_not_saved(
    client, employer, overrides, field, message
):
    client.force_login(employer)

    response = client.post(reverse("projects:create"), project_form(employer, **overrides))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_an_apply_by_date_in_the_past_is_refused(client, employer):
    client.force_login(employer)
    # The past as the rule reads it: apply-by days end at midnight in APPLY_BY_TIME_ZONE.
    yesterday = rules.apply_by_today() - timedelta(days=1)

    response = client.post(
        reverse("projects:create"), project_form(employer, apply_by=yesterday.isoformat())
    )

    assert response.status_code == 200
    assert "The apply-by date is in the past." in response.content.decode()
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"hours": 5, "fee": "100"},
        {"hours": 40, "fee": "800"},
        {"days_to_complete": 7},
        {"days_to_complete": 30},
        {"hours": 20, "fee": "300"},
        {"hours": 20, "fee": "$300.00"},
        {"hours": 10, "fee": "1,000"},
        {"openings": 10},
        {"is_remote": None, "location": "Boston, MA"},
    ],
)
def test_a_project_at_the_edge_of_the_rules_is_accepted(client, employer, overrides):
    client.force_login(employer)

    response = client.post(reverse("projects:create"), project_form(employer, **overrides))

    assert response.status_code == 302
    project = Project.objects.get()
    fee = overrides.get("fee", "400").replace("$", "").replace(",", "")
    assert project.fee_cents == round(float(fee) * 100)
    assert project.hours == overrides.get("hours", 20)
    assert project.days_to_complete == overrides.get("days_to_complete", 14)
    assert project.openings == overrides.get("openings", 1)
    assert project.location == overrides.get("location", "")
    assert project.is_remote == ("location" not in overrides)


def test_the_form_saves_skills_and_screening_questions(client, employer):
    existing = SkillFactory(name="Excel", slug="excel")
    client.force_login(employer)

    client.post(
        reverse("projects:create"),
        project_form(
            employer,
            skills=[existing.pk],
            other_skills="market research, EXCEL",
            question_1="Which tools do you use?",
            question_2="When can you start?",
        ),
    )

    project = Project.objects.get()
    assert sorted(s.name for s in project.skills.all()) == ["Excel", "market research"]
    assert [q.text for q in project.questions.all()] == [
        "Which tools do you use?",
        "When can you start?",
    ]
    assert project.created_by == employer
    assert project.organization == employer.employer_profile.organization


# --- The same limits hold in the database ------------------------------------------------


CONSTRAINT_CASES = [
    pytest.param({"hours": 4, "fee_cents": 8000}, id="hours-4"),
    pytest.param({"hours": 41, "fee_cents": 82000}, id="hours-41"),
    pytest.param({"days_to_complete": 6}, id="days-6"),
    pytest.param({"days_to_complete": 31}, id="days-31"),
    pytest.param({"hours": 20, "fee_cents": 29999}, id="rate-under-floor"),
    pytest.param({"hours": 20, "fee_cents": 200001}, id="rate-over-ceiling"),
    pytest.param({"openings": 11}, id="openings-11"),
    pytest.param({"openings": 0}, id="openings-0"),
    pytest.param({"is_remote": False, "location": ""}, id="on-site-without-location"),
    pytest.param({"status": ProjectStatus.OPEN, "published_at": None}, id="open-without-date"),
]


@pytest.mark.parametrize("fields", CONSTRAINT_CASES)
def test_the_database_refuses_a_project_outside_the_rules(employer, fields):
    organization = employer.employer_profile.organization

    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(organization=organization, created_by=employer, **fields)

    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"hours": 5, "fee_cents": 7500},
        {"hours": 40, "fee_cents": 60000},
        {"days_to_complete": 7},
        {"days_to_complete": 30},
        {"hours": 20, "fee_cents": 30000},
        {"hours": 20, "fee_cents": 200000},
        {"openings": 10},
        {"is_remote": False, "location": "Austin, TX"},
    ],
)
def test_the_database_stores_a_project_at_the_edge_of_the_rules(employer, fields):
    project = project_of(employer, **fields)

    project.refresh_from_db()
    for name, value in fields.items():
        assert getattr(project, name) == value


# --- Draft, preview, publish -------------------------------------------------------------


def test_save_draft_keeps_the_project_out_of_browse(client, employer):
    client.force_login(employer)

    response = client.post(reverse("projects:create"), project_form(employer, action="draft"))

    assert response.status_code == 302
    assert response.url == reverse("employer_dashboard")
    project = Project.objects.get()
    assert project.status == ProjectStatus.DRAFT
    assert project.published_at is None
    assert project.title not in client.get(reverse("projects:browse")).content.decode()


def test_preview_shows_the_project_with_a_publish_button(client, employer):
    client.force_login(employer)

    response = client.post(reverse("projects:create"), project_form(employer, action="preview"))

    project = Project.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("projects:preview", args=[project.pk])
    page = client.get(response.url).content.decode()
    assert "Preview." in page
    assert project.title in page
    assert f'action="{reverse("projects:publish", args=[project.pk])}"' in page
    assert ">Publish</button>" in page
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT


def test_publish_from_the_form_opens_the_project_to_students(client, employer):
    client.force_login(employer)

    response = client.post(reverse("projects:create"), project_form(employer, action="publish"))

    project = Project.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("projects:detail", args=[project.pk])
    assert project.status == ProjectStatus.OPEN
    assert project.published_at is not None
    client.logout()
    assert project.title in client.get(reverse("projects:browse")).content.decode()


def test_the_publish_button_of_the_preview_publishes_a_draft(client, employer):
    project = project_of(employer, draft=True)
    client.force_login(employer)

    response = client.post(reverse("projects:publish", args=[project.pk]), follow=True)

    project.refresh_from_db()
    assert project.status == ProjectStatus.OPEN
    assert project.published_at is not None
    assert "Published: students can find and apply to it now." in response.content.decode()


def test_an_unverified_organization_saves_drafts_but_cannot_publish(client):
    employer = EmployerFactory().user
    client.force_login(employer)

    form_page = client.get(reverse("projects:create")).content.decode()
    response = client.post(
        reverse("projects:create"), project_form(employer, action="publish"), follow=True
    )

    assert "is not verified yet, so you can save drafts but not publish" in form_page
    project = Project.objects.get()
    assert project.status == ProjectStatus.DRAFT
    assert project.published_at is None
    assert response.redirect_chain[-1][0] == reverse("projects:preview", args=[project.pk])
    assert "Your organization is not verified yet" in response.content.decode()


def test_an_unverified_organization_cannot_publish_a_draft_from_the_preview(client):
    employer = EmployerFactory().user
    project = project_of(employer, draft=True)
    client.force_login(employer)

    response = client.post(reverse("projects:publish", args=[project.pk]), follow=True)

    assert "not verified" in response.content.decode()
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT


def test_an_employer_without_an_organization_is_asked_to_describe_it_first(client):
    employer = UserFactory(role=Role.EMPLOYER)
    client.force_login(employer)

    response = client.get(reverse("projects:create"))

    assert response.status_code == 302
    assert response.url == reverse("profile")


# --- Editing ---------------------------------------------------------------------------


def test_an_employer_edits_the_description_of_an_open_project(client, employer):
    project = project_of(employer, skills=[SkillFactory()], questions=["Why you?"])
    client.force_login(employer)

    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        form_of(project, description="We now also want a short slide deck."),
    )

    assert response.status_code == 302
    assert response.url == reverse("projects:detail", args=[project.pk])
    project.refresh_from_db()
    assert project.description == "We now also want a short slide deck."
    assert project.status == ProjectStatus.OPEN
    assert [q.text for q in project.questions.all()] == ["Why you?"]


def test_an_open_project_keeps_its_passed_apply_by_date_when_edited(client, employer):
    passed = today_for(employer) - timedelta(days=3)
    project = project_of(employer, apply_by=passed)
    client.force_login(employer)

    response = client.post(
        reverse("projects:edit", args=[project.pk]), form_of(project, title="A clearer title")
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "A clearer title"
    assert project.apply_by == passed


def test_the_edit_form_refuses_a_fee_under_the_floor(client, employer):
    project = project_of(employer)
    client.force_login(employer)

    response = client.post(reverse("projects:edit", args=[project.pk]), form_of(project, fee="10"))

    assert response.status_code == 200
    assert "pay at least $300.00" in response.content.decode()
    project.refresh_from_db()
    assert project.fee_cents == 40000


def test_fee_hours_and_days_are_frozen_once_a_student_is_accepted(client, employer):
    project = project_of(employer)
    accepted_engagement(project=project)
    client.force_login(employer)

    form_page = client.get(reverse("projects:edit", args=[project.pk]))
    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        form_of(
            project,
            hours=30,
            fee="900",
            days_to_complete=21,
            description="Please also include a short slide deck.",
        ),
    )

    form = form_page.context["form"]
    assert all(form.fields[name].disabled for name in ("hours", "fee", "days_to_complete"))
    assert "Fixed: a student was accepted." in form_page.content.decode()
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.hours, project.fee_cents, project.days_to_complete) == (20, 40000, 14)
    assert project.description == "Please also include a short slide deck."


def test_the_update_service_refuses_to_change_frozen_terms(employer):
    project = project_of(employer)
    accepted_engagement(project=project)
    project.refresh_from_db()
    data = services.ProjectData(
        title=project.title,
        summary=project.summary,
        description=project.description,
        category=project.category,
        deliverables=project.deliverables,
        hours=25,
        fee_cents=project.fee_cents,
        days_to_complete=project.days_to_complete,
        apply_by=project.apply_by,
        openings=project.openings,
        is_remote=project.is_remote,
        location=project.location,
        skill_names=[s.name for s in project.skills.all()],
        questions=[q.text for q in project.questions.all()],
    )

    with pytest.raises(ValidationError) as refused:
        services.project_update(actor=employer, project=project, data=data)

    assert "hours" in refused.value.message_dict
    project.refresh_from_db()
    assert project.hours == 20


# --- Duplicate, close, cancel --------------------------------------------------------------


def test_duplicate_makes_a_new_draft_with_the_same_content(client, employer):
    skills = [SkillFactory(), SkillFactory()]
    source = project_of(employer, skills=skills, questions=["Why you?", "When can you start?"])
    client.force_login(employer)

    response = client.post(reverse("projects:duplicate", args=[source.pk]))

    copy = Project.objects.exclude(pk=source.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("projects:edit", args=[copy.pk])
    assert copy.status == ProjectStatus.DRAFT
    assert copy.published_at is None
    assert copy.title == source.title
    assert copy.duplicated_from == source
    assert set(copy.skills.all()) == set(skills)
    assert [q.text for q in copy.questions.all()] == ["Why you?", "When can you start?"]
    source.refresh_from_db()
    assert source.status == ProjectStatus.OPEN


def test_closing_an_open_project_stops_applications(client, employer, student):
    project = project_of(employer)
    client.force_login(employer)

    response = client.post(reverse("projects:close", args=[project.pk]))

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    assert project.closed_at is not None
    client.force_login(student)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Applications are closed." in page
    assert reverse("projects:apply", args=[project.pk]) not in page


def test_cancelling_needs_a_reason(client, employer):
    project = project_of(employer)
    client.force_login(employer)

    response = client.post(reverse("projects:cancel", args=[project.pk]), {"reason": "  "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    project.refresh_from_db()
    assert project.status == ProjectStatus.OPEN


def test_cancelling_declines_waiting_applicants_and_tells_them_why(client, employer, on_commit):
    project = project_of(employer)
    waiting = ApplicationFactory(project=project)
    withdrawn = ApplicationFactory(project=project, status=ApplicationStatus.WITHDRAWN)
    client.force_login(employer)

    with on_commit():
        response = client.post(
            reverse("projects:cancel", args=[project.pk]),
            {"reason": "Our budget for this quarter was cut."},
        )

    assert response.status_code == 302
    assert response.url == reverse("employer_dashboard")
    project.refresh_from_db()
    assert project.status == ProjectStatus.CANCELLED
    assert project.cancellation_reason == "Our budget for this quarter was cut."
    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.DECLINED
    assert "Our budget for this quarter was cut." in waiting.decline_message
    withdrawn.refresh_from_db()
    assert withdrawn.status == ApplicationStatus.WITHDRAWN
    assert [m.to for m in mail.outbox] == [[waiting.student.email]]
    assert project.title in mail.outbox[0].subject
    assert "Our budget for this quarter was cut." in mail.outbox[0].body
    client.logout()
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 404
    assert project.title not in client.get(reverse("projects:browse")).content.decode()


def test_a_project_with_an_accepted_student_cannot_be_cancelled(client, employer):
    project = project_of(employer)
    engagement = accepted_engagement(project=project)
    client.force_login(employer)

    response = client.post(
        reverse("projects:cancel", args=[project.pk]), {"reason": "Changed our plans."}
    )

    assert response.status_code == 200
    assert "A student was accepted for this project" in response.content.decode()
    project.refresh_from_db()
    assert project.status != ProjectStatus.CANCELLED
    assert Application.objects.get(pk=engagement.application_id).status == "accepted"


# --- Who may do what ------------------------------------------------------------------


EMPLOYER_ACTIONS = [
    ("get", "projects:edit"),
    ("post", "projects:edit"),
    ("get", "projects:preview"),
    ("post", "projects:publish"),
    ("post", "projects:close"),
    ("get", "projects:cancel"),
    ("post", "projects:cancel"),
    ("post", "projects:duplicate"),
]


@pytest.mark.parametrize("status", [ProjectStatus.DRAFT, ProjectStatus.OPEN])
@pytest.mark.parametrize(("method", "url_name"), EMPLOYER_ACTIONS)
def test_an_employer_cannot_manage_another_organizations_project(
    client, employer, other_employer, status, method, url_name
):
    project = project_of(other_employer, status=status)
    client.force_login(employer)
    data = form_of(project, title="Taken over") if url_name == "projects:edit" else {}
    if url_name == "projects:cancel":
        data = {"reason": "Not yours to cancel."}

    response = getattr(client, method)(reverse(url_name, args=[project.pk]), data)

    assert response.status_code == 404
    project.refresh_from_db()
    assert project.status == status
    assert project.title != "Taken over"
    assert Project.objects.count() == 1


@pytest.mark.parametrize("who", ["student", "career_staff", "platform_admin"])
@pytest.mark.parametrize("url_name", ["projects:create", "projects:edit"])
def test_other_roles_cannot_open_the_employer_pages(client, request, employer, who, url_name):
    project = project_of(employer)
    client.force_login(request.getfixturevalue(who))
    args = [project.pk] if url_name == "projects:edit" else []

    response = client.get(reverse(url_name, args=args))

    assert response.status_code == 403


@pytest.mark.parametrize("url_name", ["projects:create", "projects:edit"])
def test_anonymous_visitors_are_sent_to_log_in_from_the_employer_pages(client, employer, url_name):
    project = project_of(employer)
    args = [project.pk] if url_name == "projects:edit" else []

    response = client.get(reverse(url_name, args=args))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize(
    ("who", "status_code"),
    [(None, 404), ("student", 404), ("platform_admin", 200), ("employer", 200)],
)
def test_a_draft_is_seen_only_by_its_organization_and_platform_admins(
    client, request, employer, who, status_code
):
    draft = project_of(employer, draft=True)
    if who:
        client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("projects:detail", args=[draft.pk]))

    assert response.status_code == status_code
    if status_code == 200:
        assert draft.title in response.content.decode()


# --- The apply-by sweep -------------------------------------------------------------------


def test_the_sweep_closes_open_projects_whose_apply_by_date_has_passed():
    today = rules.apply_by_today()
    passed = ProjectFactory(apply_by=today - timedelta(days=1))
    due_today = ProjectFactory(apply_by=today)
    later = ProjectFactory(apply_by=today + timedelta(days=5))
    old_draft = ProjectFactory(draft=True, apply_by=today - timedelta(days=4))

    closed = services.projects_close_past_apply_by()

    assert closed == 1
    statuses = dict(Project.objects.values_list("pk", "status"))
    assert statuses == {
        passed.pk: ProjectStatus.CLOSED,
        due_today.pk: ProjectStatus.OPEN,
        later.pk: ProjectStatus.OPEN,
        old_draft.pk: ProjectStatus.DRAFT,
    }


def test_running_the_sweep_twice_changes_nothing_more():
    passed = ProjectFactory(apply_by=rules.apply_by_today() - timedelta(days=2))
    services.projects_close_past_apply_by()
    passed.refresh_from_db()
    first_closed_at = passed.closed_at

    assert services.projects_close_past_apply_by() == 0

    passed.refresh_from_db()
    assert passed.status == ProjectStatus.CLOSED
    assert passed.closed_at == first_closed_at


# --- The employer dashboard -----------------------------------------------------------


def test_the_dashboard_groups_the_organizations_projects_with_applicant_counts(
    client, employer, other_employer
):
    open_project = project_of(employer, title="Open pricing survey")
    ApplicationFactory.create_batch(2, project=open_project)
    ApplicationFactory(project=open_project, status=ApplicationStatus.WITHDRAWN)
    draft = project_of(employer, draft=True, title="Draft newsletter plan")
    closed = project_of(employer, status=ProjectStatus.CLOSED, title="Closed data cleanup")
    project_of(other_employer, title="Someone else's campaign")
    client.force_login(employer)

    response = client.get(reverse("employer_dashboard"))

    page = response.content.decode()
    # Each group in order, each project under its own group.
    headings = ["Open for applications", "Draft", "Applications closed"]
    positions = [page.index(heading) for heading in headings]
    assert positions == sorted(positions)
    titles = [open_project.title, draft.title, closed.title]
    assert [page.index(t) for t in titles] == sorted(page.index(t) for t in titles)
    assert all(positions[i] < page.index(titles[i]) for i in range(3))
    row = page[page.index(open_project.title) :].split("</tr>")[0]
    # Two applicants (the withdrawn one is not counted), both new.
    assert ">2<span" in row
    assert "<td>2</td>" in row
    assert f'2<span class="visually-hidden"> applicants for {open_project.title}' in page
    assert "Someone else" not in page


def test_the_dashboard_runs_the_same_queries_for_2_or_12_projects(client, employer):
    def projects(n):
        for _ in range(n):
            ApplicationFactory(project=project_of(employer))

    client.force_login(employer)
    projects(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("employer_dashboard")).status_code == 200
    projects(10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("employer_dashboard"))

    assert response.content.decode().count("applicants for ") == 12
    assert len(many) == len(few)


def test_each_waiting_applicant_gets_their_own_cancellation_email(client, employer, on_commit):
    project = project_of(employer)
    first, second = ApplicationFactory.create_batch(2, project=project)
    client.force_login(employer)

    with on_commit():
        client.post(reverse("projects:cancel", args=[project.pk]), {"reason": "No budget."})

    assert sorted(m.to for m in mail.outbox) == sorted(
        [[first.student.email], [second.student.email]]
    )


def test_openings_cannot_drop_below_the_students_already_accepted(client, employer):
    project = project_of(employer)
    project.openings = 2
    project.save()
    accepted_engagement(project=project)
    accepted_engagement(project=project)
    client.force_login(employer)
    data = ProjectForm.initial_from(project)
    data.update(
        skills=[s.pk for s in data["skills"]],
        apply_by=data["apply_by"].isoformat(),
        fee=str(data["fee"]),
        is_remote="on",
        openings=1,
        action="draft",
    )

    response = client.post(reverse("projects:edit", args=[project.pk]), data)

    assert response.status_code == 200
    assert "2 students are already accepted" in response.content.decode()
    project.refresh_from_db()
    assert project.openings == 2
