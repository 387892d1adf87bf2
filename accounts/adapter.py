"""django-allauth wiring: roles at sign-up, mail through the outbox, where to land after login."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import resolve_url

from accounts.models import Role
from accounts.outbox import email_enqueue
from accounts.selectors import profile_is_complete

SELF_SERVICE_ROLES = frozenset({Role.STUDENT, Role.EMPLOYER})


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The role comes from which sign-up page was used, never from posted
        # data; only students and employers can sign themselves up.
        role = getattr(form, "signup_role", None)
        if role not in SELF_SERVICE_ROLES:
            raise ImproperlyConfigured("Sign-up forms must declare a student or employer role.")
        user.role = role
        return super().save_user(request, user, form, commit=commit)

    def clean_email(self, email):
        return super().clean_email(email).strip().lower()

    def send_mail(self, template_prefix, email, context):
        # Rendered now (it needs the request), stored in the outbox, sent after commit.
        request = allauth_context.request
        ctx = {"email": email, "request": request, "current_site": get_current_site(request)}
        ctx.update(context)
        email_enqueue(message=self.render_mail(template_prefix, email, ctx))

    def get_signup_redirect_url(self, request):
        return self.get_login_redirect_url(request)

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_platform_admin:
            return resolve_url("admin:index")
        if not profile_is_complete(user):
            return resolve_url("profile")
        return resolve_url("dashboard")
