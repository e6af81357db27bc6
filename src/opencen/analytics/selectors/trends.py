"""Trends: cases, quantity or value per month, quarter or year, split by area, region or country.

Each point carries its change on the previous period and on the same period a year before, and
a *break* flag when it departs from the series' recent history: more than ``THRESHOLD`` robust
standard deviations (median and MAD of the ``HISTORY`` periods before it) from the median.
Counts are compared as they are, with the Poisson spread as the smallest deviation; amounts
(quantities, values) on a log scale, with ``LOG_FLOOR`` as the smallest deviation (a break is
then at least a five-fold change) and only when at least ``MIN_HISTORY`` of those periods had
seizures.  History starts at the selection's first seizure: the periods before it are unknown,
not zero.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

import polars as pl
from django.db.models import Count, F, FloatField, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from opencen.analytics.facts import AREA_BITS, natural_unit
from opencen.analytics.filters import AnalyticsFilter, add_months
from opencen.analytics.scope import Scope
from opencen.analytics.selectors import base
from opencen.analytics.selectors.base import Column, Source, Table
from opencen.analytics.selectors.labels import area_label, country_names, region_names, unit_label
from opencen.analytics.store import Snapshot

GRAIN_MONTHS = {"month": 1, "quarter": 3, "year": 12}
HISTORY = 6
MIN_HISTORY = 4
THRESHOLD = 3.5
LOG_FLOOR = 0.5
TOP_SERIES = 8
TOTAL, OTHER = "_total", "_other"
Raw = list[tuple[dt.date, str, str, float]]  # (month, series key, unit, value)


def bucket_of(month: dt.date, grain: str) -> dt.date:
    size = GRAIN_MONTHS[grain]
    return month.replace(month=(month.month - 1) // size * size + 1)


def bucket_label(bucket: dt.date, grain: str) -> str:
    if grain == "year":
        return f"{bucket:%Y}"
    if grain == "quarter":
        return f"{bucket.year}-Q{(bucket.month - 1) // 3 + 1}"
    return f"{bucket:%Y-%m}"


def aligned(flt: AnalyticsFilter) -> AnalyticsFilter:
    """The period widened to whole quarters or years for those grains."""
    size = GRAIN_MONTHS[flt.grain]
    return replace(
        flt,
        start=bucket_of(flt.start, flt.grain),
        end=add_months(bucket_of(flt.end, flt.grain), size - 1),
    )


def quantity_unit(flt: AnalyticsFilter) -> str:
    return flt.unit or (natural_unit(flt.area) if flt.area else "KGM")


# --- fetching: the facts -------------------------------------------------------------------------


def _fact_cases(snap: Snapshot, scope: Scope, flt: AnalyticsFilter) -> Raw:
    cases = base.case_facts(snap, scope, flt)
    if flt.split == "area":
        areas = [flt.area] if flt.area else list(AREA_BITS)
        rows = (
            cases.group_by("month")
            .agg(base.area_expr(a).sum().alias(a) for a in areas)
            .collect()
            .to_dicts()
        )
        return [(r["month"], a, "", float(r[a] or 0)) for r in rows for a in areas]
    key = {"region": "region_id", "country": "country_id"}.get(flt.split)
    if key is None:
        rows = cases.group_by("month").len().collect().to_dicts()
        return [(r["month"], TOTAL, "", float(r["len"])) for r in rows]
    rows = cases.group_by("month", key).len().collect().to_dicts()
    return [(r["month"], r[key] or "", "", float(r["len"])) for r in rows]


def _fact_goods(snap: Snapshot, scope: Scope, flt: AnalyticsFilter, currency: str) -> Raw:
    goods = base.goods_facts(snap, scope, flt)
    key = {"region": "region_id", "country": "country_id", "area": "area"}.get(flt.split)
    fields = ["month", "unit"] + ([key] if key else [])
    if flt.metric == "value":
        rows = (
            goods.filter(pl.col("currency") == currency)
            .group_by(fields)
            .agg(n=pl.col("value").sum())
            .collect()
            .to_dicts()
        )
    else:
        rows = goods.group_by(fields).agg(n=pl.col("quantity").sum()).collect().to_dicts()
    return _keep_units(
        [
            (r["month"], (r[key] or "") if key else TOTAL, r["unit"], float(r["n"] or 0))
            for r in rows
        ],
        flt,
    )


def _keep_units(raw: Raw, flt: AnalyticsFilter) -> Raw:
    """Quantities in the asked unit (each area's natural unit for an area split); values in
    the one currency, whatever their unit."""
    if flt.metric == "value":
        return [(m, k, "", v) for m, k, _u, v in raw]
    if flt.split == "area" and not flt.unit:
        return [r for r in raw if r[2] == natural_unit(r[1])]
    unit = quantity_unit(flt)
    return [r for r in raw if r[2] == unit]


def fact_currency(snap: Snapshot, scope: Scope, flt: AnalyticsFilter) -> str:
    """The currency most valued goods lines are in (what a value chart shows by default)."""
    counts = (
        base.goods_facts(snap, scope, flt)
        .filter((pl.col("currency") != "") & pl.col("value").is_not_null())
        .group_by("currency")
        .len()
        .collect()
        .sort(["len", "currency"], descending=[True, False])
    )
    return str(counts["currency"][0]) if counts.height else ""


# --- fetching: the case tables -------------------------------------------------------------------


def _direct_cases(scope: Scope, flt: AnalyticsFilter) -> Raw:
    qs = base.cases(scope, flt).annotate(m=TruncMonth("date"))
    if flt.split == "area":
        rows = qs.values("m", "goods__commodity_area").annotate(n=Count("id", distinct=True))
        return [
            (base.month_key(r["m"]), r["goods__commodity_area"], "", float(r["n"]))
            for r in rows
            if r["goods__commodity_area"]
            and (not flt.area or r["goods__commodity_area"] == flt.area)
        ]
    key = {"region": "region_id", "country": "country_id"}.get(flt.split)
    if key is None:
        return [
            (base.month_key(r["m"]), TOTAL, "", float(r["n"]))
            for r in qs.values("m").annotate(n=Count("id"))
        ]
    return [
        (base.month_key(r["m"]), base.key_str(r[key]), "", float(r["n"]))
        for r in qs.values("m", key).annotate(n=Count("id"))
    ]


def _direct_goods(scope: Scope, flt: AnalyticsFilter, currency: str) -> Raw:
    key = {
        "region": "case__region_id",
        "country": "case__country_id",
        "area": "commodity_area",
    }.get(flt.split)
    qs = base.goods_lines(scope, flt).annotate(m=TruncMonth("case__date"), u=base.normalised_unit())
    fields = ["m", "u"] + ([key] if key else [])
    if flt.metric == "value":
        rows = qs.filter(currency_id=currency).values(*fields).annotate(n=Sum("value"))
    else:
        rows = qs.values(*fields).annotate(
            n=Sum(F("quantity") * base.unit_factor(), output_field=FloatField())
        )
    return _keep_units(
        [
            (
                base.month_key(r["m"]),
                base.key_str(r[key]) if key else TOTAL,
                r["u"],
                float(r["n"] or 0),
            )
            for r in rows
        ],
        flt,
    )


def direct_currency(scope: Scope, flt: AnalyticsFilter) -> str:
    row = (
        base.goods_lines(scope, flt)
        .exclude(value=None)
        .exclude(currency=None)
        .values("currency_id")
        .annotate(n=Count("id"))
        .order_by("-n", "currency_id")
        .first()
    )
    return row["currency_id"] if row else ""


# --- shaping -------------------------------------------------------------------------------------


def _break(value: float, history: list[float], counts: bool) -> str:
    """``up``/``down`` when ``value`` breaks from ``history`` (see the module docstring)."""
    if counts:
        if len(history) < MIN_HISTORY:
            return ""
        points, current = history, value
    else:
        # Amounts are lumpy and heavy-tailed: compare orders of magnitude, and only on series
        # with enough non-empty periods to have a history at all.
        if sum(1 for h in history if h > 0) < MIN_HISTORY:
            return ""
        points, current = [math.log1p(max(h, 0.0)) for h in history], math.log1p(max(value, 0.0))
    median = statistics.median(points)
    mad = statistics.median(abs(h - median) for h in points)
    floor = math.sqrt(max(median, 1.0)) if counts else LOG_FLOOR
    score = (current - median) / max(1.4826 * mad, floor)
    if score >= THRESHOLD:
        return "up"
    return "down" if score <= -THRESHOLD else ""


def _change(value: float, before: float | None) -> float | None:
    if before is None or before == 0:
        return None
    return round(100.0 * (value - before) / before, 1)


def _labels(keys: Iterable[str], flt: AnalyticsFilter, units: dict[str, str]) -> dict[str, str]:
    keys = set(keys)
    if flt.split == "region":
        names = region_names(k for k in keys if k not in (TOTAL, OTHER))
    elif flt.split == "country":
        names = country_names(k for k in keys if k not in (TOTAL, OTHER))
    elif flt.split == "area":
        names = {k: area_label(k) for k in keys}
        if flt.metric == "quantity":
            names = {k: f"{v} ({unit_label(units.get(k, ''))})" for k, v in names.items()}
    else:
        names = {}
    names.update({TOTAL: _("All"), OTHER: _("Other")})
    return {k: names.get(k) or _("Unknown") for k in keys}


def shape(raw: Raw, flt: AnalyticsFilter, wide_start: dt.date, unit: str, currency: str) -> Table:
    grain, size = flt.grain, GRAIN_MONTHS[flt.grain]
    first = bucket_of(wide_start, grain)
    buckets = []
    b = first
    while b <= flt.end:
        buckets.append(b)
        b = add_months(b, size)
    shown = [b for b in buckets if b >= flt.start]
    values: dict[str, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    units: dict[str, str] = {}
    for month, key, row_unit, value in raw:
        values[key][bucket_of(month, grain)] += value
        units[key] = row_unit
    totals = {k: sum(v[b] for b in shown) for k, v in values.items()}
    ranked = sorted((k for k in totals if totals[k]), key=lambda k: (-totals[k], k))
    if len(ranked) > TOP_SERIES + 1:
        other: dict[dt.date, float] = defaultdict(float)
        for key in ranked[TOP_SERIES:]:
            for bucket, value in values[key].items():
                other[bucket] += value
        ranked = [*ranked[:TOP_SERIES], OTHER]
        values[OTHER] = other
    labels = _labels(ranked, flt, units)
    counts = flt.metric == "cases"
    # Before the selection's first seizure there is no history, not a history of zeros: a
    # series is not "breaking" because the data begins.
    known = min(
        (i for i, b in enumerate(buckets) if any(v.get(b) for v in values.values())),
        default=len(buckets),
    )
    rows, breaks = [], []
    for key in ranked:
        series = [values[key].get(b, 0.0) for b in buckets]
        for i, bucket in enumerate(buckets):
            if bucket < flt.start:
                continue
            value = series[i]
            year_before = bucket_of(add_months(bucket, -12), grain)
            yoy = values[key].get(year_before, 0.0) if year_before >= first else None
            prev = series[i - 1] if i > 0 else None
            flag = _break(value, series[max(known, i - HISTORY) : i], counts)
            if flag and labels[key] not in breaks:
                breaks.append(labels[key])
            if counts:
                value, prev = int(value), None if prev is None else int(prev)
                yoy = None if yoy is None else int(yoy)
            rows.append(
                {
                    "period": bucket_label(bucket, grain),
                    "start": bucket.isoformat(),
                    "series": labels[key],
                    "key": key,
                    "unit": unit_label(units.get(key, unit))
                    if flt.metric == "quantity"
                    else (currency if flt.metric == "value" else ""),
                    "value": round(value, 3),
                    "previous": prev,
                    "change_previous": _change(value, prev),
                    "year_before": yoy,
                    "change_year": _change(value, yoy),
                    "break": flag,
                }
            )
    metric_label = {"cases": _("Cases"), "quantity": _("Quantity"), "value": _("Value")}
    columns = [
        Column("period", _("Period")),
        Column("series", _("Series")),
        Column("value", str(metric_label[flt.metric]), "int" if counts else "num"),
        Column("unit", _("Unit")),
        Column("previous", _("Previous period"), "int" if counts else "num"),
        Column("change_previous", _("Change on previous (%)"), "pct"),
        Column("year_before", _("A year before"), "int" if counts else "num"),
        Column("change_year", _("Change on a year before (%)"), "pct"),
        Column("break", _("Break from recent history")),
    ]
    if flt.metric == "cases":
        columns = [c for c in columns if c.key != "unit"]
    return Table(
        "trends",
        _("Trends"),
        columns,
        rows,
        extra={
            "breaks": breaks,
            "metric": flt.metric,
            "grain": grain,
            "unit": unit_label(unit) if flt.metric == "quantity" else currency,
        },
    )


def trends(scope: Scope, flt: AnalyticsFilter, source: Source = "facts") -> list[Table]:
    """The trends table for ``flt`` (see the module docstring)."""
    flt = aligned(flt)
    back = max(12, HISTORY * GRAIN_MONTHS[flt.grain])
    wide = flt.widened(back)
    unit, currency = quantity_unit(flt), flt.currency
    snap = base.snapshot_of(source)
    if flt.metric == "value" and not currency:
        currency = fact_currency(snap, scope, flt) if snap else direct_currency(scope, flt)
    if flt.metric == "cases":
        raw = _fact_cases(snap, scope, wide) if snap else _direct_cases(scope, wide)
    else:
        raw = (
            _fact_goods(snap, scope, wide, currency)
            if snap
            else _direct_goods(scope, wide, currency)
        )
    return [shape(raw, flt, wide.start, unit, currency)]
