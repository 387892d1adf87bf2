"""A student's school is verified, never just claimed: by a confirmed school address or by
career services approving a claim; until then they apply but cannot be accepted."""

import importlib

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.apps import apps as global_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import affiliation, services
from accounts.models import (
    Affiliation,
    AffiliationMethod,
    AuditEvent,
    Notification,
    SchoolDomain,
    StudentProfile,
)
from engagements import services as engagement_services
from oversight.dashboard import Period, school_figures
from projects import applications
from tests.factories import (
    ApplicationFactory,
    CareerStaffFactory,
    SchoolFactory,
    StudentFactory,
    employer_of,
)

pytestmark = pytest.mark.django_db


def unverified(school, **fields):
    return StudentFactory(school=school, unverified=True, **fields)


def add_address(client, user, email):
    """The student adds a second address on allauth's page and opens the link it mails."""
    client.force_login(user)
    response = client.post(reverse("account_email"), {"action_add": "", "email": email})
    assert response.status_code == 302
    address = EmailAddress.objects.get(user=user, email=email)
    assert not address.verified
    key = EmailConfirmationHMAC(address).key
    response = client.post(reverse("account_confirm_email", args=[key]))
    assert response.status_code == 302
    return address


def profile_of(user) -> StudentProfile:
    return StudentProfile.objects.get(user=user)


# --- Verified by a school address ------------------------------------------------------------


def test_confirming_an_address_at_the_schools_domain_verifies_the_student(client, school):
    student = unverified(school).user

    add_address(client, student, f"amara.o@{school.email_domain}")

    profile = profile_of(student)
    assert profile.affiliation == Affiliation.VERIFIED
    assert profile.affiliation_method == AffiliationMethod.SCHOOL_EMAIL
    assert profile.affiliation_email == f"amara.o@{school.email_domain}"
    assert AuditEvent.objects.filter(
        action="affiliation.verified", school=school, target_id=str(profile.pk)
    ).exists()
    page = client.get(reverse("school_affiliation")).content.decode()
    assert f"Verified by your confirmed school address amara.o@{school.email_domain}" in page


def test_an_address_elsewhere_verifies_nothing(client, school, other_school):
    student = unverified(school).user

    add_address(client, student, f"amara@{other_school.email_domain}")
    add_address(client, student, "amara@gmail.example")

    assert profile_of(student).affiliation == Affiliation.UNVERIFIED


def test_an_unconfirmed_school_address_verifies_nothing(client, school):
    student = unverified(school).user
    client.force_login(student)

    client.post(reverse("account_email"), {"action_add": "", "email": f"a@{school.email_domain}"})

    assert profile_of(student).affiliation == Affiliation.UNVERIFIED


def test_another_domain_of_the_school_verifies_too(client, school):
    SchoolDomain.objects.create(school=school, domain=f"med.{school.email_domain}")
    student = unverified(school).user

    add_address(client, student, f"amara@med.{school.email_domain}")

    assert profile_of(student).affiliation == Affiliation.VERIFIED


def test_a_student_who_signs_up_with_the_school_address_is_verified_with_the_profile(school):
    profile = unverified(school, user__email=f"jo@{school.email_domain}")
    student = profile.user
    StudentProfile.objects.filter(pk=profile.pk).delete()

    saved = services.student_profile_save(user=student, data=profile_data(school))

    assert saved.affiliation == Affiliation.VERIFIED
    assert saved.affiliation_email == f"jo@{school.email_domain}"


# --- A removed address, a new school ---------------------------------------------------------


def test_removing_the_school_address_lapses_the_verification_and_flags_the_student(
    client, school, career_staff
):
    student = unverified(school).user
    add_address(client, student, f"amara@{school.email_domain}")

    response = client.post(
        reverse("account_email"),
        {"action_remove": "", "email": f"amara@{school.email_domain}"},
    )

    assert response.status_code == 302
    profile = profile_of(student)
    assert profile.affiliation == Affiliation.UNVERIFIED
    assert profile.affiliation_lapsed_email == f"amara@{school.email_domain}"
    assert AuditEvent.objects.filter(action="affiliation.lapsed", school=school).exists()
    assert Notification.objects.filter(recipient=student, kind="affiliation.lapsed").exists()
    page = client.get(reverse("school_affiliation")).content.decode()
    assert "was removed from your account" in page
    client.force_login(career_staff)
    queue = client.get(
        reverse("admin:accounts_affiliationclaim_changelist") + "?claim=lapsed"
    ).content.decode()
    assert student.get_full_name() in queue
    assert "removed" in queue


def test_another_confirmed_school_address_keeps_the_verification(client, school):
    student = unverified(school).user
    add_address(client, student, f"first@{school.email_domain}")
    add_address(client, student, f"second@{school.email_domain}")

    client.post(
        reverse("account_email"), {"action_remove": "", "email": f"first@{school.email_domain}"}
    )

    profile = profile_of(student)
    assert profile.affiliation == Affiliation.VERIFIED
    assert profile.affiliation_email == f"second@{school.email_domain}"
    assert profile.affiliation_lapsed_at is None


