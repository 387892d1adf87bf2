"""Talent pools, invitations to apply and full-time interest: private to the organization,
respectful of the student's opt-ins and of blind review, and never a 500."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Notification, StudentProfile
from feedback.models import StudentEvaluation
from marketplace.terms import parse_term
from outcomes import talent
from outcomes.models import FullTimeInterest, Invitation, TalentPoolEntry
from oversight.dashboard import school_figures
from projects import applications
from projects.models import Application, Project, ProjectStatus
from tests.factories import (
    ApplicationFactory,
    CareerStaffFactory,
    EmployerFactory,
    ProjectFactory,
    SkillFactory,
    StudentFactory,
    accepted_engagement,
    approved_engagement,
)

pytestmark = pytest.mark.django_db


def opt_in(student, *, discoverable=True, contactable=True):
    StudentProfile.objects.filter(user=student).update(
        discoverable=discoverable, contactable=contactable
    )
    student.student_profile.refresh_from_db()


def project_of(employer, **kwargs) -> Project:
    return ProjectFactory(organization=employer.employer_profile.organization, **kwargs)


def org_id(employer) -> int:
    return employer.employer_profile.organization_id


@pytest.fixture
def past_student(employer, school):
    """A student who worked for the employer's organization (a funded engagement)."""
    student = StudentFactory(school=school).user
    accepted_engagement(project=project_of(employer), student=student)
    return student


@pytest.fixture
def applicant(employer, school):
    """A student who applied to one of the organization's projects and was shortlisted."""
    student = StudentFactory(school=school).user
    application = ApplicationFactory(project=project_of(employer), student=student)
    applications.application_shortlist(actor=employer, application=application)
    return student


def save(employer, student, **kwargs) -> TalentPoolEntry:
    return talent.pool_save(actor=employer, student=student, **kwargs)[0]


# --- The visibility rule -------------------------------------------------------------------


def test_an_organization_a_student_worked_for_may_always_see_them(employer, past_student):
    opt_in(past_student, discoverable=False, contactable=False)

    assert talent.employer_may_see(org_id(employer), past_student)
    assert not talent.employer_may_contact(org_id(employer), past_student)


def test_an_organization_a_student_only_applied_to_needs_their_opt_in(employer, applicant):
    opt_in(applicant, discoverable=False, contactable=True)
    assert not talent.employer_may_see(org_id(employer), applicant)
    assert not talent.employer_may_contact(org_id(employer), applicant)

    opt_in(applicant, discoverable=True, contactable=False)
    assert talent.employer_may_see(org_id(employer), applicant)
    assert not talent.employer_may_contact(org_id(employer), applicant)

    opt_in(applicant, discoverable=True, contactable=True)
    assert talent.employer_may_contact(org_id(employer), applicant)


def test_an_organization_the_student_never_met_sees_nothing(employer, other_employer, applicant):
    opt_in(applicant)

    assert not talent.employer_may_see(org_id(other_employer), applicant)
    with pytest.raises(ValidationError):
        save(other_employer, applicant)


def test_a_funded_engagement_counts_as_working_for_them_an_unfunded_one_does_not(employer):
    student = StudentFactory().user
    engagement = accepted_engagement(project=project_of(employer), student=student, funded=False)
    opt_in(student, discoverable=False)

    assert not talent.employer_may_see(org_id(employer), student)
    assert engagement.funded_at is None


# --- Saving to the pool --------------------------------------------------------------------


def test_a_student_who_only_applied_cannot_be_saved_without_opting_in(client, employer, applicant):
    opt_in(applicant, discoverable=False)
    application = Application.objects.get(student=applicant)
    client.force_login(employer)

    response = client.post(reverse("outcomes:save_applicant", args=[application.pk]), follow=True)

    assert "has not agreed to be saved" in response.content.decode()
    assert not TalentPoolEntry.objects.exists()


