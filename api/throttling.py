"""Rate limits per token (or per signed-in user, or per address for anonymous calls), with
their counters in the project's cache: Redis in production, so a limit holds whichever node
is asked."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken


class PerCredential(SimpleRateThrottle):
    scope = "credential"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        auth = request.auth
        if isinstance(auth, ApiToken):
            ident = f"token-{auth.pk}"
        elif auth is not None and getattr(auth, "application_id", None):
            ident = f"client-{auth.application_id}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # anonymous calls are counted by PerAddress
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PerAddress(SimpleRateThrottle):
    scope = "anonymous"

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE_LIMIT

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
