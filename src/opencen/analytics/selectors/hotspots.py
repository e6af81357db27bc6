"""Hotspots: cases and quantity per seizing country (the world map) and per place of seizure.

Quantities are in one unit (``unit`` option; by default the natural unit of the area filter,
kilograms without one).  Places are UN/LOCODE locations with their coordinates; a place without
coordinates is listed but not drawn.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

import polars as pl
from django.db.models import Count, F, FloatField, Sum
from django.utils.translation import gettext as _

from opencen.analytics.filters import AnalyticsFilter
from opencen.analytics.scope import Scope
from opencen.analytics.selectors import base
from opencen.analytics.selectors.base import Column, Source, Table
from opencen.analytics.selectors.labels import country_names, country_numeric, unit_label
from opencen.analytics.selectors.trends import quantity_unit
from opencen.reference.models import Place

MAX_PLACES = 200


def _country_cases(scope: Scope, flt: AnalyticsFilter, source: Source) -> Counter[str]:
    snap = base.snapshot_of(source)
    if snap is not None:
        rows = base.case_facts(snap, scope, flt).group_by("country_id").len().collect().to_dicts()
        return Counter({r["country_id"]: r["len"] for r in rows})
    qs = base.cases(scope, flt).values("country_id").annotate(n=Count("id"))
    return Counter({r["country_id"]: r["n"] for r in qs})


def _country_quantity(
    scope: Scope, flt: AnalyticsFilter, unit: str, source: Source
) -> Counter[str]:
    snap = base.snapshot_of(source)
    if snap is not None:
        rows = (
            base.goods_facts(snap, scope, flt)
            .filter(pl.col("unit") == unit)
            .group_by("country_id")
            .agg(q=pl.col("quantity").sum())
            .collect()
            .to_dicts()
        )
        return Counter({r["country_id"]: float(r["q"] or 0) for r in rows})
    qs = (
        base.goods_lines(scope, flt)
        .annotate(u=base.normalised_unit())
        .filter(u=unit)
        .values("case__country_id")
        .annotate(q=Sum(F("quantity") * base.unit_factor(), output_field=FloatField()))
    )
    return Counter({r["case__country_id"]: float(r["q"] or 0) for r in qs})


def _place_cases(scope: Scope, flt: AnalyticsFilter, source: Source) -> Counter[str]:
    snap = base.snapshot_of(source)
    if snap is not None:
        rows = (
            base.case_facts(snap, scope, flt)
            .filter(pl.col("place") != "")
            .group_by("place")
            .len()
            .collect()
            .to_dicts()
        )
        return Counter({r["place"]: r["len"] for r in rows})
    qs = base.cases(scope, flt).exclude(place=None).values("place_id").annotate(n=Count("id"))
    return Counter({r["place_id"]: r["n"] for r in qs})


def _countries(cases: Counter[str], quantity: Counter[str], unit: str) -> Table:
    codes = set(cases) | set(quantity)
    names, numeric = country_names(codes), country_numeric(codes)
    rows: list[dict[str, Any]] = [
        {
            "country": names.get(c, c),
            "code": c,
            "id": numeric.get(c, ""),
            "cases": cases.get(c, 0),
            "quantity": round(quantity.get(c, 0.0), 3),
        }
        for c in codes
    ]
    rows.sort(key=lambda r: (-r["cases"], -r["quantity"], r["country"]))
    return Table(
        "countries",
        _("Seizures by country"),
        [
            Column("country", _("Country")),
            Column("cases", _("Cases"), "int"),
            Column("quantity", _("Quantity (%(unit)s)") % {"unit": unit_label(unit)}, "num"),
        ],
        rows,
        extra={"unit": unit_label(unit)},
    )


def _places(cases: Counter[str]) -> Table:
    top = sorted(cases, key=lambda p: (-cases[p], p))[:MAX_PLACES]
    places = {
        p["code"]: p
        for p in Place.objects.filter(code__in=top).values(
            "code", "name", "country__name", "latitude", "longitude"
        )
    }
    rows: list[dict[str, Any]] = []
    for code in top:
        place = cast(dict[str, Any], places.get(code, {}))
        rows.append(
            {
                "place": place.get("name", code),
                "code": code,
                "country": place.get("country__name", ""),
                "cases": cases[code],
                "lat": place.get("latitude"),
                "lon": place.get("longitude"),
            }
        )
    return Table(
        "places",
        _("Places of seizure"),
        [
            Column("place", _("Place")),
            Column("code", _("UN/LOCODE"), "code"),
            Column("country", _("Country")),
            Column("cases", _("Cases"), "int"),
        ],
        rows,
    )


def hotspots(scope: Scope, flt: AnalyticsFilter, source: Source = "facts") -> list[Table]:
    """Countries (for the world map) and places (for the places map)."""
    source = base.snapshot_of(source) or "cases"
    unit = quantity_unit(flt)
    return [
        _countries(
            _country_cases(scope, flt, source), _country_quantity(scope, flt, unit, source), unit
        ),
        _places(_place_cases(scope, flt, source)),
    ]
