"""The payout tracker: each step of a payout, from approval to the student's bank.

approved → sent (the transfer to the student's Stripe account) → in transit (a payout of that
account to the bank) → paid (it arrived), or failed (the bank returned it: why, and what to
do). Every step is a PayoutEvent row, written once (its key is unique), so a replayed or late
webhook adds nothing.

Which transfers a bank payout carries: Stripe pays the account's balance out, so a bank
payout carries the transfers that reached the account before the payout was created and are
not already on their way in another payout (or whose last payout failed, since a failed
payout's money returns to the balance and leaves with the next one). Stripe's balance
transactions would name them exactly; this rule needs no extra call per event and gives the
same answer whenever the account receives nothing but our transfers, which is how the
platform uses these accounts.
"""

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import holidays
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.notifications import notify
from marketplace.money import dollars
from marketplace.timezones import weekdays_after
from payments.gateways.base import BankPayoutInfo
from payments.models import Gateway, Payout, PayoutAccount, PayoutEvent, PayoutInterval
from payments.services.common import gateway_name

Step = PayoutEvent.Step


@dataclass(frozen=True)
class FailureHelp:
    reason: str
    action: str
    update_bank: bool


# Stripe's payout failure codes, in words, with what the student does about each.
FAILURE_HELP = {
    "account_closed": FailureHelp(
        "The bank account is closed.", "Add a bank account that is open.", True
    ),
    "account_frozen": FailureHelp(
        "The bank account is frozen.", "Ask your bank, or add another bank account.", True
    ),
    "bank_account_restricted": FailureHelp(
        "The bank account does not accept this kind of payment.",
        "Add a checking account that accepts deposits.",
        True,
    ),
    "bank_ownership_changed": FailureHelp(
        "The bank account changed owner.", "Add a bank account in your own name.", True
    ),
    "could_not_process": FailureHelp(
        "The bank could not process the payment.",
        "Nothing to do: it is sent again with your next payout.",
        False,
    ),
    "debit_not_authorized": FailureHelp(
        "The bank refused the deposit.", "Ask your bank, or add another bank account.", True
    ),
    "declined": FailureHelp(
        "The bank declined the payment.", "Ask your bank, or add another bank account.", True
    ),
    "incorrect_account_holder_name": FailureHelp(
        "The name on the bank account does not match.",
        "Update your bank details so the name matches the account.",
        True,
    ),
    "incorrect_account_holder_address": FailureHelp(
        "The address on the bank account does not match.", "Update your bank details.", True
    ),
    "incorrect_account_holder_tax_id": FailureHelp(
        "The tax number on the bank account does not match.", "Update your bank details.", True
    ),
    "insufficient_funds": FailureHelp(
        "The payment could not be completed on Stripe's side.",
        "Nothing to do: it is sent again with your next payout.",
        False,
    ),
    "invalid_account_number": FailureHelp(
        "The bank account number is not valid.", "Check and update your bank details.", True
    ),
    "invalid_currency": FailureHelp(
        "The bank account does not take US dollars.",
        "Add a bank account that takes US dollars.",
        True,
    ),
    "no_account": FailureHelp(
        "The bank cannot find this account.", "Check and update your bank details.", True
    ),
}
UNKNOWN_FAILURE = FailureHelp(
    "The bank returned the payment.", "Check your bank details, or ask us for help.", True
)


def failure_help(code: str) -> FailureHelp:
    return FAILURE_HELP.get(code, UNKNOWN_FAILURE)


# --- Expected arrival ------------------------------------------------------------------------


def bank_days_after(day: date, days: int) -> date:
    """`days` bank business days after `day` (0: `day` or the next bank day). US banks pay
    nothing on weekends and on the Federal Reserve's holidays."""
    years = range(day.year, day.year + 2)
    return weekdays_after(day, days, closed=holidays.financial_holidays("FED", years=years))


