"""Audit events name the school whose student they concern, and are append-only.

As with the payments ledger, the database itself refuses to change the trail:
PostgreSQL refuses UPDATE and DELETE on audit rows (TRUNCATE, which only a
database owner runs, e.g. to reset a test database, still works). SQLite
refuses UPDATE; deleting is left possible there because test databases on
SQLite are emptied with DELETE.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

POSTGRES = """
CREATE FUNCTION accounts_auditevent_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'The audit trail is append-only.';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditevent_append_only
BEFORE UPDATE OR DELETE ON accounts_auditevent
FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_auditevent_append_only();
"""
SQLITE = """
CREATE TRIGGER accounts_auditevent_no_update BEFORE UPDATE ON accounts_auditevent
BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only.'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS accounts_auditevent_no_update;"


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
    dependencies = [
        ("accounts", "0006_work_authorization_permission"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="school",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.school",
            ),
        ),
        # An account that has acted is kept (deactivated), so the trail keeps who acted.
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["school", "created_at"], name="auditevent_school_created"),
        ),
        # Last: on SQLite the AlterField above rebuilds the table, dropping its triggers.
        migrations.RunPython(create, drop),
    ]
