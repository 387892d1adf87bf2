"""The browse page is served from the cache, and never shows a market older than its last
change: a project published, edited, closed or filled is on the page at the next request,
for visitors and students alike."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as account_services
from projects import market, services
from tests.factories import (
    AdminFactory,
    ApplicationFactory,
    ProjectFactory,
    SkillFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)
from tests.helpers import run_after_commit
from tests.test_project_posting import form_of

pytestmark = pytest.mark.django_db


def page(client, **params) -> str:
    response = client.get(reverse("projects:browse"), params)
    assert response.status_code == 200
    return response.content.decode()


def without_csrf_token(html: str) -> str:
    """The log-out form's token is masked afresh on every page."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def as_student(student) -> Client:
    client = Client()
    client.force_login(student)
    return client


@pytest.fixture
def viewer(request, db):
    """A visitor, or a signed-in student: both must see every change at once."""
    if request.param == "visitor":
        return Client()
    return as_student(StudentFactory().user)


both_viewers = pytest.mark.parametrize("viewer", ["visitor", "student"], indirect=True)


def test_a_repeated_search_is_served_from_the_cache_with_the_same_content(client):
    ProjectFactory.create_batch(3, skills=[SkillFactory()])
    with CaptureQueriesContext(connection) as first:
        rendered = page(client, sort="fee")
    with CaptureQueriesContext(connection) as again:
        cached = page(client, sort="fee")

    assert cached == rendered
    assert len(again) < len(first)


def test_the_cached_page_is_the_page_rendered_afresh(client, settings):
    student = StudentFactory().user
    applied = ProjectFactory(title="Applied to")
    ProjectFactory(title="Not applied to")
    ApplicationFactory(project=applied, student=student)
    reader = as_student(student)
    page(client)  # fills the cache
    cached = page(reader)

    settings.MARKET_CACHE_SECONDS = 0
    assert without_csrf_token(page(reader)) == without_csrf_token(cached)
    assert cached.count(">Applied</span>") == 1


@both_viewers
def test_a_project_published_after_the_page_was_cached_is_listed_at_once(viewer):
    draft = ProjectFactory(title="Survey of campus food trucks", draft=True)
    assert "Survey of campus food trucks" not in page(viewer)

    services.project_publish(actor=employer_of(draft), project=draft)

    assert "Survey of campus food trucks" in page(viewer)


@both_viewers
def test_an_edited_title_shows_at_once(viewer):
    project = ProjectFactory(title="Competitor pricing research")
    assert "Competitor pricing research" in page(viewer)
    employer = Client()
    employer.force_login(employer_of(project))

    employer.post(
        reverse("projects:edit", args=[project.pk]),
        form_of(project, title="Competitor pricing research for 2027"),
    )

    assert "Competitor pricing research for 2027" in page(viewer)


@both_viewers
def test_a_closed_project_leaves_browse_at_once(viewer):
    project = ProjectFactory(title="Instagram content calendar")
    assert "Instagram content calendar" in page(viewer)

    services.project_close(actor=employer_of(project), project=project)

    assert "Instagram content calendar" not in page(viewer)


@both_viewers
def test_a_filled_project_leaves_browse_at_once(viewer):
    project = ProjectFactory(title="Data entry for a food bank", openings=1)
    assert "Data entry for a food bank" in page(viewer)

    accepted_engagement(project=project)

    assert "Data entry for a food bank" not in page(viewer)


@both_viewers
def test_the_projects_of_a_suspended_organization_leave_browse_at_once(viewer):
    project = ProjectFactory(title="Blog posts about recycling")
    assert "Blog posts about recycling" in page(viewer)

    account_services.organization_suspend(
        actor=AdminFactory(), organization=project.organization, reason="Unpaid invoices."
    )
    run_after_commit()

    assert "Blog posts about recycling" not in page(viewer)


def test_a_new_skill_of_a_project_shows_at_once(client):
    project = ProjectFactory(title="Sales dashboard", skills=[SkillFactory(name="Excel")])
    assert "Tableau" not in page(client)

    project.skills.add(SkillFactory(name="Tableau"))

    assert "Tableau" in page(client)


def test_applied_marks_on_a_cached_page_are_each_students_own(client):
    first, second = StudentFactory().user, StudentFactory().user
    ProjectFactory.create_batch(2)
    applied = ProjectFactory(title="Market sizing for a bike shop")
    page(client)  # a visitor fills the cache
    first_page = as_student(first)
    assert ">Applied</span>" not in page(first_page)

    ApplicationFactory(project=applied, student=first)

    assert page(first_page).count(">Applied</span>") == 1
    assert ">Applied</span>" not in page(as_student(second))
    assert ">Applied</span>" not in page(client)


def test_the_cached_best_match_order_follows_each_students_skills():
    excel, writing = SkillFactory(name="Excel"), SkillFactory(name="Copywriting")
    ProjectFactory(title="Spreadsheet cleanup", skills=[excel])
    ProjectFactory(title="Newsletter drafts", skills=[writing])
    analyst = as_student(StudentFactory(skills=[excel]).user)
    writer = as_student(StudentFactory(skills=[writing]).user)

    for _ in range(2):  # the second round is served from the cache
        for client, first, second in [
            (analyst, "Spreadsheet cleanup", "Newsletter drafts"),
            (writer, "Newsletter drafts", "Spreadsheet cleanup"),
        ]:
            html = page(client, sort="match")
            assert html.index(first) < html.index(second)


class UnreachableCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("the cache server is away")

        return fail


def test_without_a_reachable_cache_projects_save_and_the_page_shows_them(client, monkeypatch):
    monkeypatch.setattr(market, "cache", UnreachableCache())

    ProjectFactory(title="Podcast show notes")

    assert "Podcast show notes" in page(client)
