"""Indexes for the case list and search at a million cases (PostgreSQL; see docs/benchmarks.md).

- the list's order (``-date, -created_at``) as one index, so the first page is read in order;
- goods lines by commodity area and by HS chapter with the case, so the ``EXISTS`` of those
  filters is answered from the index alone;
- finer statistics on the full-text index, so the planner tells rare words ("ivory") from
  common ones ("cocaine") and picks its plan accordingly.

Like the full-text index (0002), these live outside the models' state: SQLite needs none.
"""

from django.db import migrations

from opencen.core.db import on_postgresql

CREATE = [
    "CREATE INDEX IF NOT EXISTS seizures_case_list_order ON seizures_case "
    "(date DESC, created_at DESC)",
    "CREATE INDEX IF NOT EXISTS seizures_goodsline_area_case ON seizures_goodsline "
    "(commodity_area, case_id)",
    "CREATE INDEX IF NOT EXISTS seizures_goodsline_chapter_case ON seizures_goodsline "
    "(hs_chapter, case_id)",
    "ALTER INDEX IF EXISTS seizures_case_search_gin ALTER COLUMN 1 SET STATISTICS 1000",
    "ANALYZE seizures_case",
    "ANALYZE seizures_goodsline",
]
DROP = [
    "DROP INDEX IF EXISTS seizures_case_list_order",
    "DROP INDEX IF EXISTS seizures_goodsline_area_case",
    "DROP INDEX IF EXISTS seizures_goodsline_chapter_case",
    "ALTER INDEX IF EXISTS seizures_case_search_gin ALTER COLUMN 1 SET STATISTICS -1",
    "ANALYZE seizures_case",
]


class Migration(migrations.Migration):
    dependencies = [("seizures", "0004_unknown_choices")]

    operations = [on_postgresql(CREATE, DROP)]
