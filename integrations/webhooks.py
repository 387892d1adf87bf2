"""Outgoing webhooks: an organization or a school registers an address of its own system,
and each event it chose is POSTed there as signed JSON.

- An event becomes one delivery row per subscribed endpoint, unique by the event's id, in
  the transaction that records it; the POST happens in a Celery task after commit. However
  often a signal is repeated, an endpoint gets one delivery.
- Signature: header `Marketplace-Signature: t=<unix time>,v1=<hex>` where the hex is
  HMAC-SHA256, keyed by the endpoint's secret, of `<unix time>.<body>`. The receiver
  recomputes it and refuses old timestamps, so a captured request cannot be replayed later.
- A POST that does not answer 2xx is tried again with growing delays (30 s, 1 min, 2 min, …
  up to WEBHOOK_MAX_ATTEMPTS attempts). Each attempt is logged with its status code and the
  start of the response. A periodic sweep picks up deliveries whose task was lost; a worker
  claims a delivery with a conditional update, so two workers never POST it twice at once.
- Addresses are https. Outside development and tests (WEBHOOKS_ALLOW_LOCAL_TARGETS), an
  address whose host resolves to a private, loopback, link-local or reserved address is
  refused, when it is added and again before every POST, and redirects are not followed:
  the platform never becomes a way to reach its own network. The POST goes to the very
  address that check resolved (the name is not looked up a second time), so a host whose
  DNS answer changes between the check and the connection (DNS rebinding) cannot steer it
  inside; TLS still verifies the certificate against the host's name.
"""

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import certifi
import urllib3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import Role, User
from engagements.models import Engagement
from integrations.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from marketplace.queueing import delay_on_commit
from oversight.models import Flag
from projects.models import Application

SIGNATURE_HEADER = "Marketplace-Signature"
MAX_ENDPOINTS_PER_OWNER = 10
EXCERPT_LENGTH = 500
FIRST_RETRY = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=6)
# Which events each kind of owner may subscribe to: a school hears about its students'
# engagements and its flags; an organization about its applications and engagements.
EVENTS_FOR = {
    "organization": [
        WebhookEvent.APPLICATION_RECEIVED,
        WebhookEvent.ENGAGEMENT_FUNDED,
        WebhookEvent.ENGAGEMENT_APPROVED,
        WebhookEvent.ENGAGEMENT_OVERDUE,
        WebhookEvent.EVALUATION_SUBMITTED,
    ],
    "school": [
        WebhookEvent.ENGAGEMENT_FUNDED,
        WebhookEvent.ENGAGEMENT_APPROVED,
        WebhookEvent.ENGAGEMENT_OVERDUE,
        WebhookEvent.FLAG_RAISED,
        WebhookEvent.EVALUATION_SUBMITTED,
    ],
}


# --- Who owns endpoints ------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    kind: str  # "organization" or "school"
    pk: int

    @property
    def filter(self) -> dict:
        return {f"{self.kind}_id": self.pk}


def owner_of(user: User) -> Owner | None:
    """The organization of an employer or the school of career staff; None for others."""
    if user.role == Role.EMPLOYER and hasattr(user, "employer_profile"):
        return Owner("organization", user.employer_profile.organization_id)
    if user.role == Role.CAREER_STAFF and hasattr(user, "career_staff_profile"):
        return Owner("school", user.career_staff_profile.school_id)
    return None


def _require_owner(actor: User) -> Owner:
    owner = owner_of(actor)
    if owner is None:
        raise PermissionDenied("Webhooks belong to an organization or a school.")
    return owner


def endpoints_of(owner: Owner):
    return WebhookEndpoint.objects.filter(**owner.filter)


def endpoint_for_owner_or_404(user: User, pk: int) -> WebhookEndpoint:
    owner = owner_of(user)
    endpoint = endpoints_of(owner).filter(pk=pk).first() if owner else None
    if endpoint is None:
        raise Http404("No such endpoint.")
    return endpoint


def recent_deliveries(owner: Owner, *, limit: int = 25):
    return (
        WebhookDelivery.objects.filter(**{f"endpoint__{owner.kind}_id": owner.pk})
        .select_related("endpoint")
        .prefetch_related("log")
        .order_by("-created_at", "-pk")[:limit]
    )


