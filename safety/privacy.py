"""What the privacy page states: what the platform keeps, for how long and why.

The periods are settings (`RETENTION_*`, `OUTBOX_KEEP_DAYS`), so the page never states a
period the configuration does not hold."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Kept:
    what: str
    how_long: str
    why: str


def _years(n: int) -> str:
    return f"{n} year{'s' if n != 1 else ''}"


def retention_statement() -> list[Kept]:
    return [
        Kept(
            "Payments, payouts, refunds and the ledger",
            f"{_years(settings.RETENTION_LEDGER_YEARS)} after the payment",
            "Tax and bookkeeping law; after an account closes they keep a pseudonymous "
            "reference, never your name.",
        ),
        Kept(
            "The audit trail (who did what, when)",
            f"{_years(settings.RETENTION_AUDIT_YEARS)}",
            "Disputes, fraud reviews and your school's oversight; it cannot be edited.",
        ),
        Kept(
            "The disclosure log (this page's list)",
            f"{_years(settings.RETENTION_DISCLOSURES_YEARS)}",
            "So you, and your school, can always see which organization saw what.",
        ),
        Kept(
            "Messages with employers",
            f"{_years(settings.RETENTION_MESSAGES_YEARS)} after the engagement ends",
            "Disputes and reports of scams or harassment are judged on them.",
        ),
        Kept(
            "Files (submitted work, your résumé)",
            f"{_years(settings.RETENTION_FILES_YEARS)} after the engagement ends; your résumé "
            "until you replace it or close your account",
            "Employers and reviewers need the work delivered; deleted from storage when your "
            "account closes.",
        ),
        Kept(
            "Verified records of your work",
            "As long as your account exists; after it closes, only those you keep public",
            "Employers verify them through their link; you choose which are public.",
        ),
        Kept(
            "Reports of scams and abuse",
            f"{_years(settings.RETENTION_REPORTS_YEARS)} after they are closed",
            "To recognize a repeated offender and protect other students.",
        ),
        Kept(
            "Emails we sent you",
            f"{settings.OUTBOX_KEEP_DAYS} days after sending, without their text",
            "To show that a notice was sent; the text is erased once sent.",
        ),
    ]
