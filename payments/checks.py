"""System checks for payments: `check --deploy` says when no real money can move."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def test_mode_gateway_check(app_configs, **kwargs):
    if settings.STRIPE_SECRET_KEY:
        return []
    return [
        Warning(
            "Payments run in TEST MODE: no Stripe keys are set, so employers pay with a test "
            "button and no money moves.",
            hint="Set STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET, "
            "and remove PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION unless this site must never "
            "take real money.",
            id="payments.W001",
        )
    ]
