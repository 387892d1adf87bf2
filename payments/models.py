"""Money: what employers paid, what students were paid, what was refunded, and the ledger.

Amounts are integer cents in one currency (USD). Every row that mirrors an
object at the payment provider keeps that object's id, unique, so a webhook
finds the local row from the provider's id.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from engagements.models import Engagement, Milestone, ScopeExtension


class Gateway(models.TextChoices):
    LOCAL = "local", "Test mode (no real money)"
    STRIPE = "stripe", "Stripe"


class TaxForm(models.TextChoices):
    W9 = "w9", "W-9 (US person)"
    W8BEN = "w8ben", "W-8BEN (not a US person)"


class PayoutInterval(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    MANUAL = "manual", "Manual"


class PayoutAccount(models.Model):
    """A student's account for receiving payouts (a Stripe Connect Express account).

    Stripe's onboarding collects the tax information: a W-9's taxpayer number for US
    persons, a W-8BEN's certification otherwise. Payouts wait until it is provided. The
    payout schedule (how many days Stripe holds a transfer before paying it to the bank,
    and how often it pays out) is read from the account and gives the expected arrival.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payout_account"
    )
    gateway = models.CharField(max_length=10, choices=Gateway.choices)
    provider_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    details_submitted = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    tax_form = models.CharField(max_length=10, choices=TaxForm.choices, blank=True)
    tax_info_provided = models.BooleanField(default=False)
    tax_info_provided_at = models.DateTimeField(null=True, blank=True)
    payout_delay_days = models.PositiveSmallIntegerField(default=2)
    payout_interval = models.CharField(
        max_length=10, choices=PayoutInterval.choices, default=PayoutInterval.DAILY
    )
    # Weekly: the weekday (0 = Monday); monthly: the day of the month; otherwise unused.
    payout_anchor = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(tax_info_provided=False) | ~Q(tax_form=""),
                name="payout_account_tax_info_names_its_form",
            ),
            models.CheckConstraint(
                condition=Q(payout_delay_days__lte=60), name="payout_account_delay_within_60_days"
            ),
        ]

    def __str__(self):
        return f"Payout account of {self.user}"

    @property
    def is_ready(self) -> bool:
        """Stripe can pay out to it (the tax information is checked separately)."""
        return self.details_submitted and self.payouts_enabled

    @property
    def tax_ready(self) -> bool:
        return self.tax_info_provided or not settings.PAYOUTS_REQUIRE_TAX_INFO

    @property
    def can_receive(self) -> bool:
        return self.is_ready and self.tax_ready


class PaymentStatus(models.TextChoices):
    CREATED = "created", "Waiting for payment"
    PROCESSING = "processing", "Processing"
    SUCCEEDED = "succeeded", "Paid"
    FAILED = "failed", "Failed"
    CANCELED = "canceled", "Canceled"


class Bonus(models.Model):
    """The employer thanks the student with extra money once the work is approved.

    The bonus goes to the student in full; the employer pays the platform fee on top, as
    for fees. It is paid through the gateway like the fee (a Payment of kind "bonus"), and
    once that payment succeeds the student is paid it (a Payout of kind "bonus").
    """

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", "Waiting for the employer's payment"
        FUNDED = "funded", "Paid by the employer"
        WITHDRAWN = "withdrawn", "Withdrawn"

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="bonuses")
    amount_cents = models.PositiveIntegerField(help_text="Goes to the student in full.")
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    funded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "bonuses"
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="bonus_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["awaiting_payment", "funded", "withdrawn"]),
                name="bonus_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="funded") | Q(funded_at__isnull=False),
                name="bonus_funded_has_date",
            ),
            # One bonus at a time waits for the employer's payment.
            models.UniqueConstraint(
                fields=["engagement"],
                condition=Q(status="awaiting_payment"),
                name="bonus_one_awaiting_payment_per_engagement",
            ),
        ]

    def __str__(self):
        return f"Bonus {self.pk} on {self.engagement}"


