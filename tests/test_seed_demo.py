import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, School, SchoolSignOn, Skill, StudentProfile, User
from demo.accounts import DEMO_PASSWORD
from safety.models import Report

# The seeding commits step by step, as users would, and what follows each commit (sessions
# planned, records issued) runs then: a real transaction per step, not the test's one.
pytestmark = pytest.mark.django_db(transaction=True)


def counts():
    return (
        User.objects.count(),
        School.objects.count(),
        Skill.objects.count(),
        Organization.objects.count(),
        StudentProfile.objects.count(),
    )


def test_demo_data_is_created_once_and_its_logins_work(client, capsys):
    call_command("seed_demo")
    first_output = capsys.readouterr().out
    first = counts()
    User.objects.filter(email="student@demo.test").update(first_name="Changed")
    call_command("seed_demo")

    assert counts() == first
    assert User.objects.get(email="student@demo.test").first_name == "Changed"
    printed = capsys.readouterr().out
    # The demo API tokens are printed once, when made, and work.
    assert "REST API tokens" not in printed
    for email, path in [
        ("employer@demo.test", "api:projects"),
        ("staff@demo.test", "api:school_students"),
        ("student@demo.test", "api:engagements"),
    ]:
        secret = re.search(rf"{re.escape(email)} +(mkt_\S+)", first_output).group(1)
        response = client.get(reverse(path), HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200, email
        assert response.json()["results"], email
    feed_path = re.search(r"student@demo\.test +https?://[^/]+(/calendar/\S+)", printed).group(1)
    assert b"BEGIN:VEVENT" in client.get(feed_path).content
    for email, dashboard in [
        ("student@demo.test", "dashboard"),
        ("employer@demo.test", "dashboard"),
        ("staff@demo.test", "dashboard"),
        ("admin@demo.test", "admin:index"),
    ]:
        assert email in printed
        response = client.post(
            reverse("account_login"), {"login": email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, email
        assert response.url == reverse(dashboard)
        client.logout()


def test_demo_data_covers_each_verification_state():
    call_command("seed_demo")

    assert Organization.objects.filter(verification_status="verified").exists()
    assert Organization.objects.filter(verification_status="unverified").exists()
    assert StudentProfile.objects.filter(work_authorization_status="pending").exists()


def test_demo_data_has_projects_and_work_at_every_stage():
    from engagements.models import Engagement
    from projects.models import Application, Project

    call_command("seed_demo")

    assert Project.objects.filter(status="open").count() >= 19
    assert Project.objects.filter(status="draft").exists()
    assert set(Project.objects.values_list("category", flat=True)) >= {
        "content_creation",
        "industry_research",
        "data_entry",
        "social_media",
    }
    assert set(Application.objects.values_list("status", flat=True)) >= {
        "submitted",
        "shortlisted",
        "accepted",
    }
    assert set(Engagement.objects.values_list("status", flat=True)) == {
        "awaiting_funding",
        "active",
        "submitted",
        "revision_requested",
        "approved",
        # The main demo student has a payout account: their approved work is paid at once.
        "paid",
        "disputed",
    }
    # The demo school's sponsor paid half of one funded engagement's fee.
    from payments.models import Payment

    sponsored = Payment.objects.get(sponsor__name="Northbridge Access Fund")
    assert sponsored.status == "succeeded"
    assert sponsored.sponsored_cents * 2 == sponsored.fee_cents
    assert sponsored.sponsor.managers.filter(email="staff@demo.test").exists()


def test_demo_data_shows_the_internship_criteria_and_a_shared_reflection(client):
    from feedback.models import ObjectiveOutcome
    from outcomes.models import Reflection
    from projects import criteria
    from projects.models import Project

    call_command("seed_demo")

    before_rule = Project.objects.filter(objectives__isnull=True)
    assert before_rule.count() == 1 and not before_rule.get().has_named_supervisor
    for project in Project.objects.exclude(pk__in=before_rule).prefetch_related("objectives"):
        assert 1 <= len(project.objectives.all()) <= 5, project.title
        assert project.supervisor is not None and project.supervisor_title
    assert ObjectiveOutcome.objects.filter(met=True).exists()
    assert ObjectiveOutcome.objects.filter(met=False).exists()
    reflection = Reflection.objects.get(engagement__student__email="student@demo.test")
    assert reflection.share_on_record and 300 <= reflection.word_count <= 500
    assert reflection.notes.exists()
    record = reflection.engagement.verified_experience
    page = client.get(reverse("outcomes:verify", args=[record.code])).content.decode()
    assert "Rebuilt the table around a common unit" in page
    assert 'id="objectives"' in page
    assert criteria.meets_all(
        criteria.project_criteria(
            reflection.engagement.project,
            objective_count=reflection.engagement.project.objectives.count(),
        )
    )


def test_demo_reports_show_an_open_and_a_closed_report(client):
    call_command("seed_demo", verbosity=0)

    assert Report.objects.filter(status="resolved").count() == 1
    people = Report.objects.filter(reporter__isnull=False)
    assert people.filter(status="open", kind="message").count() == 1
    # Both employer messages screening held are in the queue, filed by the platform.
    assert Report.objects.filter(reporter__isnull=True, status="open").count() == 2
    client.force_login(User.objects.get(email="student@demo.test"))
    page = client.get(reverse("safety:my_reports")).content.decode()
    assert "Never pay to start a project here." in page


def test_demo_student_sees_consents_and_disclosures_on_the_privacy_page(client):
    from projects.models import Disclosure

    call_command("seed_demo", verbosity=0)

    student = User.objects.get(email="student@demo.test")
    reasons = set(Disclosure.objects.filter(student=student).values_list("reason", flat=True))
    assert {"shortlist", "record_view"} <= reasons
    client.force_login(student)
    page = client.get(reverse("safety:privacy")).content.decode()
    assert "Withdraw consent" in page
    assert "Verified record viewed" in page


def test_demo_data_has_a_verified_cpt_student_working_for_the_cpt_employer():
    from engagements.models import Engagement
    from projects.models import Application

    call_command("seed_demo")

    profile = StudentProfile.objects.get(user__email="cpt.student@demo.test")
    assert profile.work_authorization_status == "verified"
    assert profile.cpt_organization.name == "Brightline Analytics"
    assert Engagement.objects.filter(
        student=profile.user, organization=profile.cpt_organization, status="active"
    ).exists()
    # Mid-term, near the weekly cap: 17 of 20 hours this week across two engagements.
    from engagements.weekly_hours import week_hours

    week = week_hours(profile, timezone.localdate())
    assert (week.logged_hours, week.cap.hours) == (17, 20)
    elsewhere = Application.objects.filter(student=profile.user).exclude(
        project__organization=profile.cpt_organization
    )
    assert elsewhere.filter(status="submitted").exists()


def test_demo_data_has_an_opt_graduate_whose_application_relates_to_her_major():
    from projects.models import Application

    call_command("seed_demo")

    application = Application.objects.get(student__email="opt.student@demo.test")
    assert "Economics" in application.relation_to_major


def test_demo_data_has_a_dispute_awaiting_the_platforms_decision(client):
    from engagements.models import Dispute, DisputeStatus

    call_command("seed_demo")

    dispute = Dispute.objects.get(engagement__student__email="dispute.student@demo.test")
    assert dispute.status == DisputeStatus.AWAITING_DECISION
    assert dispute.evidence.count() == 2
    client.login(email="staff@demo.test", password=DEMO_PASSWORD)
    page = client.get(reverse("engagements:workspace", args=[dispute.engagement_id]))
    assert "A platform admin decides by" in page.content.decode()


def test_demo_data_has_a_download_ready_and_a_closed_account(client):
    from datarights.models import AccountClosure, DataExport

    call_command("seed_demo")

    export = DataExport.objects.get(user__email="student@demo.test")
    assert export.is_downloadable()
    closure = AccountClosure.objects.get(status="closed")
    assert not closure.user.is_active
    assert not User.objects.filter(email="leaving.student@demo.test").exists()
    client.force_login(export.user)
    assert client.get(reverse("datarights:export_download", args=[export.pk])).status_code == 200


def test_demo_northbridge_signs_in_through_local_identity_providers(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    call_command("seed_demo")

    sign_ons = SchoolSignOn.objects.filter(school__name="Northbridge State University")
    assert sorted(s.protocol for s in sign_ons) == ["openid_connect", "saml"]
    assert sorted(s.sign_in_origin for s in sign_ons) == [
        "http://127.0.0.1:8660",
        "http://127.0.0.1:8661",
    ]
    assert (tmp_path / "demo-idp" / "idp.key").exists()
    page = client.get(reverse("account_login")).content.decode()
    assert "Sign in with Northbridge (SAML)" in page
    assert "Sign in with Northbridge (OpenID)" in page


def test_demo_student_tracks_a_payout_in_transit_and_one_that_arrived(client):
    from payments.models import Payout, PayoutAccount
    from payments.statements import statement_years

    call_command("seed_demo", verbosity=0)

    student = User.objects.get(email="student@demo.test")
    account = PayoutAccount.objects.get(user=student)
    assert account.tax_info_provided and account.tax_form == "w9"
    payouts = Payout.objects.filter(student=student)
    assert set(payouts.values_list("delivery", flat=True)) == {"in_transit", "paid"}
    client.force_login(student)
    page = client.get(reverse("payments:earnings")).content.decode()
    assert 'data-stage="in_transit"' in page and 'data-stage="paid"' in page
    assert "Expected in your bank by" in page and "Arrived in your bank on" in page
    (year,) = statement_years(student)
    assert reverse("payments:statement", args=[str(year), "pdf"]) in page
    # An employer thanked them with a bonus on approved work, paid out in full.
    bonus = payouts.get(kind="bonus")
    assert bonus.amount_cents == 4000 and bonus.status == "paid"
    assert f'id="payout-{bonus.pk}"' in page


def test_demo_data_has_a_credit_request_waiting_for_its_faculty_approver(client, capsys):
    from outcomes.credit.models import CreditPolicy, CreditRequest

    call_command("seed_demo")

    request = CreditRequest.objects.get(school__short_name="NSU")
    assert request.status == "with_faculty"
    assert request.faculty_email == "elena.ortiz@northbridge.edu"
    assert CreditPolicy.objects.get(school=request.school).hours_per_credit == 15
    printed = capsys.readouterr().out
    review = re.search(
        r"elena\.ortiz@northbridge\.edu +https?://[^/]+(/credit/review/\S+)", printed
    )
    page = client.get(review.group(1))
    assert page.status_code == 200
    assert request.engagement.project.title in page.content.decode()
    client.post(reverse("account_login"), {"login": "staff@demo.test", "password": DEMO_PASSWORD})
    assert "1 credit request" not in client.get(reverse("career_staff_dashboard")).content.decode()
    queue = client.get(reverse("outcomes:credit_queue") + "?status=with_faculty")
    assert "BUS 390" in queue.content.decode()
