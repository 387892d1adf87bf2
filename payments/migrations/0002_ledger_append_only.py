"""The ledger is append-only, enforced by the database itself (see marketplace/append_only.py)."""

from django.db import migrations

from marketplace.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [
        append_only(
            name="payments_ledger",
            table="payments_ledgerentry",
            message="The ledger is append-only: record a reversal instead.",
        )
    ]
