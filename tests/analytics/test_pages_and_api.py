"""The analysis pages and API: filters, chart, table, CSV, permanent link, the contract."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import altair as alt
import pytest
from django.core.cache import cache
from django.core.management import call_command

from opencen.analytics import events
from opencen.analytics.models import CaseFact
from opencen.api import api
from opencen.audit.models import AuditEvent
from tests.analytics.conftest import Dataset
from tests.openapi import assert_matches_schema

pytestmark = pytest.mark.usefixtures("refdata")

VIEWS = ["trends", "routes", "modus", "hotspots", "significant", "quality"]
Q1 = "from=2026-01&to=2026-03"


def _spec(html: str, key: str) -> dict[str, Any]:
    match = re.search(
        rf'<script id="spec-{key}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no chart specification for {key}"
    return json.loads(match.group(1))


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_has_filters_chart_table_csv_and_permalink(
    dataset: Dataset, login: Any, view: str
) -> None:
    client = login(dataset.cast.fr_analyst)
    page = client.get(f"/analytics/{view}/?{Q1}").content.decode()
    for name in ("from", "to", "region", "country", "area", "chapter", "transport", "detection"):
        assert f'name="{name}"' in page, name
    assert 'class="chart"' in page and "data-vega-spec=" in page
    assert "<table" in page and 'class="sort"' in page
    assert f"/analytics/{view}/csv/?" in page
    permalink = re.search(r'class="permalink-text small" value="([^"]+)"', page)
    assert permalink and "from=2026-01" in permalink.group(1) and "to=2026-03" in permalink.group(1)
    assert "vega-lite.min.js" in page and "cdn" not in page.lower()


def test_the_chart_the_table_and_the_csv_hold_the_same_rows(dataset: Dataset, login: Any) -> None:
    client = login(dataset.cast.fr_analyst)
    page = client.get(f"/analytics/trends/?{Q1}").content.decode()
    spec = _spec(page, "trends")
    chart_values = [(r["period"], r["value"]) for r in spec["datasets"]["rows"]]
    assert chart_values == [("2026-01", 2), ("2026-02", 2), ("2026-03", 1)]
    cells = re.findall(r'<td data-value="([^"]*)" class="num">', page)
    assert cells[:1] == ["2"]
    response = client.get(f"/analytics/trends/csv/?{Q1}")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Period", "Series", "Cases"]
    assert [(r[0], r[2]) for r in rows[1:]] == [
        ("2026-01", "2"),
        ("2026-02", "2"),
        ("2026-03", "1"),
    ]
    exported = AuditEvent.objects.get(tag=str(events.DATA_EXPORTED))
    assert exported.changes["query"] == {"from": "2026-01", "to": "2026-03"}
    assert exported.changes["rows"] == 3


def test_the_permanent_link_reproduces_the_view(dataset: Dataset, login: Any) -> None:
    client = login(dataset.cast.fr_analyst)
    first = client.get(f"/analytics/routes/?{Q1}&area=drugs&top=3").content.decode()
    link = re.search(
        r'class="permalink" [^>]*href="\?([^"]+)"|href="\?([^"]+)" class="permalink"', first
    )
    assert link
    query = (link.group(1) or link.group(2)).replace("&amp;", "&")
    assert set(query.split("&")) == {"from=2026-01", "to=2026-03", "area=drugs", "top=3"}
    cache.clear()
    again = client.get(f"/analytics/routes/?{query}").content.decode()
    assert _spec(again, "routes")["datasets"] == _spec(first, "routes")["datasets"]


def test_a_filter_change_by_htmx_returns_the_results_block(dataset: Dataset, login: Any) -> None:
    client = login(dataset.cast.fr_analyst)
    partial = client.get(f"/analytics/trends/?{Q1}&area=tobacco", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert html.startswith('<div id="analysis-results"') and "<html" not in html
    values = [r["value"] for r in _spec(html, "trends")["datasets"]["rows"]]
    assert values == [0, 1, 0]


def test_refused_filters_name_the_field(dataset: Dataset, login: Any) -> None:
    client = login(dataset.cast.fr_analyst)
    page = client.get("/analytics/trends/?from=2026-13&chapter=abc&currency=eur1")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Give a month as YYYY-MM." in html and "Two digits, e.g. 12." in html
    response = client.get("/api/analytics/trends?from=2026-03&to=2026-01&country=ZZ")
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"to", "country"}
    assert client.get("/api/analytics/nowhere").status_code == 422
    assert client.get("/analytics/nowhere/csv/").status_code == 404


@pytest.mark.parametrize("view", VIEWS)
def test_the_api_answers_tables_and_valid_chart_specifications(
    dataset: Dataset, login: Any, view: str
) -> None:
    client = login(dataset.cast.rilo_analyst)
    response = client.get(f"/api/analytics/{view}?{Q1}&top=5")
    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(
        json.loads(json.dumps(api.get_openapi_schema())),
        "/api/analytics/{analysis}",
        "get",
        200,
        body,
    )
    assert body["query"]["from"] == "2026-01" and body["data_version"] >= 1
    for table in body["tables"]:
        spec = body["charts"][table["key"]]
        alt.Chart.from_dict(spec, validate=True)  # a valid Vega-Lite document
        assert spec["$schema"].endswith("v6.4.1.json")
    csv_response = client.get(f"/api/analytics/{view}/csv?{Q1}")
    assert csv_response.status_code == 200
    assert (
        csv_response.content.decode()
        .splitlines()[0]
        .startswith(body["tables"][0]["columns"][0]["label"])
    )


def test_the_vendored_charting_library_matches_the_schema_altair_writes() -> None:
    from pathlib import Path

    import opencen.web

    vendor = Path(opencen.web.__file__).parent / "static" / "web" / "vendor"
    head = (vendor / "vega-lite.min.js").read_text()[:2000] + (
        vendor / "vega-lite.min.js"
    ).read_text()[-200_000:]
    assert '"6.4.1"' in head or "6.4.1" in head
    assert alt.SCHEMA_VERSION == "v6.4.1"


def test_the_facts_follow_the_command(dataset: Dataset) -> None:
    out = io.StringIO()
    call_command("analytics", "rebuild", stdout=out)
    assert "rebuilt" in out.getvalue()
    assert CaseFact.objects.count() == 9  # ten cases, one withdrawn
    out = io.StringIO()
    call_command("analytics", "status", stdout=out)
    assert "CaseFact" in out.getvalue() and "9 rows" in out.getvalue()
    out = io.StringIO()
    call_command("analytics", "sync", stdout=out)
    assert "synced" in out.getvalue()