class Payment(models.Model):
    """The employer funds an engagement (or an extension of it): fee plus platform fee."""

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    class Kind(models.TextChoices):
        FUNDING = "funding", "Funding"
        EXTENSION = "extension", "Extension"
        BONUS = "bonus", "Bonus"

    Status = PaymentStatus

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="payments")
    extension = models.ForeignKey(
        ScopeExtension, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    bonus = models.ForeignKey(
        Bonus, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    gateway = models.CharField(max_length=10, choices=Gateway.choices)
    fee_cents = models.PositiveIntegerField(help_text="Goes to the student in full.")
    platform_fee_cents = models.PositiveIntegerField()
    amount_cents = models.PositiveIntegerField(help_text="What the employer pays.")
    # The part of the fee a sponsor pays from its budget (the employer pays the rest of the
    # fee and all of the platform fee).
    sponsor = models.ForeignKey(
        "payments.Sponsor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    sponsored_cents = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="usd")
    status = models.CharField(max_length=12, choices=PaymentStatus.choices, default="created")
    provider_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    charge_id = models.CharField(max_length=100, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)
    # Set when the money arrived for something that could no longer take it (a cancelled
    # engagement, a withdrawn extension, a second payment for the same thing): the payment
    # is recorded and refunded in full, and it funds nothing.
    unpayable_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    amount_cents=models.F("fee_cents")
                    + models.F("platform_fee_cents")
                    - models.F("sponsored_cents")
                ),
                name="payment_amount_is_fee_plus_platform_fee_less_sponsor",
            ),
            models.CheckConstraint(
                condition=Q(sponsored_cents__lte=models.F("fee_cents"))
                & (Q(sponsored_cents=0) | Q(sponsor__isnull=False)),
                name="payment_sponsor_share_within_fee",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values), name="payment_status_valid"
            ),
            # At most one live funding attempt per engagement, and one per extension (a
            # payment refunded because it could no longer fund anything does not count).
            models.UniqueConstraint(
                fields=["engagement"],
                condition=Q(kind="funding", unpayable_reason="")
                & ~Q(status__in=["failed", "canceled"]),
                name="payment_one_live_funding_per_engagement",
            ),
            models.UniqueConstraint(
                fields=["extension"],
                condition=Q(extension__isnull=False, unpayable_reason="")
                & ~Q(status__in=["failed", "canceled"]),
                name="payment_one_live_payment_per_extension",
            ),
            models.CheckConstraint(
                condition=Q(unpayable_reason="") | Q(status="succeeded"),
                name="payment_unpayable_only_when_received",
            ),
            models.UniqueConstraint(
                fields=["bonus"],
                condition=Q(bonus__isnull=False, unpayable_reason="")
                & ~Q(status__in=["failed", "canceled"]),
                name="payment_one_live_payment_per_bonus",
            ),
            models.CheckConstraint(
                condition=Q(kind="funding", extension__isnull=True, bonus__isnull=True)
                | Q(kind="extension", extension__isnull=False, bonus__isnull=True)
                | Q(kind="bonus", extension__isnull=True, bonus__isnull=False),
                name="payment_target_matches_kind",
            ),
        ]

    def __str__(self):
        return f"Payment {self.pk} ({self.get_kind_display()}) for {self.engagement}"

    @property
    def receipt_number(self) -> str:
        return f"MI-{self.created_at:%Y}-{self.pk:06d}"


