"""Integrity figures and flags for career services, the periodic sweep that raises them,
and the oversight services: flags raised and resolved by staff, coaching notes."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    AuditEvent,
    AuthorizationStatus,
    AuthorizedSchedule,
    Notification,
    WorkAuthorization,
)
from engagements import services as engagements
from engagements.models import Engagement, EngagementStatus
from feedback.models import FeedbackSession, SessionStatus
from marketplace.celery import beat_schedule
from oversight import services as oversight
from oversight.integrity import flagged, raise_automatic_flags, with_integrity
from oversight.models import CoachingNote, Flag, FlagRule
from oversight.tasks import raise_integrity_flags
from tests.factories import (
    EmployerFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)
from tests.helpers import status_fields

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


# --- Helpers ---------------------------------------------------------------------------------


def engagement_for(school, **project_fields):
    """A funded engagement of a student of this school, with no feedback session yet."""
    student = StudentFactory(school=school).user
    project = ProjectFactory(**project_fields) if project_fields else None
    engagement = accepted_engagement(project=project, student=student, funded=True)
    FeedbackSession.objects.filter(engagement=engagement).delete()
    return engagement


def set_fields(engagement, **fields):
    if "status" in fields:
        fields = status_fields(fields.pop("status"), **fields)
    Engagement.objects.filter(pk=engagement.pk).update(**fields)
    engagement.refresh_from_db()
    return engagement


def figures(engagement, now=None):
    return with_integrity(Engagement.objects.filter(pk=engagement.pk), now=now).get()


def session(engagement, *, at, status=SessionStatus.SCHEDULED):
    return FeedbackSession.objects.create(
        engagement=engagement,
        kind="check_in",
        scheduled_at=at,
        status=status,
        marked_at=None if status == SessionStatus.SCHEDULED else at,
    )


def open_flags(engagement=None):
    flags = Flag.objects.filter(status=Flag.Status.OPEN).exclude(rule="")
    if engagement is not None:
        flags = flags.filter(engagement=engagement)
    return sorted(flags.values_list("rule", flat=True))


@pytest.fixture
def engagement(school):
    return engagement_for(school)


# --- Hours against the cap -------------------------------------------------------------------


def test_hours_just_under_ninety_percent_of_the_cap_do_not_flag(school):
    # 25 of 28 quarter hours is 89.3%: integer division would round the threshold down to 25.
    engagement = set_fields(engagement_for(school, hours=7, fee_cents=10500), logged_quarters=25)

    row = figures(engagement)

    assert row.hours_percent == pytest.approx(89.2857, rel=1e-4)
    assert row.flag_hours is False


def test_hours_at_exactly_ninety_percent_of_the_cap_flag(school):
    engagement = set_fields(engagement_for(school, hours=10, fee_cents=15000), logged_quarters=36)

    row = figures(engagement)

    assert row.hours_percent == pytest.approx(90.0)
    assert row.flag_hours is True


def test_hours_one_quarter_under_ninety_percent_do_not_flag(school):
    engagement = set_fields(engagement_for(school, hours=10, fee_cents=15000), logged_quarters=35)

    assert figures(engagement).flag_hours is False


# --- Effective hourly rate -------------------------------------------------------------------


def test_no_hours_logged_means_no_rate_yet(engagement):
    row = figures(engagement)

    assert row.effective_rate_cents is None
    assert row.flag_rate is False


def test_a_rate_exactly_at_the_floor_does_not_flag(engagement, settings):
    # $400 for 20 hours logged is $20.00 an hour.
    engagement = set_fields(engagement, logged_quarters=80)
    settings.HOURLY_RATE_FLOOR_CENTS = 2000

    row = figures(engagement)

    assert row.effective_rate_cents == pytest.approx(2000.0)
    assert row.flag_rate is False


def test_a_rate_one_cent_under_the_floor_flags(engagement, settings):
    engagement = set_fields(engagement, logged_quarters=80)
    settings.HOURLY_RATE_FLOOR_CENTS = 2001

    assert figures(engagement).flag_rate is True


def test_a_rate_a_fraction_of_a_cent_under_the_floor_flags(engagement, settings):
    # $400 for 45 minutes is 53,333.33 cents an hour: under a floor of 53,334, over 53,333.
    engagement = set_fields(engagement, logged_quarters=3)

    settings.HOURLY_RATE_FLOOR_CENTS = 53334
    assert figures(engagement).flag_rate is True
    settings.HOURLY_RATE_FLOOR_CENTS = 53333
    assert figures(engagement).flag_rate is False


# --- Supervision -----------------------------------------------------------------------------


def test_a_missed_session_flags_supervision(engagement):
    now = timezone.now()
    session(engagement, at=now - DAY, status=SessionStatus.HELD)
    session(engagement, at=now - 2 * HOUR, status=SessionStatus.MISSED)

    row = figures(engagement, now=now)

    assert (row.sessions_held, row.sessions_missed, row.sessions_missed_recently) == (1, 1, 1)
    assert row.flag_supervision is True
    assert row.flag_no_recent_session is False


def test_no_session_held_flags_ten_days_after_funding_not_before(engagement):
    now = timezone.now()

    set_fields(engagement, funded_at=now - 10 * DAY)
    assert figures(engagement, now=now).flag_supervision is True

    set_fields(engagement, funded_at=now - (10 * DAY - HOUR))
    assert figures(engagement, now=now).flag_supervision is False


def test_a_session_held_ten_days_ago_is_not_recent_enough(engagement):
    now = timezone.now()
    set_fields(engagement, funded_at=now - 20 * DAY)
    session(engagement, at=now - 10 * DAY, status=SessionStatus.HELD)

    row = figures(engagement, now=now)

    assert row.last_session_held_at == now - 10 * DAY
    assert row.flag_supervision is True


def test_a_session_held_recently_keeps_supervision_clear(engagement):
    now = timezone.now()
    set_fields(engagement, funded_at=now - 20 * DAY)
    session(engagement, at=now - 3 * DAY, status=SessionStatus.HELD)
    session(engagement, at=now + 4 * DAY)

    row = figures(engagement, now=now)

    assert row.sessions_planned == 1  # the future one is not due yet
    assert row.flag_supervision is False


def test_supervision_is_not_watched_once_the_work_is_approved(engagement):
    now = timezone.now()
    set_fields(engagement, funded_at=now - 20 * DAY, status=EngagementStatus.APPROVED)

    assert figures(engagement, now=now).flag_supervision is False


# --- Due date and review time ----------------------------------------------------------------


def test_overdue_flags_one_minute_after_the_due_date_not_one_minute_before(engagement):
    due = engagement.due_at

    assert figures(engagement, now=due - MINUTE).flag_overdue is False
    assert figures(engagement, now=due + MINUTE).flag_overdue is True


def test_submitted_work_is_not_overdue(engagement):
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(
            note="The report", links=["https://example.com/r"], files=[]
        ),
    )

    assert figures(engagement, now=engagement.due_at + DAY).flag_overdue is False


def test_average_review_time_is_how_long_the_employer_took(engagement):
    submission = engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(
            note="The report", links=["https://example.com/r"], files=[]
        ),
    )
    engagements.submission_request_revision(
        actor=employer_of(engagement.project), engagement=engagement, comment="Add sources."
    )
    submission.refresh_from_db()
    type(submission).objects.filter(pk=submission.pk).update(
        reviewed_at=submission.submitted_at + timedelta(hours=30)
    )

    assert figures(engagement).average_review_time == timedelta(hours=30)


# --- flagged() -------------------------------------------------------------------------------


def test_flagged_lists_broken_rules_and_open_flags_once_each(school, career_staff):
    now = timezone.now()
    clean = engagement_for(school)
    overdue = set_fields(engagement_for(school), due_at=now - HOUR)
    followed = engagement_for(school)
    for note in ("Check the brief", "Call the employer"):
        oversight.flag_raise(actor=career_staff, engagement=followed, note=note)
    resolved = engagement_for(school)
    flag = oversight.flag_raise(actor=career_staff, engagement=resolved, note="Look")
    oversight.flag_resolve(actor=career_staff, flag=flag, resolution="Done")

    rows = list(flagged(with_integrity(Engagement.objects.all(), now=now)))

    assert sorted(e.pk for e in rows) == sorted([overdue.pk, followed.pk])
    assert clean.pk not in [e.pk for e in rows]


# --- The periodic sweep ----------------------------------------------------------------------


def test_the_sweep_opens_one_flag_per_rule_and_engagement(school):
    now = timezone.now()
    engagement = set_fields(engagement_for(school), due_at=now - HOUR, logged_quarters=76)
    fine = engagement_for(school)

    assert raise_automatic_flags(now=now) == 2
    assert raise_automatic_flags(now=now) == 0

    assert open_flags(engagement) == [FlagRule.HOURS_NEAR_CAP, FlagRule.OVERDUE]
    assert open_flags(fine) == []
    flag = Flag.objects.get(engagement=engagement, rule=FlagRule.OVERDUE)
    assert flag.school_id == school.pk
    assert flag.raised_by is None
    assert flag.raised_at == now
    assert flag.note == "The work is past its due date."


def test_a_missed_session_raises_its_own_flag_not_the_no_session_one(engagement):
    now = timezone.now()
    session(engagement, at=now - DAY, status=SessionStatus.HELD)
    session(engagement, at=now - 2 * HOUR, status=SessionStatus.MISSED)

    raise_automatic_flags(now=now)

    assert open_flags(engagement) == [FlagRule.SESSION_MISSED]

    # Eleven days on, the missed session is old news but nothing was held since.
    later = now + 11 * DAY
    set_fields(engagement, due_at=later + DAY)
    raise_automatic_flags(now=later)

    assert open_flags(engagement) == [FlagRule.NO_RECENT_SESSION]


def test_a_flag_closes_itself_once_the_rule_holds_again(engagement):
    now = timezone.now()
    set_fields(engagement, due_at=now - HOUR)
    raise_automatic_flags(now=now)

    set_fields(engagement, due_at=now + DAY)  # an extension moved the due date
    raise_automatic_flags(now=now)

    flag = Flag.objects.get(engagement=engagement, rule=FlagRule.OVERDUE)
    assert flag.status == Flag.Status.RESOLVED
    assert flag.resolved_at == now
    assert flag.resolved_by is None
    assert flag.resolution.startswith("Resolved automatically")


def test_flags_close_once_the_engagement_is_over_and_reopen_if_it_breaks_again(engagement):
    now = timezone.now()
    set_fields(engagement, due_at=now - HOUR, logged_quarters=76)
    raise_automatic_flags(now=now)

    set_fields(engagement, status=EngagementStatus.CANCELLED, cancelled_at=now)
    raise_automatic_flags(now=now)
    assert open_flags(engagement) == []

    set_fields(engagement, status=EngagementStatus.ACTIVE, cancelled_at=None)
    raise_automatic_flags(now=now)
    assert open_flags(engagement) == [FlagRule.HOURS_NEAR_CAP, FlagRule.OVERDUE]
    assert Flag.objects.filter(engagement=engagement).count() == 4


def test_a_flag_staff_resolved_is_not_raised_again(engagement, career_staff):
    now = timezone.now()
    set_fields(engagement, due_at=now - HOUR)
    other = set_fields(engagement_for(engagement.school), due_at=now - HOUR)
    raise_automatic_flags(now=now)
    flag = Flag.objects.get(engagement=engagement, rule=FlagRule.OVERDUE)

    oversight.flag_resolve(
        actor=career_staff, flag=flag, resolution="The employer agreed two more days."
    )
    raise_automatic_flags(now=now)
    set_fields(engagement, due_at=now + DAY)
    raise_automatic_flags(now=now)
    set_fields(engagement, due_at=now - MINUTE)
    raise_automatic_flags(now=now)

    assert open_flags(engagement) == []
    flag.refresh_from_db()
    assert flag.resolved_by == career_staff
    assert flag.resolution == "The employer agreed two more days."
    assert open_flags(other) == [FlagRule.OVERDUE]


def test_the_sweep_leaves_staff_flags_alone(engagement, career_staff):
    flag = oversight.flag_raise(actor=career_staff, engagement=engagement, note="Watch this one")

    raise_automatic_flags()

    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN


def test_a_rate_under_a_raised_floor_is_flagged(engagement, settings):
    # $400 for 15 hours is $26.67 an hour, under a floor raised to $27.
    set_fields(engagement, logged_quarters=60)
    settings.HOURLY_RATE_FLOOR_CENTS = 2700

    raise_automatic_flags()

    assert open_flags(engagement) == [FlagRule.RATE_UNDER_FLOOR]


def test_an_expired_work_authorization_is_flagged_until_a_new_one_is_verified(school):
    project = ProjectFactory()
    student = StudentFactory(
        school=school,
        work_authorization=WorkAuthorization.F1_CPT,
        work_authorization_status=AuthorizationStatus.VERIFIED,
        authorization_valid_from=timezone.localdate() - 30 * DAY,
        authorization_valid_until=timezone.localdate() + 30 * DAY,
        cpt_organization=project.organization,
        authorized_schedule=AuthorizedSchedule.PART_TIME,
    )
    engagement = accepted_engagement(project=project, student=student.user)
    FeedbackSession.objects.filter(engagement=engagement).delete()
    raise_automatic_flags()
    assert open_flags(engagement) == []

    type(student).objects.filter(pk=student.pk).update(
        authorization_valid_until=timezone.localdate() - DAY
    )
    raise_automatic_flags()
    assert open_flags(engagement) == [FlagRule.AUTHORIZATION_EXPIRED]

    type(student).objects.filter(pk=student.pk).update(
        authorization_valid_until=timezone.localdate() + 60 * DAY
    )
    raise_automatic_flags()
    assert open_flags(engagement) == []


def test_the_celery_task_runs_the_sweep(engagement):
    set_fields(engagement, due_at=timezone.now() - HOUR)

    assert raise_integrity_flags() == 1

    assert open_flags(engagement) == [FlagRule.OVERDUE]


def test_beat_runs_the_sweep_at_the_configured_period():
    schedule = beat_schedule(timedelta(minutes=5), integrity_every=timedelta(seconds=900))

    assert schedule["raise-integrity-flags"] == {
        "task": "oversight.raise_integrity_flags",
        "schedule": timedelta(minutes=15),
    }


def _broken_engagements(school, count):
    now = timezone.now()
    for _ in range(count):
        engagement = engagement_for(school)
        session(engagement, at=now - HOUR, status=SessionStatus.MISSED)
        set_fields(engagement, due_at=now - HOUR, logged_quarters=76)
    return now


@pytest.mark.parametrize("count", [2, 7])
def test_the_sweep_runs_a_fixed_number_of_queries(school, count, django_assert_max_num_queries):
    now = _broken_engagements(school, count)
    # And a flag to close: fixed since the last run.
    fixed = set_fields(engagement_for(school), due_at=now - HOUR)
    raise_automatic_flags(now=now)
    set_fields(fixed, due_at=now + DAY)
    Flag.objects.filter(engagement__school=school).exclude(engagement=fixed).delete()

    # Per rule: a savepoint, the broken rows, one insert, one update, the release.
    with django_assert_max_num_queries(2 + 7 * 5):
        opened = raise_automatic_flags(now=now)

    assert opened == 3 * count - 1  # open flags now, against before: one was closed
    assert len(open_flags()) == 3 * count
    assert open_flags(fixed) == []


def test_the_sweep_costs_the_same_for_two_rows_as_for_seven(school, other_school):
    counts = []
    for size, where in ((2, school), (7, other_school)):
        now = _broken_engagements(where, size)
        Flag.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            raise_automatic_flags(now=now)
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- Flags raised and resolved by career services ----------------------------------------------


def test_staff_flag_an_engagement_of_their_school(engagement, career_staff):
    follow_up = timezone.localdate() + 3 * DAY

    flag = oversight.flag_raise(
        actor=career_staff,
        engagement=engagement,
        note="  The student says the brief changed.  ",
        follow_up_on=follow_up,
    )

    assert flag.school_id == engagement.school_id
    assert flag.raised_by == career_staff
    assert flag.rule == ""
    assert flag.note == "The student says the brief changed."
    assert flag.follow_up_on == follow_up
    event = AuditEvent.objects.get(action="flag.raised")
    assert event.actor == career_staff
    assert event.target_id == str(flag.pk)


def test_a_platform_admin_may_flag_any_engagement(engagement, platform_admin):
    flag = oversight.flag_raise(actor=platform_admin, engagement=engagement, note="Check")

    assert flag.school_id == engagement.school_id


def test_staff_of_another_school_cannot_flag(engagement, other_school_staff):
    with pytest.raises(PermissionDenied):
        oversight.flag_raise(actor=other_school_staff, engagement=engagement, note="Check")

    assert not Flag.objects.exists()


def test_the_employer_cannot_flag(engagement):
    with pytest.raises(PermissionDenied):
        oversight.flag_raise(
            actor=employer_of(engagement.project), engagement=engagement, note="Check"
        )


def test_a_flag_needs_a_note_and_a_follow_up_date_not_in_the_past(engagement, career_staff):
    with pytest.raises(ValidationError) as empty:
        oversight.flag_raise(actor=career_staff, engagement=engagement, note="   ")
    with pytest.raises(ValidationError) as past:
        oversight.flag_raise(
            actor=career_staff,
            engagement=engagement,
            note="Check",
            follow_up_on=timezone.localdate() - DAY,
        )

    assert list(empty.value.error_dict) == ["note"]
    assert list(past.value.error_dict) == ["follow_up_on"]
    assert not Flag.objects.exists()


def test_staff_flag_an_employer_their_students_work_with(engagement, career_staff):
    flag = oversight.flag_raise(
        actor=career_staff, organization=engagement.organization, note="Slow to fund"
    )

    assert flag.organization == engagement.organization
    assert flag.engagement is None
    assert flag.school_id == engagement.school_id


def test_staff_cannot_flag_an_employer_none_of_their_students_work_with(career_staff):
    stranger = EmployerFactory(organization__verified=True).organization

    with pytest.raises(PermissionDenied):
        oversight.flag_raise(actor=career_staff, organization=stranger, note="Who?")


def test_a_flag_on_an_engagement_names_its_own_employer(engagement, career_staff):
    stranger = EmployerFactory(organization__verified=True).organization

    with pytest.raises(ValidationError) as error:
        oversight.flag_raise(
            actor=career_staff, engagement=engagement, organization=stranger, note="Check"
        )

    assert list(error.value.error_dict) == ["organization"]


def test_staff_resolve_a_flag_once(engagement, career_staff):
    flag = oversight.flag_raise(actor=career_staff, engagement=engagement, note="Check")

    resolved = oversight.flag_resolve(actor=career_staff, flag=flag, resolution=" Talked to both ")
    again = oversight.flag_resolve(actor=career_staff, flag=flag, resolution="Other words")

    assert resolved.status == Flag.Status.RESOLVED
    assert resolved.resolved_by == career_staff
    assert resolved.resolution == "Talked to both"
    assert again.resolution == "Talked to both"
    assert AuditEvent.objects.filter(action="flag.resolved").count() == 1


def test_a_resolution_needs_words(engagement, career_staff):
    flag = oversight.flag_raise(actor=career_staff, engagement=engagement, note="Check")

    with pytest.raises(ValidationError) as error:
        oversight.flag_resolve(actor=career_staff, flag=flag, resolution="")

    assert list(error.value.error_dict) == ["resolution"]


def test_only_the_schools_staff_and_admins_resolve_its_flags(
    engagement, career_staff, other_school_staff, platform_admin
):
    flag = oversight.flag_raise(actor=career_staff, engagement=engagement, note="Check")

    for outsider in (other_school_staff, employer_of(engagement.project), engagement.student):
        with pytest.raises(PermissionDenied):
            oversight.flag_resolve(actor=outsider, flag=flag, resolution="Fine")

    assert oversight.flag_resolve(actor=platform_admin, flag=flag, resolution="Fine").resolved_by


# --- Coaching notes --------------------------------------------------------------------------


def approved(engagement):
    return set_fields(engagement, status=EngagementStatus.APPROVED, approved_at=timezone.now())


def test_staff_coach_the_student_on_an_approved_engagement(engagement, career_staff):
    engagement = approved(engagement)

    note = oversight.coaching_note_add(
        actor=career_staff, engagement=engagement, text=" Lead with the price table. "
    )

    assert note.author == career_staff
    assert note.text == "Lead with the price table."
    told = Notification.objects.get(recipient=engagement.student, kind="coaching.note")
    assert told.url == reverse("engagements:workspace", kwargs={"pk": engagement.pk}) + "#coaching"
    assert AuditEvent.objects.filter(action="coaching.added", target_id=str(note.pk)).exists()


def test_coaching_also_after_payment(engagement, platform_admin):
    engagement = set_fields(engagement, status=EngagementStatus.PAID, paid_at=timezone.now())

    assert oversight.coaching_note_add(actor=platform_admin, engagement=engagement, text="Good")


@pytest.mark.parametrize("status", ["active", "submitted", "cancelled", "disputed"])
def test_coaching_waits_for_the_work_to_be_approved(engagement, career_staff, status):
    set_fields(engagement, status=status)

    with pytest.raises(ValidationError):
        oversight.coaching_note_add(actor=career_staff, engagement=engagement, text="Advice")

    assert not CoachingNote.objects.exists()


def test_coaching_needs_words(engagement, career_staff):
    engagement = approved(engagement)

    with pytest.raises(ValidationError) as error:
        oversight.coaching_note_add(actor=career_staff, engagement=engagement, text="  ")

    assert list(error.value.error_dict) == ["text"]


def test_only_the_students_school_coaches(engagement, other_school_staff):
    engagement = approved(engagement)

    for outsider in (other_school_staff, employer_of(engagement.project)):
        with pytest.raises(PermissionDenied):
            oversight.coaching_note_add(actor=outsider, engagement=engagement, text="Advice")

    assert not Notification.objects.filter(kind="coaching.note").exists()


# --- Coaching notes on the workspace ---------------------------------------------------------


@pytest.fixture
def coached(engagement, career_staff):
    engagement = approved(engagement)
    note = oversight.coaching_note_add(
        actor=career_staff,
        engagement=engagement,
        text="Lead with the price table.\n\nName the three competitors.",
    )
    # 03:00 UTC on January 12 is still January 11 in New York.
    CoachingNote.objects.filter(pk=note.pk).update(
        created_at=datetime(2026, 1, 12, 3, 0, tzinfo=UTC)
    )
    return engagement


def workspace_page(client, user, engagement):
    client.force_login(user)
    response = client.get(reverse("engagements:workspace", kwargs={"pk": engagement.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_student_reads_the_advice_in_their_time_zone(client, coached, career_staff):
    student = coached.student
    student.time_zone = "America/New_York"
    student.save(update_fields=["time_zone"])

    page = workspace_page(client, student, coached)

    assert 'id="coaching"' in page
    assert "Career services advice" in page
    assert career_staff.get_full_name() in page
    assert "Jan 11, 2026" in page
    assert "<p>Lead with the price table.</p>\n\n<p>Name the three competitors.</p>" in page


def test_staff_and_admins_see_the_advice(client, coached, career_staff, platform_admin):
    for viewer in (career_staff, platform_admin):
        page = workspace_page(client, viewer, coached)
        assert 'id="coaching"' in page
        assert "Name the three competitors." in page


def test_the_employer_does_not_see_the_advice(client, coached):
    page = workspace_page(client, employer_of(coached.project), coached)

    assert 'id="coaching"' not in page
    assert "Name the three competitors." not in page


def test_a_student_without_advice_sees_no_empty_section(client, engagement):
    page = workspace_page(client, engagement.student, approved(engagement))

    assert 'id="coaching"' not in page


def test_the_advice_costs_one_query_whatever_the_number_of_notes(client, coached, career_staff):
    def count():
        client.force_login(coached.student)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("engagements:workspace", kwargs={"pk": coached.pk}))
        return len(queries)

    one_note = count()
    for n in range(4):
        oversight.coaching_note_add(actor=career_staff, engagement=coached, text=f"Tip {n}")
    assert count() == one_note

    CoachingNote.objects.all().delete()
    Notification.objects.all().delete()
    assert count() == one_note


def test_the_employer_page_does_not_query_the_advice(client, coached):
    employer = employer_of(coached.project)
    client.force_login(employer)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("engagements:workspace", kwargs={"pk": coached.pk}))

    assert not any("coachingnote" in q["sql"] for q in queries.captured_queries)
