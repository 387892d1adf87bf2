"""Message screening: the rules that hold a message which looks like a scam.

Scams on student job boards follow a few scripts: pay a fee to start, give us your bank
or card details, buy gift cards, cash a check and send part of it back, and — to escape
the platform's eyes — continue by phone, on a messaging app or by personal email. Each
script is one `Rule` below: a name, the words the student reads in the warning, the
patterns that match it and, where honest messages look alike, patterns that clear a match.

A message from the employer that matches is held: the student reads the warning before
the message and it is delivered once they confirm (`engagements.services.messages`). A
student whose own message matches is warned before sending and sends it by confirming.
False positives cost a click; a missed scam can cost a student their savings, so the
rules lean towards holding. `tests/test_message_screening.py` lists, rule by rule, the
messages that must be held and the honest ones that must not; tune a rule by adding both
kinds there first. `MESSAGE_SCREENING_RULES` (a setting) names the rules in force.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings

_FLAGS = re.IGNORECASE


def _any(*patterns: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, _FLAGS) for p in patterns)


@dataclass(frozen=True)
class Rule:
    name: str
    # Completes "This message looks like it …": what the student reads.
    warning: str
    patterns: tuple[re.Pattern, ...]
    # A match is cleared when the same sentence also matches one of these.
    unless: tuple[re.Pattern, ...] = field(default=())

    def matches(self, text: str) -> bool:
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
            if any(p.search(sentence) for p in self.patterns) and not any(
                u.search(sentence) for u in self.unless
            ):
                return True
        return False


RULES: tuple[Rule, ...] = (
    Rule(
        "payment",
        "asks you to pay. Students never pay to work here: the platform pays you",
        _any(
            r"\b(you|u)\b[^.?!\n]{0,25}\b(pay|send|transfer|wire)\b[^.?!\n]{0,30}"
            r"(\$\s?\d|\bfee\b|\bmoney\b|\bdeposit\b|\bdollars\b)",
            r"\b(send|wire|transfer)\s+(me|us)?\s*\$\s?\d",
            r"\b(registration|training|onboarding|application|equipment|starter[- ]kit|"
            r"processing|activation)\s+fee\b",
            r"\b(venmo|zelle|cash\s?app|paypal|western\s+union|moneygram|bitcoin|crypto|usdt)\b",
        ),
        unless=_any(r"\b(we|i|the platform)\b[^.?!\n]{0,20}\bpa(y|ys)\s+you\b", r"\bbe paid\b"),
    ),
    Rule(
        "bank_or_card",
        "asks for your bank or card details. Nobody here needs them: the platform pays you "
        "through your payout account",
        _any(
            r"\bbank\s+(account|login|log-in|details|info\w*|password|credentials|statement)",
            r"\b(routing|account|card)\s+(number|no\.?|#)",
            r"\b(credit|debit)\s+card\b",
            r"\b(cvv|cvc)\b",
            r"\bpin\s+(number|code)\b",
            r"\b(social\s+security|ssn)\b",
        ),
    ),
    Rule(
        "gift_cards",
        "mentions gift cards. No real employer asks a student to buy gift cards",
        _any(
            r"\bgift\s?cards?\b",
            r"\b(itunes|apple|google\s+play|steam|amazon|ebay)\s+(gift\s+)?cards?\b",
        ),
    ),
    Rule(
        "check_cashing",
        "asks you to cash or deposit a check. Fake checks bounce after you have sent the money on",
        _any(
            r"\b(cash|deposit)(ing|ed|s)?\s+(a|the|this|my|our|your)?\s*(check|cheque)s?\b",
            r"\b(check|cheque)\s+(for you\s+)?to\s+(cash|deposit)\b",
            r"\bmobile[- ]deposit\b",
        ),
    ),
    Rule(
        "messaging_app",
        "asks to continue on another app. Stay here: off the platform nobody can help you",
        _any(
            r"\b(whats\s?app|telegram|wechat|viber|kik|snapchat|imessage|google\s+hangouts|skype)\b",
            r"\bon\s+signal\b",
            r"\b(text|call|dm)\s+me\b",
        ),
    ),
    Rule(
        "phone_number",
        "shares a phone number to continue off the platform. Stay here: off the platform "
        "nobody can help you",
        _any(
            r"(?<![\d$])(\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b",
            r"(?<![\d$-])\b\d{3}-\d{4}\b(?!-)",
        ),
    ),
    Rule(
        "personal_email",
        "asks to continue by personal email. Stay here: off the platform nobody can help you",
        _any(
            r"\b[\w.+-]+@(gmail|googlemail|yahoo|ymail|hotmail|outlook|live|msn|aol|icloud|me|"
            r"proton|protonmail|gmx|yandex|mail|zoho)\.[a-z.]{2,6}\b",
        ),
    ),
)

RULES_BY_NAME = {rule.name: rule for rule in RULES}


def rules_in_force() -> tuple[Rule, ...]:
    names = getattr(settings, "MESSAGE_SCREENING_RULES", None)
    if names is None:
        return RULES
    return tuple(rule for rule in RULES if rule.name in names)


def screen(text: str) -> list[Rule]:
    """The rules a message matches, in the order of `RULES` (none: it goes through)."""
    return [rule for rule in rules_in_force() if rule.matches(text)]


def warnings_for(names: str) -> list[str]:
    """The warnings of the rules a held message matched (stored as comma-separated names)."""
    return [RULES_BY_NAME[n].warning for n in names.split(",") if n in RULES_BY_NAME]
