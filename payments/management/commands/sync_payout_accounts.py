"""Re-read students' payout accounts from Stripe."""

from django.core.management.base import BaseCommand

from payments.services.accounts import payout_accounts_resync


class Command(BaseCommand):
    help = (
        "Re-read from Stripe the payout accounts whose payouts wait (for the account or for "
        "the tax information), or every payout account with --all, and send the payouts "
        "that can go now. Run it once after upgrading to a version that collects tax "
        "information, or after Connect webhooks were missed. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Every Stripe payout account, not only those whose payouts wait.",
        )

    def handle(self, *args, all, **options):
        read, released = payout_accounts_resync(only_waiting=not all)
        self.stdout.write(
            f"{read} payout account{'s' if read != 1 else ''} read from Stripe; "
            f"{released} can receive payouts now."
        )
