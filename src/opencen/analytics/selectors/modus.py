"""Modus operandi: concealment x transport x commodity area, and what each detection method finds.

Cases are counted once per commodity area they have goods in, and once in the ``All areas``
rows.  Detection quantities are in each area's natural unit (lines in other units left out),
so their shares compare like with like.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import polars as pl
from django.db.models import Count, F, FloatField, Sum
from django.utils.translation import gettext as _

from opencen.analytics.facts import AREA_BITS, natural_unit
from opencen.analytics.filters import AnalyticsFilter
from opencen.analytics.scope import Scope
from opencen.analytics.selectors import base
from opencen.analytics.selectors.base import Column, Source, Table
from opencen.analytics.selectors.labels import (
    area_label,
    concealment_label,
    detection_label,
    transport_label,
    unit_label,
)

ALL = ""
Key = tuple[str, ...]


def _areas(flt: AnalyticsFilter) -> list[str]:
    return [flt.area] if flt.area else list(AREA_BITS)


def _case_counts(
    scope: Scope, flt: AnalyticsFilter, dims: list[str], source: Source
) -> Counter[Key]:
    """Cases per ``dims`` + area (``ALL`` for every area together)."""
    result: Counter[Key] = Counter()
    areas = _areas(flt)
    snap = base.snapshot_of(source)
    if snap is not None:
        rows = (
            base.case_facts(snap, scope, flt)
            .group_by(dims)
            .agg(pl.len().alias("_all"), *(base.area_expr(a).sum().alias(a) for a in areas))
            .collect()
        )
        for row in rows.to_dicts():
            key = tuple(row[d] for d in dims)
            result[(*key, ALL)] += row["_all"]
            for a in areas:
                if row[a]:
                    result[(*key, a)] += row[a]
        return result
    qs = base.cases(scope, flt)
    for row in qs.values(*dims).annotate(n=Count("id")):
        result[(*(row[d] for d in dims), ALL)] += row["n"]
    for row in qs.values(*dims, "goods__commodity_area").annotate(n=Count("id", distinct=True)):
        area = row["goods__commodity_area"]
        if area and area in areas:
            result[(*(row[d] for d in dims), area)] += row["n"]
    return result


def _detection_quantities(
    scope: Scope, flt: AnalyticsFilter, source: Source
) -> dict[tuple[str, str], float]:
    """Quantity per (detection, area) in the area's natural unit."""
    result: defaultdict[tuple[str, str], float] = defaultdict(float)
    snap = base.snapshot_of(source)
    if snap is not None:
        rows = (
            base.goods_facts(snap, scope, flt)
            .group_by("detection", "area", "unit")
            .agg(q=pl.col("quantity").sum())
            .collect()
            .to_dicts()
        )
        items = [(r["detection"], r["area"], r["unit"], r["q"]) for r in rows]
    else:
        qs = (
            base.goods_lines(scope, flt)
            .annotate(u=base.normalised_unit())
            .values("case__detection", "commodity_area", "u")
            .annotate(q=Sum(F("quantity") * base.unit_factor(), output_field=FloatField()))
        )
        items = [(r["case__detection"], r["commodity_area"], r["u"], r["q"]) for r in qs]
    for detection, area, unit, quantity in items:
        if unit == natural_unit(area):
            result[(detection, area)] += float(quantity or 0)
    return result


def _concealment(flt: AnalyticsFilter, counts: Counter[Key]) -> Table:
    rows: list[dict[str, Any]] = [
        {
            "concealment": concealment_label(c),
            "transport": transport_label(t),
            "area": area_label(a) if a else _("All areas"),
            "area_code": a,
            "cases": n,
        }
        for (c, t, a), n in counts.items()
    ]
    rows.sort(
        key=lambda r: (
            r["area_code"] != ALL,
            r["area"],
            -r["cases"],
            r["concealment"],
            r["transport"],
        )
    )
    return Table(
        "concealment",
        _("Concealment by means of transport and commodity area"),
        [
            Column("concealment", _("Concealment method")),
            Column("transport", _("Means of transport")),
            Column("area", _("Commodity area")),
            Column("cases", _("Cases"), "int"),
        ],
        rows,
    )


def _detection(counts: Counter[Key], quantities: dict[tuple[str, str], float]) -> Table:
    case_totals: Counter[str] = Counter()
    qty_totals: defaultdict[str, float] = defaultdict(float)
    for (_d, area), n in counts.items():
        case_totals[area] += n
    for (_d, area), q in quantities.items():
        qty_totals[area] += q
    rows: list[dict[str, Any]] = []
    for (detection, area), n in counts.items():
        quantity = quantities.get((detection, area)) if area else None
        rows.append(
            {
                "area": area_label(area) if area else _("All areas"),
                "area_code": area,
                "detection": detection_label(detection),
                "cases": n,
                "cases_share": base.pct(n, case_totals[area]),
                "quantity": round(quantity, 3) if quantity is not None else None,
                "unit": unit_label(natural_unit(area)) if area else "",
                "quantity_share": base.pct(quantity, qty_totals[area])
                if quantity is not None
                else None,
            }
        )
    rows.sort(key=lambda r: (r["area_code"] != ALL, r["area"], -r["cases"], r["detection"]))
    return Table(
        "detection",
        _("What each detection method finds"),
        [
            Column("area", _("Commodity area")),
            Column("detection", _("Detection method")),
            Column("cases", _("Cases"), "int"),
            Column("cases_share", _("Share of the area's cases (%)"), "pct"),
            Column("quantity", _("Quantity"), "num"),
            Column("unit", _("Unit")),
            Column("quantity_share", _("Share of the area's quantity (%)"), "pct"),
        ],
        rows,
    )


def modus(scope: Scope, flt: AnalyticsFilter, source: Source = "facts") -> list[Table]:
    """Concealment x transport x area, and detection effectiveness per area."""
    source = base.snapshot_of(source) or "cases"
    concealment = _case_counts(scope, flt, ["concealment", "transport"], source)
    detection = _case_counts(scope, flt, ["detection"], source)
    quantities = _detection_quantities(scope, flt, source)
    merged: dict[tuple[str, str], int] = defaultdict(int)
    for (d, a), n in detection.items():
        merged[(d, a)] += n
    return [_concealment(flt, concealment), _detection(Counter(merged), quantities)]
