"""Payment providers behind one interface; `get_gateway()` picks one from the settings."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from payments.gateways.base import GatewayError, PaymentGateway


def get_gateway() -> PaymentGateway:
    """Stripe when its secret key is set, otherwise the local test-mode gateway.

    The settings already refuse to start without a gateway outside development; this
    guard keeps a changed configuration from ever taking pretend money in production.
    """
    if settings.STRIPE_SECRET_KEY:
        from payments.gateways.stripe_gateway import StripeGateway

        return StripeGateway()
    if not local_gateway_allowed():
        raise ImproperlyConfigured(
            "The test-mode payment gateway is off outside development: set the Stripe keys "
            "or PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION."
        )
    from payments.gateways.local import LocalGateway

    return LocalGateway()


def local_gateway_allowed() -> bool:
    """May the local gateway (no real money) run here?"""
    return settings.DEBUG or getattr(settings, "PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION", False)


def test_mode() -> bool:
    return not settings.STRIPE_SECRET_KEY


__all__ = ["GatewayError", "PaymentGateway", "get_gateway", "local_gateway_allowed", "test_mode"]
