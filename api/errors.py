"""Every error the API answers has one shape:

    {"error": {"code": "not_found", "message": "Not found.", "fields": {"title": ["…"]}}}

`fields` is present only for invalid input (400), one list of messages per field
(`non_field_errors` for what concerns no single field). The same shape for 401, 403, 404,
405, 429, for an address under /api/v1/ that does not exist, and for 500 (and 503 when the
database cannot be reached, with Retry-After).
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from marketplace.errors import RETRY_AFTER_SECONDS, database_unavailable

logger = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"


def body(code: str, message: str, fields: dict | None = None) -> dict:
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def django_validation_fields(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as field → messages."""
    if hasattr(error, "error_dict"):
        return {
            NON_FIELD if name == "__all__" else name: [m for e in errors for m in e.messages]
            for name, errors in error.error_dict.items()
        }
    return {NON_FIELD: list(error.messages)}


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        fields = {}
        for name, value in detail.items():
            if isinstance(value, dict):
                for sub, messages in _flatten(value).items():
                    fields[f"{name}.{sub}"] = messages
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for index, item in enumerate(value):
                    for sub, messages in _flatten(item).items():
                        fields[f"{name}.{index}.{sub}"] = messages
            else:
                fields[name] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return fields
    return {NON_FIELD: [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def handle(exc, context):
    """DRF's exception handler, reshaped; anything else becomes a logged 500 (or a 503)."""
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(django_validation_fields(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        if database_unavailable(exc):
            response = Response(
                body("unavailable", "The service is unavailable for a moment: try again."),
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        logger.error("API error", exc_info=exc)
        return Response(
            body("server_error", "Something went wrong on our side; it has been logged."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        response.data = body("invalid", "The request has invalid fields.", _flatten(exc.detail))
        return response
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if not isinstance(code, str):
        code = "error"
    response.data = body(code, str(detail))
    return response


@csrf_exempt  # a POST to nowhere is a 404 too, not a CSRF refusal
def not_found(request, *args, **kwargs):
    """Any address under /api/v1/ that names no endpoint."""
    return JsonResponse(body("not_found", "There is no such endpoint."), status=404)
