"""Shared form helpers and fields."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from marketplace.money import dollars


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


# The largest amount any money input takes: far above any fee the rules allow, and far
# below what a PositiveIntegerField of cents holds (2,147,483,647).
MONEY_MAX_CENTS = 100_000_000  # $1,000,000.00

# Dollars as people type them: "450", "450.5", "450.50", "$1,200", "1,200.75", ".50".
# Nothing else: no exponent ("1e10"), no NaN or Infinity, no sign, at most two decimals.
_MONEY = re.compile(r"^\$?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<cents>\d*))?$", re.ASCII)


class MoneyField(forms.Field):
    """An amount of US dollars, typed by a person, cleaned to integer cents.

    Every money input uses it, so each refuses the same things with the same words:
    anything that is not a plain amount, more than two decimals, less than `min_cents`
    and more than `max_cents` (by default $1,000,000).
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid": "Enter an amount in US dollars, like 450 or 450.50.",
        "decimals": "Use at most two decimals: dollars and cents.",
        "min_value": "Enter at least %(limit)s.",
        "max_value": "Enter at most %(limit)s.",
    }

    def __init__(self, *, min_cents: int = 1, max_cents: int = MONEY_MAX_CENTS, **kwargs):
        self.min_cents, self.max_cents = min_cents, max_cents
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # whole dollars, e.g. an initial value
        elif isinstance(value, Decimal):
            if not value.is_finite():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = f"{value:f}"
        text = "".join(str(value).split())  # "$ 1 200" as typed is still 1200
        match = _MONEY.match(text) if len(text) <= 30 else None
        if match is None or not (match["whole"] or match["cents"]):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        whole = (match["whole"] or "0").replace(",", "")
        fraction = match["cents"] or ""
        if len(fraction.rstrip("0")) > 2:
            raise ValidationError(self.error_messages["decimals"], code="decimals")
        return int(whole) * 100 + int((fraction + "00")[:2])

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value < self.min_cents:
            raise ValidationError(
                self.error_messages["min_value"],
                code="min_value",
                params={"limit": dollars(self.min_cents)},
            )
        if value > self.max_cents:
            raise ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"limit": dollars(self.max_cents)},
            )

    def prepare_value(self, value):
        # A bound form shows what was typed; an initial value is given in dollars.
        if isinstance(value, Decimal) and value.is_finite():
            return f"{value:f}" if value == value.to_integral_value() else f"{value:.2f}"
        return value
