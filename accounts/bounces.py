"""Mail that bounces: the provider's signed webhook and an operator's command report it.

A hard bounce (or a spam complaint) is recorded once per provider event. From then on the
address verifies no school affiliation: a student whose verification rested on it lapses
and is flagged for their school's career services ("school address lapsed"), unless
another confirmed school address takes its place. Confirming the address again (remove
it and add it back) clears the bounce.

The webhook takes a generic JSON payload, one event or {"events": [...]}, each
{"email": "...", "type": "bounce" | "complaint", "id": "...", "occurred_at": ISO 8601,
"detail": "..."}; soft bounces ("type": "soft_bounce", "delayed") are acknowledged and
ignored. It is signed like the platform's own webhooks: header
`X-Bounce-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with the
EMAIL_BOUNCE_WEBHOOK_SECRET setting, at most five minutes old.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.affiliation import affiliation_check
from accounts.audit import audit
from accounts.models import EmailBounce, Role, User

SIGNATURE_TOLERANCE = 300  # seconds
HARD = {"bounce": EmailBounce.Kind.BOUNCE, "hard_bounce": EmailBounce.Kind.BOUNCE}
HARD["complaint"] = EmailBounce.Kind.COMPLAINT
IGNORED = {"soft_bounce", "delayed", "transient"}


def signature_valid(secret: str, header: str, body: bytes, *, now: float | None = None) -> bool:
    if not secret or not header:
        return False
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > SIGNATURE_TOLERANCE:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), parts.get("v1", ""))


@dataclass(frozen=True)
class BounceEvent:
    email: str
    kind: str
    event_id: str
    bounced_at: datetime
    detail: str = ""


def parse_event(raw: dict) -> BounceEvent | None:
    """One event of the generic payload; None for a soft bounce. Raises ValidationError on
    anything malformed."""
    if not isinstance(raw, dict):
        raise ValidationError("Each event is a JSON object.")
    kind = str(raw.get("type", "bounce")).strip().lower()
    if kind in IGNORED:
        return None
    if kind not in HARD:
        raise ValidationError(f"Unknown event type {kind!r}.")
    email = str(raw.get("email", "")).strip().lower()
    validate_email(email)
    occurred = raw.get("occurred_at")
    bounced_at = parse_datetime(str(occurred)) if occurred else timezone.now()
    if bounced_at is None:
        raise ValidationError("occurred_at is not an ISO 8601 time.")
    if timezone.is_naive(bounced_at):
        bounced_at = bounced_at.replace(tzinfo=UTC)
    return BounceEvent(
        email=email,
        kind=HARD[kind],
        event_id=str(raw.get("id", ""))[:200],
        bounced_at=bounced_at,
        detail=str(raw.get("detail", ""))[:500],
    )


def parse_payload(data) -> list[BounceEvent]:
    events = data.get("events") if isinstance(data, dict) and "events" in data else [data]
    if not isinstance(events, list) or len(events) > 500:
        raise ValidationError("events is a list of at most 500 events.")
    return [e for e in (parse_event(raw) for raw in events) if e is not None]


@transaction.atomic
def email_bounce_record(*, event: BounceEvent, source: str) -> EmailBounce | None:
    """Record one bounce (once per provider event id) and lapse the school affiliations that
    rested on the address. Answers None for an event already recorded."""
    if (
        event.event_id
        and EmailBounce.objects.filter(source=source, event_id=event.event_id).exists()
    ):
        return None
    try:
        with transaction.atomic():
            bounce = EmailBounce.objects.create(
                email=event.email,
                kind=event.kind,
                detail=event.detail,
                source=source,
                event_id=event.event_id,
                bounced_at=event.bounced_at,
            )
    except IntegrityError:
        return None  # the same event, delivered twice at once
    users = User.objects.filter(
        pk__in=EmailAddress.objects.filter(email__iexact=event.email).values("user_id")
    )
    for user in users:
        audit(
            actor=None,
            action="email.bounced",
            target=user,
            summary=f"Mail to {event.email} ({user.email}'s address) "
            + ("was reported as spam" if event.kind == EmailBounce.Kind.COMPLAINT else "bounced"),
            data={"email": event.email, "kind": event.kind, "source": source, "bounce": bounce.pk},
        )
        if user.role == Role.STUDENT:
            affiliation_check(user=user, because="bounced")
    return bounce


@transaction.atomic
def email_bounces_clear(*, user: User, email: str) -> int:
    """The user confirmed the address again: mail reaches it, its bounces are over."""
    if not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
        return 0
    return EmailBounce.objects.filter(email=email.lower(), cleared_at__isnull=True).update(
        cleared_at=timezone.now()
    )