# --- Addresses -----------------------------------------------------------------------------


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def _is_loopback_name(host: str) -> bool:
    """localhost or a loopback address written out (decided without asking DNS)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def check_target(url: str) -> list[IPAddress]:
    """Refuse an address the platform must not POST to (ValidationError on `url`); the
    addresses its host resolved to, all allowed."""
    allow_local = settings.WEBHOOKS_ALLOW_LOCAL_TARGETS
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError({"url": "Enter an https:// address."})
    if parts.username or parts.password:
        raise ValidationError({"url": "Leave the user name and password out of the address."})
    if parts.scheme == "http" and not (allow_local and _is_loopback_name(parts.hostname)):
        raise ValidationError({"url": "Enter an https:// address."})
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as error:
        raise ValidationError({"url": "This address's host could not be found."}) from error
    addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in found}
    if not allow_local and any(_refused(a) for a in addresses):
        raise ValidationError({"url": "This address points into a private network."})
    return sorted(addresses, key=lambda a: (a.version, int(a)))


# --- Managing endpoints --------------------------------------------------------------------


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


@transaction.atomic
def endpoint_add(*, actor: User, url: str, events: list[str]) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its secret, which is shown this once."""
    owner = _require_owner(actor)
    allowed = {str(event) for event in EVENTS_FOR[owner.kind]}
    if not events or not set(events) <= allowed:
        raise ValidationError({"events": "Choose at least one event."})
    check_target(url)
    # One owner's endpoints are counted under a lock on the user's row: two quick clicks
    # cannot both pass the limit.
    User.objects.select_for_update().get(pk=actor.pk)
    if endpoints_of(owner).count() >= MAX_ENDPOINTS_PER_OWNER:
        raise ValidationError(f"At most {MAX_ENDPOINTS_PER_OWNER} endpoints.")
    secret = _new_secret()
    endpoint = WebhookEndpoint.objects.create(
        url=url,
        events=sorted(set(events)),
        secret=secret,
        created_by=actor,
        **owner.filter,
    )
    audit(
        actor=actor,
        action="webhook.endpoint_added",
        target=endpoint,
        summary=f"Webhook endpoint {url}",
        data={"events": endpoint.events},
        school=owner.pk if owner.kind == "school" else None,
    )
    return endpoint, secret


@transaction.atomic
def endpoint_remove(*, actor: User, endpoint: WebhookEndpoint) -> None:
    owner = _require_owner(actor)
    endpoint = endpoints_of(owner).select_for_update().filter(pk=endpoint.pk).first()
    if endpoint is None:
        return
    audit(
        actor=actor,
        action="webhook.endpoint_removed",
        target=endpoint,
        summary=f"Webhook endpoint {endpoint.url} removed",
        school=owner.pk if owner.kind == "school" else None,
    )
    endpoint.delete()


# --- Events --------------------------------------------------------------------------------


def _engagement_data(engagement: Engagement) -> dict:
    return {
        "engagement_id": engagement.pk,
        "project_id": engagement.project_id,
        "project_title": engagement.project.title,
        "status": engagement.status,
        "due_at": engagement.due_at.isoformat(),
        "fee_cents": engagement.fee_cents,
        "url": settings.SITE_URL + reverse("engagements:workspace", args=[engagement.pk]),
    }


@dataclass(frozen=True)
class Event:
    event_id: str
    event_type: str
    data: dict
    organization_id: int | None
    school_id: int | None


def event_for(event_type: str, object_id: int) -> Event | None:
    """The event as endpoints get it, read from the database now (None if the row is gone).

    Payloads hold ids, statuses and dates, not people's names: an employer's endpoint hears
    of an application without the student's identity (blind review holds here too)."""
    if event_type == WebhookEvent.APPLICATION_RECEIVED:
        application = Application.objects.select_related("project").filter(pk=object_id).first()
        if application is None:
            return None
        return Event(
            f"{event_type}:application-{application.pk}",
            event_type,
            {
                "application_id": application.pk,
                "project_id": application.project_id,
                "project_title": application.project.title,
                "status": application.status,
                "submitted_at": application.created_at.isoformat(),
            },
            application.project.organization_id,
            None,
        )
    if event_type == WebhookEvent.FLAG_RAISED:
        flag = Flag.objects.filter(pk=object_id).first()
        if flag is None:
            return None
        return Event(
            f"{event_type}:flag-{flag.pk}",
            event_type,
            {
                "flag_id": flag.pk,
                "engagement_id": flag.engagement_id,
                "organization_id": flag.organization_id,
                "rule": flag.rule or None,
                "note": flag.note,
                "raised_at": flag.raised_at.isoformat(),
            },
            None,
            flag.school_id,
        )
    engagement = Engagement.objects.select_related("project").filter(pk=object_id).first()
    if engagement is None:
        return None
    return Event(
        f"{event_type}:engagement-{engagement.pk}",
        event_type,
        _engagement_data(engagement),
        engagement.organization_id,
        engagement.school_id,
    )


