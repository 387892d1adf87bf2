"""Small helpers shared by tests."""

import re

from django.core import mail


def link_in_last_mail(pattern: str = r"https?://\S+") -> str:
    """The first link in the newest email's body."""
    assert mail.outbox, "No email was sent."
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, f"No link in: {mail.outbox[-1].body}"
    return match.group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
