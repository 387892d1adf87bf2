import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import (
    AuditEvent,
    AuthorizationStatus,
    CareerStaffProfile,
    Organization,
    Role,
    StaffAccessRequest,
    User,
    WorkAuthorization,
)
from tests.factories import EmployerFactory, OrganizationFactory, StudentFactory
from tests.helpers import link_in_last_mail, path_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def test_students_and_employers_are_refused_the_admin_site(client, student, employer):
    for user in (student, employer):
        client.force_login(user)
        assert client.get(reverse("admin:index"), follow=True).status_code == 403


def test_the_admin_login_goes_through_the_rate_limited_site_login(client):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


def test_a_platform_admin_verifies_an_organization_and_its_employers_are_told(
    client, on_commit, platform_admin
):
    employer = EmployerFactory()
    org = employer.organization
    client.force_login(platform_admin)
    changelist = reverse("admin:accounts_organization_changelist")

    # The bulk action only leads to the evidence page: no verifying without the checklist.
    to_evidence = client.post(
        changelist, {"action": "verify_selected", "_selected_action": [org.pk]}
    )
    evidence = reverse("admin:accounts_organization_verification", args=[org.pk])
    assert to_evidence.status_code == 302 and to_evidence.url == evidence
    org.refresh_from_db()
    assert org.verification_status == Organization.Verification.UNVERIFIED
    with on_commit():
        client.post(
            evidence,
            {
                "checks": ["website", "domains"],
                "reasons": "Checked the website and business registry.",
                "decision": "verify",
            },
        )

    org.refresh_from_db()
    assert org.is_verified and org.verified_by == platform_admin and org.verified_at
    assert [m.to for m in mail.outbox] == [[employer.user.email]]
    assert "now a verified organization" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="organization.verified", actor=platform_admin).exists()
    client.force_login(employer.user)
    assert b"Verified organization" in client.get(reverse("employer_dashboard")).content


def test_organizations_are_never_verified_in_bulk(client, platform_admin):
    first, second = OrganizationFactory(), OrganizationFactory()
    client.force_login(platform_admin)
    changelist = reverse("admin:accounts_organization_changelist")

    for extra in ({}, {"apply": "1", "note": "Looks fine."}):
        response = client.post(
            changelist,
            {"action": "verify_selected", "_selected_action": [first.pk, second.pk], **extra},
            follow=True,
        )
        assert "one at a time" in response.content.decode()

    assert not Organization.objects.filter(
        verification_status=Organization.Verification.VERIFIED
    ).exists()


def test_refusing_verification_needs_a_reason_that_the_employer_sees(client, platform_admin):
    employer = EmployerFactory()
    org = employer.organization
    client.force_login(platform_admin)
    changelist = reverse("admin:accounts_organization_changelist")
    post = {"action": "reject_selected", "_selected_action": [org.pk], "apply": "1"}

    without_reason = client.post(changelist, {**post, "note": ""})
    assert b"Say why" in without_reason.content
    org.refresh_from_db()
    assert org.verification_status == Organization.Verification.UNVERIFIED

    client.post(changelist, {**post, "note": "The website does not load."})
    org.refresh_from_db()
    assert org.verification_status == Organization.Verification.REJECTED
    # Recorded as a decision with its reasons, as on the evidence page.
    decision = org.verification_decisions.get()
    assert (decision.status, decision.reasons) == ("rejected", "The website does not load.")
    client.force_login(employer.user)
    assert b"The website does not load." in client.get(reverse("employer_dashboard")).content


