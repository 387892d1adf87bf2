"""Schools' single sign-on, through django-allauth's SAML and OpenID Connect providers.

A platform admin connects a school's identity provider in the admin (`sign_on_save`): the
connection itself is an allauth SocialApp, and a SchoolSignOn row ties it to the school and
says which directory attribute tells students from staff.

On sign-in (`SchoolSignOnAdapter`):

- the address the school's identity provider gives must be at one of the school's domains;
  the school vouches for it, so it counts as confirmed;
- an existing account with that confirmed address is linked; otherwise an account is made,
  its role taken from the directory (eduPersonAffiliation or the configured claim);
- a student is verified as belonging to the school (accounts.affiliation);
- a member of staff gets an account without access to any student, and an access request
  that a platform admin approves like any other (accounts.services.staff).

A school can require single sign-on for its staff: their password login is refused
(`sign_on_required_for`).
"""

from urllib.parse import urlsplit

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.contrib import messages
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.text import slugify
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from accounts.affiliation import affiliation_verify_by_sign_on
from accounts.audit import audit
from accounts.models import (
    CareerStaffProfile,
    Role,
    School,
    SchoolSignOn,
    SignOnProtocol,
    StaffAccessRequest,
    User,
)

# Where allauth's SAML provider finds the person's details in an assertion: the SAML
# attribute names (urn:oid) and their friendly names.
SAML_ATTRIBUTE_MAPPING = {
    "uid": [
        "urn:oasis:names:tc:SAML:attribute:subject-id",
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",  # eduPersonPrincipalName
        "eduPersonPrincipalName",
    ],
    "email": ["urn:oid:0.9.2342.19200300.100.1.3", "mail", "email"],
    "first_name": ["urn:oid:2.5.4.42", "givenName"],
    "last_name": ["urn:oid:2.5.4.4", "sn", "surname"],
}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def _saml_idp_settings(*, metadata_url: str, metadata_xml: str, entity_id: str) -> tuple[dict, str]:
    """allauth's `idp` settings and the origin of the identity provider's sign-in address,
    from a metadata address (read once now to check it) or the metadata XML itself."""
    if metadata_url:
        try:
            parsed = OneLogin_Saml2_IdPMetadataParser.parse_remote(
                metadata_url, entity_id=entity_id or None, timeout=10
            )
        except Exception as exc:  # unreachable, not XML, not SAML metadata
            raise ValidationError(
                {"metadata_url": f"The metadata could not be read from this address ({exc})."}
            ) from exc
    else:
        try:
            parsed = OneLogin_Saml2_IdPMetadataParser.parse(
                metadata_xml, entity_id=entity_id or None
            )
        except Exception as exc:
            raise ValidationError(
                {"metadata_xml": f"This is not SAML identity provider metadata ({exc})."}
            ) from exc
    idp = parsed.get("idp") or {}
    sso_url = (idp.get("singleSignOnService") or {}).get("url", "")
    certificate = (
        idp.get("x509cert") or ((idp.get("x509certMulti") or {}).get("signing") or [""])[0]
    )
    field = "metadata_url" if metadata_url else "metadata_xml"
    if not idp.get("entityId") or not sso_url:
        raise ValidationError({field: "The metadata names no identity provider sign-in address."})
    if not certificate:
        raise ValidationError({field: "The metadata has no signing certificate."})
    if metadata_url:
        settings = {"metadata_url": metadata_url, "entity_id": idp["entityId"]}
    else:
        settings = {"entity_id": idp["entityId"], "sso_url": sso_url, "x509cert": certificate}
    return settings, _origin(sso_url)


