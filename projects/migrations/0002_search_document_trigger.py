"""Full-text search on PostgreSQL: a trigger fills `search_document`, a GIN index serves it.

Title weighs most, then the summary, then the description and deliverables;
English stemming ("researching" finds "research", "dashboards" finds "dashboard"). SQLite has no tsvector:
there the column stays empty and the browse selector falls back to a
simpler word match.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION projects_project_search_document() RETURNS trigger AS $$
BEGIN
  NEW.search_document :=
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.summary, '')), 'B') ||
    setweight(to_tsvector('pg_catalog.english',
      coalesce(NEW.description, '') || ' ' || coalesce(NEW.deliverables, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER projects_project_search_document
BEFORE INSERT OR UPDATE OF title, summary, description, deliverables, search_document
ON projects_project
FOR EACH ROW EXECUTE FUNCTION projects_project_search_document();

UPDATE projects_project SET search_document = NULL;

CREATE INDEX projects_project_search_gin ON projects_project USING gin (search_document);
"""

DROP = """
DROP INDEX IF EXISTS projects_project_search_gin;
DROP TRIGGER IF EXISTS projects_project_search_document ON projects_project;
DROP FUNCTION IF EXISTS projects_project_search_document();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
