"""The mail provider's bounce webhook (accounts.bounces): signed, idempotent per event."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts import bounces

MAX_BODY = 256 * 1024


@csrf_exempt
@require_POST
def bounce_webhook(request):
    body = request.body[: MAX_BODY + 1]
    if len(body) > MAX_BODY:
        return JsonResponse({"error": "The payload is too large."}, status=413)
    if not bounces.signature_valid(
        settings.EMAIL_BOUNCE_WEBHOOK_SECRET, request.headers.get("X-Bounce-Signature", ""), body
    ):
        return JsonResponse({"error": "The signature is missing, wrong or too old."}, status=403)
    try:
        events = bounces.parse_payload(json.loads(body))
    except (ValueError, ValidationError) as error:
        detail = " ".join(error.messages) if isinstance(error, ValidationError) else "Not JSON."
        return JsonResponse({"error": detail}, status=400)
    recorded = sum(
        bounces.email_bounce_record(event=event, source="webhook") is not None for event in events
    )
    return JsonResponse({"received": len(events), "recorded": recorded})
