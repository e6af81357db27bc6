"""Each case's commodity areas and HS chapters on its own row, for searches at scale.

A filter on a goods line's area or chapter was an ``EXISTS`` probed case by case; combined with
another filter (an owner, a period) PostgreSQL read every case of the other filter first.  With
the sorted lists on the case row and a GIN index on each, it intersects the indexes instead.
Existing cases are filled from their goods lines.
"""

from django.db import migrations, models

from opencen.core.db import on_postgresql

FILL_POSTGRESQL = """
UPDATE seizures_case c
SET goods_areas = g.areas, goods_chapters = g.chapters
FROM (
    SELECT case_id,
           jsonb_agg(DISTINCT commodity_area ORDER BY commodity_area) AS areas,
           COALESCE(
               jsonb_agg(DISTINCT hs_chapter ORDER BY hs_chapter) FILTER (WHERE hs_chapter <> ''),
               '[]'::jsonb
           ) AS chapters
    FROM seizures_goodsline
    GROUP BY case_id
) g
WHERE g.case_id = c.id
"""
INDEXES = [
    "CREATE INDEX IF NOT EXISTS seizures_case_goods_areas ON seizures_case "
    "USING gin (goods_areas jsonb_path_ops)",
    "CREATE INDEX IF NOT EXISTS seizures_case_goods_chapters ON seizures_case "
    "USING gin (goods_chapters jsonb_path_ops)",
    "ANALYZE seizures_case",
]
DROP = [
    "DROP INDEX IF EXISTS seizures_case_goods_areas",
    "DROP INDEX IF EXISTS seizures_case_goods_chapters",
]


def fill_elsewhere(apps, schema_editor):
    """The lists of existing cases, on databases other than PostgreSQL (small ones)."""
    if schema_editor.connection.vendor == "postgresql":
        return
    Case = apps.get_model("seizures", "Case")
    GoodsLine = apps.get_model("seizures", "GoodsLine")
    found: dict = {}
    for case_id, area, chapter in GoodsLine.objects.values_list(
        "case_id", "commodity_area", "hs_chapter"
    ).iterator():
        areas, chapters = found.setdefault(case_id, (set(), set()))
        areas.add(area)
        if chapter:
            chapters.add(chapter)
    cases = list(Case.objects.filter(pk__in=list(found)).only("pk"))
    for case in cases:
        areas, chapters = found[case.pk]
        case.goods_areas, case.goods_chapters = sorted(areas), sorted(chapters)
    Case.objects.bulk_update(cases, ["goods_areas", "goods_chapters"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("seizures", "0006_search_vector")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="goods_areas",
            field=models.JSONField(default=list, editable=False),
        ),
        migrations.AddField(
            model_name="case",
            name="goods_chapters",
            field=models.JSONField(default=list, editable=False),
        ),
        migrations.RunPython(fill_elsewhere, migrations.RunPython.noop),
        on_postgresql([FILL_POSTGRESQL, *INDEXES], DROP),
    ]