@transaction.atomic
def sign_on_save(
    *,
    actor: User,
    school: School,
    protocol: str,
    name: str = "",
    sign_on: SchoolSignOn | None = None,
    metadata_url: str = "",
    metadata_xml: str = "",
    entity_id: str = "",
    server_url: str = "",
    client_id: str = "",
    client_secret: str = "",
    role_attribute: str = "",
    student_values: str = "student",
    staff_values: str = "staff",
) -> SchoolSignOn:
    """A platform admin connects (or changes) one identity provider of a school."""
    if not actor.is_platform_admin:
        raise ValidationError("Only platform admins connect a school's identity provider.")
    if protocol not in SignOnProtocol.values:
        raise ValidationError({"protocol": "Choose SAML 2.0 or OpenID Connect."})
    if sign_on is not None:
        sign_on = SchoolSignOn.objects.select_for_update().select_related("app").get(pk=sign_on.pk)
        if sign_on.protocol != protocol:
            raise ValidationError({"protocol": "Connect a new provider to change the protocol."})
    name = name.strip() or school.short_name or school.name
    slug = slugify(f"{school.short_name or school.name}-{protocol.replace('_', '-')}")[:60]
    if protocol == SignOnProtocol.SAML:
        metadata_url, metadata_xml = metadata_url.strip(), metadata_xml.strip()
        if bool(metadata_url) == bool(metadata_xml):
            raise ValidationError(
                {"metadata_url": "Give either the metadata address or the metadata XML."}
            )
        idp, origin = _saml_idp_settings(
            metadata_url=metadata_url, metadata_xml=metadata_xml, entity_id=entity_id.strip()
        )
        app_settings = {
            "idp": idp,
            "attribute_mapping": SAML_ATTRIBUTE_MAPPING,
            # Unsigned or wrongly signed assertions are refused; nothing starts at the IdP.
            "advanced": {
                "strict": True,
                "want_assertion_signed": True,
                "reject_idp_initiated_sso": True,
            },
        }
        provider, app_client_id, secret = "saml", slug, ""
    else:
        server_url = server_url.strip().rstrip("/")
        origin = _origin(server_url)
        if not origin:
            raise ValidationError({"server_url": "Give the provider's address (https://…)."})
        if not client_id.strip():
            raise ValidationError({"client_id": "Give the client ID the school registered."})
        if not client_secret and sign_on is None:
            raise ValidationError({"client_secret": "Give the client secret."})
        app_settings = {"server_url": server_url}
        provider, app_client_id = "openid_connect", client_id.strip()
        secret = client_secret or sign_on.app.secret
    if not student_values.strip() and not staff_values.strip():
        raise ValidationError({"student_values": "Name the values that make a student."})
    app = sign_on.app if sign_on is not None else SocialApp(provider=provider, provider_id=slug)
    app.name = name
    app.client_id = app_client_id
    app.secret = secret
    app.settings = app_settings
    app.save()
    app.sites.set([Site.objects.get_current()])
    if sign_on is None:
        sign_on = SchoolSignOn(school=school, app=app, protocol=protocol)
    sign_on.role_attribute = role_attribute.strip()
    sign_on.student_values = student_values.strip()
    sign_on.staff_values = staff_values.strip()
    sign_on.sign_in_origin = origin
    created = sign_on.pk is None
    sign_on.save()
    audit(
        actor=actor,
        action="sign_on.connected" if created else "sign_on.changed",
        target=school,
        summary=f"{actor.email} {'connected' if created else 'changed'} the "
        f"{sign_on.get_protocol_display()} sign-in of {school.name}",
        data={"provider_id": app.provider_id, "client_id": app.client_id},
    )
    return sign_on


def sign_ons_for_login_page() -> list[SchoolSignOn]:
    return list(
        SchoolSignOn.objects.filter(school__is_active=True)
        .select_related("school", "app")
        .order_by("school__name", "app__name")
    )


def sign_on_of_app(app) -> SchoolSignOn | None:
    if app is None or app.pk is None:
        return None
    return SchoolSignOn.objects.select_related("school").filter(app_id=app.pk).first()


def _attribute_values(sign_on: SchoolSignOn, extra_data: dict) -> set[str]:
    """The values of the role attribute (SAML) or claim (OpenID Connect) in what the
    identity provider sent, in lower case."""
    sources = [extra_data]
    if sign_on.protocol == SignOnProtocol.OIDC:
        sources = [extra_data.get("userinfo") or {}, extra_data.get("id_token") or {}, extra_data]
    found: set[str] = set()
    for name in sign_on.role_attribute_names():
        for source in sources:
            value = source.get(name)
            if value is None:
                continue
            values = value if isinstance(value, list | tuple) else [value]
            found |= {str(v).strip().lower() for v in values}
    # eduPersonScopedAffiliation-style values ("student@school.edu") count as "student".
    return found | {v.split("@", 1)[0] for v in found}


def directory_role(sign_on: SchoolSignOn, extra_data: dict) -> str | None:
    """The role the school's directory gives the person: student, career staff or none.
    Someone who is both (a student who works for the school) signs in as a student."""
    values = _attribute_values(sign_on, extra_data)
    if values & sign_on.student_value_set():
        return Role.STUDENT
    if values & sign_on.staff_value_set():
        return Role.CAREER_STAFF
    return None


