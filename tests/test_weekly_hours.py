"""The F-1 weekly hours cap: during their school's term a student on CPT or pre-completion
OPT logs at most 20 hours a week (Monday to Sunday) across all engagements; outside term a
part-time authorization keeps the cap and a full-time one lifts it. Shown on the workspace."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import (
    AcademicTerm,
    AuthorizationStatus,
    AuthorizedSchedule,
    OptKind,
    WorkAuthorization,
)
from engagements import services as engagement_services
from engagements.models import Engagement, TimeEntry
from tests.factories import (
    OrganizationFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
# A Wednesday; its week runs from Monday October 12 to Sunday October 18.
WEDNESDAY = datetime(2026, 10, 14, 15, 0, tzinfo=UTC)
MONDAY = WEDNESDAY.date() - 2 * DAY
LAST_SUNDAY = MONDAY - DAY


@pytest.fixture(autouse=True)
def on_wednesday():
    with time_machine.travel(WEDNESDAY, tick=False):
        yield


def fall_term(school, first=MONDAY - 40 * DAY, last=MONDAY + 60 * DAY):
    return AcademicTerm.objects.create(
        school=school, name="Fall 2026", starts_on=first, ends_on=last
    )


def student_with_two_engagements(school, **profile):
    organization = OrganizationFactory(verified=True)
    values = {
        "work_authorization": WorkAuthorization.F1_CPT,
        "work_authorization_status": AuthorizationStatus.VERIFIED,
        "authorization_valid_from": MONDAY - 60 * DAY,
        "authorization_valid_until": MONDAY + 90 * DAY,
        "cpt_organization": organization,
        "authorized_schedule": AuthorizedSchedule.PART_TIME,
        **profile,
    }
    student = StudentFactory(school=school, **values).user
    engagements = [
        accepted_engagement(
            project=ProjectFactory(organization=organization, hours=40, fee_cents=80000),
            student=student,
        )
        for _ in range(2)
    ]
    Engagement.objects.filter(student=student).update(accepted_at=WEDNESDAY - 20 * DAY)
    for engagement in engagements:
        engagement.refresh_from_db()
    return engagements


def log(engagement, day, hours):
    return engagement_services.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=day,
        quarters=int(hours * 4),
        description="Research",
    )


def refusal(engagement, day, hours) -> str:
    with pytest.raises(ValidationError) as refused:
        log(engagement, day, hours)
    return refused.value.message_dict["hours"][0]


def test_twenty_hours_across_two_engagements_fit_and_a_quarter_more_does_not(school):
    fall_term(school)
    first, second = student_with_two_engagements(school)
    log(first, MONDAY, 12)
    log(second, MONDAY + DAY, 8)

    message = refusal(second, WEDNESDAY.date(), 0.25)

    assert "That would pass 20 hours in the week of October 12" in message
    assert "during Fall 2026, a student on CPT works part time" in message
    assert "You have logged 20 hours that week, so 0 are left." in message
    assert TimeEntry.objects.filter(engagement__student=first.student).count() == 2


def test_the_week_runs_monday_to_sunday(school):
    fall_term(school)
    first, second = student_with_two_engagements(school)
    log(first, LAST_SUNDAY, 12)
    log(first, LAST_SUNDAY - DAY, 8)  # Saturday: last week is full

    log(second, MONDAY, 12)  # a new week
    log(second, MONDAY + 6 * DAY - 5 * DAY, 8)

    assert "so 0 are left" in refusal(first, LAST_SUNDAY - 6 * DAY, 0.25)  # last Monday


def test_a_school_may_set_fewer_hours_in_term(school):
    school.f1_weekly_hours_in_term = 15
    school.save()
    fall_term(school)
    first, _ = student_with_two_engagements(school)
    log(first, MONDAY, 12)

    assert "That would pass 15 hours" in refusal(first, MONDAY, 3.25)
    log(first, MONDAY, 3)


def test_the_last_day_of_term_is_capped_and_the_next_week_follows_a_full_time_cpt(school):
    fall_term(school, first=MONDAY - 60 * DAY, last=LAST_SUNDAY)
    first, second = student_with_two_engagements(
        school, authorized_schedule=AuthorizedSchedule.FULL_TIME
    )
    log(first, LAST_SUNDAY, 12)
    log(first, LAST_SUNDAY, 8)
    assert "during Fall 2026" in refusal(second, LAST_SUNDAY, 1)

    # The first week after term: a full-time CPT has no weekly cap.
    log(first, MONDAY, 12)
    log(second, MONDAY, 12)

    assert TimeEntry.objects.filter(work_date=MONDAY).count() == 2


def test_outside_term_a_part_time_cpt_keeps_the_cap(school):
    fall_term(school, first=MONDAY + 30 * DAY, last=MONDAY + 120 * DAY)  # term not started
    first, second = student_with_two_engagements(school)
    log(first, MONDAY, 12)
    log(second, MONDAY, 8)

    assert "outside term, your CPT is part time" in refusal(second, MONDAY, 1)


def test_the_first_day_of_term_is_capped(school):
    fall_term(school, first=WEDNESDAY.date(), last=MONDAY + 60 * DAY)
    first, second = student_with_two_engagements(
        school, authorized_schedule=AuthorizedSchedule.FULL_TIME
    )
    log(first, MONDAY, 12)  # Monday was out of term, but the week is capped from Wednesday
    log(second, MONDAY + DAY, 8)

    assert "during Fall 2026" in refusal(second, WEDNESDAY.date(), 1)


def test_pre_completion_opt_is_capped_and_post_completion_opt_is_not(school):
    fall_term(school)
    pre = student_with_two_engagements(
        school,
        work_authorization=WorkAuthorization.F1_OPT,
        cpt_organization=None,
        opt_kind=OptKind.PRE_COMPLETION,
    )
    post = student_with_two_engagements(
        school,
        work_authorization=WorkAuthorization.F1_OPT,
        cpt_organization=None,
        opt_kind=OptKind.POST_COMPLETION,
    )
    for first, second in (pre, post):
        log(first, MONDAY, 12)
        log(second, MONDAY, 8)

    assert "a student on OPT works part time" in refusal(pre[0], MONDAY, 1)
    log(post[0], MONDAY, 12)


def test_a_us_student_has_no_weekly_cap(school):
    fall_term(school)
    first, second = student_with_two_engagements(
        school,
        work_authorization=WorkAuthorization.US_AUTHORIZED,
        work_authorization_status=AuthorizationStatus.NOT_REQUIRED,
        authorization_valid_from=None,
        authorization_valid_until=None,
        cpt_organization=None,
        authorized_schedule="",
    )
    log(first, MONDAY, 12)
    log(second, MONDAY, 12)

    assert TimeEntry.objects.count() == 2


# --- On the workspace --------------------------------------------------------------------------


def workspace(client, user, engagement):
    client.force_login(user)
    return client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()


def test_the_workspace_shows_the_hours_this_week_to_the_student_only(client, school):
    fall_term(school)
    first, second = student_with_two_engagements(school)
    log(first, MONDAY, 4)
    log(second, MONDAY + DAY, 8)
    log(second, LAST_SUNDAY, 5)  # last week

    page = workspace(client, first.student, first)

    assert "12 of 20 hours this week" in page
    assert "F-1 rule: during Fall 2026, a student on CPT works part time" in page
    assert "hours this week" not in workspace(client, employer_of(first.project), first)


@pytest.mark.parametrize(
    ("utc", "shown"),
    [
        # 11:30 PM on Sunday in Los Angeles: still the week of October 12.
        (datetime(2026, 10, 19, 6, 30, tzinfo=UTC), "12 of 20 hours this week"),
        # 1:30 AM on Monday in Los Angeles: a new week.
        (datetime(2026, 10, 19, 8, 30, tzinfo=UTC), "0 of 20 hours this week"),
    ],
)
def test_the_week_turns_at_midnight_sunday_in_the_students_zone(client, school, utc, shown):
    fall_term(school)
    first, _ = student_with_two_engagements(school)
    first.student.time_zone = "America/Los_Angeles"
    first.student.save()
    with time_machine.travel(datetime(2026, 10, 18, 20, 0, tzinfo=UTC), tick=False):
        log(first, MONDAY + 6 * DAY, 12)  # Sunday

    with time_machine.travel(utc, tick=False):
        page = workspace(client, first.student, first)

    assert shown in page


# --- The academic calendar in the admin --------------------------------------------------------


def test_career_staff_add_a_term_to_their_schools_calendar(client, school, career_staff):
    client.force_login(career_staff)

    response = client.post(
        reverse("admin:accounts_academicterm_add"),
        {"name": "Spring 2027", "starts_on": "2027-01-19", "ends_on": "2027-05-14"},
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    term = AcademicTerm.objects.get()
    assert (term.school, term.name) == (school, "Spring 2027")


def test_overlapping_terms_are_refused_beside_the_field(client, school, career_staff):
    fall_term(school, first=datetime(2026, 8, 24).date(), last=datetime(2026, 12, 18).date())
    client.force_login(career_staff)

    response = client.post(
        reverse("admin:accounts_academicterm_add"),
        {"name": "Winter 2026", "starts_on": "2026-12-14", "ends_on": "2027-01-15"},
    )

    assert response.status_code == 200
    assert "These dates overlap Fall 2026" in response.content.decode()
    assert AcademicTerm.objects.count() == 1


def test_career_staff_do_not_see_another_schools_calendar(
    client, school, other_school, career_staff
):
    theirs = fall_term(other_school)
    client.force_login(career_staff)

    listing = client.get(reverse("admin:accounts_academicterm_changelist")).content.decode()
    change = client.get(reverse("admin:accounts_academicterm_change", args=[theirs.pk]))

    assert "Fall 2026" not in listing
    assert change.status_code == 404


def test_career_staff_see_each_capped_students_week_against_the_cap_in_the_engagement_list(
    client, school, career_staff
):
    fall_term(school)
    first, second = student_with_two_engagements(school)
    log(first, MONDAY, 12)
    log(second, MONDAY + DAY, 8)
    us_student = accepted_engagement(student=StudentFactory(school=school).user)
    client.force_login(career_staff)

    listing = client.get(reverse("admin:engagements_engagement_changelist")).content.decode()

    assert listing.count("this week 20 / 20 h (F-1)") == 2
    assert "At the weekly cap: during Fall 2026, a student on CPT works part time" in listing
    assert us_student.project.title in listing
    assert listing.count("(F-1)") == 2
