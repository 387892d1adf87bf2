from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Rules:
    """The rules of the field as pages state them, read from the settings the code enforces,
    so a page never says "5 to 40 hours" while the settings say otherwise."""

    hours_min: int
    hours_max: int
    days_min: int
    days_max: int
    rate_floor_cents: int
    rate_typical_max_cents: int
    rate_ceiling_cents: int
    platform_fee_percent: int
    evaluation_reveal_days: int


def rules() -> Rules:
    return Rules(
        hours_min=settings.PROJECT_HOURS_MIN,
        hours_max=settings.PROJECT_HOURS_MAX,
        days_min=settings.PROJECT_DAYS_MIN,
        days_max=settings.PROJECT_DAYS_MAX,
        rate_floor_cents=settings.HOURLY_RATE_FLOOR_CENTS,
        rate_typical_max_cents=settings.HOURLY_RATE_TYPICAL_MAX_CENTS,
        rate_ceiling_cents=settings.HOURLY_RATE_CEILING_CENTS,
        platform_fee_percent=settings.PLATFORM_FEE_PERCENT,
        evaluation_reveal_days=settings.EVALUATION_REVEAL_DAYS,
    )


def site(request):
    """What every page may show about the site itself: how to reach us, and the rules."""
    return {"support_email": settings.SUPPORT_EMAIL, "rules": rules()}
