"""How an engagement's life cycle moves money: the implementation of `engagements.ports.Money`
that payments registers when it loads. Called inside the engagement's transaction, with
its row locked, so the status change and the money row commit together."""

from engagements.models import Engagement, Milestone
from payments.services import sponsors
from payments.services.payouts import payout_create
from payments.services.refunds import engagement_refund_all, milestones_refund


class EngagementMoney:
    def pay_for_approved_work(self, *, engagement: Engagement) -> None:
        payout_create(engagement=engagement, amount_cents=engagement.fee_cents)

    def pay_for_milestone(self, *, engagement: Engagement, milestone: Milestone) -> None:
        payout_create(
            engagement=engagement, amount_cents=milestone.amount_cents, milestone=milestone
        )

    def refund_open_milestones(
        self, *, engagement: Engagement, milestones: list[Milestone], reason: str
    ) -> None:
        milestones_refund(engagement=engagement, milestones=milestones, reason=reason)

    def refund_unstarted(self, *, engagement: Engagement, reason: str) -> None:
        engagement_refund_all(engagement=engagement, reason=reason)

    def sponsored_share(self, *, engagement: Engagement, fee_cents: int) -> int:
        return sponsors.sponsor_quote(engagement=engagement, fee_cents=fee_cents)
