"""Record bounced addresses by hand or from a provider's export (accounts.bounces).

manage.py email_bounce student@northbridge.edu --detail "550 mailbox unknown"
manage.py email_bounce --json bounces.json      # the webhook's payload, from a file
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts import bounces


class Command(BaseCommand):
    help = (
        "Record that mail to these addresses bounced for good (their school verification lapses)."
    )

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="*", help="Bounced addresses.")
        parser.add_argument("--json", dest="json_file", help="A file with the webhook's payload.")
        parser.add_argument(
            "--complaint", action="store_true", help="Spam complaints, not bounces."
        )
        parser.add_argument("--detail", default="", help="The provider's reason, kept with it.")

    def handle(self, *args, emails, json_file, complaint, detail, **options):
        if not emails and not json_file:
            raise CommandError("Give bounced addresses or --json FILE.")
        try:
            events = [
                bounces.parse_event(
                    {
                        "email": email,
                        "type": "complaint" if complaint else "bounce",
                        "occurred_at": timezone.now().isoformat(),
                        "detail": detail,
                    }
                )
                for email in emails
            ]
            if json_file:
                events += bounces.parse_payload(json.loads(Path(json_file).read_text()))
        except (OSError, ValueError, ValidationError) as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else error
            raise CommandError(f"Nothing recorded: {message}") from None
        recorded = 0
        for event in events:
            if bounces.email_bounce_record(event=event, source="command") is not None:
                recorded += 1
                self.stdout.write(f"{event.email}: recorded")
            else:
                self.stdout.write(f"{event.email}: already recorded")
        self.stdout.write(self.style.SUCCESS(f"{recorded} bounce(s) recorded."))
