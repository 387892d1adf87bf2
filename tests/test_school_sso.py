"""Schools' single sign-on: connecting an identity provider, roles from the directory,
require-SSO for staff, approval of staff accounts. The sign-ins themselves run end to end
against real identity providers in tests/browser/test_school_sso.py."""

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core.exceptions import ValidationError
from django.urls import reverse
from saml2.metadata import create_metadata_string

from accounts import affiliation
from accounts.models import (
    Affiliation,
    AffiliationMethod,
    AuditEvent,
    CareerStaffProfile,
    Role,
    SchoolSignOn,
    StaffAccessRequest,
    StudentProfile,
)
from accounts.services import staff_access_request_approve
from accounts.sso import directory_role, sign_on_required_for, sign_on_save
from tests.factories import PASSWORD, CareerStaffFactory, StudentFactory, UserFactory
from tests.idp import make_key_and_certificate
from tests.idp.saml_idp import idp_config

pytestmark = pytest.mark.django_db

IDP_URL = "http://127.0.0.1:8660"


@pytest.fixture(scope="module")
def idp_metadata_xml(tmp_path_factory):
    folder = tmp_path_factory.mktemp("idp")
    key, cert = make_key_and_certificate(folder, "idp")
    config = idp_config(base_url=IDP_URL, key=str(key), cert=str(cert))
    return create_metadata_string(None, config=config, valid=24).decode()


def saml_sign_on(admin, school, metadata_xml, **fields):
    return sign_on_save(
        actor=admin, school=school, protocol="saml", metadata_xml=metadata_xml, **fields
    )


def oidc_sign_on(admin, school, **fields):
    values = {
        "server_url": "https://login.example.edu/oidc",
        "client_id": "marketplace",
        "client_secret": "secret",
    }
    values.update(fields)
    return sign_on_save(actor=admin, school=school, protocol="openid_connect", **values)


# --- Connecting a school's identity provider --------------------------------------------------


def test_saml_metadata_xml_becomes_an_allauth_app_that_wants_signed_assertions(
    platform_admin, school, idp_metadata_xml
):
    sign_on = saml_sign_on(platform_admin, school, idp_metadata_xml, name="Test U")

    app = SocialApp.objects.get(pk=sign_on.app_id)
    assert (app.provider, app.name, app.client_id) == ("saml", "Test U", app.provider_id)
    assert app.settings["idp"]["entity_id"] == f"{IDP_URL}/metadata"
    assert app.settings["idp"]["sso_url"] == f"{IDP_URL}/sso"
    assert app.settings["idp"]["x509cert"]
    assert app.settings["advanced"]["want_assertion_signed"] is True
    assert sign_on.sign_in_origin == IDP_URL
    assert list(app.sites.values_list("pk", flat=True)) == [1]
    assert AuditEvent.objects.filter(action="sign_on.connected", school=school).exists()


def test_openid_connect_settings_become_an_allauth_app(platform_admin, school):
    sign_on = oidc_sign_on(
        platform_admin, school, role_attribute="groups", student_values="Students"
    )

    app = sign_on.app
    assert (app.provider, app.client_id, app.secret) == ("openid_connect", "marketplace", "secret")
    assert app.settings == {"server_url": "https://login.example.edu/oidc"}
    assert sign_on.sign_in_origin == "https://login.example.edu"

    # Changing keeps the secret when none is given, and the protocol stays.
    sign_on = oidc_sign_on(platform_admin, school, sign_on=sign_on, client_secret="")
    assert sign_on.app.secret == "secret"
    with pytest.raises(ValidationError) as refused:
        sign_on_save(actor=platform_admin, school=school, protocol="saml", sign_on=sign_on)
    assert "protocol" in refused.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"protocol": "saml"}, "metadata_url"),
        ({"protocol": "saml", "metadata_xml": "<not-metadata/>"}, "metadata_xml"),
        ({"protocol": "saml", "metadata_xml": "not xml at all"}, "metadata_xml"),
        ({"protocol": "saml", "metadata_url": "http://127.0.0.1:1/metadata"}, "metadata_url"),
        ({"protocol": "openid_connect", "client_id": "x", "client_secret": "y"}, "server_url"),
        ({"protocol": "openid_connect", "server_url": "https://idp.edu"}, "client_id"),
        ({"protocol": "ldap"}, "protocol"),
    ],
)
def test_an_incomplete_connection_is_refused_on_its_field(platform_admin, school, fields, field):
    with pytest.raises(ValidationError) as refused:
        sign_on_save(actor=platform_admin, school=school, **fields)
    assert field in refused.value.message_dict
    assert not SchoolSignOn.objects.exists()