def expected_arrival(sent_at: datetime, account: PayoutAccount) -> date | None:
    """When a transfer made at `sent_at` reaches the bank, by the account's payout schedule.

    Stripe's schedule runs on UTC days: the transfer is held `payout_delay_days` business
    days, then paid out on the next day the schedule pays (every day; the weekday of a
    weekly schedule; the day of the month of a monthly one, or the month's last day when it
    is shorter); weekends and US bank holidays move it to the next bank day. A manual
    schedule pays out only when the student asks Stripe: no date.
    """
    if account.payout_interval == PayoutInterval.MANUAL:
        return None
    day = bank_days_after(sent_at.astimezone(UTC).date(), account.payout_delay_days)
    if account.payout_interval == PayoutInterval.WEEKLY:
        day += timedelta(days=(account.payout_anchor - day.weekday()) % 7)
    elif account.payout_interval == PayoutInterval.MONTHLY:
        day = _next_monthly(day, max(1, min(account.payout_anchor, 31)))
    return bank_days_after(day, 0)


def _next_monthly(day: date, anchor: int) -> date:
    for months in range(2):
        year, month = divmod(day.month - 1 + months, 12)
        year, month = day.year + year, month + 1
        candidate = date(year, month, min(anchor, calendar.monthrange(year, month)[1]))
        if candidate >= day:
            return candidate
    return day  # unreachable: next month's anchor always follows


# --- Recording steps --------------------------------------------------------------------------


def record_step(payout: Payout, step: str, *, key: str, detail: str = "", at=None) -> bool:
    """Add one step to a payout's timeline, once per key. Call with the payout locked."""
    _, created = PayoutEvent.objects.get_or_create(
        key=key,
        defaults={
            "payout": payout,
            "step": step,
            "detail": detail[:300],
            "at": at or timezone.now(),
        },
    )
    return created


# Which delivery may follow which: a late "in transit" never undoes "paid" or "failed";
# Stripe may report a paid payout failed later (the bank returned it).
_NEXT = {
    "": {"in_transit", "paid", "failed"},
    "in_transit": {"paid", "failed"},
    "paid": {"failed"},
    "failed": set(),
}


def bank_payout_apply(*, account_provider_id: str, info: BankPayoutInfo) -> list[Payout]:
    """A payout of the student's account to their bank was created, moved on, arrived or
    failed: bring the payouts it carries to that state, each step recorded once."""
    with transaction.atomic():
        account = (
            PayoutAccount.objects.select_for_update()
            .filter(provider_id=account_provider_id)
            .first()
        )
        if account is None:
            return []
        # Stripe's times are whole seconds: a transfer in the payout's own second counts.
        carried = Q(bank_payout_id=info.provider_id) | (
            Q(paid_at__lt=info.created_at + timedelta(seconds=1))
            & (Q(bank_payout_id="") | (Q(delivery=Payout.Delivery.FAILED)))
        )
        payouts = list(
            Payout.objects.select_for_update()
            .filter(carried, student_id=account.user_id, status=Payout.Status.PAID)
            .select_related("engagement__project")
            .order_by("pk")
        )
        changed = []
        for payout in payouts:
            if _apply_delivery(payout, account, info):
                changed.append(payout)
    return changed