def test_an_opted_in_shortlisted_applicant_is_saved_from_the_applicant_list(
    client, employer, applicant
):
    opt_in(applicant, contactable=False)
    application = Application.objects.get(student=applicant)
    client.force_login(employer)
    url = reverse("engagements:applicants", args=[application.project_id])
    assert "Save to talent pool" in client.get(url).content.decode()

    response = client.post(reverse("outcomes:save_applicant", args=[application.pk]))

    entry = TalentPoolEntry.objects.get(student=applicant)
    assert response.url == reverse("outcomes:talent_entry", args=[entry.pk])
    assert entry.organization_id == org_id(employer)
    assert entry.added_by == employer
    assert "In your talent pool" in client.get(url).content.decode()


def test_a_past_student_is_saved_from_the_workspace_without_any_opt_in(
    client, employer, past_student
):
    opt_in(past_student, discoverable=False, contactable=False)
    engagement = past_student.engagements.get()
    client.force_login(employer)
    workspace = client.get(reverse("engagements:workspace", args=[engagement.pk]))
    assert "Save to talent pool" in workspace.content.decode()

    response = client.post(reverse("outcomes:save_engagement_student", args=[engagement.pk]))

    entry = TalentPoolEntry.objects.get(student=past_student)
    assert response.url == reverse("outcomes:talent_entry", args=[entry.pk])
    # Saving again keeps the one entry.
    client.post(reverse("outcomes:save_engagement_student", args=[engagement.pk]))
    assert TalentPoolEntry.objects.count() == 1
    assert (
        "Open their entry"
        in client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()
    )


def test_the_student_cannot_save_themselves_from_their_workspace(client, past_student):
    engagement = past_student.engagements.get()
    client.force_login(past_student)

    response = client.post(reverse("outcomes:save_engagement_student", args=[engagement.pk]))

    assert response.status_code == 404
    assert not TalentPoolEntry.objects.exists()


def test_blind_review_is_not_broken_by_the_pool(client, employer):
    profile = StudentFactory(major="Astrophysics")
    profile.user.first_name, profile.user.last_name = "Zelda", "Quigley"
    profile.user.save()
    student = profile.user
    opt_in(student)  # even opted in: the employer has not shortlisted them
    application = ApplicationFactory(project=project_of(employer), student=student)
    client.force_login(employer)

    applicants_page = client.get(reverse("engagements:applicants", args=[application.project_id]))
    assert "Save to talent pool" not in applicants_page.content.decode()
    response = client.post(reverse("outcomes:save_applicant", args=[application.pk]), follow=True)

    page = response.content.decode()
    assert "Shortlist this applicant first" in page
    assert "Zelda" not in page and "Quigley" not in page
    assert not TalentPoolEntry.objects.exists()
    with pytest.raises(ValidationError):
        talent.fulltime_mark(actor=employer, student=student, message="Hello")
    assert not FullTimeInterest.objects.exists()
    pool = client.get(reverse("outcomes:talent_pool")).content.decode()
    assert "Zelda" not in pool


def test_a_student_who_opts_out_later_disappears_from_the_pool(client, employer, applicant):
    opt_in(applicant)
    entry = save(employer, applicant, tags="data")
    client.force_login(employer)
    assert applicant.get_full_name() in client.get(reverse("outcomes:talent_pool")).content.decode()

    opt_in(applicant, discoverable=False)

    pool = client.get(reverse("outcomes:talent_pool"))
    assert applicant.get_full_name() not in pool.content.decode()
    assert pool.context["pool"].hidden == 1
    assert client.get(reverse("outcomes:talent_entry", args=[entry.pk])).status_code == 404
    project = project_of(employer)
    with pytest.raises(ValidationError):
        talent.invitation_send(actor=employer, student=applicant, project_id=project.pk)


# --- Privacy of the pool -------------------------------------------------------------------


@pytest.fixture
def entry(employer, past_student):
    opt_in(past_student)
    return save(employer, past_student, tags="data, writing", notes="Sharp and reliable.")


