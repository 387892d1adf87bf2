"""The OpenAPI schema: every operation documents the one error shape (api.errors) for each
status it may answer with, besides its own response."""

from drf_spectacular.openapi import AutoSchema

from api.serializers import ErrorSerializer

ERRORS = {
    "400": "Invalid input: `fields` names each field's problems.",
    "401": "No credentials, or a wrong, revoked or orphaned token.",
    "403": "The account's role or the token's scopes do not allow this.",
    "404": "No such object for this account (other organizations' and schools' objects "
    "are not found either).",
    "405": "This endpoint does not take that method.",
    "429": "Too many requests: wait for the seconds in Retry-After.",
    "500": "An error on our side (logged); 503 with Retry-After while the database is away.",
}


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in ERRORS.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code)
                response["description"] = description
                responses[code] = response
        return responses
