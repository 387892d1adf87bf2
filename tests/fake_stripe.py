"""Stripe's HTTP API, answered in the test process.

`StripeGateway(http_client=FakeStripe())` sends every request to this client
instead of api.stripe.com. Each request is recorded (method, path, form
parameters, idempotency key) and answered in Stripe's response shape, from
answers a test queued or from a handler it set for a method and path prefix.
Everything above the HTTP layer is the real stripe library: encoding,
idempotency headers, its network retries and its error classes.

Safe to use from several threads at once.
"""

import hashlib
import hmac
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import stripe


@dataclass(frozen=True)
class StripeRequest:
    """One request as Stripe would receive it."""

    method: str  # "GET", "POST", "DELETE"
    path: str  # "/v1/transfers"
    # Form (or query) parameters under their encoded names, one string each (a list when
    # the name repeats): {"amount": "40000", "metadata[payout_id]": "5"}.
    params: dict
    idempotency_key: str | None
    # The connected account a Connect request acts on (the Stripe-Account header).
    stripe_account: str | None = None


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: the status and the JSON body."""

    status: int
    body: dict


@dataclass(frozen=True)
class ConnectionFailure:
    """The request never reached Stripe (a refused connection or a timeout).

    `should_retry` is what the library's own clients set for connection and
    timeout errors: the library then tries again, with the same idempotency key.
    """

    should_retry: bool = True


# A handler gets the request and answers a dict (200), a Reply or a ConnectionFailure.
Answer = dict | Reply | ConnectionFailure
Handler = Callable[[StripeRequest], Answer]


def error(
    status: int,
    message: str,
    *,
    type: str = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
) -> Reply:
    """A Stripe error answer: {"error": {"type", "message", "code", "param"}}."""
    body = {"type": type, "message": message}
    if code:
        body["code"] = code
    if param:
        body["param"] = param
    return Reply(status, {"error": body})


# --- Objects in Stripe's shape ---------------------------------------------------------------


def account(
    id: str,
    *,
    email: str = "",
    details_submitted: bool = False,
    payouts_enabled: bool = False,
    tax_info: bool | None = None,
    residence: str = "US",
    currently_due: list[str] | None = None,
    schedule: dict | None = None,
) -> dict:
    """An Express account. Its holder lives in `residence`; `tax_info` (by default: when
    the details are submitted) says whether Stripe has their tax information: a US person's
    taxpayer number (W-9), anyone else's verified identity (W-8BEN)."""
    tax_info = details_submitted if tax_info is None else tax_info
    if currently_due is None:
        currently_due = [] if tax_info else ["individual.id_number"]
    return {
        "id": id,
        "object": "account",
        "type": "express",
        "country": "US",
        "email": email,
        "business_type": "individual",
        "capabilities": {
            "transfers": "active" if payouts_enabled else "inactive",
            "tax_reporting_us_1099_misc": "active" if tax_info else "inactive",
        },
        "charges_enabled": False,
        "details_submitted": details_submitted,
        "payouts_enabled": payouts_enabled,
        "individual": {
            "object": "person",
            "address": {"country": residence},
            "id_number_provided": tax_info and residence == "US",
            "ssn_last_4_provided": tax_info and residence == "US",
            "verification": {"status": "verified" if tax_info else "unverified"},
        },
        "requirements": {"currently_due": currently_due, "past_due": []},
        "settings": {
            "payouts": {
                "schedule": schedule or {"delay_days": 2, "interval": "daily"},
            }
        },
        "metadata": {},
        "created": int(time.time()),
    }


def bank_payout(
    id: str,
    *,
    amount: int,
    status: str = "in_transit",
    arrival_date: int | None = None,
    created: int | None = None,
    failure_code: str | None = None,
) -> dict:
    """A payout of a connected account to its bank account."""
    created = int(time.time()) if created is None else created
    return {
        "id": id,
        "object": "payout",
        "amount": amount,
        "currency": "usd",
        "arrival_date": created + 2 * 86400 if arrival_date is None else arrival_date,
        "automatic": True,
        "created": created,
        "destination": "ba_fake",
        "failure_code": failure_code,
        "failure_message": "The bank account has been closed." if failure_code else None,
        "method": "standard",
        "status": status,
        "type": "bank_account",
        "livemode": False,
    }