@pytest.mark.parametrize(
    "who", ["other_employer", "past_student", "career_staff", "platform_admin", "other_student"]
)
def test_a_pool_entry_is_private_to_its_organization(client, request, entry, who):
    client.force_login(request.getfixturevalue(who))
    interest = FullTimeInterest.objects.create(
        organization_id=entry.organization_id,
        student=entry.student,
        message="Hi",
        told_student=True,
    )
    project = Project.objects.filter(organization_id=entry.organization_id).first()

    for url, method in [
        (reverse("outcomes:talent_entry", args=[entry.pk]), "get"),
        (reverse("outcomes:talent_entry", args=[entry.pk]), "post"),
        (reverse("outcomes:talent_invite", args=[entry.pk]), "post"),
        (reverse("outcomes:talent_fulltime", args=[entry.pk]), "post"),
        (reverse("outcomes:talent_fulltime_withdraw", args=[entry.pk, interest.pk]), "post"),
        (reverse("outcomes:talent_remove", args=[entry.pk]), "post"),
        (reverse("outcomes:talent_pool"), "get"),
    ]:
        data = {"tags": "x", "notes": "x", "invite-project": project.pk, "fulltime-message": "x"}
        response = getattr(client, method)(url, data if method == "post" else None)
        if who == "other_employer" and url == reverse("outcomes:talent_pool"):
            assert response.status_code == 200
            assert entry.student.get_full_name() not in response.content.decode()
            assert "Sharp and reliable" not in response.content.decode()
        else:
            assert response.status_code == 404, (url, method)

    entry.refresh_from_db()
    assert entry.tag_list == ["data", "writing"]
    assert not Invitation.objects.exists()
    assert FullTimeInterest.objects.get().status == "open"


