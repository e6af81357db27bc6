"""Full text from a stored ``tsvector`` column rather than an expression index (PostgreSQL).

With the index on ``to_tsvector('simple', search_text)``, every row a search touches outside
the index (rechecks of a large bitmap, the first page read in date order) computes the vector
again; a common word ("cocaine", 100,000 cases in a million) then took seconds.  A generated,
stored column is computed once, when the case is written.  SQLite searches without either.
Like 0002 and 0005, this lives outside the models' state.
"""

from django.db import migrations

from opencen.core.db import on_postgresql

CREATE = [
    "ALTER TABLE seizures_case ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS seizures_case_search_vector ON seizures_case "
    "USING gin (search_vector)",
    "DROP INDEX IF EXISTS seizures_case_search_gin",
    "ALTER TABLE seizures_case ALTER COLUMN search_vector SET STATISTICS 1000",
    "ANALYZE seizures_case",
]
DROP = [
    "CREATE INDEX IF NOT EXISTS seizures_case_search_gin ON seizures_case "
    "USING gin (to_tsvector('simple', search_text))",
    "DROP INDEX IF EXISTS seizures_case_search_vector",
    "ALTER TABLE seizures_case DROP COLUMN IF EXISTS search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("seizures", "0005_search_indexes")]

    operations = [on_postgresql(CREATE, DROP)]
