"""What an employer pays for a student's fee: the fee (all of it goes to the student) plus
the platform fee, a percentage added on the employer's side."""

from django.conf import settings


def platform_fee_for(fee_cents: int, percent: int | None = None) -> int:
    """The platform fee on a student's fee, rounded half up to the cent."""
    percent = settings.PLATFORM_FEE_PERCENT if percent is None else percent
    return (fee_cents * percent + 50) // 100


def price(fee_cents: int) -> tuple[int, int, int]:
    """(student's fee, platform fee, total the employer pays)."""
    platform_fee = platform_fee_for(fee_cents)
    return fee_cents, platform_fee, fee_cents + platform_fee