class Refund(models.Model):
    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "payment"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Refunded"
        FAILED = "failed", "Failed"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    # On a milestone engagement, the milestone this refund gives back (its amount and its
    # part of the platform fee), so the ledger balances per milestone.
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    amount_cents = models.PositiveIntegerField()
    # The part of the refund that is the platform fee (the rest is the student's fee).
    platform_fee_cents = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default="pending")
    provider_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)
    # Sends to the provider so far. While pending: when the refund sweep sends it (or asks
    # the provider about it) again, if no task has finished it by then.
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="refund_positive"),
            models.CheckConstraint(
                condition=Q(platform_fee_cents__lte=models.F("amount_cents")),
                name="refund_fee_part_within_amount",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="refund_pending",
                condition=Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"Refund {self.pk} of payment {self.payment_id}"


class Delivery(models.TextChoices):
    IN_TRANSIT = "in_transit", "In transit to your bank"
    PAID = "paid", "Arrived in your bank"
    FAILED = "failed", "Your bank returned it"


class PayoutKind(models.TextChoices):
    FEE = "fee", "Fee"
    MILESTONE = "milestone", "Milestone"
    BONUS = "bonus", "Bonus"


class Payout(models.Model):
    """The platform pays the student: the fee once per engagement (or each milestone once,
    when the fee is split into milestones), and each bonus once.

    `status` follows the transfer from the platform to the student's Stripe account (paid =
    the transfer was made); `delivery` follows the bank payout from that account to the
    student's bank. Every step is also a PayoutEvent: the timeline the student sees.
    """

    Delivery = Delivery
    Kind = PayoutKind

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    class Status(models.TextChoices):
        WAITING_FOR_ACCOUNT = "waiting_for_account", "Waiting for your payout account"
        WAITING_FOR_TAX = "waiting_for_tax", "Waiting for your tax information"
        PENDING = "pending", "Scheduled"
        PROCESSING = "processing", "Sending"
        FAILED = "failed", "Failed, will retry"
        PAID = "paid", "Paid"
        REVERSED = "reversed", "Reversed"

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="payouts")
    kind = models.CharField(max_length=10, choices=PayoutKind.choices, default=PayoutKind.FEE)
    bonus = models.OneToOneField(
        Bonus, null=True, blank=True, on_delete=models.PROTECT, related_name="payout"
    )
    milestone = models.OneToOneField(
        Milestone, null=True, blank=True, on_delete=models.PROTECT, related_name="payout"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts"
    )
    amount_cents = models.PositiveIntegerField()
    gateway = models.CharField(max_length=10, choices=Gateway.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    provider_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Bumped after a refusal: the provider keeps the answer to an idempotency key (errors
    # included), so a retry after a refusal needs a new key; after a network failure the
    # same key is reused, so a transfer that did happen is not made twice.
    refusals = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When the transfer to the student's Stripe account was made ("sent").
    paid_at = models.DateTimeField(null=True, blank=True)
    # From the student's Stripe account to their bank: the bank payout that carries this
    # transfer (one bank payout may carry several transfers), where it is, when it arrives.
    delivery = models.CharField(max_length=12, choices=Delivery.choices, blank=True)
    bank_payout_id = models.CharField(max_length=100, blank=True, db_index=True)
    expected_arrival = models.DateField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    failure_code = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payout_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=PayoutKind.values), name="payout_kind_valid"
            ),
            # The fee is paid out once per engagement, whatever is retried or replayed.
            models.UniqueConstraint(
                fields=["engagement"], condition=Q(kind="fee"), name="payout_one_fee_per_engagement"
            ),
            models.CheckConstraint(
                condition=Q(kind="bonus", bonus__isnull=False) | (~Q(kind="bonus") & Q(bonus=None)),
                name="payout_bonus_matches_kind",
            ),
            # Each milestone is paid out once (the one-to-one field), and only a milestone
            # payout names one.
            models.CheckConstraint(
                condition=Q(kind="milestone", milestone__isnull=False)
                | (~Q(kind="milestone") & Q(milestone=None)),
                name="payout_milestone_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(delivery="") | Q(status__in=["paid", "reversed"]),
                name="payout_delivery_only_after_transfer",
            ),
            models.CheckConstraint(
                condition=~Q(delivery="paid") | Q(arrived_at__isnull=False),
                name="payout_arrived_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False), name="payout_paid_has_date"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="payout_due_for_attempt",
                condition=Q(status__in=["pending", "failed", "processing"]),
            )
        ]

    def __str__(self):
        return f"Payout {self.pk} to {self.student}"

    @property
    def idempotency_key(self) -> str:
        return f"payout-{self.pk}" if not self.refusals else f"payout-{self.pk}-r{self.refusals}"


class PayoutEvent(models.Model):
    """One step of a payout's timeline, append-only; `key` makes a replayed step a no-op."""

    class Step(models.TextChoices):
        APPROVED = "approved", "Approved"
        WAITING_FOR_ACCOUNT = "waiting_for_account", "Waiting for your payout account"
        WAITING_FOR_TAX = "waiting_for_tax", "Waiting for your tax information"
        SENT = "sent", "Sent to your Stripe account"
        IN_TRANSIT = "in_transit", "In transit to your bank"
        PAID = "paid", "Arrived in your bank"
        FAILED = "failed", "Your bank returned it"
        REVERSED = "reversed", "Reversed"

    payout = models.ForeignKey(Payout, on_delete=models.PROTECT, related_name="events")
    step = models.CharField(max_length=20, choices=Step.choices)
    at = models.DateTimeField(default=timezone.now)
    detail = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=150, unique=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    step__in=[
                        "approved",
                        "waiting_for_account",
                        "waiting_for_tax",
                        "sent",
                        "in_transit",
                        "paid",
                        "failed",
                        "reversed",
                    ]
                ),
                name="payout_event_step_valid",
            )
        ]

    def __str__(self):
        return f"{self.get_step_display()} (payout {self.payout_id})"


class LedgerEntry(models.Model):
    """Append-only record of every money movement, from the point of view of the money the
    platform holds for an engagement: funding comes in (+), the platform fee, the payout and
    refunds go out (−), a reversal brings money back (+). Settled, an engagement sums to 0.

    `key` names the movement (e.g. "payout:12"), unique: the same movement can never be
    recorded twice, whatever is retried or replayed.
    """

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    class Kind(models.TextChoices):
        FUNDING_RECEIVED = "funding_received", "Funding received"
        PLATFORM_FEE = "platform_fee", "Platform fee"
        PAYOUT = "payout", "Payout to the student"
        REFUND = "refund", "Refund to the employer"
        REVERSAL = "reversal", "Reversal"
        SPONSOR_SHARE = "sponsor_share", "Sponsor's share of the fee"
        SPONSOR_RETURN = "sponsor_return", "Sponsor's share returned"

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount_cents = models.IntegerField(help_text="Positive: money in. Negative: money out.")
    key = models.CharField(max_length=100, unique=True)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger"
    )
    payout = models.ForeignKey(
        Payout, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger"
    )
    refund = models.ForeignKey(
        Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger"
    )
    # On a milestone engagement, the milestone the money is for (payments.milestones).
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger"
    )
    description = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.CheckConstraint(condition=~Q(amount_cents=0), name="ledger_entry_moves_money"),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=["funding_received", "reversal", "sponsor_share"],
                        amount_cents__gt=0,
                    )
                    | Q(
                        kind__in=["platform_fee", "payout", "refund", "sponsor_return"],
                        amount_cents__lt=0,
                    )
                ),
                name="ledger_entry_sign_fits_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount_cents} ({self.key})"


