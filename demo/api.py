"""Demo data for the REST API: an API token for the demo student, employer and career
services member. Their secrets are random and shown once, when made (the first `make run`);
later runs make none, and the API page (Settings → API) makes more."""

from accounts.models import User
from api import tokens
from api.models import ApiToken
from api.scopes import SCOPES_OF

API_USERS = ["employer@demo.test", "staff@demo.test", "student@demo.test"]
DEMO_TOKEN_LABEL = "Demo script"  # noqa: S105 (a label, not a secret)


def seed_api() -> list[tuple[str, str]]:
    """(email, secret) of each token made now; empty when they exist already."""
    made = []
    for user in User.objects.filter(email__in=API_USERS).order_by("email"):
        if ApiToken.objects.filter(user=user, name=DEMO_TOKEN_LABEL).exists():
            continue
        holder = tokens.holder_of(user)
        if holder is None:
            continue
        _, secret = tokens.token_create(
            actor=user, name=DEMO_TOKEN_LABEL, scopes=list(SCOPES_OF[holder.kind])
        )
        made.append((user.email, secret))
    return made