def profile_data(school, **overrides):
    values = {
        "school": school,
        "major": "Economics",
        "graduation_year": timezone.now().year + 1,
        "bio": "",
        "linkedin_url": "",
        "github_url": "",
        "portfolio_url": "",
        "work_authorization": "us_authorized",
        "skill_names": ["Excel"],
        **overrides,
    }
    return services.StudentProfileData(**values)


def test_changing_school_resets_the_verification(school, other_school):
    profile = StudentFactory(school=school)
    assert profile.affiliation == Affiliation.VERIFIED

    services.student_profile_save(user=profile.user, data=profile_data(other_school))

    profile.refresh_from_db()
    assert profile.school == other_school
    assert profile.affiliation == Affiliation.UNVERIFIED
    assert profile.affiliation_method == ""
    assert AuditEvent.objects.filter(action="affiliation.reset", school=other_school).exists()


def test_keeping_the_school_keeps_the_verification(school):
    profile = StudentFactory(school=school)

    services.student_profile_save(user=profile.user, data=profile_data(school, major="Math"))

    profile.refresh_from_db()
    assert profile.affiliation == Affiliation.VERIFIED


def test_moving_to_a_school_whose_address_is_confirmed_verifies_at_once(
    client, school, other_school
):
    student = unverified(school).user
    add_address(client, student, f"amara@{other_school.email_domain}")
    assert profile_of(student).affiliation == Affiliation.UNVERIFIED

    services.student_profile_save(user=student, data=profile_data(other_school))

    assert profile_of(student).affiliation == Affiliation.VERIFIED


# --- Claims to career services -------------------------------------------------------------


def test_a_student_claims_and_their_schools_staff_are_told(client, school, career_staff):
    student = unverified(school).user
    client.force_login(student)

    response = client.post(reverse("school_affiliation"), {"statement": "Student ID 12345"})

    assert response.status_code == 302
    profile = profile_of(student)
    assert profile.affiliation == Affiliation.PENDING
    assert profile.affiliation_claim == "Student ID 12345"
    told = Notification.objects.get(recipient=career_staff, kind="affiliation.claimed")
    assert told.url == reverse("admin:accounts_affiliationclaim_review", args=[profile.pk])


def test_an_empty_claim_is_refused_beside_the_field(client, school):
    student = unverified(school).user
    client.force_login(student)

    response = client.post(reverse("school_affiliation"), {"statement": "   "})

    assert response.status_code == 200
    assert response.context["form"].errors["statement"]
    assert profile_of(student).affiliation == Affiliation.UNVERIFIED


def test_a_verified_student_cannot_claim_again(school):
    profile = StudentFactory(school=school)

    with pytest.raises(ValidationError, match="already verified"):
        affiliation.affiliation_claim_submit(user=profile.user, statement="Again")


def claim(school, statement="Student ID 12345"):
    profile = unverified(school)
    return affiliation.affiliation_claim_submit(user=profile.user, statement=statement)


def review(client, user, profile, **data):
    client.force_login(user)
    return client.post(reverse("admin:accounts_affiliationclaim_review", args=[profile.pk]), data)