def test_only_platform_admins_connect_an_identity_provider(career_staff, school):
    with pytest.raises(ValidationError):
        oidc_sign_on(career_staff, school)
    assert not SocialApp.objects.exists()


def test_the_admin_connects_an_openid_provider_and_is_for_platform_admins_only(
    client, platform_admin, career_staff, student, school
):
    url = reverse("admin:accounts_schoolsignon_add")
    for user in (career_staff, student):
        client.force_login(user)
        assert client.get(url).status_code in (302, 403)
        assert client.get(reverse("admin:accounts_schoolsignon_changelist")).status_code in (
            302,
            403,
        )

    client.force_login(platform_admin)
    assert client.get(url).status_code == 200
    data = {
        "school": school.pk,
        "protocol": "openid_connect",
        "name": "",
        "server_url": "",
        "client_id": "marketplace",
        "client_secret": "secret",
        "role_attribute": "",
        "student_values": "student",
        "staff_values": "staff",
    }
    page = client.post(url, data)
    assert page.status_code == 200
    assert "Give the provider" in page.content.decode()

    data["server_url"] = "https://login.example.edu"
    assert client.post(url, data).status_code == 302
    sign_on = SchoolSignOn.objects.get()
    assert sign_on.app.settings["server_url"] == "https://login.example.edu"
    change = client.get(reverse("admin:accounts_schoolsignon_change", args=[sign_on.pk]))
    assert "Redirect URI" in change.content.decode()


# --- Roles from the directory -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra_data", "role"),
    [
        ({"urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["member", "student"]}, Role.STUDENT),
        ({"eduPersonAffiliation": ["staff"]}, Role.CAREER_STAFF),
        ({"eduPersonAffiliation": ["staff", "student"]}, Role.STUDENT),
        ({"eduPersonAffiliation": ["alum"]}, None),
        ({}, None),
    ],
)
def test_saml_roles_come_from_edu_person_affiliation(
    platform_admin, school, idp_metadata_xml, extra_data, role
):
    sign_on = saml_sign_on(platform_admin, school, idp_metadata_xml)
    assert directory_role(sign_on, extra_data) == role


@pytest.mark.parametrize(
    ("extra_data", "role"),
    [
        ({"userinfo": {"groups": ["All", "Enrolled"]}}, Role.STUDENT),
        ({"id_token": {"groups": "Career Center"}}, Role.CAREER_STAFF),
        ({"userinfo": {"eduperson_affiliation": ["student"]}}, None),
    ],
)
def test_a_configured_claim_and_values_give_the_role(platform_admin, school, extra_data, role):
    sign_on = oidc_sign_on(
        platform_admin,
        school,
        role_attribute="groups",
        student_values="enrolled, undergraduate",
        staff_values="Career Center",
    )
    assert directory_role(sign_on, extra_data) == role


def test_scoped_affiliations_count(platform_admin, school):
    sign_on = oidc_sign_on(platform_admin, school)
    extra = {"userinfo": {"eduperson_affiliation": ["student@tu.edu"]}}
    assert directory_role(sign_on, extra) == Role.STUDENT


# --- Affiliation verified by the school's sign-in ----------------------------------------------


def link(user, sign_on, uid="person"):
    return SocialAccount.objects.create(user=user, provider=sign_on.app.provider_id, uid=uid)


def test_a_sign_in_verifies_the_student_of_that_school_only(
    platform_admin, school, other_school, idp_metadata_xml
):
    sign_on = saml_sign_on(platform_admin, school, idp_metadata_xml)
    ours = StudentFactory(school=school, unverified=True)
    theirs = StudentFactory(school=other_school, unverified=True)
    for profile in (ours, theirs):
        link(profile.user, sign_on, uid=str(profile.pk))
        affiliation.affiliation_verify_by_sign_on(user=profile.user, school=school)

    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.affiliation, ours.affiliation_method) == (
        Affiliation.VERIFIED,
        AffiliationMethod.SCHOOL_SSO,
    )
    assert theirs.affiliation == Affiliation.UNVERIFIED
    assert AuditEvent.objects.filter(action="affiliation.verified", school=school).count() == 1


