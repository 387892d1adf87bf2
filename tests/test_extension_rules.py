"""Scope extensions follow a project's rules: the added hours are paid between the hourly floor
and ceiling, the whole engagement stays within them, and one extension is open at a time."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from engagements import services as engagements
from engagements.models import Engagement, ScopeExtension
from payments import services as payments
from tests.factories import ProjectFactory, accepted_engagement, employer_of

pytestmark = pytest.mark.django_db


def propose(engagement, *, extra_quarters, extra_fee_cents):
    return engagements.extension_propose(
        actor=employer_of(engagement.project),
        engagement=engagement,
        extra_quarters=extra_quarters,
        extra_fee_cents=extra_fee_cents,
        extra_days=0,
        reason="One more chart",
    )


def post_extension(client, engagement, *, hours, fee):
    client.force_login(employer_of(engagement.project))
    return client.post(
        reverse("engagements:propose_extension", args=[engagement.pk]),
        {"extra_hours": hours, "extra_fee": fee, "extra_days": "0", "reason": "One more chart"},
    )


def test_five_thousand_dollars_for_one_hour_is_refused_on_the_form(client):
    engagement = accepted_engagement(project=ProjectFactory(hours=20, fee_cents=40000))

    response = post_extension(client, engagement, hours="1", fee="5000")

    assert response.status_code == 400
    errors = response.context["extension_form"].errors["extra_fee"]
    assert "more than $100.00 an hour, the limit: at most $100.00 for 1 hours" in errors[0]
    assert not ScopeExtension.objects.exists()


def test_the_ceiling_itself_is_allowed_and_one_cent_more_is_not():
    engagement = accepted_engagement(project=ProjectFactory(hours=20, fee_cents=40000))

    with pytest.raises(ValidationError, match="the limit"):
        propose(engagement, extra_quarters=4, extra_fee_cents=10001)
    assert propose(engagement, extra_quarters=4, extra_fee_cents=10000).extra_fee_cents == 10000


def test_the_whole_engagement_stays_within_the_floor_and_ceiling(settings):
    # A project posted when the ceiling was higher: $120 an hour for 10 hours.
    engagement = accepted_engagement(project=ProjectFactory(hours=10, fee_cents=100000))
    Engagement.objects.filter(pk=engagement.pk).update(fee_cents=100000)
    settings.HOURLY_RATE_CEILING_CENTS = 9000
    engagement.refresh_from_db()

    with pytest.raises(ValidationError, match=r"would pay \$1,090\.00 for 11 hours"):
        propose(engagement, extra_quarters=4, extra_fee_cents=9000)


def test_the_database_refuses_an_extension_or_an_engagement_over_the_ceiling():
    engagement = accepted_engagement(project=ProjectFactory(hours=20, fee_cents=40000))

    with pytest.raises(IntegrityError), transaction.atomic():
        ScopeExtension.objects.create(
            engagement=engagement,
            extra_quarters=4,
            extra_fee_cents=500000,
            reason="x",
            proposed_by=employer_of(engagement.project),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Engagement.objects.filter(pk=engagement.pk).update(fee_cents=80 * 2500 + 1)


def test_proposing_while_an_accepted_extension_awaits_funding_says_so_on_the_form(client):
    engagement = accepted_engagement(project=ProjectFactory(hours=20, fee_cents=40000))
    first = propose(engagement, extra_quarters=4, extra_fee_cents=6000)
    engagements.extension_decide(actor=engagement.student, extension=first, accept=True)

    response = post_extension(client, engagement, hours="2", fee="40")

    assert response.status_code == 400
    assert "waiting for your payment: fund it first" in response.content.decode()
    assert ScopeExtension.objects.count() == 1


def test_once_the_accepted_one_is_funded_another_can_be_proposed():
    engagement = accepted_engagement(project=ProjectFactory(hours=20, fee_cents=40000))
    employer = employer_of(engagement.project)
    first = propose(engagement, extra_quarters=4, extra_fee_cents=6000)
    engagements.extension_decide(actor=engagement.student, extension=first, accept=True)
    payment = payments.payment_start(actor=employer, engagement=engagement, extension=first)
    payments.local_payment_complete(actor=employer, payment=payment, succeed=True)

    second = propose(engagement, extra_quarters=4, extra_fee_cents=6000)

    assert second.status == "proposed"