def _apply_delivery(payout: Payout, account: PayoutAccount, info: BankPayoutInfo) -> bool:
    same_payout = payout.bank_payout_id == info.provider_id
    if same_payout and info.status not in _NEXT[payout.delivery]:
        return False
    if not same_payout and payout.delivery not in ("", Payout.Delivery.FAILED):
        return False
    now = timezone.now()
    payout.bank_payout_id = info.provider_id
    payout.delivery = info.status
    fields = ["bank_payout_id", "delivery", "expected_arrival", "arrived_at", "failure_code"]
    if info.status == Payout.Delivery.IN_TRANSIT:
        payout.expected_arrival = info.arrival_date or expected_arrival(payout.paid_at, account)
        payout.failure_code = ""
        when = f" Expected {payout.expected_arrival:%b %-d, %Y}." if payout.expected_arrival else ""
        record_step(
            payout,
            Step.IN_TRANSIT,
            key=f"{info.provider_id}:in_transit:{payout.pk}",
            detail=f"On its way to your bank.{when}",
        )
    elif info.status == Payout.Delivery.PAID:
        payout.arrived_at = now
        payout.expected_arrival = info.arrival_date or payout.expected_arrival
        payout.failure_code = ""
        record_step(
            payout,
            Step.PAID,
            key=f"{info.provider_id}:paid:{payout.pk}",
            detail="The money is in your bank account.",
        )
    else:
        payout.failure_code = (info.failure_code or "unknown")[:60]
        payout.arrived_at = None
        help_ = failure_help(payout.failure_code)
        created = record_step(
            payout,
            Step.FAILED,
            key=f"{info.provider_id}:failed:{payout.pk}",
            detail=f"{help_.reason} {help_.action}",
        )
        if created:
            notify(
                recipients=[payout.student],
                kind="payout.bank_failed",
                key=f"payout-{payout.pk}-bank-failed-{info.provider_id}",
                message=f"Your bank returned {dollars(payout.amount_cents)} for "
                f"“{payout.engagement.project.title}”: {help_.reason} {help_.action}",
                url=reverse("payments:earnings") + f"#payout-{payout.pk}",
            )
    payout.save(update_fields=fields)
    return True


# --- Test mode -------------------------------------------------------------------------------


def local_bank_payout_start(*, payout: Payout) -> None:
    """Test mode: a transfer that was made goes on to the (pretend) bank at once."""
    account = PayoutAccount.objects.filter(user_id=payout.student_id).first()
    if account is None or payout.status != Payout.Status.PAID or payout.delivery:
        return
    bank_payout_apply(
        account_provider_id=account.provider_id,
        info=BankPayoutInfo(
            provider_id=f"local_po_{payout.pk}",
            status="in_transit",
            amount_cents=payout.amount_cents,
            created_at=timezone.now(),
        ),
    )


def local_bank_payout_finish(*, actor: User, payout: Payout, arrived: bool) -> Payout:
    """Test mode: the student plays the bank, which pays or returns a payout in transit."""
    if gateway_name() != Gateway.LOCAL or payout.gateway != Gateway.LOCAL:
        raise PermissionDenied("Only test-mode payouts are moved on by hand.")
    if payout.student_id != actor.pk:
        raise PermissionDenied("This is not your payout.")
    if payout.delivery != Payout.Delivery.IN_TRANSIT:
        return payout
    bank_payout_apply(
        account_provider_id=actor.payout_account.provider_id,
        info=BankPayoutInfo(
            provider_id=payout.bank_payout_id,
            status="paid" if arrived else "failed",
            amount_cents=payout.amount_cents,
            created_at=payout.paid_at,
            failure_code="" if arrived else "account_closed",
        ),
    )
    payout.refresh_from_db()
    return payout


# --- What the student sees --------------------------------------------------------------------

STAGES = [
    (Step.APPROVED, "Approved"),
    (Step.SENT, "Sent"),
    (Step.IN_TRANSIT, "In transit"),
    (Step.PAID, "Paid"),
]


def stage_of(payout: Payout) -> str:
    """Where the payout is: one of the stages above, or failed, reversed, or waiting."""
    if payout.status == Payout.Status.REVERSED:
        return Step.REVERSED
    if payout.delivery:
        return payout.delivery
    if payout.status == Payout.Status.PAID:
        return Step.SENT
    if payout.status in (Payout.Status.WAITING_FOR_ACCOUNT, Payout.Status.WAITING_FOR_TAX):
        return payout.status
    return Step.APPROVED


def stages_for(payout: Payout) -> list[dict]:
    """The four stages, each done, current or to come, for the tracker's stepper."""
    stage = stage_of(payout)
    order = [key for key, _ in STAGES]
    reached = order.index(stage) if stage in order else 0
    if stage == Step.FAILED:
        reached = order.index(Step.IN_TRANSIT)
    if stage == Step.REVERSED:
        reached = order.index(Step.SENT)
    return [
        {
            "key": key,
            "label": label,
            "state": "done" if i < reached else "current" if i == reached else "todo",
        }
        for i, (key, label) in enumerate(STAGES)
    ]
