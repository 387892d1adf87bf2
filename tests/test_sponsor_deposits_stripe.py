"""A sponsor adds funds through Stripe, end to end: Stripe's library against localstripe.

The manager's browser (Stripe.js) is played by the test; only Stripe's signed webhook puts
the money in the budget, and the same event handled again changes nothing.
"""

import json

import pytest
from django.urls import reverse

from payments import webhooks
from payments.models import SponsorEntry, WebhookEvent
from payments.services import sponsors
from tests.factories import SchoolFactory
from tests.sponsor_helpers import make_sponsor
from tests.stripe_server import PUBLISHABLE_KEY, SECRET_KEY, WEBHOOK_SECRET, StripeServer
from tests.test_stripe_localstripe import (
    CARD_DECLINED,
    CARD_OK,
    handled_event,
    pay_by_card,
    post_webhook,
    signed,
)

pytestmark = pytest.mark.xdist_group("localstripe")


@pytest.fixture(scope="module")
def stripe_server():
    server = StripeServer().start()
    yield server
    server.close()


@pytest.fixture
def webhooks_to_live_server(settings, stripe_server, live_server):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = stripe_server.url
    stripe_server.register_webhook(live_server.url + reverse("payments:stripe_webhook"))
    yield
    stripe_server.silence_webhook()


@pytest.mark.django_db(transaction=True)
def test_a_manager_pays_by_card_and_the_budget_grows_when_stripes_webhook_confirms_it(
    client, stripe_server, webhooks_to_live_server
):
    sponsor = make_sponsor(SchoolFactory(), budget_cents=0)
    manager = sponsor.managers.get()
    client.force_login(manager)

    response = client.post(
        reverse("payments:sponsor_deposit", args=[sponsor.pk]), {"amount": "2500"}
    )

    deposit = sponsor.deposits.get()
    assert response.url == reverse("payments:sponsor_deposit_pay", args=[deposit.pk])
    assert deposit.gateway == "stripe" and deposit.provider_id.startswith("pi_")
    stripe_js = stripe_server.client()
    intent = stripe_js.v1.payment_intents.retrieve(deposit.provider_id)
    assert intent.amount == 250000
    assert intent.metadata["sponsor_deposit_id"] == str(deposit.pk)
    page = client.get(response.url).content.decode()
    assert f'data-secret="{intent.client_secret}"' in page
    assert "test mode" not in page.lower()

    assert pay_by_card(stripe_js, deposit.provider_id, CARD_OK).status == "succeeded"
    event = handled_event("payment_intent.succeeded", deposit.provider_id)

    assert event.status == WebhookEvent.Status.PROCESSED
    deposit.refresh_from_db()
    assert deposit.status == "succeeded" and deposit.charge_id.startswith("ch_")
    assert sponsors.available_cents(sponsor.pk) == 250000
    back = client.get(reverse("payments:sponsor_deposit_returned", args=[deposit.pk]))
    assert back.url == reverse("payments:sponsor_deposit_receipt", args=[deposit.pk])

    # The same event delivered again, and handled again, adds nothing.
    body = json.dumps(event.payload)
    assert post_webhook(client, body, signed(body)).status_code == 200
    WebhookEvent.objects.filter(pk=event.pk).update(status=WebhookEvent.Status.RECEIVED)
    assert webhooks.process(event_pk=event.pk) == WebhookEvent.Status.PROCESSED
    sponsors.deposit_sync(deposit=deposit)
    assert SponsorEntry.objects.filter(sponsor=sponsor, kind="deposit").count() == 1
    assert sponsors.available_cents(sponsor.pk) == 250000


@pytest.mark.django_db(transaction=True)
def test_a_declined_card_adds_nothing_to_the_budget(stripe_server, webhooks_to_live_server):
    import stripe

    sponsor = make_sponsor(SchoolFactory(), budget_cents=0)
    deposit = sponsors.deposit_start(
        actor=sponsor.managers.get(), sponsor=sponsor, amount_cents=50000
    )

    with pytest.raises(stripe.CardError):
        pay_by_card(stripe_server.client(), deposit.provider_id, CARD_DECLINED)
    handled_event("payment_intent.payment_failed", deposit.provider_id)

    deposit.refresh_from_db()
    assert deposit.status == "failed"
    assert deposit.failure_message == "Your card was declined."
    assert sponsors.available_cents(sponsor.pk) == 0
