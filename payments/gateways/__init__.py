"""Payment providers behind one interface; `get_gateway()` picks one from the settings."""

from django.conf import settings

from payments.gateways.base import GatewayError, PaymentGateway


def get_gateway() -> PaymentGateway:
    """Stripe when its secret key is set, otherwise the local test-mode gateway."""
    if settings.STRIPE_SECRET_KEY:
        from payments.gateways.stripe_gateway import StripeGateway

        return StripeGateway()
    from payments.gateways.local import LocalGateway

    return LocalGateway()


def test_mode() -> bool:
    return not settings.STRIPE_SECRET_KEY


__all__ = ["GatewayError", "PaymentGateway", "get_gateway", "test_mode"]
