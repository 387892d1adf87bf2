"""Every money movement goes through these functions; the rest of the code calls only them.

The pattern, each time:
  1. in a transaction, lock the engagement (or payout) row, check the state,
     and write our own row first (a Payment, Refund or Payout);
  2. outside any transaction, call the provider with an idempotency key made
     from that row's id (a retry returns the first answer, never a second
     movement);
  3. in a transaction again, apply what the provider said, write the ledger
     entry (unique key) and change the engagement's state.
Nothing is marked paid unless the provider said so; a replayed call or event
finds the work done and does nothing.
"""

from payments.services.accounts import (
    local_account_complete,
    payout_account_apply,
    payout_account_start,
    payout_account_sync,
)
from payments.services.bonuses import bonus_offer, bonus_room_cents, bonus_withdraw
from payments.services.disputes import dispute_settle
from payments.services.funding import (
    engagement_fund,
    local_payment_complete,
    payment_apply,
    payment_start,
    payment_sync,
)
from payments.services.payouts import (
    payout_apply,
    payout_create,
    payout_execute,
    payout_retry_now,
    payouts_retry_due,
)
from payments.services.refunds import (
    engagement_refund_all,
    refund_apply,
    refund_execute,
    refunds_retry_due,
)

__all__ = [
    "bonus_offer",
    "bonus_room_cents",
    "bonus_withdraw",
    "dispute_settle",
    "engagement_fund",
    "engagement_refund_all",
    "local_account_complete",
    "local_payment_complete",
    "payment_apply",
    "payment_start",
    "payment_sync",
    "payout_account_apply",
    "payout_account_start",
    "payout_account_sync",
    "payout_apply",
    "payout_create",
    "payout_execute",
    "payout_retry_now",
    "payouts_retry_due",
    "refund_apply",
    "refund_execute",
    "refunds_retry_due",
]
