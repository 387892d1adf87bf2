"""A migration operation that makes a table append-only in the database itself.

PostgreSQL refuses UPDATE and DELETE on its rows (TRUNCATE, which only a database
owner runs, e.g. to reset a test database, still works). SQLite refuses UPDATE;
deleting is left possible there because test databases on SQLite are emptied with
DELETE.
"""

from django.db import migrations


def append_only(*, name: str, table: str, message: str) -> migrations.RunPython:
    """`name` names the trigger (and PostgreSQL function); `message` is the error raised."""
    postgres = f"""
CREATE FUNCTION {name}_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{message}';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER {name}_append_only
BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION {name}_append_only();
"""
    postgres_drop = f"""
DROP TRIGGER IF EXISTS {name}_append_only ON {table};
DROP FUNCTION IF EXISTS {name}_append_only();
"""
    sqlite = f"""
CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{message}'); END;
"""
    sqlite_drop = f"DROP TRIGGER IF EXISTS {name}_no_update;"

    def run(statements):
        def apply(apps, schema_editor):
            sql = statements.get(schema_editor.connection.vendor)
            if sql:
                schema_editor.execute(sql)

        return apply

    return migrations.RunPython(
        run({"postgresql": postgres, "sqlite": sqlite}),
        run({"postgresql": postgres_drop, "sqlite": sqlite_drop}),
    )