def account_link(url: str) -> dict:
    now = int(time.time())
    return {"object": "account_link", "created": now, "expires_at": now + 300, "url": url}


def transfer(
    id: str,
    *,
    amount: int,
    destination: str,
    currency: str = "usd",
    metadata: dict | None = None,
    reversed: bool = False,
    source_transaction: str | None = None,
) -> dict:
    return {
        "id": id,
        "object": "transfer",
        "amount": amount,
        "amount_reversed": amount if reversed else 0,
        "currency": currency,
        "destination": destination,
        "metadata": metadata or {},
        "reversed": reversed,
        "reversals": {
            "object": "list",
            "data": [],
            "has_more": False,
            "url": f"/v1/transfers/{id}/reversals",
        },
        "source_transaction": source_transaction,
        "livemode": False,
        "created": int(time.time()),
    }


def refund(
    id: str, *, amount: int, payment_intent: str, status: str = "succeeded", currency="usd"
) -> dict:
    return {
        "id": id,
        "object": "refund",
        "amount": amount,
        "currency": currency,
        "payment_intent": payment_intent,
        "status": status,
        "metadata": {},
        "created": int(time.time()),
    }


def event(id: str, type: str, obj: dict, *, account: str | None = None) -> dict:
    """A webhook event (a snapshot of `obj`); a Connect event names the connected `account`."""
    body = {
        "id": id,
        "object": "event",
        "api_version": stripe.api_version,
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "type": type,
        "data": {"object": obj},
    }
    if account:
        body["account"] = account
    return body


