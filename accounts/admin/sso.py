"""Connecting a school's identity provider (SAML 2.0 or OpenID Connect): platform admins only."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import sso
from accounts.admin_scope import PlatformAdminOnly
from accounts.models import SchoolSignOn, SignOnProtocol
from marketplace.forms import add_service_errors


class SchoolSignOnForm(forms.ModelForm):
    """Checked and saved by `sign_on_save` as the form is cleaned: the allauth app (SAML
    metadata or OpenID client) and the school's attribute mapping in one step, a refusal
    beside its field."""

    name = forms.CharField(
        label="Button label",
        max_length=40,
        required=False,
        help_text="Shown as “Sign in with …” on the login page. Empty: the school's short name.",
    )
    metadata_url = forms.URLField(
        label="SAML metadata address",
        required=False,
        assume_scheme="https",
        help_text="SAML: the identity provider's metadata URL (read now, and again every 4 hours).",
    )
    metadata_xml = forms.CharField(
        label="SAML metadata XML",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="SAML: or paste the identity provider's metadata.",
    )
    entity_id = forms.CharField(
        label="SAML entity ID",
        max_length=300,
        required=False,
        help_text="SAML: which entity of the metadata, if it describes several.",
    )
    server_url = forms.URLField(
        label="OpenID issuer address",
        required=False,
        assume_scheme="https",
        help_text="OpenID Connect: the issuer; its /.well-known/openid-configuration is read.",
    )
    client_id = forms.CharField(label="OpenID client ID", max_length=191, required=False)
    client_secret = forms.CharField(
        label="OpenID client secret",
        max_length=191,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="OpenID Connect. Empty when changing: the secret stays as it is.",
    )

    class Meta:
        model = SchoolSignOn
        fields = ("school", "protocol", "role_attribute", "student_values", "staff_values")

    actor = None  # set by the admin for each request

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            app = self.instance.app
            idp = app.settings.get("idp") or {}
            self.initial.update(
                name=app.name,
                metadata_url=idp.get("metadata_url", ""),
                entity_id=idp.get("entity_id", "") if idp.get("metadata_url") else "",
                server_url=app.settings.get("server_url", ""),
                client_id=app.client_id if self.instance.protocol == SignOnProtocol.OIDC else "",
            )
            self.fields["school"].disabled = True
            self.fields["protocol"].disabled = True

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.saved = sso.sign_on_save(
                actor=self.actor,
                school=data["school"],
                protocol=data["protocol"],
                name=data.get("name", ""),
                sign_on=self.instance if self.instance.pk else None,
                metadata_url=data.get("metadata_url", ""),
                metadata_xml=data.get("metadata_xml", ""),
                entity_id=data.get("entity_id", ""),
                server_url=data.get("server_url", ""),
                client_id=data.get("client_id", ""),
                client_secret=data.get("client_secret", ""),
                role_attribute=data.get("role_attribute", ""),
                student_values=data.get("student_values", ""),
                staff_values=data.get("staff_values", ""),
            )
        except ValidationError as error:
            add_service_errors(self, error)
        return data

    def _post_clean(self):
        """The model's own checks ran in the service; nothing more to validate here."""


@admin.register(SchoolSignOn)
class SchoolSignOnAdmin(PlatformAdminOnly, admin.ModelAdmin):
    """A school's identity provider. The service provider addresses to give the school:
    SAML metadata /accounts/saml/<client id>/metadata/ (assertions are posted to
    /accounts/saml/<client id>/acs/); OpenID redirect URI
    /accounts/oidc/<provider id>/login/callback/."""

    form = SchoolSignOnForm
    list_display = ("school", "protocol", "label", "provider_id", "sign_in_origin")
    list_select_related = ("school", "app")
    readonly_fields = ("service_provider_addresses",)
    fieldsets = (
        (None, {"fields": ("school", "protocol", "name", "service_provider_addresses")}),
        ("SAML 2.0", {"fields": ("metadata_url", "metadata_xml", "entity_id")}),
        ("OpenID Connect", {"fields": ("server_url", "client_id", "client_secret")}),
        (
            "Roles from the directory",
            {"fields": ("role_attribute", "student_values", "staff_values")},
        ),
    )

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    @admin.display(description="provider ID")
    def provider_id(self, obj):
        return obj.app.provider_id

    @admin.display(description="Addresses to give the school")
    def service_provider_addresses(self, obj):
        if obj is None or obj.pk is None:
            return "Shown once saved."
        if obj.protocol == SignOnProtocol.SAML:
            client_id = obj.app.client_id
            return (
                f"Metadata: {settings.SITE_URL}{reverse('saml_metadata', args=[client_id])} — "
                f"assertion consumer: {settings.SITE_URL}{reverse('saml_acs', args=[client_id])}"
            )
        callback = reverse("openid_connect_callback", kwargs={"provider_id": obj.app.provider_id})
        return f"Redirect URI: {settings.SITE_URL}{callback}"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        saved = form.saved
        obj.pk, obj.app_id, obj.school_id = saved.pk, saved.app_id, saved.school_id
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Nothing hangs off a connection."""
