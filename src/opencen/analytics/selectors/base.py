"""What every analysis shares: its result tables and the two ways of reading the cases.

Each analysis computes the same figures two ways:

* from the facts (``case_facts``/``goods_facts``: the in-memory columns of ``analytics.store``
  filtered by the scope's access predicate and the filters): what the pages use, fast;
* ``cases(scope, flt)``: ``seizures.selectors.search_cases`` over ``visible_to`` (the
  reference the tests compare against, and the benchmark's baseline: slow at scale).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Union

import polars as pl
from django.db.models import Case as When_
from django.db.models import CharField, F, FloatField, Q, QuerySet, Value, When

from opencen.analytics import store
from opencen.analytics.facts import AREA_BITS, UNITS
from opencen.analytics.filters import AnalyticsFilter
from opencen.analytics.scope import Scope
from opencen.analytics.store import Snapshot
from opencen.reference.models import WcoRegion
from opencen.seizures.choices import Status
from opencen.seizures.models import Case, GoodsLine
from opencen.seizures.selectors import search_cases

Source = Union[Literal["facts", "cases"], "Snapshot"]
Kind = Literal["text", "int", "num", "pct", "link", "code"]


@dataclass(frozen=True)
class Column:
    """A column of a result table: its key in the rows, its heading and how to show it."""

    key: str
    label: str
    kind: Kind = "text"


@dataclass
class Table:
    """One result of an analysis: the rows a chart draws, the table shows and the CSV holds."""

    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


Analysis = Callable[[Scope, AnalyticsFilter, Source], list[Table]]


# --- the facts -----------------------------------------------------------------------------------


def snapshot_of(source: Source) -> Snapshot | None:
    """The facts to read (synced now for ``"facts"``), or ``None`` for the case tables."""
    if isinstance(source, Snapshot):
        return source
    return store.current() if source == "facts" else None


def _common(scope: Scope, flt: AnalyticsFilter) -> pl.Expr:
    expr = scope.fact_filter() & pl.col("month").is_between(flt.start, flt.end)
    if flt.region:
        expr = expr & pl.col("region_id").is_in(_region_ids(flt.region))
    for name, column in (
        ("country", "country_id"),
        ("transport", "transport"),
        ("detection", "detection"),
    ):
        value = getattr(flt, name)
        if value:
            expr = expr & (pl.col(column) == value)
    return expr


def _region_ids(code: str) -> list[str]:
    """Ids of the WCO region with this code, as in the facts."""
    return [i.hex for i in WcoRegion.objects.filter(code=code).values_list("id", flat=True)]


def area_expr(area: str) -> pl.Expr:
    """Cases with at least one goods line of ``area``."""
    bit = AREA_BITS.get(area, 0)
    return (pl.col("areas") & bit) > 0 if bit else pl.lit(False)


def case_facts(snap: Snapshot, scope: Scope, flt: AnalyticsFilter) -> pl.LazyFrame:
    """The cases the scope may count that the filters select (area and chapter: a case with a
    matching goods line), as a lazy frame: the caller's aggregation reads only the columns it
    needs."""
    expr = _common(scope, flt)
    if flt.area and flt.chapter:
        expr = expr & pl.col("pairs").cast(pl.String).str.contains(
            f",{flt.area}:{flt.chapter},", literal=True
        )
    elif flt.area:
        expr = expr & area_expr(flt.area)
    elif flt.chapter:
        expr = expr & pl.col("pairs").cast(pl.String).str.contains(f":{flt.chapter},", literal=True)
    return snap.cases.lazy().filter(expr)


def goods_facts(snap: Snapshot, scope: Scope, flt: AnalyticsFilter) -> pl.LazyFrame:
    """The goods lines matching the filters (area and chapter on the line itself) of the cases
    the scope may count."""
    expr = _common(scope, flt)
    if flt.area:
        expr = expr & (pl.col("area") == flt.area)
    if flt.chapter:
        expr = expr & (pl.col("chapter") == flt.chapter)
    return snap.goods.lazy().filter(expr)


def area_facts(
    snap: Snapshot, scope: Scope, flt: AnalyticsFilter, areas: list[str]
) -> pl.LazyFrame:
    """Case-and-area rows of ``areas`` (the chapter filter: the case has a line of that area
    and chapter)."""
    expr = _common(scope, flt) & pl.col("area").is_in(areas)
    if flt.chapter:
        expr = expr & pl.col("chapters").cast(pl.String).str.contains(
            f",{flt.chapter},", literal=True
        )
    return snap.areas.lazy().filter(expr)


def key_str(value: object) -> str:
    """A grouping key as text: UUIDs in hex (as in the facts), nothing as ``""``."""
    if value is None:
        return ""
    if isinstance(value, uuid.UUID):
        return value.hex
    return str(value)


# --- the case tables -----------------------------------------------------------------------------


def cases(scope: Scope, flt: AnalyticsFilter) -> QuerySet[Case]:
    """The cases the scope may see that the filters select, withdrawn ones left out."""
    qs = search_cases(scope.case_actor(), flt.case_filter()).filter(scope.case_q())
    return qs.exclude(status=Status.WITHDRAWN).order_by()


def line_q(flt: AnalyticsFilter, prefix: str = "") -> Q:
    """Goods lines matching the area and chapter filters (``prefix`` for a relation path)."""
    q = Q()
    if flt.area:
        q &= Q(**{f"{prefix}commodity_area": flt.area})
    if flt.chapter:
        q &= Q(**{f"{prefix}hs_chapter": flt.chapter})
    return q


def goods_lines(scope: Scope, flt: AnalyticsFilter) -> QuerySet[GoodsLine]:
    """Goods lines of the selected cases that match the area and chapter filters."""
    return GoodsLine.objects.filter(line_q(flt), case__in=cases(scope, flt).values("id")).order_by()


def unit_factor() -> When_:
    """The factor to the normalised unit of a goods line's unit (``facts.UNITS``)."""
    return When_(
        *[When(unit_id=code, then=Value(f)) for code, (_u, f) in UNITS.items()],
        default=Value(1.0),
        output_field=FloatField(),
    )


def normalised_unit() -> When_:
    return When_(
        *[When(unit_id=code, then=Value(u)) for code, (u, _f) in UNITS.items()],
        default=F("unit_id"),
        output_field=CharField(),
    )


def month_key(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.replace(day=1)


def pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None
