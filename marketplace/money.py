"""Money is stored in integer cents, in one currency (USD), and shown in dollars.

The one formatter every page, email and PDF uses: `format_cents(45000)` is "$450",
`format_cents(1234, exact=True)` is "$12.34" (rates, receipts and sums always show cents).
"""


def format_cents(cents: int | None, *, exact: bool = False) -> str:
    if cents in (None, ""):
        return ""
    cents = int(cents)
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    if rest == 0 and not exact:
        return f"{sign}${whole:,}"
    return f"{sign}${whole:,}.{rest:02d}"


def dollars(cents: int) -> str:
    """Always with cents: for sentences about amounts ("at least $75.00")."""
    return format_cents(cents, exact=True)
