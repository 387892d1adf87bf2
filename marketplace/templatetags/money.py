"""Money is stored in integer cents and shown in dollars."""

from django import template

register = template.Library()


@register.filter
def money(cents) -> str:
    """1234567 → "$12,345.67"; whole amounts lose the cents: 45000 → "$450"."""
    if cents in (None, ""):
        return ""
    cents = int(cents)
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}${whole:,}" if rest == 0 else f"{sign}${whole:,}.{rest:02d}"


@register.filter
def money_exact(cents) -> str:
    """Always with cents: 1500 → "$15.00" (for rates and receipts)."""
    if cents in (None, ""):
        return ""
    cents = int(cents)
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}${whole:,}.{rest:02d}"
