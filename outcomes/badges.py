"""Open Badges 2.0 documents of verified experiences, with hosted verification.

Three linked documents, each served at its own `id`:
- the Issuer profile (the platform) at /verify/issuer.json,
- one BadgeClass per record at /verify/<code>/badge-class.json (the achievement:
  this micro-internship at this organization),
- the Assertion at /verify/<code>/badge.json (awarded to the student, whose email
  is only given hashed with a salt), with the verification page as evidence.

A revoked hosted assertion answers 410 Gone with only its id, `revoked: true` and the
published reason (the spec allows stripping a revoked assertion down to these); a
hidden record's documents answer 404.
"""

from email.utils import parseaddr

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from outcomes.models import VerifiedExperience
from outcomes.records import RecordView

CONTEXT = "https://w3id.org/openbadges/v2"
ISSUER_NAME = "Micro-internships"
BADGE_IMAGE = "img/verified-experience-badge.svg"


def _url(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def issuer_email() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


def issuer(request) -> dict:
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": _url(request, "outcomes:badge_issuer"),
        "name": ISSUER_NAME,
        "url": request.build_absolute_uri("/"),
        "email": issuer_email(),
        "description": (
            "A marketplace of short, paid, supervised professional projects for college "
            "students. It verifies each micro-internship the employer approved."
        ),
    }


def badge_class(request, view: RecordView) -> dict:
    facts = view.facts
    code = view.record.code
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": _url(request, "outcomes:badge_class", code),
        "name": f"Micro-internship: {facts.title}",
        "description": (
            f"A verified micro-internship for {facts.organization}: {facts.summary}".strip()
        ),
        "image": request.build_absolute_uri(static(BADGE_IMAGE)),
        "criteria": {
            "narrative": (
                f"Completed the paid project “{facts.title}” for {facts.organization}, "
                "supervised through feedback sessions, with the deliverables reviewed and "
                "approved by the employer. Hours are logged on the platform against a cap."
            )
        },
        "issuer": _url(request, "outcomes:badge_issuer"),
        "tags": facts.skills,
    }


def assertion(request, view: RecordView) -> dict:
    record = view.record
    engagement = view.engagement
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": _url(request, "outcomes:badge_assertion", record.code),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": record.badge_salt,
            "identity": record.recipient_hash,
        },
        "badge": _url(request, "outcomes:badge_class", record.code),
        "verification": {"type": "hosted"},
        "issuedOn": (engagement.approved_at or record.created_at).isoformat(),
        "evidence": _url(request, "outcomes:verify", record.code),
    }


def revoked_assertion(request, record: VerifiedExperience) -> dict:
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": _url(request, "outcomes:badge_assertion", record.code),
        "revoked": True,
        "revocationReason": record.revoked_reason,
    }
