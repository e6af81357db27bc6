"""Full-text index for case search on PostgreSQL (SQLite searches without one)."""

from django.db import migrations

from opencen.core.db import on_postgresql

CREATE = (
    "CREATE INDEX IF NOT EXISTS seizures_case_search_gin ON seizures_case "
    "USING gin (to_tsvector('simple', search_text))"
)
DROP = "DROP INDEX IF EXISTS seizures_case_search_gin"


class Migration(migrations.Migration):
    dependencies = [("seizures", "0001_initial")]

    operations = [on_postgresql(CREATE, DROP)]
