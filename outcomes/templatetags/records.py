"""The student dashboard's card of verified experiences."""

from django import template

from outcomes.records import experiences_of

register = template.Library()

CARD_LIMIT = 3


@register.inclusion_tag("outcomes/_experiences_card.html")
def verified_experiences_card(user):
    """The latest records and how many there are: two queries."""
    records = experiences_of(user)
    latest = list(records[:CARD_LIMIT])
    count = len(latest) if len(latest) < CARD_LIMIT else records.count()
    return {"experiences": latest, "count": count, "more": count > len(latest)}
