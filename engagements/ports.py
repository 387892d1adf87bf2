"""The money an engagement's life cycle moves, behind a port the payments app fills.

Approving work pays the student and cancelling before any work refunds the employer: both
happen in the same transaction as the status change (money first), yet engagements sits
below payments and never imports it. Payments registers its implementation when the app
loads (`payments.apps`); the call is then direct and synchronous.
"""

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from engagements.models import Engagement, Milestone


class Money(Protocol):
    def pay_for_approved_work(self, *, engagement: Engagement) -> None:
        """Create the student's payout of the whole fee (sent after commit)."""

    def pay_for_milestone(self, *, engagement: Engagement, milestone: Milestone) -> None:
        """Create the student's payout of one approved milestone (sent after commit)."""

    def refund_open_milestones(
        self, *, engagement: Engagement, milestones: list[Milestone], reason: str
    ) -> None:
        """Refund the employer the milestones cancelled before any work on them, each with
        its part of the platform fee."""

    def refund_unstarted(self, *, engagement: Engagement, reason: str) -> None:
        """Refund the employer everything paid for an engagement cancelled before any work."""

    def sponsored_share(self, *, engagement: Engagement, fee_cents: int) -> int:
        """The part of this fee a sponsor would pay if the employer paid now (0 if none):
        a read for the workspace's "Pay" button, which reserves nothing."""


_money: Money | None = None


def register_money(implementation: Money) -> None:
    global _money
    _money = implementation


def money() -> Money:
    if _money is None:
        raise ImproperlyConfigured("No payments app has registered how engagements move money.")
    return _money