@transaction.atomic
def event_record(*, event_type: str, object_id: int) -> int:
    """One delivery for each endpoint subscribed to the event; returns how many are new.
    Safe to repeat: a delivery already recorded for an endpoint is left as it is."""
    event = event_for(event_type, object_id)
    if event is None:
        return 0
    owners = []
    if event.organization_id is not None:
        owners.append(Owner("organization", event.organization_id))
    if event.school_id is not None:
        owners.append(Owner("school", event.school_id))
    created = 0
    for owner in owners:
        if event_type not in EVENTS_FOR[owner.kind]:
            continue
        for endpoint in endpoints_of(owner).filter(is_active=True):
            if event_type not in endpoint.events:
                continue
            delivery, new = WebhookDelivery.objects.get_or_create(
                endpoint=endpoint,
                event_id=event.event_id,
                defaults={
                    "event_type": event_type,
                    "payload": {
                        "id": event.event_id,
                        "type": event_type,
                        "created_at": timezone.now().isoformat(),
                        "data": event.data,
                    },
                },
            )
            if new:
                created += 1
                _queue(delivery)
    return created


def _queue(delivery: WebhookDelivery) -> None:
    from integrations.tasks import deliver_webhook

    delay_on_commit(deliver_webhook, delivery.pk)


# --- Sending -------------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def _excerpt(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in {"Cc", "Cs"})
    return text[:EXCERPT_LENGTH]


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min, … at most 6 h."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), RETRY_CAP)


def _pinned_post(
    url: str, address: IPAddress, body: bytes, headers: dict, timeout: float
) -> tuple[int, bytes]:
    """POST `body` to `url`, connecting to `address` (which the check resolved) rather than
    looking the host up again; (status, the start of the response)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    options = {
        "host": str(address),
        "port": port,
        "timeout": urllib3.Timeout(connect=timeout, read=timeout),
        "retries": False,
        "maxsize": 1,
    }
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            **options,
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
    else:
        pool = urllib3.HTTPConnectionPool(**options)
    with pool:
        response = pool.urlopen(
            "POST",
            target,
            body=body,
            headers={**headers, "Host": parts.netloc},
            redirect=False,
            assert_same_host=False,
            preload_content=False,
        )
        try:
            return response.status, response.read(EXCERPT_LENGTH * 4)
        finally:
            response.close()


def _post(endpoint: WebhookEndpoint, body: bytes, delivery: WebhookDelivery) -> dict:
    """POST once; what to log. Never raises for what the other side does."""
    try:
        addresses = check_target(endpoint.url)
    except ValidationError as error:
        return {"error": error.message_dict["url"][0], "refused": True}
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Micro-internships-Webhooks/1",
        SIGNATURE_HEADER: sign(endpoint.secret, timestamp, body),
        "Marketplace-Event": delivery.event_type,
        "Marketplace-Delivery": str(delivery.pk),
    }
    try:
        status, raw = _pinned_post(
            endpoint.url, addresses[0], body, headers, settings.WEBHOOK_TIMEOUT_SECONDS
        )
    except (urllib3.exceptions.HTTPError, OSError) as error:
        return {"error": f"{type(error).__name__}: {error}"[:300]}
    return {"status_code": status, "response_excerpt": _excerpt(raw)}


def delivery_attempt(*, delivery_id: int) -> timedelta | None:
    """Try one delivery now if it is due; the wait before the next try, or None when there
    is nothing more to do (delivered, failed for good, or not due / taken by a worker)."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 3 + 30)
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=lease)
    if claimed != 1:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    started = time.monotonic()
    result = _post(delivery.endpoint, body, delivery)
    refused = result.pop("refused", False)
    duration_ms = int((time.monotonic() - started) * 1000)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        attempt = WebhookAttempt.objects.create(
            delivery=delivery, attempted_at=now, duration_ms=duration_ms, **result
        )
        delivery.attempts += 1
        retry_in = None
        if attempt.succeeded:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
        elif refused or delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            retry_in = backoff(delivery.attempts)
            delivery.next_attempt_at = timezone.now() + retry_in
        delivery.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
    return retry_in


def deliveries_retry_due(*, limit: int = 500) -> int:
    """Periodic: queue the deliveries that are due (a retry whose task was lost, or one
    never queued because the broker was away). Claiming happens in the task."""
    due = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:limit]
    from integrations.tasks import deliver_webhook

    count = 0
    for delivery_id in due:
        deliver_webhook.delay(delivery_id)
        count += 1
    return count


@transaction.atomic
def delivery_replay(*, actor: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again (from the admin), with a fresh set of attempts; the log of the
    earlier attempts stays."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.delivered_at = None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "delivered_at"])
    audit(
        actor=actor,
        action="webhook.delivery_replayed",
        target=delivery,
        summary=f"Delivery {delivery.pk} ({delivery.event_type}) sent again",
        school=None,
    )
    _queue(delivery)
    return delivery
