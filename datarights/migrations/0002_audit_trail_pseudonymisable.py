"""The audit trail stays append-only, except for the one change an account closing makes:
it replaces the closed account's name and addresses in an event's words (summary, data)
while an erasure permit exists in the same transaction (datarights.closing). Who acted,
what they did, to which target, for which school and when never change."""

from django.db import migrations

MESSAGE = "The audit trail is append-only."

POSTGRES_KEEPS = """
NEW.id = OLD.id
AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
AND NEW.action = OLD.action
AND NEW.target_type_id = OLD.target_type_id
AND NEW.target_id = OLD.target_id
AND NEW.school_id IS NOT DISTINCT FROM OLD.school_id
AND NEW.created_at = OLD.created_at
"""

POSTGRES_PERMITTING = f"""
CREATE OR REPLACE FUNCTION accounts_auditevent_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM datarights_erasurepermit) AND {POSTGRES_KEEPS}
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '{MESSAGE}';
END
$$ LANGUAGE plpgsql;
"""

POSTGRES_STRICT = f"""
CREATE OR REPLACE FUNCTION accounts_auditevent_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{MESSAGE}';
END
$$ LANGUAGE plpgsql;
"""

SQLITE_DROP = "DROP TRIGGER IF EXISTS accounts_auditevent_no_update"

SQLITE_PERMITTING = f"""
CREATE TRIGGER accounts_auditevent_no_update BEFORE UPDATE ON accounts_auditevent
WHEN NOT (
  EXISTS (SELECT 1 FROM datarights_erasurepermit)
  AND NEW.id = OLD.id
  AND NEW.actor_id IS OLD.actor_id
  AND NEW.action = OLD.action
  AND NEW.target_type_id = OLD.target_type_id
  AND NEW.target_id = OLD.target_id
  AND NEW.school_id IS OLD.school_id
  AND NEW.created_at = OLD.created_at
)
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""

SQLITE_STRICT = f"""
CREATE TRIGGER accounts_auditevent_no_update BEFORE UPDATE ON accounts_auditevent
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""


def run(statements):
    def apply(apps, schema_editor):
        # One statement at a time: SQLite runs only the first of several.
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("datarights", "0001_initial"),
        ("accounts", "0007_audit_trail_school_append_only"),
    ]

    operations = [
        migrations.RunPython(
            run({"postgresql": [POSTGRES_PERMITTING], "sqlite": [SQLITE_DROP, SQLITE_PERMITTING]}),
            run({"postgresql": [POSTGRES_STRICT], "sqlite": [SQLITE_DROP, SQLITE_STRICT]}),
        )
    ]
