"""Money is stored in integer cents and shown in dollars (marketplace.money formats it)."""

from django import template

from marketplace.money import format_cents

register = template.Library()


@register.filter
def money(cents) -> str:
    """1234567 → "$12,345.67"; whole amounts lose the cents: 45000 → "$450"."""
    return format_cents(cents)


@register.filter
def money_exact(cents) -> str:
    """Always with cents: 1500 → "$15.00" (for rates and receipts)."""
    return format_cents(cents, exact=True)
