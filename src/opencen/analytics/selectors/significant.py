"""Significant cases: the largest cases of the period in each commodity area.

A case's size in an area is the sum of its goods lines of that area in the area's natural unit
(kilograms of drugs, pieces of cigarettes); lines in another kind of unit are not added.  Ties
go to the more recent case.  Each row links to the case page, which the reader may open: the
cases come from what they may see.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import replace
from typing import Any

import polars as pl
from django.db.models import F, FloatField, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from opencen.analytics.facts import AREA_BITS, natural_unit
from opencen.analytics.filters import AnalyticsFilter
from opencen.analytics.scope import Scope
from opencen.analytics.selectors import base
from opencen.analytics.selectors.base import Column, Source, Table
from opencen.analytics.selectors.labels import area_label, transport_label, unit_label
from opencen.analytics.store import Snapshot
from opencen.seizures.models import Case

Ranked = list[tuple[str, str, float, Any, Any]]  # (area, case id, quantity, value, currency)


def _fact_top(
    snap: Snapshot, scope: Scope, flt: AnalyticsFilter, areas: list[str], n: int
) -> Ranked:
    """The top ``n`` case-and-area rows of each area (ties: the more recent, then by id)."""
    rows = (
        base.area_facts(snap, scope, flt, areas)
        .filter(pl.col("quantity") > 0)
        .select("area", "case_id", "date", "quantity", "value", "currency")
    )
    # The n-th largest quantity of each area: every row at or above it is a candidate (ties
    # included), then the few candidates are ranked exactly.
    thresholds = rows.group_by("area").agg(floor=pl.col("quantity").top_k(n).min())
    top = (
        rows.join(thresholds, on="area")
        .filter(pl.col("quantity") >= pl.col("floor"))
        .select("area", pl.col("case_id").cast(pl.String), "date", "quantity", "value", "currency")
        .collect()
        .sort(["quantity", "date", "case_id"], descending=[True, True, False])
    )
    ranked: Ranked = []
    for area in areas:
        for row in top.filter(pl.col("area") == area).head(n).iter_rows(named=True):
            value = row["value"] if row["currency"] else None
            ranked.append(
                (area, row["case_id"], float(row["quantity"]), value, row["currency"] or "")
            )
    return ranked


def _direct_top(scope: Scope, flt: AnalyticsFilter, area: str, n: int) -> Ranked:
    selected = base.cases(scope, replace(flt, area=area))
    rows = (
        base.goods_lines(scope, replace(flt, area=area, chapter=""))
        .filter(case__in=selected.values("id"))
        .annotate(u=base.normalised_unit())
        .filter(u=natural_unit(area))
        .values("case_id", "case__date")
        .annotate(q=Sum(F("quantity") * base.unit_factor(), output_field=FloatField()))
        .filter(q__gt=0)
        .order_by("-q", "-case__date", "case_id")[:n]
    )
    ranked: Ranked = []
    for row in rows:
        lines = base.goods_lines(scope, replace(flt, area=area, chapter="")).filter(
            case_id=row["case_id"]
        )
        currencies = set(lines.exclude(currency=None).values_list("currency_id", flat=True))
        value = lines.aggregate(v=Sum("value"))["v"]
        currency = currencies.pop() if len(currencies) == 1 else ""
        ranked.append(
            (
                area,
                row["case_id"].hex,
                float(row["q"]),
                float(value) if currency and value is not None else None,
                currency,
            )
        )
    return ranked


def significant(scope: Scope, flt: AnalyticsFilter, source: Source = "facts") -> list[Table]:
    """The ``top`` largest cases per commodity area."""
    snap = base.snapshot_of(source)
    areas = [flt.area] if flt.area else list(AREA_BITS)
    if snap is not None:
        ranked = _fact_top(snap, scope, flt, areas, flt.top)
    else:
        ranked = [r for area in areas for r in _direct_top(scope, flt, area, flt.top)]
    cases = {
        c["id"].hex: c
        for c in Case.objects.visible_to(scope.case_actor())
        .filter(id__in=[r[1] for r in ranked])
        .values(
            "id",
            "reference",
            "date",
            "country__name",
            "owner__short_name",
            "transport",
            "concealment",
        )
    }
    rows: list[dict[str, Any]] = []
    rank: defaultdict[str, int] = defaultdict(int)
    for area, case_id, quantity, value, currency in ranked:
        case = cases.get(case_id)
        if case is None:  # pragma: no cover - the roll-ups only hold visible cases
            continue
        rank[area] += 1
        rows.append(
            {
                "area": area_label(area),
                "area_code": area,
                "rank": rank[area],
                "reference": case["reference"],
                "url": reverse("seizures:detail", args=[uuid.UUID(case_id)]),
                "date": case["date"].isoformat(),
                "country": case["country__name"],
                "owner": case["owner__short_name"],
                "quantity": round(quantity, 3),
                "unit": unit_label(natural_unit(area)),
                "value": round(value, 2) if value is not None else None,
                "currency": currency,
                "transport": transport_label(case["transport"]),
            }
        )
    return [
        Table(
            "significant",
            _("Largest cases per commodity area"),
            [
                Column("area", _("Commodity area")),
                Column("rank", _("Rank"), "int"),
                Column("reference", _("Case"), "link"),
                Column("date", _("Date")),
                Column("country", _("Country")),
                Column("owner", _("Reported by")),
                Column("quantity", _("Quantity"), "num"),
                Column("unit", _("Unit")),
                Column("value", _("Value"), "num"),
                Column("currency", _("Currency")),
                Column("transport", _("Means of transport")),
            ],
            rows,
        )
    ]