def test_a_platform_admin_creates_a_career_staff_account_who_sets_a_password_by_mail(
    client, on_commit, platform_admin, school
):
    client.force_login(platform_admin)
    with on_commit():
        response = client.post(
            reverse("admin:accounts_careerstaffprofile_create"),
            {
                "email": "Advisor@TU.edu",
                "first_name": "Ana",
                "last_name": "Lima",
                "school": school.pk,
                "job_title": "Career Advisor",
            },
        )
    assert response.status_code == 302

    staff = User.objects.get(email="advisor@tu.edu")
    assert staff.role == Role.CAREER_STAFF and staff.is_staff and not staff.is_superuser
    assert not staff.has_usable_password()
    assert staff.career_staff_profile.school == school
    assert staff.groups.filter(name="Career services").exists()
    assert mail.outbox[-1].to == ["advisor@tu.edu"]

    client.logout()
    reset = client.get(
        path_of(link_in_last_mail(r"https?://\S+/password/reset/key/\S+")), follow=True
    )
    with on_commit():
        client.post(
            reset.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )
    login = client.post(
        reverse("account_login"), {"login": "advisor@tu.edu", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    assert client.get(reverse("career_staff_dashboard")).status_code == 200


def test_creating_staff_with_a_taken_email_says_so(client, platform_admin, school, student):
    client.force_login(platform_admin)

    response = client.post(
        reverse("admin:accounts_careerstaffprofile_create"),
        {"email": student.email, "first_name": "A", "last_name": "B", "school": school.pk},
    )

    assert response.status_code == 200
    assert b"already exists" in response.content
    assert not CareerStaffProfile.objects.filter(user=student).exists()


def test_career_staff_cannot_create_staff_accounts(client, career_staff, school):
    client.force_login(career_staff)

    response = client.post(
        reverse("admin:accounts_careerstaffprofile_create"),
        {"email": "friend@tu.edu", "first_name": "A", "last_name": "B", "school": school.pk},
    )

    assert response.status_code == 403
    assert not User.objects.filter(email="friend@tu.edu").exists()


def access_request_form(school, **overrides):
    return {
        "first_name": "Rosa",
        "last_name": "Diaz",
        "email": f"rosa@{school.email_domain}",
        "school": school.pk,
        "job_title": "Assistant Director",
        "message": "We want to oversee our students' projects.",
        **overrides,
    }


def test_career_staff_request_access_and_an_admin_approves(
    client, on_commit, platform_admin, school
):
    with on_commit():
        response = client.post(reverse("staff_access_request"), access_request_form(school))
    assert response.status_code == 302
    access_request = StaffAccessRequest.objects.get()
    assert access_request.status == StaffAccessRequest.Status.PENDING
    assert [m.to for m in mail.outbox] == [[platform_admin.email]]
    assert not User.objects.filter(email=access_request.email).exists()

    client.force_login(platform_admin)
    with on_commit():
        client.post(
            reverse("admin:accounts_staffaccessrequest_changelist"),
            {"action": "approve_selected", "_selected_action": [access_request.pk]},
        )

    access_request.refresh_from_db()
    assert access_request.status == StaffAccessRequest.Status.APPROVED
    staff = User.objects.get(email=access_request.email)
    assert staff.role == Role.CAREER_STAFF
    assert staff.career_staff_profile.school == school
    assert mail.outbox[-1].to == [staff.email]
    assert "/password/reset/key/" in mail.outbox[-1].body


def test_an_access_request_must_come_from_the_schools_domain(client, school):
    response = client.post(
        reverse("staff_access_request"), access_request_form(school, email="rosa@gmail.com")
    )

    assert response.status_code == 200
    assert f"@{school.email_domain}".encode() in response.content
    assert not StaffAccessRequest.objects.exists()


def test_a_second_pending_request_from_the_same_address_is_refused(client, school):
    client.post(reverse("staff_access_request"), access_request_form(school))

    response = client.post(reverse("staff_access_request"), access_request_form(school))

    assert b"already waiting" in response.content
    assert StaffAccessRequest.objects.count() == 1


def test_declining_a_request_tells_the_requester(client, on_commit, platform_admin, school):
    client.post(reverse("staff_access_request"), access_request_form(school))
    access_request = StaffAccessRequest.objects.get()
    client.force_login(platform_admin)

    with on_commit():
        client.post(
            reverse("admin:accounts_staffaccessrequest_changelist"),
            {"action": "decline_selected", "_selected_action": [access_request.pk]},
        )

    access_request.refresh_from_db()
    assert access_request.status == StaffAccessRequest.Status.DECLINED
    assert mail.outbox[-1].to == [access_request.email]
    assert not User.objects.filter(email=access_request.email).exists()


def test_career_staff_see_only_their_own_schools_students_in_admin(
    client, career_staff, school, other_school
):
    mine = StudentFactory(school=school, major="Mine Studies")
    theirs = StudentFactory(school=other_school, major="Their Studies")
    client.force_login(career_staff)

    changelist = client.get(reverse("admin:accounts_studentprofile_changelist"))
    assert changelist.status_code == 200
    assert b"Mine Studies" in changelist.content
    assert b"Their Studies" not in changelist.content

    search = client.get(
        reverse("admin:accounts_studentprofile_changelist"), {"q": theirs.user.last_name}
    )
    assert b"Their Studies" not in search.content

    own = client.get(reverse("admin:accounts_studentprofile_change", args=[mine.pk]))
    assert own.status_code == 200
    other = client.get(reverse("admin:accounts_studentprofile_change", args=[theirs.pk]))
    assert other.status_code == 404
    assert b"Their Studies" not in other.content
    assert b"This record is not available to your account." in other.content


def test_career_staff_read_but_cannot_change_student_profiles(client, career_staff, school):
    profile = StudentFactory(
        school=school,
        work_authorization=WorkAuthorization.F1_CPT,
        work_authorization_status=AuthorizationStatus.PENDING,
    )
    client.force_login(career_staff)
    url = reverse("admin:accounts_studentprofile_change", args=[profile.pk])

    client.post(url, {"major": "Changed", "graduation_year": 2030})

    profile.refresh_from_db()
    assert profile.major != "Changed"


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_user_changelist",
        "admin:accounts_careerstaffprofile_changelist",
        "admin:accounts_staffaccessrequest_changelist",
        "admin:payments_payment_changelist",
        "admin:payments_refund_changelist",
        "admin:payments_ledgerentry_changelist",
        "admin:payments_payoutaccount_changelist",
        "admin:payments_webhookevent_changelist",
        "admin:accounts_outboundemail_changelist",
        "admin:projects_project_changelist",
        "admin:accounts_skill_changelist",
        "admin:accounts_employerprofile_changelist",
        "admin:auth_group_changelist",
    ],
)
def test_career_staff_cannot_open_admin_pages_for_platform_admins(client, career_staff, url_name):
    client.force_login(career_staff)

    assert client.get(reverse(url_name)).status_code == 403


