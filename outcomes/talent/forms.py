"""Cleaning the free text of the talent pages."""

from django.core.exceptions import ValidationError

from outcomes.models import (
    TAG_LENGTH_MAX,
    TAGS_MAX,
)

NOTES_MAX = 2000
INVITATION_MESSAGE_MAX = 1000
FULLTIME_MESSAGE_MAX = 1000
REPLY_MAX = 500
SEARCH_MAX = 100


# --- Input ----------------------------------------------------------------------------------


def clean_tags(text: str) -> str:
    """Tags typed as "Data, writing , data" → ",data,writing," (lower case, no repeats)."""
    tags = []
    for part in (text or "").split(","):
        tag = " ".join(part.split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    too_long = [t for t in tags if len(t) > TAG_LENGTH_MAX]
    if too_long:
        raise ValidationError(
            {"tags": f"Keep each tag to {TAG_LENGTH_MAX} characters: “{too_long[0][:40]}…”."}
        )
    if len(tags) > TAGS_MAX:
        raise ValidationError({"tags": f"At most {TAGS_MAX} tags (you gave {len(tags)})."})
    return f",{','.join(tags)}," if tags else ""


def _text(value: str, *, name: str, limit: int, required: bool = False, what: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({name: what or "This field is required."})
    if len(value) > limit:
        raise ValidationError({name: f"At most {limit:,} characters (you wrote {len(value):,})."})
    return value
