"""Small filters every app's templates use."""

from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """`mapping|lookup:key`: a dictionary's value for a key from the page (None if absent)."""
    return mapping.get(key) if mapping else None
