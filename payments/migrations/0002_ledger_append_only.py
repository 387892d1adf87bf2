"""The ledger is append-only, enforced by the database itself.

PostgreSQL refuses UPDATE and DELETE on ledger rows (TRUNCATE, which only a
database owner runs, e.g. to reset a test database, still works). SQLite
refuses UPDATE; deleting is left possible there because test databases on
SQLite are emptied with DELETE.
"""

from django.db import migrations

POSTGRES = """
CREATE FUNCTION payments_ledger_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'The ledger is append-only: record a reversal instead.';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER payments_ledger_append_only
BEFORE UPDATE OR DELETE ON payments_ledgerentry
FOR EACH ROW EXECUTE FUNCTION payments_ledger_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS payments_ledger_append_only ON payments_ledgerentry;
DROP FUNCTION IF EXISTS payments_ledger_append_only();
"""
SQLITE = """
CREATE TRIGGER payments_ledger_no_update BEFORE UPDATE ON payments_ledgerentry
BEGIN SELECT RAISE(ABORT, 'The ledger is append-only: record a reversal instead.'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS payments_ledger_no_update;"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
