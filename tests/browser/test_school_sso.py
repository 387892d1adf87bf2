"""A school's single sign-on, end to end in Chromium, against identity providers run as
their own processes: a SAML 2.0 IdP (pysaml2, tests/idp/saml_idp.py) and an OpenID Connect
provider (npm oidc-provider, tests/idp/oidc_idp.mjs). Nothing of allauth is replaced."""

import pytest
from allauth.socialaccount.models import SocialAccount

from accounts.models import (
    Affiliation,
    AffiliationMethod,
    CareerStaffProfile,
    Role,
    StaffAccessRequest,
    StudentProfile,
    User,
)
from accounts.services import staff_access_request_approve
from accounts.sso import sign_on_save
from tests.browser.helpers import field, log_in
from tests.factories import (
    CareerStaffFactory,
    SchoolFactory,
    StudentFactory,
    UserFactory,
)
from tests.idp import OidcIdentityProvider, SamlIdentityProvider

pytestmark = pytest.mark.django_db(transaction=True)

SAML_CLIENT_ID = "northbridge-saml"
OIDC_PROVIDER_ID = "northbridge-openid-connect"
OIDC_CLIENT_ID = "micro-internships"
OIDC_SECRET = "a-client-secret-only-these-tests-know"
IDP_PASSWORD = "directory-passphrase-1"


@pytest.fixture(scope="module")
def saml_idp(live_server):
    idp = SamlIdentityProvider(
        sp_metadata_urls=[f"{live_server.url}/accounts/saml/{SAML_CLIENT_ID}/metadata/"]
    ).start()
    yield idp
    idp.stop()


@pytest.fixture(scope="module")
def oidc_idp(live_server):
    idp = OidcIdentityProvider(
        client_id=OIDC_CLIENT_ID,
        client_secret=OIDC_SECRET,
        redirect_uris=[f"{live_server.url}/accounts/oidc/{OIDC_PROVIDER_ID}/login/callback/"],
    ).start()
    yield idp
    idp.stop()


@pytest.fixture
def northbridge(saml_idp, oidc_idp):
    school = SchoolFactory(
        name="Northbridge State University",
        short_name="Northbridge",
        email_domain="northbridge.edu",
    )
    admin = UserFactory(role=Role.PLATFORM_ADMIN, is_superuser=True, is_staff=True)
    sign_on_save(
        actor=admin,
        school=school,
        protocol="saml",
        name="Northbridge",
        metadata_url=saml_idp.metadata_url,
    )
    sign_on_save(
        actor=admin,
        school=school,
        protocol="openid_connect",
        name="Northbridge (OpenID)",
        server_url=oidc_idp.url,
        client_id=OIDC_CLIENT_ID,
        client_secret=OIDC_SECRET,
    )
    school.admin = admin
    return school