def test_the_admin_user_form_refuses_a_student_superuser(client, platform_admin):
    client.force_login(platform_admin)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new@example.com",
            "first_name": "New",
            "last_name": "Person",
            "role": Role.CAREER_STAFF,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )

    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="new@example.com").exists()


def test_organizations_list_for_admins_with_their_verification_state(client, platform_admin):
    OrganizationFactory(name="Waiting Org")
    OrganizationFactory(name="Known Org", verified=True)
    client.force_login(platform_admin)

    page = client.get(
        reverse("admin:accounts_organization_changelist"), {"verification_status": "unverified"}
    )

    assert b"Waiting Org" in page.content
    assert b"Known Org" not in page.content


def test_career_staff_cannot_open_the_project_admin(client, platform_admin, career_staff):
    from tests.factories import accepted_engagement

    engagement = accepted_engagement()
    client.force_login(platform_admin)
    response = client.get(reverse("admin:projects_project_changelist"))
    assert engagement.project.title.encode() in response.content

    client.force_login(career_staff)
    assert client.get(reverse("admin:projects_project_changelist")).status_code == 403


def test_the_engagement_admin_page_shows_its_history(client, platform_admin):
    from tests.factories import accepted_engagement

    engagement = accepted_engagement()
    client.force_login(platform_admin)

    page = client.get(reverse("admin:engagements_engagement_change", args=[engagement.pk]))

    assert page.status_code == 200
    assert b"Funded by the employer" in page.content