class WebhookEvent(models.Model):
    """Each provider event, stored by its id before it is handled: a replay is a no-op."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        IGNORED = "ignored", "Ignored"
        FAILED = "failed", "Failed"

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default="received")
    payload = models.JSONField()
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the sweep handles it (again) if nothing else has: after a failure, the next
    # retry; while the sweep handles it, when that claim expires.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(
                fields=["received_at"],
                name="webhook_event_unfinished",
                condition=Q(status__in=["received", "failed"]),
            )
        ]

    def __str__(self):
        return f"{self.type} {self.event_id}"


class Sponsor(models.Model):
    """A school or a sponsor that pays a share of the fee for eligible organizations that
    hire its students, from a budget it tops up through the payment gateway.

    Eligible: the organization is verified and is a nonprofit (`covers_nonprofits`), a small
    business (`covers_small_businesses`, sizes in SPONSOR_SMALL_BUSINESS_SIZES) or one of
    `organizations`; the student's school (the engagement's) is one of `schools`.
    """

    name = models.CharField(max_length=200)
    schools = models.ManyToManyField(
        "accounts.School",
        related_name="sponsors",
        help_text="Whose students it supports.",
    )
    share_percent = models.PositiveSmallIntegerField(
        "share of the fee (%)", help_text="The part of the student's fee the sponsor pays."
    )
    covers_nonprofits = models.BooleanField(default=True)
    covers_small_businesses = models.BooleanField(default=False)
    organizations = models.ManyToManyField(
        "accounts.Organization",
        blank=True,
        related_name="sponsors",
        help_text="Organizations it covers by name, whatever their kind or size.",
    )
    max_share_cents = models.PositiveIntegerField(
        null=True, blank=True, help_text="Most it pays for one payment (empty: no limit)."
    )
    is_active = models.BooleanField(default=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="sponsors_managed",
        help_text="Career services staff of one of its schools, or anyone a platform admin "
        "names: they add funds, change the rules and read the report.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__gte=1, share_percent__lte=100),
                name="sponsor_share_percent_1_to_100",
            ),
            models.CheckConstraint(
                condition=Q(max_share_cents__isnull=True) | Q(max_share_cents__gt=0),
                name="sponsor_max_share_positive",
            ),
        ]

    def __str__(self):
        return self.name


class SponsorDeposit(models.Model):
    """A sponsor tops up its budget: paid through the gateway like an employer's payment."""

    Status = PaymentStatus

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="deposits")
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="usd")
    gateway = models.CharField(max_length=10, choices=Gateway.choices)
    status = models.CharField(max_length=12, choices=PaymentStatus.choices, default="created")
    provider_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    charge_id = models.CharField(max_length=100, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="sponsor_deposit_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values), name="sponsor_deposit_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="succeeded") | Q(succeeded_at__isnull=False),
                name="sponsor_deposit_succeeded_has_date",
            ),
        ]

    def __str__(self):
        return f"Deposit {self.receipt_number} for {self.sponsor}"

    @property
    def receipt_number(self) -> str:
        return f"SP-{self.created_at:%Y}-{self.pk:06d}"


class SponsorEntry(models.Model):
    """A sponsor's own append-only ledger: a deposit comes in (+), a share is reserved for a
    payment (−), a share comes back when that payment fails or is refunded (+). The sum is
    the budget still available. `key` names the movement, unique: recorded exactly once."""

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", "Deposit"
        RESERVED = "reserved", "Share reserved for a payment"
        RETURNED = "returned", "Share returned"

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount_cents = models.IntegerField(help_text="Positive: into the budget. Negative: out.")
    key = models.CharField(max_length=100, unique=True)
    deposit = models.ForeignKey(
        SponsorDeposit, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="sponsor_entries"
    )
    description = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "sponsor entries"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["deposit", "returned"], amount_cents__gt=0)
                    | Q(kind="reserved", amount_cents__lt=0)
                ),
                name="sponsor_entry_sign_fits_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="deposit", deposit__isnull=False, payment__isnull=True)
                | Q(kind__in=["reserved", "returned"], payment__isnull=False, deposit__isnull=True),
                name="sponsor_entry_names_its_source",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount_cents} ({self.key})"
