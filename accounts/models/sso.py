"""A school's single sign-on: an allauth SAML or OpenID Connect app, tied to the school."""

from allauth.socialaccount.models import SocialApp
from django.db import models

from .schools import School

# eduPersonAffiliation, by its SAML attribute name (urn:oid) and by its friendly name.
EDUPERSON_AFFILIATION = "urn:oid:1.3.6.1.4.1.5923.1.1.1.1"


class SignOnProtocol(models.TextChoices):
    SAML = "saml", "SAML 2.0"
    OIDC = "openid_connect", "OpenID Connect"


class SchoolSignOn(models.Model):
    """One identity provider of a school. allauth's SocialApp holds the connection itself
    (entity ID, certificate or metadata, OpenID client); this row says whose it is and how
    the directory's attributes tell a student from a member of staff."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="sign_ons")
    app = models.OneToOneField(SocialApp, on_delete=models.CASCADE, related_name="school_sign_on")
    protocol = models.CharField(max_length=20, choices=SignOnProtocol.choices)
    role_attribute = models.CharField(
        "role attribute or claim",
        max_length=200,
        blank=True,
        help_text="The attribute (SAML) or claim (OpenID Connect) that names the person's "
        "affiliation. Empty: eduPersonAffiliation (SAML) or eduperson_affiliation (OpenID).",
    )
    student_values = models.CharField(
        max_length=200,
        default="student",
        help_text="Values of that attribute that make a student, separated by commas.",
    )
    staff_values = models.CharField(
        max_length=200,
        default="staff",
        help_text="Values that make a member of career services staff, separated by commas.",
    )
    # Where the browser goes to sign in (the IdP's origin), allowed by the login page's
    # Content-Security-Policy as a form target.
    sign_in_origin = models.CharField(max_length=200, editable=False)

    class Meta:
        ordering = ["school__name", "app__name"]
        verbose_name = "school single sign-on"
        verbose_name_plural = "school single sign-on"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(protocol__in=["saml", "openid_connect"]),
                name="school_sign_on_protocol_valid",
            )
        ]

    def __str__(self):
        return f"{self.school} — {self.get_protocol_display()}"

    @property
    def label(self) -> str:
        return self.app.name or self.school.short_name or self.school.name

    def role_attribute_names(self) -> list[str]:
        if self.role_attribute.strip():
            return [self.role_attribute.strip()]
        if self.protocol == SignOnProtocol.SAML:
            return [EDUPERSON_AFFILIATION, "eduPersonAffiliation"]
        return ["eduperson_affiliation"]

    @staticmethod
    def _values(text: str) -> set[str]:
        return {v.strip().lower() for v in text.split(",") if v.strip()}

    def student_value_set(self) -> set[str]:
        return self._values(self.student_values)

    def staff_value_set(self) -> set[str]:
        return self._values(self.staff_values)
