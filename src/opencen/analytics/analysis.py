"""Running an analysis for a reader: bring the facts up to date, then compute or reuse.

Results are cached (Django's cache) under a key made of the view, the filters, the data
version and epoch of the facts, the reader's *visibility signature* (organisation, kind, region,
groups: what the access predicate depends on, so two readers who see the same cases share an
entry and two who do not never do) and the language.  A change to the cases bumps the version,
so a cached figure is never older than the data it was computed from.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import json_script
from django.utils.http import urlencode
from django.utils.translation import get_language

from opencen.analytics import charts, rendering, rollups, store
from opencen.analytics.filters import AnalyticsFilter
from opencen.analytics.scope import Scope
from opencen.analytics.selectors import VIEWS, Table, View
from opencen.core.errors import NotFound

CACHE_SECONDS = 15 * 60
KEY_VERSION = 1


@dataclass
class Panel:
    """One result table and its chart (the specification, and as a safe ``<script>``)."""

    table: Table
    spec: dict[str, Any]
    script: str = ""
    table_html: str = ""
    rows_label: str = ""

    @property
    def element_id(self) -> str:
        return f"spec-{self.table.key}"

    @property
    def signature(self) -> str:
        return hashlib.sha1(self.script.encode(), usedforsecurity=False).hexdigest()[:12]


@dataclass
class Result:
    """What a view shows: its panels, the filters and the data version they come from."""

    view: View
    flt: AnalyticsFilter
    panels: list[Panel]
    version: int
    html: str = ""
    cached: bool = False
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def panel(self, key: str) -> Panel:
        for panel in self.panels:
            if panel.table.key == key:
                return panel
        raise NotFound(key)


def view_of(key: str) -> View:
    try:
        return VIEWS[key]
    except KeyError:
        raise NotFound(key) from None


def cache_key(
    view: View, flt: AnalyticsFilter, scope: Scope, version: int, epoch: uuid.UUID
) -> str:
    raw = "|".join(
        [
            str(KEY_VERSION),
            view.key,
            str(epoch),
            str(version),
            scope.signature(),
            get_language() or "en",
            flt.cache_part(),
        ]
    )
    return "analytics:" + hashlib.sha256(raw.encode()).hexdigest()


def analyse(scope: Scope, view_key: str, flt: AnalyticsFilter, *, use_cache: bool = True) -> Result:
    """The panels of ``view_key`` for ``flt``, as ``scope`` may see them."""
    view = view_of(view_key)
    started = time.perf_counter()
    synced = rollups.sync()
    key = cache_key(view, flt, scope, synced.version, synced.epoch)
    version = synced.version
    hit = cache.get(key) if use_cache else None
    if hit is not None:
        panels, html = hit
        return Result(
            view, flt, panels, version, html, cached=True, seconds=time.perf_counter() - started
        )
    snap = store.snapshot(synced.version, synced.epoch)
    panels = []
    for table in view.analysis(scope, flt, snap):
        spec = charts.spec(table, flt)
        panels.append(
            Panel(
                table,
                spec,
                json_script(spec, f"spec-{table.key}"),
                rendering.table_html(table),
                rendering.rows_label(table),
            )
        )
    result = Result(view, flt, panels, version)
    result.html = render_to_string(
        "analytics/_panels.html",
        {
            "result": result,
            "query": urlencode(flt.to_query()),
            "csv_url": reverse("analytics:csv", kwargs={"analysis": view.key}),
        },
    )
    if use_cache:
        cache.set(key, (panels, result.html), CACHE_SECONDS)
    result.seconds = time.perf_counter() - started
    return result


def csv_text(table: Table) -> str:
    """The table as CSV: the column headings, then the rows (raw values, no formatting)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if row.get(c.key) is None else row.get(c.key) for c in table.columns])
    return buffer.getvalue()


def table_json(table: Table) -> dict[str, Any]:
    return {
        "key": table.key,
        "title": table.title,
        "note": table.note,
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in table.columns],
        "rows": json.loads(json.dumps(table.rows, default=str)),
    }