def test_staff_approve_a_claim_with_a_reason_which_is_audited(client, school, career_staff):
    profile = claim(school)

    response = review(
        client, career_staff, profile, decision="approve", reason="On the enrolment list"
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.affiliation == Affiliation.VERIFIED
    assert profile.affiliation_method == AffiliationMethod.CAREER_STAFF
    assert profile.affiliation_decided_by == career_staff
    event = AuditEvent.objects.get(action="affiliation.approved")
    assert event.actor == career_staff
    assert event.school == school
    assert event.data["reason"] == "On the enrolment list"
    assert Notification.objects.filter(recipient=profile.user, kind="affiliation.approved")


def test_approving_without_a_reason_is_refused_and_changes_nothing(client, school, career_staff):
    profile = claim(school)

    response = review(client, career_staff, profile, decision="approve", reason="")

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    profile.refresh_from_db()
    assert profile.affiliation == Affiliation.PENDING
    assert not AuditEvent.objects.filter(action="affiliation.approved").exists()


def test_a_declined_student_reads_why(client, school, career_staff):
    profile = claim(school)

    review(client, career_staff, profile, decision="decline", reason="Not on our lists")

    profile.refresh_from_db()
    assert profile.affiliation == Affiliation.DECLINED
    client.force_login(profile.user)
    page = client.get(reverse("school_affiliation")).content.decode()
    assert "Not on our lists" in page


def test_staff_of_another_school_never_see_or_decide_the_claim(client, school, other_school_staff):
    profile = claim(school)
    client.force_login(other_school_staff)

    queue = client.get(reverse("admin:accounts_affiliationclaim_changelist")).content.decode()
    page = client.get(reverse("admin:accounts_affiliationclaim_review", args=[profile.pk]))
    posted = review(client, other_school_staff, profile, decision="approve", reason="Sure")

    assert profile.user.get_full_name() not in queue
    assert page.status_code == 404
    assert posted.status_code == 404
    with pytest.raises(PermissionDenied):
        affiliation.affiliation_claim_approve(
            actor=other_school_staff, profile=profile, reason="Sure"
        )
    profile.refresh_from_db()
    assert profile.affiliation == Affiliation.PENDING


@pytest.mark.parametrize("who", ["student", "employer"])
def test_students_and_employers_never_reach_the_queue(client, request, school, who):
    profile = claim(school)
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("admin:accounts_affiliationclaim_review", args=[profile.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_queue_lists_claims_in_a_fixed_number_of_queries(client, school, career_staff):
    client.force_login(career_staff)
    url = reverse("admin:accounts_affiliationclaim_changelist") + "?claim=pending"
    claim(school)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(15):
        claim(school, statement=f"ID {n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)

    assert page.status_code == 200
    assert "16 school affiliation claims" in page.content.decode()
    assert len(many) == len(few)


# --- Acceptance and what others see ----------------------------------------------------------


def test_an_unverified_student_applies_but_cannot_be_accepted(client, school):
    profile = unverified(school)
    application = ApplicationFactory(student=profile.user)
    employer = employer_of(application.project)

    with pytest.raises(ValidationError, match="School not verified"):
        engagement_services.application_accept(actor=employer, application=application)

    client.force_login(employer)
    response = client.post(reverse("engagements:accept", args=[application.pk]), follow=True)
    assert "School not verified" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_once_verified_the_student_can_be_accepted(school, career_staff):
    profile = claim(school)
    application = ApplicationFactory(student=profile.user)
    affiliation.affiliation_claim_approve(actor=career_staff, profile=profile, reason="Checked")

    engagement = engagement_services.application_accept(
        actor=employer_of(application.project), application=application
    )

    assert engagement.school_id == school.pk


def test_employers_see_school_not_verified_after_shortlisting(client, school):
    profile = unverified(school)
    application = ApplicationFactory(student=profile.user)
    employer = employer_of(application.project)
    applications.application_shortlist(actor=employer, application=application)
    client.force_login(employer)

    page = client.get(
        reverse("engagements:applicants", args=[application.project_id])
    ).content.decode()

    assert f'id="school-unverified-{application.pk}"' in page
    assert school.name in page


def test_oversight_lists_and_figures_count_verified_students_only(client, school, career_staff):
    verified = StudentFactory(school=school)
    pending = claim(school)
    for profile in (verified, pending):
        ApplicationFactory(student=profile.user)
    client.force_login(career_staff)

    students = client.get(reverse("admin:accounts_studentprofile_changelist")).content.decode()
    applied = client.get(reverse("admin:projects_application_changelist")).content.decode()
    dashboard = client.get(reverse("career_staff_dashboard"))

    assert verified.user.email in students
    assert pending.user.email not in students
    assert verified.user.email in applied
    assert pending.user.email not in applied
    assert dashboard.context["overview"].students == 1
    assert dashboard.context["overview"].claims == 1
    today = timezone.localdate()
    figures = school_figures(school.pk, Period(today.replace(day=1), today))
    assert figures["students_applied"] == 1


# --- Existing students ---------------------------------------------------------------------


def test_the_migration_verifies_existing_students_with_a_confirmed_school_address(school):
    with_address = unverified(school, user__email=f"kim@{school.email_domain}")
    without = unverified(school)
    unconfirmed = unverified(school)
    EmailAddress.objects.create(
        user=unconfirmed.user, email=f"lee@{school.email_domain}", verified=False
    )
    migration = importlib.import_module("accounts.migrations.0012_school_affiliation")

    migration.verify_students_with_school_addresses(global_apps, connection.schema_editor())

    assert profile_of(with_address.user).affiliation == Affiliation.VERIFIED
    assert profile_of(with_address.user).affiliation_email == f"kim@{school.email_domain}"
    assert profile_of(without.user).affiliation == Affiliation.UNVERIFIED
    assert profile_of(unconfirmed.user).affiliation == Affiliation.UNVERIFIED


def test_a_school_domain_is_stored_bare_and_lowercase(client, platform_admin):
    school = SchoolFactory()
    client.force_login(platform_admin)
    url = reverse("admin:accounts_school_change", args=[school.pk])
    form = {
        "name": school.name,
        "short_name": school.short_name,
        "city": "",
        "state": "",
        "email_domain": school.email_domain,
        "is_active": "on",
        "other_domains-TOTAL_FORMS": "1",
        "other_domains-INITIAL_FORMS": "0",
        "other_domains-0-domain": "@Med.Example.EDU",
    }

    response = client.post(url, form)

    assert response.status_code == 302
    assert list(school.other_domains.values_list("domain", flat=True)) == ["med.example.edu"]
    form["other_domains-0-domain"] = "not a domain"
    response = client.post(url, form)
    assert response.status_code == 200
    assert "Enter a domain such as" in response.content.decode()


def test_career_staff_created_for_the_school_may_decide_claims(school):
    staff = CareerStaffFactory(school=school).user
    assert staff.has_perm("accounts.verify_school_affiliation")
    assert staff.has_perm("accounts.view_affiliationclaim")
