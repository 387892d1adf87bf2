"""Search only ever looks at open projects: index only those.

A partial GIN index (WHERE status = 'open') stays small however many projects
a marketplace has completed, and a search visits only open projects' rows.
"""

from django.db import migrations

CREATE = """
DROP INDEX IF EXISTS projects_project_search_gin;
CREATE INDEX projects_project_open_search_gin ON projects_project
USING gin (search_document) WHERE status = 'open';
"""

DROP = """
DROP INDEX IF EXISTS projects_project_open_search_gin;
CREATE INDEX projects_project_search_gin ON projects_project USING gin (search_document);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_browse_indexes")]

    operations = [migrations.RunPython(create, drop)]
