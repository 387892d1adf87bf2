"""Career services staff see their own school's records in the admin, and nothing else:
not in lists, search, filters, exports, autocomplete, counts or by typing an id."""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from engagements import services as engagement_services
from engagements import services as engagements
from engagements.models import Engagement, EngagementStatus, Message, Submission, SubmissionFile
from feedback.models import EmployerReview, FeedbackSession, SessionNote, StudentEvaluation
from outcomes.records import experience_record
from oversight import services as oversight
from oversight.models import CoachingNote, Flag
from payments.models import Payout
from projects.models import Application
from tests.factories import (
    ApplicationFactory,
    CareerStaffFactory,
    OrganizationFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)
from tests.helpers import status_fields

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """Everything about one school's student that the admin can show."""

    name: str
    staff: object
    engagement: Engagement
    objects: dict


def _approved_world(name: str) -> World:
    student = StudentFactory(user__last_name=f"{name}son").user
    school = student.student_profile.school
    school.name = f"{name} University"
    school.save()
    organization = OrganizationFactory(name=f"{name} Org", verified=True)
    project = ProjectFactory(title=f"{name} market scan", organization=organization)
    engagement = accepted_engagement(project=project, student=student)
    employer = employer_of(project)
    time_entry = engagements.time_entry_log(
        actor=student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=8,
        description=f"{name} desk research",
    )
    submission = Submission.objects.create(engagement=engagement, number=1, note="Report")
    deliverable = SubmissionFile.objects.create(
        submission=submission,
        file=ContentFile(b"%PDF-1.4", name=f"{name.lower()}-report.pdf"),
        original_name=f"{name.lower()}-report.pdf",
        size=8,
        content_type="application/pdf",
    )
    message = Message.objects.create(
        engagement=engagement, author=student, body=f"{name} secret message text"
    )
    session = FeedbackSession.objects.filter(engagement=engagement).first()
    SessionNote.objects.create(session=session, author=employer, went_well=f"{name} went well")
    Engagement.objects.filter(pk=engagement.pk).update(**status_fields(EngagementStatus.APPROVED))
    engagement.refresh_from_db()
    record = experience_record(engagement_id=engagement.pk)
    payout = Payout.objects.create(
        engagement=engagement,
        student=student,
        amount_cents=engagement.fee_cents,
        gateway="local",
        status=Payout.Status.WAITING_FOR_ACCOUNT,
    )
    evaluation = StudentEvaluation.objects.create(
        engagement=engagement,
        author=employer,
        communication=5,
        problem_solving=4,
        quality=5,
        timeliness=4,
        professionalism=5,
        strengths="Clear writing",
        growth_areas="Ask sooner",
        would_work_again=True,
        interested_full_time=True,
    )
    review = EmployerReview.objects.create(
        engagement=engagement, author=student, clarity=4, support=5, learning_value=5, comment="Ok"
    )
    staff = CareerStaffFactory(school=school).user
    flag = oversight.flag_raise(actor=staff, note=f"{name} check the hours", engagement=engagement)
    coaching = oversight.coaching_note_add(
        actor=staff, engagement=engagement, text=f"{name}: lead with the result"
    )
    return World(
        name=name,
        staff=staff,
        engagement=engagement,
        objects={
            "accounts.school": school,
            "accounts.studentprofile": student.student_profile,
            "accounts.organization": organization,
            "projects.application": engagement.application,
            "engagements.engagement": engagement,
            "engagements.timeentry": time_entry,
            "engagements.submissionfile": deliverable,
            "engagements.message": message,
            "payments.payout": payout,
            "feedback.feedbacksession": session,
            "feedback.studentevaluation": evaluation,
            "feedback.employerreview": review,
            "oversight.flag": flag,
            "oversight.coachingnote": coaching,
            "outcomes.verifiedexperience": record,
        },
    )


@pytest.fixture
def schools(on_commit):
    with on_commit():
        return _approved_world("Alpha"), _approved_world("Bravo")