def test_the_first_profile_save_after_a_sign_in_verifies_the_student(
    client, platform_admin, school, other_school
):
    sign_on = oidc_sign_on(platform_admin, school)
    user = UserFactory(role=Role.STUDENT, email="new@elsewhere.org")
    link(user, sign_on)
    assert affiliation.sign_on_school_ids(user.pk) == [school.pk]
    client.force_login(user)
    page = client.get(reverse("profile"))
    assert page.context["form"].initial["school"] == school.pk

    other = UserFactory(role=Role.STUDENT)
    link(other, sign_on, uid="other")
    StudentFactory(user=other, school=other_school, unverified=True)
    profile = StudentProfile.objects.get(user=other)
    assert profile.affiliation == Affiliation.UNVERIFIED
    assert not affiliation.signed_in_through(other.pk, other_school)


# --- Staff: approval and require-SSO ------------------------------------------------------------


def sso_staff(school):
    user = UserFactory(role=Role.CAREER_STAFF, email="new.staff@tu.edu")
    request = StaffAccessRequest.objects.create(
        first_name="New",
        last_name="Staff",
        email=user.email,
        school=school,
        job_title="Career services (signed in through the school)",
        user=user,
    )
    return user, request


def test_a_platform_admin_approves_staff_from_sso_into_their_school(
    platform_admin, career_staff, school
):
    user, request = sso_staff(school)
    with pytest.raises(ValidationError):
        staff_access_request_approve(actor=career_staff, access_request=request)
    assert not CareerStaffProfile.objects.filter(user=user).exists()

    staff_access_request_approve(actor=platform_admin, access_request=request)

    user.refresh_from_db()
    assert user.is_staff and user.career_staff_profile.school == school
    assert user.groups.filter(name="Career services").exists()
    request.refresh_from_db()
    assert request.status == StaffAccessRequest.Status.APPROVED
    assert AuditEvent.objects.filter(action="career_staff.approved").exists()


def test_staff_from_sso_waiting_for_approval_are_told_so(client, school):
    user, _ = sso_staff(school)
    client.force_login(user)
    page = client.get(reverse("career_staff_dashboard"), follow=True)
    assert "A platform admin confirms career services accounts" in page.content.decode()


def log_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_require_sso_refuses_the_password_of_the_schools_staff_only(
    client, platform_admin, school, other_school
):
    oidc_sign_on(platform_admin, school, name="Test U")
    school.sso_required_for_staff = True
    school.save()
    staff = CareerStaffFactory(school=school).user
    elsewhere = CareerStaffFactory(school=other_school).user
    student = StudentFactory(school=school).user
    pending, _ = sso_staff(school)
    pending.set_password(PASSWORD)
    pending.save()

    for user in (staff, pending):
        page = log_in(client, user)
        assert page.status_code == 200
        text = page.content.decode()
        assert f"{school.name} requires its staff to sign in through the school" in text
        assert "Sign in with Test U" in text
        assert "_auth_user_id" not in client.session
    assert sign_on_required_for(staff) == school
    assert sign_on_required_for(elsewhere) is None

    for user in (elsewhere, student):
        client.logout()
        assert log_in(client, user).status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)


def test_require_sso_says_nothing_about_an_account_before_the_right_password(client, school):
    school.sso_required_for_staff = True
    school.save()
    staff = CareerStaffFactory(school=school).user
    page = client.post(reverse("account_login"), {"login": staff.email, "password": "wrong-one"})
    assert "requires its staff" not in page.content.decode()


# --- The login page -----------------------------------------------------------------------------


def test_the_login_page_offers_each_active_schools_sign_in(
    client, platform_admin, school, other_school, idp_metadata_xml, django_assert_max_num_queries
):
    saml_sign_on(platform_admin, school, idp_metadata_xml, name="Test U")
    oidc_sign_on(platform_admin, school, name="Test U (OpenID)")
    oidc_sign_on(platform_admin, other_school, name="Closed U", client_id="closed")
    other_school.is_active = False
    other_school.save()

    with django_assert_max_num_queries(12):
        page = client.get(reverse("account_login"))

    text = page.content.decode()
    assert "Sign in with Test U<" in text and "Sign in with Test U (OpenID)" in text
    assert "Closed U" not in text
    policy = page.headers["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if "form-action" in d)
    assert IDP_URL in form_action and "https://login.example.edu" in form_action