def test_talent_pages_send_anonymous_visitors_to_log_in(client, entry):
    for url in (reverse("outcomes:talent_pool"), reverse("outcomes:talent_entry", args=[entry.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_a_colleague_in_the_same_organization_shares_the_pool(client, entry, employer):
    colleague = EmployerFactory(organization=employer.employer_profile.organization).user
    client.force_login(colleague)

    response = client.get(reverse("outcomes:talent_entry", args=[entry.pk]))

    assert response.status_code == 200
    assert "Sharp and reliable." in response.content.decode()


def test_the_entry_shows_the_work_and_evaluations_with_this_organization_only(
    client, employer, other_employer, past_student
):

    engagement = approved_engagement(past_student.engagements.get(), quarters=30)
    scores = dict(communication=5, problem_solving=4, quality=5, timeliness=4, professionalism=5)
    StudentEvaluation.objects.create(
        engagement=engagement,
        author=employer,
        strengths="Asked sharp questions.",
        growth_areas="Share drafts earlier.",
        would_work_again=True,
        interested_full_time=True,
        **scores,
    )
    elsewhere = accepted_engagement(project=project_of(other_employer), student=past_student)
    StudentEvaluation.objects.create(
        engagement=elsewhere,
        author=other_employer,
        strengths="Secret praise from elsewhere.",
        growth_areas="Elsewhere's advice.",
        would_work_again=True,
        interested_full_time=False,
        **scores,
    )
    entry = save(employer, past_student)
    client.force_login(employer)

    page = client.get(reverse("outcomes:talent_entry", args=[entry.pk])).content.decode()

    assert engagement.project.title in page
    assert "7.50 hours logged" in page
    assert "Asked sharp questions." in page
    assert elsewhere.project.title not in page
    assert "Secret praise from elsewhere." not in page


# --- The list ------------------------------------------------------------------------------


def test_the_pool_filters_by_tag_and_searches_by_name_and_skill(client, employer):
    r_skill = SkillFactory(name="R programming")
    people = []
    for first, tags, skills in [
        ("Ada", "data, spring hire", [r_skill]),
        ("Brook", "writing", []),
        ("Cyd", "Data", []),
    ]:
        profile = StudentFactory(skills=skills)
        # A fixed last name: a generated one ("Brooks") could match another's search.
        profile.user.first_name, profile.user.last_name = first, "Lee"
        profile.user.save()
        accepted_engagement(project=project_of(employer), student=profile.user)
        save(employer, profile.user, tags=tags)
        people.append(profile.user)
    client.force_login(employer)

    def names(**params):
        pool = client.get(reverse("outcomes:talent_pool"), params).context["pool"]
        return sorted(e.student.first_name for e in pool.entries)

    assert names() == ["Ada", "Brook", "Cyd"]
    assert names(tag="data") == ["Ada", "Cyd"]
    assert names(tag="spring hire") == ["Ada"]
    assert names(q="brook") == ["Brook"]
    assert names(q="r programming") == ["Ada"]
    assert names(q="nobody") == []
    assert names(tag="x" * 500, q="y" * 5000) == []  # silly input is just no match
    page = client.get(reverse("outcomes:talent_pool"))
    assert page.context["pool"].tags == ["data", "spring hire", "writing"]


def test_the_pool_list_runs_the_same_queries_for_2_or_12_students(
    client, employer, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            student = StudentFactory(skills=[SkillFactory(), SkillFactory()]).user
            accepted_engagement(project=project_of(employer), student=student)
            save(employer, student, tags="data")
            talent.fulltime_mark(actor=employer, student=student, message="Hello")

    client.force_login(employer)
    add(2)
    # Every entry matches the filter, so the page always shows (and prefetches for) rows.
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("outcomes:talent_pool"), {"tag": "data"})
    assert len(response.context["pool"].entries) == 2
    add(10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("outcomes:talent_pool"), {"tag": "data"})
    assert len(response.context["pool"].entries) == 12
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("outcomes:talent_pool"))
    assert len(response.context["pool"].entries) == 12


# --- Tags and notes ------------------------------------------------------------------------


def test_tags_are_normalized_and_notes_saved(client, entry, employer):
    client.force_login(employer)

    response = client.post(
        reverse("outcomes:talent_entry", args=[entry.pk]),
        {"tags": " Data ,  Spring   Hire, data,, ", "notes": "  Call in March.  "},
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.tags == ",data,spring hire,"
    assert entry.notes == "Call in March."
    client.post(reverse("outcomes:talent_entry", args=[entry.pk]), {"tags": "", "notes": ""})
    entry.refresh_from_db()
    assert (entry.tags, entry.notes) == ("", "")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"tags": "ok", "notes": "x" * 2001}, "at most 2000 characters"),
        ({"tags": "a" * 31, "notes": ""}, "Keep each tag to 30 characters"),
        ({"tags": ",".join(f"t{i}" for i in range(11)), "notes": ""}, "At most 10 tags"),
        ({"tags": "x" * 1000, "notes": ""}, "at most 320 characters"),
    ],
)
def test_bad_tags_or_notes_are_refused_where_typed(client, entry, employer, data, message):
    client.force_login(employer)

    response = client.post(reverse("outcomes:talent_entry", args=[entry.pk]), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    entry.refresh_from_db()
    assert entry.tag_list == ["data", "writing"]
    assert entry.notes == "Sharp and reliable."


def test_removing_a_student_from_the_pool(client, entry, employer):
    client.force_login(employer)

    response = client.post(reverse("outcomes:talent_remove", args=[entry.pk]))

    assert response.url == reverse("outcomes:talent_pool")
    assert not TalentPoolEntry.objects.exists()


# --- Invitations ---------------------------------------------------------------------------


def test_an_invitation_reaches_the_student_who_applies_in_one_click(
    client, on_commit, entry, employer, past_student
):
    project = project_of(employer, title="Survey coding sprint")
    client.force_login(employer)

    with on_commit():
        response = client.post(
            reverse("outcomes:talent_invite", args=[entry.pk]),
            {"invite-project": project.pk, "invite-message": "You would be great at this."},
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.project, invitation.student, invitation.status) == (
        project,
        past_student,
        "sent",
    )
    notification = Notification.objects.get(recipient=past_student, kind="invitation.new")
    assert "Survey coding sprint" in notification.message
    assert notification.url.startswith(reverse("projects:apply", args=[project.pk]))
    assert mail.outbox[-1].to == [past_student.email]
    assert AuditEvent.objects.filter(action="invitation.sent").count() == 1

    client.force_login(past_student)
    dashboard = client.get(reverse("student_dashboard")).content.decode()
    assert "Invitations to apply" in dashboard
    assert "You would be great at this." in dashboard
    apply_url = reverse("projects:apply", args=[project.pk]) + f"?invitation={invitation.pk}"
    assert apply_url in dashboard
    assert "invited you to apply" in client.get(apply_url).content.decode()

    with on_commit():
        client.post(
            apply_url,
            {
                "cover_note": "Happy to help again.",
                "confirmed_availability": "on",
                "consent": "on",
            },
        )

    invitation.refresh_from_db()
    assert invitation.status == "applied"
    assert "Invitations to apply" not in client.get(reverse("student_dashboard")).content.decode()
    client.force_login(employer)
    applicants = client.get(reverse("engagements:applicants", args=[project.pk])).content.decode()
    assert "Invited</span>" in applicants
    assert "Invited, not applied yet" not in applicants


def test_a_student_who_is_not_contactable_gets_no_invitation(client, entry, employer):
    opt_in(entry.student, contactable=False)
    project = project_of(employer)
    client.force_login(employer)

    response = client.post(
        reverse("outcomes:talent_invite", args=[entry.pk]), {"invite-project": project.pk}
    )

    assert response.status_code == 400
    assert "has not opted in to being contacted" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(
        recipient=entry.student, kind__startswith="invitation"
    ).exists()


def test_a_student_declines_an_invitation(client, entry, employer, past_student):
    project = project_of(employer, title="Survey coding sprint")
    invitation = talent.invitation_send(actor=employer, student=past_student, project_id=project.pk)
    client.force_login(past_student)

    response = client.post(reverse("outcomes:invitation_decline", args=[invitation.pk]))

    assert response.url == reverse("student_dashboard")
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert "Invitations to apply" not in client.get(reverse("student_dashboard")).content.decode()
    assert Notification.objects.filter(recipient=employer, kind="invitation.declined").exists()
    client.force_login(employer)
    applicants = client.get(reverse("engagements:applicants", args=[project.pk])).content.decode()
    assert "Invited, not applied yet" in applicants
    assert past_student.get_full_name() in applicants


def test_a_student_cannot_decline_someone_elses_invitation(client, entry, employer, other_student):
    invitation = talent.invitation_send(
        actor=employer, student=entry.student, project_id=project_of(employer).pk
    )
    client.force_login(other_student)

    assert (
        client.post(reverse("outcomes:invitation_decline", args=[invitation.pk])).status_code == 404
    )
    invitation.refresh_from_db()
    assert invitation.status == "sent"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("closed", "is not taking applications"),
        ("draft", "is not taking applications"),
        ("other_org", "Choose one of your organization&#x27;s open projects"),
        ("missing", "Choose one of your organization&#x27;s open projects"),
        ("blank", "Choose one of your organization&#x27;s open projects"),
        ("text", "Choose one of your organization&#x27;s open projects"),
        ("applied", "has already applied"),
        ("twice", "already invited"),
        ("long", "at most 1000 characters"),
    ],
)
def test_bad_invitations_get_a_clear_message_and_change_nothing(
    client, entry, employer, other_employer, case, message
):
    open_project = project_of(employer)
    project_id = {
        "closed": lambda: project_of(employer, status=ProjectStatus.CLOSED).pk,
        "draft": lambda: project_of(employer, draft=True).pk,
        "other_org": lambda: project_of(other_employer).pk,
        "missing": lambda: 999999,
        "blank": lambda: "",
        "text": lambda: "abc",
    }.get(case, lambda: open_project.pk)()
    if case == "applied":
        ApplicationFactory(project=open_project, student=entry.student)
    if case == "twice":
        talent.invitation_send(actor=employer, student=entry.student, project_id=open_project.pk)
    before = Invitation.objects.count()
    client.force_login(employer)

    response = client.post(
        reverse("outcomes:talent_invite", args=[entry.pk]),
        {
            "invite-project": project_id,
            "invite-message": "x" * 1001 if case == "long" else "Hello",
        },
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Invitation.objects.count() == before


# --- Full-time interest --------------------------------------------------------------------


def test_a_full_time_interest_reaches_a_contactable_student_who_replies(
    client, on_commit, entry, employer, past_student
):
    client.force_login(employer)

    with on_commit():
        response = client.post(
            reverse("outcomes:talent_fulltime", args=[entry.pk]),
            {"fulltime-message": "We are hiring a junior analyst in June."},
            follow=True,
        )

    assert "has been told" in response.content.decode()
    interest = FullTimeInterest.objects.get()
    assert interest.told_student and interest.status == "open"
    assert Notification.objects.filter(recipient=past_student, kind="fulltime.interest").exists()
    assert mail.outbox[-1].to == [past_student.email]
    assert AuditEvent.objects.filter(action="fulltime.marked").count() == 1

    client.force_login(past_student)
    dashboard = client.get(reverse("student_dashboard")).content.decode()
    assert "We are hiring a junior analyst in June." in dashboard
    with on_commit():
        response = client.post(
            reverse("outcomes:fulltime_reply", args=[interest.pk]),
            {f"reply-{interest.pk}-answer": "interested", f"reply-{interest.pk}-reply": "Yes!"},
        )

    assert response.url == reverse("student_dashboard")
    interest.refresh_from_db()
    assert (interest.status, interest.answer, interest.student_reply) == (
        "replied",
        "interested",
        "Yes!",
    )
    assert Notification.objects.filter(recipient=employer, kind="fulltime.reply").exists()
    assert (
        "You replied: <strong>Interested</strong>"
        in client.get(reverse("student_dashboard")).content.decode()
    )
    client.force_login(employer)
    page = client.get(reverse("outcomes:talent_entry", args=[entry.pk])).content.decode()
    assert "replied" in page and "Yes!" in page


def test_a_full_time_interest_in_a_student_who_is_not_contactable_is_kept_privately(
    client, on_commit, entry, employer, past_student
):
    opt_in(past_student, discoverable=False, contactable=False)
    client.force_login(employer)

    with on_commit():
        response = client.post(
            reverse("outcomes:talent_fulltime", args=[entry.pk]),
            {"fulltime-message": "We are hiring."},
            follow=True,
        )

    assert "your message was not sent to them" in response.content.decode()
    interest = FullTimeInterest.objects.get()
    assert not interest.told_student
    assert not Notification.objects.filter(
        recipient=past_student, kind__startswith="fulltime"
    ).exists()
    assert not [m for m in mail.outbox if "full-time" in m.subject]
    client.force_login(past_student)
    assert "We are hiring." not in client.get(reverse("student_dashboard")).content.decode()
    assert client.get(reverse("outcomes:fulltime_reply", args=[interest.pk])).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fulltime-message": ""}, "Say a few words"),
        ({"fulltime-message": "   "}, "Say a few words"),
        ({"fulltime-message": "x" * 1001}, "at most 1000 characters"),
    ],
)
def test_a_full_time_mark_needs_a_short_message(client, entry, employer, data, message):
    client.force_login(employer)

    response = client.post(reverse("outcomes:talent_fulltime", args=[entry.pk]), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FullTimeInterest.objects.exists()


def test_one_open_full_time_mark_per_student_until_withdrawn(client, entry, employer):
    first = talent.fulltime_mark(actor=employer, student=entry.student, message="One")
    with pytest.raises(ValidationError):
        talent.fulltime_mark(actor=employer, student=entry.student, message="Two")
    client.force_login(employer)

    client.post(reverse("outcomes:talent_fulltime_withdraw", args=[entry.pk, first.pk]))

    first.refresh_from_db()
    assert first.status == "withdrawn"
    assert talent.fulltime_mark(actor=employer, student=entry.student, message="Two")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose “Interested” or “Not now”"),
        ({"answer": "maybe"}, "Select a valid choice"),
        ({"answer": "not_now", "reply": "x" * 501}, "at most 500 characters"),
    ],
)
def test_a_bad_reply_is_refused_where_typed(client, entry, employer, data, message):
    interest = talent.fulltime_mark(actor=employer, student=entry.student, message="Hi")
    client.force_login(entry.student)

    response = client.post(
        reverse("outcomes:fulltime_reply", args=[interest.pk]),
        {f"reply-{interest.pk}-{k}": v for k, v in data.items()},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    interest.refresh_from_db()
    assert interest.status == "open"


def test_only_the_student_replies_to_their_full_time_interest(
    client, entry, employer, other_student, other_employer
):
    interest = talent.fulltime_mark(actor=employer, student=entry.student, message="Hi")
    url = reverse("outcomes:fulltime_reply", args=[interest.pk])
    client.force_login(other_student)
    assert client.post(url, {f"reply-{interest.pk}-answer": "interested"}).status_code == 404
    client.force_login(other_employer)
    assert client.post(url, {f"reply-{interest.pk}-answer": "interested"}).status_code == 403
    interest.refresh_from_db()
    assert interest.status == "open"


# --- Career services' figure ------------------------------------------------------------------


def test_the_school_dashboard_counts_students_with_a_full_time_interest(employer, school):
    fall = parse_term("2025-fall")
    in_term = datetime(2025, 10, 10, 12, tzinfo=UTC)
    marked, evaluated, both, outside = (StudentFactory(school=school).user for _ in range(4))
    elsewhere = StudentFactory().user
    for student in (marked, both, elsewhere):
        FullTimeInterest.objects.create(
            organization_id=org_id(employer), student=student, message="Hi", created_at=in_term
        )
    FullTimeInterest.objects.create(
        organization_id=org_id(employer),
        student=outside,
        message="Too early",
        created_at=in_term - timedelta(days=200),
    )
    for student in (evaluated, both):
        engagement = accepted_engagement(project=project_of(employer), student=student)
        type(engagement).objects.filter(pk=engagement.pk).update(accepted_at=in_term)
        StudentEvaluation.objects.create(
            engagement=engagement,
            author=employer,
            communication=4,
            problem_solving=4,
            quality=4,
            timeliness=4,
            professionalism=4,
            strengths="Good",
            growth_areas="More",
            would_work_again=True,
            interested_full_time=True,
        )

    assert school_figures(school.pk, fall)["interested_full_time"] == 3
    assert school_figures(None, fall)["interested_full_time"] == 4


def test_the_school_dashboard_shows_the_new_label(client, school):
    client.force_login(CareerStaffFactory(school=school).user)

    response = client.get("/admin/school-dashboard/", {"term": "2025-fall"})

    assert "Students with a full-time interest" in response.content.decode()


# --- The student's opt-ins ------------------------------------------------------------------


def test_the_profile_form_saves_the_opt_ins(client, student):
    client.force_login(student)
    page = client.get(reverse("profile")).content.decode()
    assert "may save me to their talent pool" in page
    assert "may invite me to projects" in page
    data = {
        "account-first_name": "Maya",
        "account-last_name": "Chen",
        "account-time_zone": "America/Chicago",
        "school": student.student_profile.school_id,
        "major": "Economics",
        "graduation_year": timezone.now().year + 1,
        "other_skills": "Excel",
        "work_authorization": "us_authorized",
        "discoverable": "on",
        "contactable": "on",
    }

    response = client.post(reverse("profile"), data)

    assert response.status_code == 302
    profile = StudentProfile.objects.get(user=student)
    assert profile.discoverable and profile.contactable


def test_a_pool_entry_links_the_public_record_of_approved_work(client, employer, school):

    student = StudentFactory(school=school).user
    engagement = accepted_engagement(
        project=project_of(employer, title="Pricing scan"), student=student
    )
    approved_engagement(engagement)
    entry = save(employer, student)
    record = engagement.verified_experience
    client.force_login(employer)
    url = reverse("outcomes:talent_entry", args=[entry.pk])

    page = client.get(url).content.decode()
    assert "Pricing scan" in page
    assert reverse("outcomes:verify", args=[record.code]) in page

    record.is_public = False
    record.save(update_fields=["is_public"])
    assert reverse("outcomes:verify", args=[record.code]) not in client.get(url).content.decode()
