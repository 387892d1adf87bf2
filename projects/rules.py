"""The rules of the field for projects, read from settings (see DESIGN.md).

Forms and services both ask these functions, so a limit is stated once.
The database keeps the hard limits of projects.models as constraints.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError

from marketplace.money import dollars
from marketplace.timezones import today_in


def apply_by_today() -> date:
    """Today's date for apply-by deadlines: a project takes applications until the end of
    its apply-by day in APPLY_BY_TIME_ZONE, for every viewer and for the sweeps alike."""
    return today_in(settings.APPLY_BY_TIME_ZONE)


def implied_rate_cents(fee_cents: int, hours: int) -> int:
    return fee_cents // hours if hours else 0


@dataclass(frozen=True)
class Limits:
    hours_min: int
    hours_max: int
    days_min: int
    days_max: int
    rate_floor_cents: int
    rate_typical_max_cents: int
    rate_ceiling_cents: int
    openings_max: int = 10
    questions_max: int = 3


def limits() -> Limits:
    return Limits(
        hours_min=settings.PROJECT_HOURS_MIN,
        hours_max=settings.PROJECT_HOURS_MAX,
        days_min=settings.PROJECT_DAYS_MIN,
        days_max=settings.PROJECT_DAYS_MAX,
        rate_floor_cents=settings.HOURLY_RATE_FLOOR_CENTS,
        rate_typical_max_cents=settings.HOURLY_RATE_TYPICAL_MAX_CENTS,
        rate_ceiling_cents=settings.HOURLY_RATE_CEILING_CENTS,
    )


def terms_errors(*, hours: int | None, fee_cents: int | None, days: int | None) -> dict:
    """Field errors for hours, fee and days; empty when they fit the rules."""
    lim = limits()
    errors: dict[str, str] = {}
    if hours is not None and not lim.hours_min <= hours <= lim.hours_max:
        errors["hours"] = (
            f"Between {lim.hours_min} and {lim.hours_max} hours: micro-internships are short, "
            "focused projects."
        )
    if days is not None and not lim.days_min <= days <= lim.days_max:
        errors["days_to_complete"] = (
            f"Between {lim.days_min} and {lim.days_max} days from the start of the work."
        )
    if fee_cents is not None and fee_cents <= 0:
        errors["fee"] = "Enter the fee you will pay, in dollars."
    elif fee_cents is not None and hours and "hours" not in errors:
        if fee_cents < lim.rate_floor_cents * hours:
            errors["fee"] = (
                f"That is {dollars(implied_rate_cents(fee_cents, hours))} an hour; the minimum is "
                f"{dollars(lim.rate_floor_cents)} an hour. For {hours} hours, pay at least "
                f"{dollars(lim.rate_floor_cents * hours)}."
            )
        elif fee_cents > lim.rate_ceiling_cents * hours:
            errors["fee"] = (
                f"That is {dollars(implied_rate_cents(fee_cents, hours))} an hour, above the "
                f"{dollars(lim.rate_ceiling_cents)} limit. Check the fee and the hours."
            )
    return errors


def check_terms(*, hours: int, fee_cents: int, days: int) -> None:
    errors = terms_errors(hours=hours, fee_cents=fee_cents, days=days)
    if errors:
        raise ValidationError(errors)


def check_apply_by(apply_by: date, *, today: date) -> None:
    if apply_by < today:
        raise ValidationError({"apply_by": "The apply-by date is in the past."})
    if (apply_by - today).days > 90:
        raise ValidationError({"apply_by": "Choose a date within the next 90 days."})


def rate_guidance(fee_cents: int, hours: int) -> str:
    """How an implied rate compares with what is typical, in words for the employer."""
    lim = limits()
    rate = implied_rate_cents(fee_cents, hours)
    if rate < lim.rate_floor_cents:
        return "below the minimum"
    if rate <= lim.rate_typical_max_cents:
        return "typical"
    return "above typical"
