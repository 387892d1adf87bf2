"""Demo data for `make run`, created once, and the demo logins printed every time."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_accounts
from feedback.demo import seed_oversight
from payments.gateways import test_mode
from projects.demo import seed_projects
from projects.demo_outcomes import seed_outcomes


class Command(BaseCommand):
    help = "Create demo schools, accounts, projects and engagements (once); print the logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            created = seed_accounts()
            if test_mode():
                created = seed_projects() or created
                created = seed_oversight() or created
                created = seed_outcomes() or created
            else:
                self.stdout.write(
                    "Stripe keys are set: demo projects and payments are not created."
                )
        self.stdout.write(
            self.style.SUCCESS("Demo data ready" + (" (created)." if created else "."))
        )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for email, what in DEMO_LOGINS:
            self.stdout.write(f"  {email:<26} {what}")
