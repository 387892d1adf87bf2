"""Every money input (a project's fee, an extension's pay, a dispute's split, the browse fee
filters) goes through one field: plain dollar amounts only, never a server error, nothing
written when the amount is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from engagements.models import ScopeExtension
from marketplace.forms import MONEY_MAX_CENTS, MoneyField
from payments.models import Payout, Refund
from projects.models import Project
from tests.factories import AdminFactory, employer_of
from tests.payment_helpers import disputed_engagement, funded_engagement
from tests.test_project_posting import project_form

pytestmark = pytest.mark.django_db

BAD_AMOUNTS = [
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "sNaN",
    "1e10",
    "1E2",
    "99999999.99",
    "1e999999",
    "12.345",
    "-5",
    "4 5 0 . 5 0 1",
    "0x1F",
    "١٢٣",  # digits of another script
    "1" * 5000,
    "$",
    ".",
    "",
]


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("450", 45000),
        ("450.5", 45050),
        ("450.50", 45050),
        ("450.", 45000),
        (".75", 75),
        ("$1,200", 120000),
        (" 1,200.75 ", 120075),
        ("1200.500", 120050),
        ("1,000,000", 100_000_000),
    ],
)
def test_plain_dollar_amounts_become_cents(typed, cents):
    assert MoneyField().clean(typed) == cents


@pytest.mark.parametrize("typed", [a for a in BAD_AMOUNTS if a])
def test_anything_else_is_refused_with_a_clear_message(typed):
    with pytest.raises(ValidationError) as refused:
        MoneyField().clean(typed)

    assert refused.value.messages[0] in (
        "Enter an amount in US dollars, like 450 or 450.50.",
        "Use at most two decimals: dollars and cents.",
        "Enter at most $1,000,000.00.",
        "Enter at least $0.01.",
    )


def test_the_largest_amount_fits_the_cents_columns():
    assert MONEY_MAX_CENTS < 2**31 - 1
    assert MoneyField().clean("1,000,000.00") == MONEY_MAX_CENTS
    with pytest.raises(ValidationError, match="at most"):
        MoneyField().clean("1,000,000.01")


@pytest.mark.parametrize("typed", BAD_AMOUNTS)
def test_a_project_fee_that_is_not_an_amount_is_refused_on_the_form(client, employer, typed):
    client.force_login(employer)

    response = client.post(reverse("projects:create"), project_form(employer, fee=typed))

    assert response.status_code == 200
    assert response.context["form"].errors["fee"]
    assert not Project.objects.exists()


@pytest.mark.parametrize("typed", BAD_AMOUNTS)
def test_an_extension_pay_that_is_not_an_amount_is_refused_on_the_form(client, typed):
    engagement = funded_engagement()
    client.force_login(employer_of(engagement.project))

    response = client.post(
        reverse("engagements:propose_extension", args=[engagement.pk]),
        {"extra_hours": "1", "extra_fee": typed, "extra_days": "0", "reason": "One more chart"},
    )

    assert response.status_code == 400
    assert response.context["extension_form"].errors["extra_fee"]
    assert not ScopeExtension.objects.exists()


@pytest.mark.parametrize("typed", BAD_AMOUNTS)
def test_a_settlement_that_is_not_an_amount_is_refused_on_the_form(client, typed):
    engagement = disputed_engagement()
    client.force_login(AdminFactory())

    response = client.post(
        reverse("admin:payments_settle_dispute", args=[engagement.pk]),
        {"student_amount": typed, "note": "Split fairly"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["student_amount"]
    engagement.refresh_from_db()
    assert engagement.status == "disputed"
    assert not Payout.objects.exists()
    assert not Refund.objects.exists()


def test_a_settlement_in_dollars_and_cents_is_paid_as_typed(client, on_commit):
    engagement = disputed_engagement(fee_cents=40000)
    client.force_login(AdminFactory())

    with on_commit():
        response = client.post(
            reverse("admin:payments_settle_dispute", args=[engagement.pk]),
            {"student_amount": "$123.45", "note": "Split fairly"},
        )

    assert response.status_code == 302
    assert Payout.objects.get(engagement=engagement).amount_cents == 12345


@pytest.mark.parametrize("typed", BAD_AMOUNTS)
def test_browse_fee_filters_that_are_not_amounts_never_fail(client, typed):
    for name in ("fee_min", "fee_max"):
        response = client.get(reverse("projects:browse"), {name: typed})

        assert response.status_code == 200
