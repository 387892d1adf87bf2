"""Demo data for `make run`, created once, and the demo logins printed every time."""

from contextlib import contextmanager

from django.core.management.base import BaseCommand

from demo.accounts import DEMO_LOGINS, DEMO_PASSWORD, seed_accounts
from demo.api import seed_api
from demo.compliance import seed_compliance
from demo.credit import FACULTY_EMAIL, seed_credit
from demo.datarights import seed_datarights
from demo.disputes import seed_disputes
from demo.integrations import calendar_addresses, seed_integrations
from demo.milestones import seed_milestones
from demo.outcomes import seed_outcomes
from demo.oversight import seed_oversight
from demo.payouts import seed_payouts
from demo.projects import seed_projects
from demo.safety import seed_safety
from demo.sponsors import seed_sponsors
from demo.sso import seed_sso
from marketplace.celery import app as celery_app
from payments.gateways import test_mode


class Command(BaseCommand):
    help = "Create demo schools, accounts, projects and engagements (once); print the logins."

    def handle(self, *args, **options):
        # Each step commits as a user's request would, and what follows a commit (sessions
        # planned, records issued, mail) runs here rather than waiting for a worker.
        faculty_url = None
        with _tasks_run_here():
            created = seed_accounts()
            if test_mode():
                created = seed_projects() or created
                created = seed_oversight() or created
                created = seed_outcomes() or created
                created = seed_safety() or created
                created = seed_compliance() or created
                created = seed_disputes() or created
                created = seed_payouts() or created
                created = seed_milestones() or created
                faculty_url = seed_credit()
                created = bool(faculty_url) or created
                created = seed_sponsors() or created
            else:
                self.stdout.write(
                    "Stripe keys are set: demo projects and payments are not created."
                )
            created = seed_integrations() or created
            created = seed_datarights() or created
            created = seed_sso() or created
            api_tokens = seed_api()
            created = bool(api_tokens) or created
        self.stdout.write(
            self.style.SUCCESS("Demo data ready" + (" (created)." if created else "."))
        )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for email, what in DEMO_LOGINS:
            self.stdout.write(f"  {email:<26} {what}")
        self.stdout.write("")
        self.stdout.write(
            "Northbridge signs in through local identity providers: see the README, "
            "“Connecting a school's identity provider”."
        )
        self.stdout.write("")
        if faculty_url:
            self.stdout.write("Academic credit: the faculty approver's review link (no account)")
            self.stdout.write(f"  {FACULTY_EMAIL:<26} {faculty_url}")
        else:
            self.stdout.write(
                f"Academic credit: {FACULTY_EMAIL} reviews through an emailed link; career "
                "services send a new one from the request's page."
            )
        if api_tokens:
            self.stdout.write("")
            self.stdout.write("REST API tokens (shown only now; make more under Settings → API)")
            for email, secret in api_tokens:
                self.stdout.write(f"  {email:<26} {secret}")
        addresses = calendar_addresses()
        if addresses:
            self.stdout.write("")
            self.stdout.write("Calendar feeds (subscribe from any calendar program)")
            for email, url in addresses:
                self.stdout.write(f"  {email:<26} {url}")


@contextmanager
def _tasks_run_here():
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = eager
