"""Shared form helpers."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: field errors by their fields, the rest on top.

    A service names the value it checked (`scheduled_at`); a form that asks for it in other
    fields (a date and a time) says in `service_fields` which of its fields shows the error.
    Non-field errors are shown once, by crispy-forms, above the fields (see
    templates/bootstrap5/errors.html): pages never print them again.
    """
    if hasattr(error, "error_dict"):
        renamed = getattr(form, "service_fields", {})
        for name, errors in error.error_dict.items():
            name = renamed.get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