def signature_header(payload: str, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header Stripe sends with `payload`: t=<ts>,v1=<HMAC-SHA256>."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


# --- The client ---------------------------------------------------------------------------------


def _params(encoded: str) -> dict:
    decoded = parse_qs(encoded, keep_blank_values=True)
    return {key: values[0] if len(values) == 1 else values for key, values in decoded.items()}


class FakeStripe(stripe.HTTPClient):
    name = "fake"

    def __init__(self, *, api_key: str | None = None):
        super().__init__()
        self.api_key = api_key
        self._lock = threading.Lock()
        self._requests: list[StripeRequest] = []
        self._queued: dict[tuple[str, str], deque] = {}
        self._handlers: dict[tuple[str, str], Handler] = {}
        self.unexpected: list[StripeRequest] = []
        self.transfers: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self._ids = itertools.count(1)

    # --- What a test sets up -------------------------------------------------------------------

    def queue(self, method: str, path_prefix: str, *answers: Answer) -> None:
        """Answer the next requests to `path_prefix`, in order, before any handler."""
        with self._lock:
            self._queued.setdefault((method.upper(), path_prefix), deque()).extend(answers)

    def on(self, method: str, path_prefix: str, handler: Handler) -> None:
        """Answer every request to `path_prefix` (with no queued answer left) by `handler`."""
        with self._lock:
            self._handlers[(method.upper(), path_prefix)] = handler

    def serve_transfers(self) -> None:
        """Transfers as Stripe keeps them: POST creates one (a replayed idempotency key
        answers the transfer it first made), GET reads it, an unknown id is a 404."""
        by_key: dict[str, str] = {}

        def create(request: StripeRequest) -> Answer:
            if request.idempotency_key in by_key:
                return self.transfers[by_key[request.idempotency_key]]
            transfer_id = f"tr_fake{next(self._ids)}"
            metadata = {
                key[len("metadata[") : -1]: value
                for key, value in request.params.items()
                if key.startswith("metadata[")
            }
            self.transfers[transfer_id] = transfer(
                transfer_id,
                amount=int(request.params["amount"]),
                currency=request.params["currency"],
                destination=request.params["destination"],
                metadata=metadata,
                source_transaction=request.params.get("source_transaction"),
            )
            by_key[request.idempotency_key] = transfer_id
            return self.transfers[transfer_id]

        def retrieve(request: StripeRequest) -> Answer:
            found = self.transfers.get(request.path.rsplit("/", 1)[-1])
            if found is None:
                return error(404, "No such transfer", code="resource_missing", param="id")
            return found

        self.on("POST", "/v1/transfers", create)
        self.on("GET", "/v1/transfers/", retrieve)

    def serve_bank_payouts(self) -> None:
        """Connected accounts' payouts as Stripe keeps them: a test puts each in
        `self.bank_payouts` under its account and id and moves it on there; GET reads it with
        the Stripe-Account header, and answers 404 for another account's payout."""
        self.bank_payouts: dict[tuple[str, str], dict] = {}

        def retrieve(request: StripeRequest) -> Answer:
            found = self.bank_payouts.get((request.stripe_account, request.path.rsplit("/", 1)[-1]))
            if found is None:
                return error(404, "No such payout", code="resource_missing", param="id")
            return found

        self.on("GET", "/v1/payouts/", retrieve)

    def serve_refunds(self, *, status: str = "succeeded") -> None:
        """Refunds as Stripe keeps them: POST creates one with `status` (a replayed
        idempotency key answers the refund it first made), GET lists a payment intent's.
        A test moves a refund on by changing its status in `self.refunds`."""
        by_key: dict[str, str] = {}

        def create(request: StripeRequest) -> Answer:
            if request.idempotency_key in by_key:
                return self.refunds[by_key[request.idempotency_key]]
            refund_id = f"re_fake{next(self._ids)}"
            self.refunds[refund_id] = refund(
                refund_id,
                amount=int(request.params["amount"]),
                payment_intent=request.params["payment_intent"],
                status=status,
            )
            by_key[request.idempotency_key] = refund_id
            return self.refunds[refund_id]

        def list_(request: StripeRequest) -> Answer:
            found = [
                r
                for r in self.refunds.values()
                if r["payment_intent"] == request.params.get("payment_intent")
            ]
            return {"object": "list", "data": found, "has_more": False, "url": "/v1/refunds"}

        self.on("POST", "/v1/refunds", create)
        self.on("GET", "/v1/refunds", list_)

    # --- What a test reads ---------------------------------------------------------------------

    @property
    def requests(self) -> list[StripeRequest]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, method: str, path_prefix: str) -> list[StripeRequest]:
        return [
            r
            for r in self.requests
            if r.method == method.upper() and r.path.startswith(path_prefix)
        ]

    # --- What the stripe library calls ---------------------------------------------------------

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        split = urlsplit(url)
        body = post_data.decode() if isinstance(post_data, bytes) else (post_data or "")
        headers = dict(headers or {})
        received = StripeRequest(
            method=method.upper(),
            path=split.path,
            params=_params(split.query if method.lower() == "get" else body),
            idempotency_key=headers.get("Idempotency-Key"),
            stripe_account=headers.get("Stripe-Account"),
        )
        with self._lock:
            self._requests.append(received)
            if self.api_key and headers.get("Authorization") != f"Bearer {self.api_key}":
                answer = error(401, "Invalid API Key provided.")
            else:
                answer = self._answer(received)
        if isinstance(answer, ConnectionFailure):
            raise stripe.APIConnectionError(
                "Unexpected error communicating with Stripe. (fake connection failure)",
                should_retry=answer.should_retry,
            )
        reply = answer if isinstance(answer, Reply) else Reply(200, answer)
        request_id = f"req_fake{next(self._ids)}"
        return json.dumps(reply.body), reply.status, {"Request-Id": request_id}

    def _answer(self, received: StripeRequest) -> Answer:
        routes = sorted(
            (
                prefix
                for method, prefix in {*self._queued, *self._handlers}
                if method == received.method and received.path.startswith(prefix)
            ),
            key=len,
            reverse=True,
        )
        for prefix in routes:
            queued = self._queued.get((received.method, prefix))
            if queued:
                return queued.popleft()
            if (received.method, prefix) in self._handlers:
                return self._handlers[(received.method, prefix)](received)
        self.unexpected.append(received)
        return error(404, f"The fake Stripe has no answer for {received.method} {received.path}.")

    def request_stream(self, method, url, headers, post_data=None, *, _usage=None):
        raise NotImplementedError("Streaming is not used by the marketplace.")

    def _sleep_time_seconds(self, num_retries: int) -> float:
        # The library waits between its network retries; here nothing needs to wait.
        return 0

    def close(self):
        pass
