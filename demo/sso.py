"""Demo data for schools' single sign-on: Northbridge State University signs in through a
SAML 2.0 identity provider and an OpenID Connect provider on this machine (README,
"Connecting a school's identity provider", says how to start both).

The SAML provider's key and certificate are made once in var/demo-idp/; the connection is
saved from its metadata XML, so seeding does not need the provider running.
"""

from pathlib import Path

from django.conf import settings

from accounts.models import Role, School, SchoolSignOn, User
from accounts.sso import sign_on_save

SCHOOL = "Northbridge State University"
SAML_IDP_URL = "http://127.0.0.1:8660"
OIDC_IDP_URL = "http://127.0.0.1:8661"
OIDC_CLIENT_ID = "micro-internships-demo"
OIDC_CLIENT_SECRET = "demo-client-secret"  # noqa: S105 (the local demo provider only)


def demo_idp_folder() -> Path:
    return Path(settings.VAR_DIR) / "demo-idp"


def demo_idp_certificate() -> Path:
    """The demo SAML provider's certificate (made with its key on first use)."""
    folder = demo_idp_folder()
    cert = folder / "idp.crt"
    if not cert.exists():
        # The demo provider is the one the browser tests run (tests/idp).
        from tests.idp import make_key_and_certificate

        folder.mkdir(parents=True, exist_ok=True)
        make_key_and_certificate(folder, "idp")
        make_key_and_certificate(folder, "impostor")
    return cert


def demo_idp_metadata() -> str:
    pem = demo_idp_certificate().read_text()
    body = "".join(line for line in pem.splitlines() if "CERTIFICATE" not in line)
    return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{SAML_IDP_URL}/metadata">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="{SAML_IDP_URL}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


def seed_sso() -> bool:
    """True if anything was created."""
    school = School.objects.filter(name=SCHOOL).first()
    admin = User.objects.filter(role=Role.PLATFORM_ADMIN, is_superuser=True).order_by("pk").first()
    if school is None or admin is None or SchoolSignOn.objects.filter(school=school).exists():
        return False
    sign_on_save(
        actor=admin,
        school=school,
        protocol="saml",
        name="Northbridge (SAML)",
        metadata_xml=demo_idp_metadata(),
    )
    sign_on_save(
        actor=admin,
        school=school,
        protocol="openid_connect",
        name="Northbridge (OpenID)",
        server_url=OIDC_IDP_URL,
        client_id=OIDC_CLIENT_ID,
        client_secret=OIDC_CLIENT_SECRET,
    )
    return True