MODELS = [
    "accounts.school",
    "accounts.studentprofile",
    "accounts.organization",
    "projects.application",
    "engagements.engagement",
    "engagements.timeentry",
    "engagements.submissionfile",
    "engagements.message",
    "payments.payout",
    "feedback.feedbacksession",
    "feedback.studentevaluation",
    "feedback.employerreview",
    "oversight.flag",
    "oversight.coachingnote",
    "outcomes.verifiedexperience",
]

# A word each model's search finds in the "Bravo" world's object.
SEARCH = {
    "accounts.school": "Bravo University",
    "accounts.studentprofile": "Bravoson",
    "accounts.organization": "Bravo Org",
    "accounts.auditevent": "Bravo",
    "engagements.submissionfile": "bravo-report",
}


def _url(model: str, view: str, *args) -> str:
    app, name = model.split(".")
    return reverse(f"admin:{app}_{name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_staff_list_only_their_own_schools_records(client, schools, model):
    alpha, bravo = schools
    client.force_login(alpha.staff)

    page = client.get(_url(model, "changelist"))

    assert page.status_code == 200
    shown = {obj.pk for obj in page.context["cl"].result_list}
    assert alpha.objects[model].pk in shown
    assert bravo.objects[model].pk not in shown
    assert b"Bravo" not in page.content
    assert page.context["cl"].full_result_count == len(shown)


@pytest.mark.parametrize("model", MODELS)
def test_staff_search_never_finds_another_schools_records(client, schools, model):
    alpha, bravo = schools
    client.force_login(alpha.staff)

    page = client.get(_url(model, "changelist"), {"q": SEARCH.get(model, "Bravo market scan")})

    assert list(page.context["cl"].result_list) == []
    # The same search finds the staff member's own record.
    own = client.get(
        _url(model, "changelist"),
        {
            "q": SEARCH.get(model, "Bravo market scan")
            .replace("Bravo", "Alpha")
            .replace("bravo", "alpha")
        },
    )
    found = own.context["cl"].result_list
    assert alpha.objects[model].pk in {o.pk for o in found}
    assert set(found) <= set(type(alpha.objects[model]).objects.exclude(pk=bravo.objects[model].pk))


@pytest.mark.parametrize("model", MODELS)
def test_staff_cannot_open_change_or_delete_another_schools_record_by_its_url(
    client, schools, model
):
    alpha, bravo = schools
    client.force_login(alpha.staff)
    theirs = bravo.objects[model].pk

    change = client.get(_url(model, "change", theirs))
    assert change.status_code == 404
    assert b"Bravo" not in change.content
    assert b"This record is not available to your account." in change.content
    assert client.post(_url(model, "change", theirs), {}).status_code == 404
    assert client.get(_url(model, "history", theirs)).status_code == 404
    assert client.post(_url(model, "delete", theirs), {"post": "yes"}).status_code in (302, 403)
    assert type(bravo.objects[model]).objects.filter(pk=theirs).exists()


@pytest.mark.parametrize("model", MODELS)
def test_staff_read_their_own_records_but_never_delete_them(client, schools, model):
    alpha, _ = schools
    client.force_login(alpha.staff)
    mine = alpha.objects[model]

    assert client.get(_url(model, "change", mine.pk)).status_code == 200
    assert client.post(_url(model, "delete", mine.pk), {"post": "yes"}).status_code == 403
    assert type(mine).objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize(
    "model", [m for m in MODELS if m not in ("oversight.flag", "oversight.coachingnote")]
)
def test_staff_cannot_change_or_add_records(client, schools, model):
    alpha, _ = schools
    client.force_login(alpha.staff)

    assert client.post(_url(model, "change", alpha.objects[model].pk), {}).status_code == 403
    assert client.get(_url(model, "add")).status_code == 403


def test_the_employer_filter_lists_only_employers_of_the_staff_members_students(client, schools):
    alpha, bravo = schools
    school = alpha.objects["accounts.school"]
    second = _live_engagement(school, title="Second employer")
    client.force_login(alpha.staff)
    changelist = _url("engagements.engagement", "changelist")

    page = client.get(changelist)
    assert b"Alpha Org" in page.content and b"Bravo Org" not in page.content
    assert second.organization.name.encode() in page.content

    mine = client.get(changelist, {"organization__id__exact": second.organization_id})
    assert [e.pk for e in mine.context["cl"].result_list] == [second.pk]
    theirs = client.get(changelist, {"organization__id__exact": bravo.engagement.organization_id})
    assert list(theirs.context["cl"].result_list) == []


def test_staff_export_only_their_own_engagements_even_when_they_post_another_schools_id(
    client, schools
):
    alpha, bravo = schools
    client.force_login(alpha.staff)
    changelist = _url("engagements.engagement", "changelist")

    everything = client.post(
        changelist,
        {
            "action": "export_csv",
            "select_across": "1",
            "index": "0",
            "_selected_action": [alpha.engagement.pk],
        },
    )
    rows = list(csv.reader(io.StringIO(everything.content.decode("utf-8-sig"))))
    assert [r[5] for r in rows[1:]] == ["Alpha market scan"]

    theirs = client.post(
        changelist,
        {"action": "export_csv", "index": "0", "_selected_action": [bravo.engagement.pk]},
    )
    assert b"Bravo" not in theirs.content


def test_autocomplete_offers_only_the_staff_members_schools_engagements(client, schools):
    alpha, _ = schools
    client.force_login(alpha.staff)
    params = {"app_label": "oversight", "model_name": "flag", "field_name": "engagement"}

    found = client.get(reverse("admin:autocomplete"), {**params, "term": "market scan"}).json()

    assert [r["id"] for r in found["results"]] == [str(alpha.engagement.pk)]


def test_staff_cannot_flag_another_schools_engagement(client, schools):
    alpha, bravo = schools
    client.force_login(alpha.staff)

    response = client.post(
        _url("oversight.flag", "add"),
        {"engagement": bravo.engagement.pk, "note": "Looks odd", "follow_up_on": ""},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Flag.objects.filter(note="Looks odd").exists()


def test_other_roles_never_reach_the_oversight_admin(client, schools):
    alpha, _ = schools
    for user in (alpha.engagement.student, employer_of(alpha.engagement.project)):
        client.force_login(user)
        for model in MODELS:
            response = client.get(_url(model, "changelist"))
            assert response.status_code in (302, 403)


def test_platform_admins_see_every_school(client, schools, platform_admin):
    client.force_login(platform_admin)
    for model in MODELS:
        shown = {o.pk for o in client.get(_url(model, "changelist")).context["cl"].result_list}
        assert {w.objects[model].pk for w in schools} <= shown


# --- Messages: their existence, not their text ------------------------------------------------


def test_message_text_stays_private_until_a_flag_or_dispute_is_open(client, schools):
    alpha, _ = schools
    client.force_login(alpha.staff)
    message = alpha.objects["engagements.message"]
    url = _url("engagements.message", "change", message.pk)

    # The world's flag is open: the text shows.
    assert b"Alpha secret message text" in client.get(url).content

    Flag.objects.filter(engagement=alpha.engagement).update(
        status="resolved", resolved_at=timezone.now()
    )
    private = client.get(url)
    assert b"Alpha secret message text" not in private.content
    assert b"Private" in private.content
    listing = client.get(_url("engagements.message", "changelist"))
    assert b"Alpha secret message text" not in listing.content
    # The body is not searchable either.
    found = client.get(_url("engagements.message", "changelist"), {"q": "secret"})
    assert list(found.context["cl"].result_list) == []

    Engagement.objects.filter(pk=alpha.engagement.pk).update(
        **status_fields(EngagementStatus.DISPUTED)
    )
    assert b"Alpha secret message text" in client.get(url).content


# --- Integrity columns and filters -------------------------------------------------------------


def _live_engagement(school, *, title="Live work", logged_quarters=0, due_in_days=10):
    student = StudentFactory(school=school).user
    engagement = accepted_engagement(project=ProjectFactory(title=title), student=student)
    Engagement.objects.filter(pk=engagement.pk).update(
        logged_quarters=logged_quarters, due_at=timezone.now() + timedelta(days=due_in_days)
    )
    return Engagement.objects.get(pk=engagement.pk)


def test_the_engagement_list_shows_and_filters_the_integrity_flags(client, career_staff, school):
    near_cap = _live_engagement(school, title="Near the cap", logged_quarters=72)  # 18 of 20 h
    late = _live_engagement(school, title="Running late", due_in_days=-2)
    fine = _live_engagement(school, title="On track", logged_quarters=8)
    client.force_login(career_staff)
    changelist = _url("engagements.engagement", "changelist")

    page = client.get(changelist).content.decode()
    assert "18 / 20 h (90%)" in page
    assert "overdue 2.0 d" in page
    # Every figure is on the engagement's page, one click from the list.
    detail = client.get(_url("engagements.engagement", "change", fine.pk)).content.decode()
    assert "$200.00/h" in detail  # $400 for 2 hours so far

    def titles(**params):
        response = client.get(changelist, params)
        return {e.project.title for e in response.context["cl"].result_list}

    assert titles(flagged="hours") == {near_cap.project.title}
    assert titles(due="overdue") == {late.project.title}
    assert fine.project.title not in titles(flagged="yes")
    assert fine.project.title in titles(flagged="no")
    assert titles(flagged="yes") >= {near_cap.project.title, late.project.title}


def test_the_term_filter_keeps_engagements_accepted_in_that_term(client, career_staff, school):
    from marketplace.terms import term_for

    this = _live_engagement(school, title="This term")
    old = _live_engagement(school, title="Last year")
    Engagement.objects.filter(pk=old.pk).update(accepted_at=this.accepted_at - timedelta(days=400))
    client.force_login(career_staff)

    term = term_for(timezone.localdate())
    page = client.get(_url("engagements.engagement", "changelist"), {"term": term.slug})

    assert {e.pk for e in page.context["cl"].result_list} == {this.pk}


def test_the_engagement_list_runs_the_same_queries_for_two_or_twelve_rows(
    client, career_staff, school, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(2):
        _live_engagement(school, title=f"Small {i}", logged_quarters=4)
    client.force_login(career_staff)
    changelist = _url("engagements.engagement", "changelist")
    with CaptureQueriesContext(connection) as few:
        client.get(changelist, {"status__exact": "active"})
    for i in range(10):
        _live_engagement(school, title=f"More {i}", logged_quarters=4)
    with django_assert_max_num_queries(len(few)):
        page = client.get(changelist, {"status__exact": "active"})
    assert len(page.context["cl"].result_list) == 12


def test_the_csv_export_neutralises_spreadsheet_formulas(client, career_staff, school):
    engagement = _live_engagement(
        school, title='=HYPERLINK("http://evil.test","Click")', logged_quarters=8
    )
    client.force_login(career_staff)

    response = client.post(
        _url("engagements.engagement", "changelist"),
        {"action": "export_csv", "index": "0", "_selected_action": [engagement.pk]},
    )

    assert response["Content-Type"].startswith("text/csv")
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert row[header.index("project")] == '\'=HYPERLINK("http://evil.test","Click")'
    assert row[header.index("hours logged")] == "2.0"
    assert row[header.index("fee (USD)")] == "400.00"
    assert row[header.index("effective rate (USD/h)")] == "200.00"


# --- What staff do in the admin: flags, coaching, work authorization ---------------------------


def test_staff_flag_an_engagement_and_resolve_it_through_the_admin(
    client, career_staff, school, on_commit
):
    engagement = _live_engagement(school, title="Check this one")
    client.force_login(career_staff)
    follow_up = timezone.localdate() + timedelta(days=3)

    with on_commit():
        response = client.post(
            _url("oversight.flag", "add"),
            {"engagement": engagement.pk, "note": "Employer quiet", "follow_up_on": follow_up},
        )
    assert response.status_code == 302
    flag = Flag.objects.get(note="Employer quiet")
    assert (flag.school_id, flag.raised_by, flag.follow_up_on) == (
        school.pk,
        career_staff,
        follow_up,
    )

    empty = client.post(_url("oversight.flag", "change", flag.pk), {"resolution": ""})
    assert "This field is required" in empty.content.decode()
    client.post(_url("oversight.flag", "change", flag.pk), {"resolution": "Called the employer"})
    flag.refresh_from_db()
    assert flag.status == "resolved" and flag.resolved_by == career_staff


def test_a_flag_with_a_past_follow_up_date_is_refused_where_it_was_typed(
    client, career_staff, school
):
    engagement = _live_engagement(school)
    client.force_login(career_staff)

    response = client.post(
        _url("oversight.flag", "add"),
        {
            "engagement": engagement.pk,
            "note": "Late",
            "follow_up_on": timezone.localdate() - timedelta(days=1),
        },
    )

    assert "Choose today or a later date." in response.content.decode()
    assert not Flag.objects.exists()


def test_staff_leave_a_coaching_note_that_the_student_is_told_about(client, schools, on_commit):
    alpha, _ = schools
    client.force_login(alpha.staff)

    with on_commit():
        response = client.post(
            _url("oversight.coachingnote", "add"),
            {"engagement": alpha.engagement.pk, "text": "Quantify the sources you compared."},
        )

    assert response.status_code == 302
    note = CoachingNote.objects.get(text="Quantify the sources you compared.")
    assert note.author == alpha.staff
    assert Notification.objects.filter(
        recipient=alpha.engagement.student, kind="coaching.note", key=f"coaching-{note.pk}"
    ).exists()


def test_coaching_notes_are_for_finished_engagements_only(client, career_staff, school):
    live = _live_engagement(school)
    client.force_login(career_staff)

    response = client.post(
        _url("oversight.coachingnote", "add"), {"engagement": live.pk, "text": "Too early"}
    )

    assert "Select a valid choice" in response.content.decode()
    assert not CoachingNote.objects.filter(text="Too early").exists()


def test_staff_verify_a_cpt_with_its_dates_and_the_student_is_told(
    client, career_staff, school, on_commit
):
    from accounts.models import AuthorizationStatus, WorkAuthorization

    profile = StudentFactory(
        school=school,
        work_authorization=WorkAuthorization.F1_CPT,
        work_authorization_status=AuthorizationStatus.PENDING,
        authorization_document=ContentFile(b"%PDF-1.4", name="cpt.pdf"),
        authorization_document_name="cpt-i20.pdf",
    )
    client.force_login(career_staff)
    url = reverse("admin:accounts_studentprofile_authorization", args=[profile.pk])
    page = client.get(url)
    assert b"cpt-i20.pdf" in page.content

    no_dates = client.post(url, {"decision": "verify"})
    assert "A CPT is valid between two dates" in no_dates.content.decode()
    assert "A CPT is granted for one employer" in no_dates.content.decode()
    assert "part time or full time" in no_dates.content.decode()

    employer = OrganizationFactory(verified=True)
    start, end = timezone.localdate(), timezone.localdate() + timedelta(days=90)
    with on_commit():
        done = client.post(
            url,
            {
                "decision": "verify",
                "valid_from": start,
                "valid_until": end,
                "cpt_organization": employer.pk,
                "authorized_schedule": "part_time",
            },
        )
    assert done.status_code == 302
    profile.refresh_from_db()
    assert profile.work_authorization_status == AuthorizationStatus.VERIFIED
    assert (profile.authorization_valid_from, profile.authorization_valid_until) == (start, end)
    assert (profile.cpt_organization, profile.authorized_schedule) == (employer, "part_time")
    assert profile.authorization_reviewed_by == career_staff
    assert Notification.objects.filter(recipient=profile.user).exists()


def test_staff_reject_an_authorization_with_a_reason(client, career_staff, school):
    from accounts.models import AuthorizationStatus, WorkAuthorization

    profile = StudentFactory(
        school=school,
        work_authorization=WorkAuthorization.F1_OPT,
        work_authorization_status=AuthorizationStatus.PENDING,
    )
    client.force_login(career_staff)
    url = reverse("admin:accounts_studentprofile_authorization", args=[profile.pk])

    without = client.post(url, {"decision": "reject", "reason": ""})
    assert "Tell the student why" in without.content.decode()
    client.post(url, {"decision": "reject", "reason": "The EAD card is unreadable."})

    profile.refresh_from_db()
    assert profile.work_authorization_status == AuthorizationStatus.REJECTED
    assert profile.work_authorization_note == "The EAD card is unreadable."


def test_staff_of_another_school_cannot_review_a_students_authorization(
    client, other_school_staff, school
):
    from accounts.models import AuthorizationStatus, WorkAuthorization

    profile = StudentFactory(
        school=school,
        work_authorization=WorkAuthorization.F1_CPT,
        work_authorization_status=AuthorizationStatus.PENDING,
    )
    client.force_login(other_school_staff)
    url = reverse("admin:accounts_studentprofile_authorization", args=[profile.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "reject", "reason": "No"}).status_code == 404
    profile.refresh_from_db()
    assert profile.work_authorization_status == AuthorizationStatus.PENDING


# --- Platform admins: suspending an employer ---------------------------------------------------


def test_a_platform_admin_suspends_an_organization_and_its_applicants_are_told(
    client, platform_admin, on_commit
):
    project = ProjectFactory(title="Open call")
    applicant = ApplicationFactory(project=project).student
    client.force_login(platform_admin)
    changelist = _url("accounts.organization", "changelist")
    post = {
        "action": "suspend_selected",
        "_selected_action": [project.organization_id],
        "apply": "1",
    }

    without = client.post(changelist, {**post, "note": ""})
    assert "This field is required" in without.content.decode()
    with on_commit():
        client.post(changelist, {**post, "note": "Unpaid work reported"})

    project.refresh_from_db()
    project.organization.refresh_from_db()
    assert project.status == "closed"
    assert project.organization.suspended_at and not project.organization.is_verified
    assert Application.objects.get(project=project).status == "declined"
    assert Notification.objects.filter(recipient=applicant, kind="project.closed").exists()


def test_career_staff_cannot_suspend_or_verify_organizations(client, schools):
    alpha, _ = schools
    client.force_login(alpha.staff)
    org = alpha.engagement.organization

    page = client.get(_url("accounts.organization", "changelist"))
    assert b"suspend_selected" not in page.content
    client.post(
        _url("accounts.organization", "changelist"),
        {"action": "suspend_selected", "_selected_action": [org.pk], "apply": "1", "note": "x"},
    )
    org.refresh_from_db()
    assert org.suspended_at is None


def test_a_suspended_organization_cannot_accept_anyone(platform_admin, on_commit):
    from django.core.exceptions import ValidationError

    from accounts import services as account_services

    project = ProjectFactory(title="Closed early")
    waiting = ApplicationFactory(project=project)
    project.status = "closed"
    project.save()
    with on_commit():
        account_services.organization_suspend(
            actor=platform_admin, organization=project.organization, reason="Reports of unpaid work"
        )
    waiting.refresh_from_db()
    assert waiting.status == "declined"  # waiting on a closed project: told as well

    late = ApplicationFactory(project=project)
    with pytest.raises(ValidationError, match="suspended"):
        engagement_services.application_accept(actor=employer_of(project), application=late)
    assert not Engagement.objects.filter(project=project).exists()


def test_the_engagement_list_names_every_rule_that_needs_attention(
    client, career_staff, school, settings
):
    cheap = _live_engagement(school, title="Under the floor", logged_quarters=80)
    settings.HOURLY_RATE_FLOOR_CENTS = 2100  # $400 for 20 hours is $20 an hour
    flagged = _live_engagement(school, title="Followed up")
    Flag.objects.create(
        engagement=flagged, school=school, note="Check in with the employer", raised_by=career_staff
    )
    fine = _live_engagement(school, title="All good", logged_quarters=8)
    client.force_login(career_staff)

    response = client.get(_url("engagements.engagement", "changelist"))

    cells = {
        row.project.title: str(response.context["cl"].model_admin.attention_column(row))
        for row in response.context["cl"].result_list
    }
    assert "⚠ rate $20.00/h" in cells[cheap.project.title]
    assert "⚠ open flag" in cells[flagged.project.title]
    assert cells[fine.project.title] == "—"
