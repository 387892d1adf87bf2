"""How a program proves who it is: `Authorization: Bearer mkt_…` (api.tokens), or the
signed-in session of the browser (the docs page; students' own use)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api import tokens


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give the token after “Bearer ”, nothing else.")
        if not header[1].startswith(tokens.TOKEN_START):
            # Not an API token: an OAuth2 access token (api.oauth) or nothing valid.
            raise exceptions.AuthenticationFailed("This token is wrong, revoked or expired.")
        token = tokens.token_for_secret(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed(
                "This token is wrong, revoked or no longer valid."
            )
        tokens.note_use(token)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token made on the API page (Settings → API).",
        }