def saml_sign_in(page, live_server, username, *, answer="Signed"):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="Sign in with Northbridge", exact=True).click()
    page.get_by_role("heading", name="School sign-in").wait_for()
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(IDP_PASSWORD)
    page.get_by_label("Answer").select_option(label=answer)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/**")
    page.wait_for_load_state("load")


def oidc_sign_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="Sign in with Northbridge (OpenID)").click()
    page.get_by_role("heading", name="School sign-in (OpenID)").wait_for()
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/**")
    page.wait_for_load_state("load")


def test_a_student_signs_in_through_saml_for_the_first_time(
    page, live_server, quality, northbridge, saml_idp
):
    saml_idp.add_person(
        "ana.lopez",
        password=IDP_PASSWORD,
        mail="ana.lopez@northbridge.edu",
        givenName="Ana",
        sn="Lopez",
        eduPersonPrincipalName="ana.lopez@northbridge.edu",
        eduPersonAffiliation=["member", "student"],
    )
    page.goto(live_server.url + "/accounts/login/")
    quality.check(page)

    saml_sign_in(page, live_server, "ana.lopez")

    page.get_by_role("heading", name="Set up your student profile").wait_for()
    quality.check(page)
    user = User.objects.get(email="ana.lopez@northbridge.edu")
    assert (user.role, user.first_name, user.last_name) == (Role.STUDENT, "Ana", "Lopez")
    assert not user.has_usable_password()
    assert SocialAccount.objects.get(user=user).provider == SAML_CLIENT_ID
    assert user.emailaddress_set.get().verified

    # The school comes from the sign-in; saving the profile verifies the affiliation.
    assert field(page, "School").input_value() == str(northbridge.pk)
    field(page, "Major").fill("Chemistry")
    field(page, "Graduation year").select_option(index=2)
    field(page, "Other skills").fill("Lab notebooks")
    field(page, "Work authorization in the US").select_option(
        label="US citizen or permanent resident"
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Hello, Ana").wait_for()
    profile = StudentProfile.objects.get(user=user)
    assert profile.affiliation == Affiliation.VERIFIED
    assert profile.affiliation_method == AffiliationMethod.SCHOOL_SSO

    # Signing in again finds the same account.
    page.context.clear_cookies()
    saml_sign_in(page, live_server, "ana.lopez")
    page.get_by_role("heading", name="Hello, Ana").wait_for()
    assert User.objects.filter(email__iexact="ana.lopez@northbridge.edu").count() == 1


def test_a_student_with_a_password_account_signs_in_through_openid_connect(
    page, live_server, northbridge, oidc_idp
):
    profile = StudentFactory(
        school=northbridge, user__email="sam.reed@northbridge.edu", user__first_name="Sam"
    )
    profile.user.emailaddress_set.update_or_create(
        email="sam.reed@northbridge.edu", defaults={"verified": True, "primary": True}
    )
    StudentProfile.objects.filter(pk=profile.pk).update(
        affiliation=Affiliation.UNVERIFIED, affiliation_method="", affiliation_verified_at=None
    )
    oidc_idp.add_person(
        "sreed",
        password=IDP_PASSWORD,
        email="sam.reed@northbridge.edu",
        given_name="Sam",
        family_name="Reed",
        eduperson_affiliation=["student"],
    )

    oidc_sign_in(page, live_server, "sreed")

    page.get_by_role("heading", name="Hello, Sam").wait_for()
    assert User.objects.filter(email__iexact="sam.reed@northbridge.edu").count() == 1
    account = SocialAccount.objects.get(user=profile.user)
    assert (account.provider, account.uid) == (OIDC_PROVIDER_ID, "sreed")
    profile.refresh_from_db()
    assert profile.affiliation == Affiliation.VERIFIED
    assert profile.affiliation_method == AffiliationMethod.SCHOOL_SSO


def test_staff_from_sso_see_no_student_until_a_platform_admin_approves(
    page, live_server, northbridge, saml_idp
):
    StudentFactory(school=northbridge, user__first_name="Priya", user__last_name="Kumar")
    saml_idp.add_person(
        "m.okafor",
        password=IDP_PASSWORD,
        mail="m.okafor@northbridge.edu",
        givenName="Maya",
        sn="Okafor",
        eduPersonAffiliation=["staff", "employee"],
    )

    saml_sign_in(page, live_server, "m.okafor")

    page.get_by_text("A platform admin confirms career services accounts").wait_for()
    staff = User.objects.get(email="m.okafor@northbridge.edu")
    assert staff.role == Role.CAREER_STAFF and not staff.is_staff
    assert not CareerStaffProfile.objects.filter(user=staff).exists()
    assert page.get_by_text("Kumar").count() == 0
    page.goto(live_server.url + "/admin/accounts/studentprofile/")
    assert page.get_by_text("Kumar").count() == 0
    assert "/admin/login/" in page.url

    request = StaffAccessRequest.objects.get(user=staff)
    assert request.status == StaffAccessRequest.Status.PENDING
    staff_access_request_approve(actor=northbridge.admin, access_request=request)

    page.context.clear_cookies()
    saml_sign_in(page, live_server, "m.okafor")
    page.goto(live_server.url + "/admin/accounts/studentprofile/")
    page.get_by_role("link", name="Priya Kumar").wait_for()


def test_a_school_that_requires_sso_refuses_its_staffs_password(
    page, live_server, quality, northbridge, saml_idp
):
    northbridge.sso_required_for_staff = True
    northbridge.save(update_fields=["sso_required_for_staff"])
    staff = CareerStaffFactory(school=northbridge, user__email="lee.chen@northbridge.edu").user
    staff.emailaddress_set.update_or_create(
        email=staff.email, defaults={"verified": True, "primary": True}
    )
    student = StudentFactory(school=northbridge)

    log_in(page, live_server, staff)

    page.get_by_text(
        "Northbridge State University requires its staff to sign in through"
    ).wait_for()
    quality.check(page)
    assert "Sign in with Northbridge" in page.content()
    page.goto(live_server.url + "/dashboard/")
    assert "/accounts/login/" in page.url

    # Students of the school still log in with their password.
    page.context.clear_cookies()
    log_in(page, live_server, student.user)
    page.get_by_role("heading", name=f"Hello, {student.user.first_name}").wait_for()

    # The staff member signs in through the school instead: the same account.
    saml_idp.add_person(
        "lchen",
        password=IDP_PASSWORD,
        mail="lee.chen@northbridge.edu",
        givenName="Lee",
        sn="Chen",
        eduPersonAffiliation=["staff"],
    )
    page.context.clear_cookies()
    saml_sign_in(page, live_server, "lchen")
    page.goto(live_server.url + "/dashboard/")
    assert page.url.startswith(live_server.url + "/oversight") or "/dashboard" not in page.url
    assert SocialAccount.objects.get(user=staff).provider == SAML_CLIENT_ID


@pytest.mark.parametrize("answer", ["Unsigned", "Signed with another key"])
def test_an_unsigned_or_wrongly_signed_assertion_is_refused(
    page, live_server, northbridge, saml_idp, answer
):
    saml_idp.add_person(
        "eve",
        password=IDP_PASSWORD,
        mail="eve@northbridge.edu",
        givenName="Eve",
        sn="Stone",
        eduPersonAffiliation=["student"],
    )

    saml_sign_in(page, live_server, "eve", answer=answer)

    page.get_by_role("heading", name="Third-Party Login Failure").wait_for()
    assert not User.objects.filter(email="eve@northbridge.edu").exists()
    page.goto(live_server.url + "/dashboard/")
    assert "/accounts/login/" in page.url


def test_a_sign_in_without_a_school_address_or_a_known_role_opens_no_account(
    page, live_server, northbridge, saml_idp
):
    saml_idp.add_person(
        "alum",
        password=IDP_PASSWORD,
        mail="old.friend@northbridge.edu",
        givenName="Old",
        sn="Friend",
        eduPersonAffiliation=["alum"],
    )
    saml_idp.add_person(
        "visitor",
        password=IDP_PASSWORD,
        mail="visitor@gmail.com",
        givenName="Vi",
        sn="Sitor",
        eduPersonAffiliation=["student"],
    )

    saml_sign_in(page, live_server, "alum")
    page.get_by_text("directory does not list you as a student or as staff").wait_for()
    saml_sign_in(page, live_server, "visitor")
    page.get_by_text("did not give an address at the school's email domain").wait_for()

    assert not User.objects.filter(email__in=["old.friend@northbridge.edu", "visitor@gmail.com"])

    # An account opened with the address but never confirmed is not handed over.
    squatter = UserFactory(role=Role.STUDENT, email="taken@northbridge.edu")
    squatter.emailaddress_set.update_or_create(
        email="taken@northbridge.edu", defaults={"verified": False, "primary": True}
    )
    saml_idp.add_person(
        "taken",
        password=IDP_PASSWORD,
        mail="taken@northbridge.edu",
        givenName="Real",
        sn="Owner",
        eduPersonAffiliation=["student"],
    )
    saml_sign_in(page, live_server, "taken")
    page.get_by_text("exists but its address is not confirmed").wait_for()
    assert not SocialAccount.objects.exists()
