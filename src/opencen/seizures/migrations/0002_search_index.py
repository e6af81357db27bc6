"""Full-text index for case search on PostgreSQL (SQLite searches without one)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS seizures_case_search_gin ON seizures_case "
    "USING gin (to_tsvector('simple', search_text))"
)
DROP = "DROP INDEX IF EXISTS seizures_case_search_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("seizures", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