def sign_on_required_for(user: User) -> School | None:
    """The school whose single sign-on this user must use instead of a password (None:
    the password is fine). Career staff of a school that requires it, and staff accounts
    waiting for approval."""
    if user.role != Role.CAREER_STAFF:
        return None
    profile = CareerStaffProfile.objects.select_related("school").filter(user=user).first()
    if profile is not None:
        return profile.school if profile.school.sso_required_for_staff else None
    request = (
        StaffAccessRequest.objects.select_related("school")
        .filter(user=user, school__sso_required_for_staff=True)
        .first()
    )
    return request.school if request is not None else None


def _refuse(request, message: str):
    messages.error(request, message)
    raise ImmediateHttpResponse(redirect("account_login"))


@transaction.atomic
def sign_on_staff_account_opened(*, user: User, school: School) -> StaffAccessRequest:
    """A member of staff signed in through their school for the first time: their account
    exists, with no access to any student, until a platform admin approves this request."""
    existing = StaffAccessRequest.objects.select_for_update().filter(
        user=user, status=StaffAccessRequest.Status.PENDING
    )
    if existing.exists():
        return existing.get()
    access_request = StaffAccessRequest.objects.create(
        first_name=user.first_name or user.email.split("@", 1)[0],
        last_name=user.last_name,
        email=user.email,
        school=school,
        job_title="Career services (signed in through the school)",
        message=f"Signed in through {school.name}'s single sign-on; the school's directory "
        "lists them as staff.",
        user=user,
    )
    audit(
        actor=user,
        action="staff_request.submitted",
        target=access_request,
        summary=f"{user.email} signed in through {school.name}'s single sign-on as staff and "
        "waits for a platform admin's approval",
    )
    return access_request


class SchoolSignOnAdapter(DefaultSocialAccountAdapter):
    """allauth's social sign-in, for schools' identity providers only."""

    def pre_social_login(self, request, sociallogin: SocialLogin) -> None:
        sign_on = sign_on_of_app(sociallogin.provider.app)
        if sign_on is None:
            _refuse(request, "This sign-in is not connected to a school.")
        school = sign_on.school
        addresses = [e for e in sociallogin.email_addresses if school.owns_address(e.email)]
        if not addresses:
            _refuse(
                request,
                f"{school.name}'s sign-in did not give an address at the school's email "
                "domain, so we cannot tell who you are. Ask the school's IT help desk.",
            )
        for address in sociallogin.email_addresses:
            # The school's identity provider vouches for its own domains only.
            address.verified = school.owns_address(address.email)
        if sociallogin.is_existing:
            user = sociallogin.user
        else:
            user = (
                User.objects.filter(
                    emailaddress__email__iexact=addresses[0].email, emailaddress__verified=True
                )
                .distinct()
                .first()
            )
        role = directory_role(sign_on, sociallogin.account.extra_data)
        if user is None and User.objects.filter(email__iexact=addresses[0].email).exists():
            # Someone opened an account with this address without confirming it: linking it
            # would hand that account to whoever set its password.
            _refuse(
                request,
                f"An account with {addresses[0].email} exists but its address is not "
                "confirmed. Log in with its password and confirm the address first.",
            )
        if user is None:
            if role is None:
                _refuse(
                    request,
                    f"{school.name}'s directory does not list you as a student or as staff, "
                    "so no account can be opened through the school's sign-in.",
                )
            sociallogin.user.role = role
            return
        if not user.is_active:
            _refuse(request, "This account is closed.")
        if user.role not in {Role.STUDENT, Role.CAREER_STAFF}:
            _refuse(
                request,
                "Your account is not a student or career services account: log in with your "
                "email address and password.",
            )
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)
        if user.role == Role.STUDENT and role == Role.STUDENT:
            affiliation_verify_by_sign_on(user=user, school=school)

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return True

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return True

    @transaction.atomic
    def save_user(self, request, sociallogin: SocialLogin, form=None):
        sign_on = sign_on_of_app(sociallogin.provider.app)
        user = sociallogin.user
        if sign_on is None or user.role not in {Role.STUDENT, Role.CAREER_STAFF}:
            raise ImmediateHttpResponse(redirect("account_login"))
        user.email = user.email.strip().lower()
        user = super().save_user(request, sociallogin, form=form)
        audit(
            actor=user,
            action="sign_on.account_opened",
            target=user,
            summary=f"{user.email} opened a {user.get_role_display().lower()} account through "
            f"{sign_on.school.name}'s single sign-on",
            data={"provider_id": sociallogin.account.provider},
            school=sign_on.school,
        )
        if user.role == Role.CAREER_STAFF:
            sign_on_staff_account_opened(user=user, school=sign_on.school)
        return user
