"""What a page that takes a card payment needs: the gateway's way of paying, and for
Stripe the intent's client secret and where Stripe sends the payer back."""

from django.conf import settings
from django.contrib import messages

from payments import gateways
from payments.gateways import GatewayError


def card_payment_context(request, *, provider_id: str | None, return_url: str) -> dict:
    """The context of templates/payments/_card_payment.html and _stripe_scripts.html."""
    gateway = gateways.get_gateway()
    client_secret = ""
    if not gateway.hosted_here and provider_id:
        try:
            client_secret = gateway.retrieve_payment(provider_id).client_secret
        except GatewayError as error:
            messages.error(request, error.message)
    return {
        "hosted_here": gateway.hosted_here,
        "client_secret": client_secret,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "return_url": request.build_absolute_uri(return_url),
    }
