"""The facts in memory, as columns: what the analyses aggregate, in a few milliseconds.

A row store answers "cases per month over ten years for this reader" by reading every fact
row; at a million cases that is most of a second.  The analyses instead filter and aggregate
the facts as polars columns (categorical codes, scanned with vectorised code on every core),
which takes milliseconds.  Each process keeps one copy per database, by month: before each
analysis it reads the months' data versions (``RollupMonth``, a few hundred rows) and reloads
only the months that changed since; a rebuild (new ``epoch``) drops the copy.  The copy is a
cache of the fact tables, which stay the reference; the access dimensions come with it and are
filtered on every query (``analytics.scope``).
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import connection

from opencen.analytics.facts import AREA_BITS, QUALITY_FLAGS, natural_unit
from opencen.analytics.models import CaseFact, GoodsFact, RollupMonth
from opencen.core.db import copy_out_csv

CATEGORIES = [
    "owner_id",
    "distribution",
    "region_id",
    "country_id",
    "transport",
    "detection",
    "concealment",
    "place",
    "pairs",
    "departure",
    "transit",
    "destination",
    "chain",
    "chapters",
]
CASE_COLUMNS: dict[str, Any] = {
    "case_id": pl.String,
    "month": pl.Date,
    "date": pl.Date,
    "owner_id": pl.String,
    "distribution": pl.String,
    "share_set_id": pl.Int64,
    "draft": pl.Boolean,
    "validated": pl.Boolean,
    "region_id": pl.String,
    "country_id": pl.String,
    "transport": pl.String,
    "detection": pl.String,
    "concealment": pl.String,
    "place": pl.String,
    "areas": pl.Int32,
    "pairs": pl.String,
    "departure": pl.String,
    "transit": pl.String,
    "destination": pl.String,
    "delay": pl.Int32,
    **dict.fromkeys(QUALITY_FLAGS, pl.Boolean),
}
GOODS_COLUMNS: dict[str, Any] = {
    "case_id": pl.String,
    "month": pl.Date,
    "area": pl.String,
    "chapter": pl.String,
    "unit": pl.String,
    "quantity": pl.Float64,
    "value": pl.Float64,
    "currency": pl.String,
}
# Case columns copied onto each goods line, so goods filter like cases without a join.
CASE_ON_GOODS = [
    "case_id",
    "date",
    "owner_id",
    "distribution",
    "share_set_id",
    "draft",
    "region_id",
    "country_id",
    "transport",
    "detection",
    "concealment",
]


@dataclass
class Snapshot:
    """The facts one analysis reads: cases; goods lines with their case's dimensions; and one
    row per case and commodity area (its quantity in the area's natural unit, for ranking)."""

    cases: pl.DataFrame
    goods: pl.DataFrame
    areas: pl.DataFrame
    version: int
    epoch: uuid.UUID


@dataclass
class _Copy:
    epoch: uuid.UUID | None = None
    months: dict[dt.date, int] = field(default_factory=dict)
    parts: dict[dt.date, Part] = field(default_factory=dict)
    joined: Part | None = None


Part = tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]
_LOCK = threading.Lock()
_COPIES: dict[str, _Copy] = {}


def _uuid_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"replace(CAST({column} AS text), '-', '')"
    return column


def _select(
    model: type[Any], columns: dict[str, pl.DataType], months: list[dt.date]
) -> pl.DataFrame:
    """The facts of ``months`` as a data frame (``COPY`` on PostgreSQL)."""
    table = connection.ops.quote_name(model._meta.db_table)
    uuid_columns = {"case_id", "owner_id", "region_id"}
    names = [_uuid_sql(c) if c in uuid_columns else connection.ops.quote_name(c) for c in columns]
    marks = ", ".join(["%s"] * len(months))
    sql = f"SELECT {', '.join(names)} FROM {table} WHERE month IN ({marks})"  # noqa: S608
    if connection.vendor == "postgresql":
        literal = sql.replace(
            f"IN ({marks})", "IN (" + ", ".join(f"DATE '{m.isoformat()}'" for m in months) + ")"
        )
        data = copy_out_csv(literal)
        if not data:
            return pl.DataFrame(schema=columns)
        frame = pl.read_csv(
            data,
            has_header=False,
            new_columns=list(columns),
            schema_overrides={k: (pl.String if v == pl.Boolean else v) for k, v in columns.items()},
        )
        return frame.with_columns(
            pl.col(c).is_in(["t", "true"]) for c, t in columns.items() if t == pl.Boolean
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, months)
        rows = cursor.fetchall()
    frame = pl.DataFrame(
        rows,
        schema={k: (pl.Int64 if v == pl.Boolean else v) for k, v in columns.items()},
        orient="row",
    )
    return frame.with_columns(
        pl.col(c).cast(pl.Boolean) for c, t in columns.items() if t == pl.Boolean
    )


def _categorical(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(c).fill_null("").cast(pl.Categorical) for c in frame.columns if c in CATEGORIES
    )


def _case_areas(cases: pl.DataFrame, goods: pl.DataFrame) -> pl.DataFrame:
    """Per case and area: quantity of the lines in the area's natural unit, value (when in a
    single currency), chapters; with the case's dimensions."""
    natural = pl.col("area").replace_strict({a: natural_unit(a) for a in AREA_BITS}, default="")
    valued = (pl.col("currency") != "") & pl.col("value").is_not_null()
    per_area = (
        goods.group_by("case_id", "area")
        .agg(
            quantity=pl.col("quantity").filter(pl.col("unit") == natural).sum(),
            value=pl.col("value").sum(),
            currencies=pl.col("currency").filter(valued).n_unique(),
            currency=pl.col("currency").filter(valued).first(),
            chapters=pl.lit(",") + pl.col("chapter").unique().sort().str.join(",") + pl.lit(","),
        )
        .with_columns(
            value=pl.when(pl.col("currencies") == 1).then(pl.col("value")).otherwise(None),
            currency=pl.when(pl.col("currencies") == 1)
            .then(pl.col("currency"))
            .otherwise(pl.lit("")),
        )
        .drop("currencies")
    )
    return per_area.join(cases.select("month", *CASE_ON_GOODS), on="case_id", how="inner")


def _build(cases: pl.DataFrame, goods: pl.DataFrame) -> Part:
    """The three in-memory frames from fact rows (categorical codes for the dimensions)."""
    cases = cases.with_columns(
        chain=pl.concat_str("departure", "transit", "destination", separator="|")
    )
    goods = goods.drop("month").join(
        cases.select("month", *CASE_ON_GOODS), on="case_id", how="inner"
    )
    areas = _case_areas(cases, goods)
    return _categorical(cases), _categorical(goods), _categorical(areas)


def _load(months: list[dt.date]) -> dict[dt.date, Part]:
    frames = _build(
        _select(CaseFact, CASE_COLUMNS, months), _select(GoodsFact, GOODS_COLUMNS, months)
    )
    split = [
        {
            key[0]: part
            for key, part in f.partition_by("month", as_dict=True, maintain_order=False).items()
        }
        for f in frames
    ]
    empty = [f.clear() for f in frames]
    return {
        month: tuple(split[i].get(month, empty[i]) for i in range(3))  # type: ignore[misc]
        for month in months
    }


def _key() -> str:
    settings = connection.settings_dict
    return f"{connection.alias}:{settings.get('NAME')}:{settings.get('HOST')}"


def snapshot(version: int, epoch: uuid.UUID) -> Snapshot:
    """The facts as of now (call after ``rollups.sync``)."""
    versions = dict(RollupMonth.objects.values_list("month", "version"))
    with _LOCK:
        copy = _COPIES.setdefault(_key(), _Copy())
        if copy.epoch != epoch:
            copy.epoch, copy.months, copy.parts, copy.joined = epoch, {}, {}, None
        stale = sorted(m for m, v in versions.items() if copy.months.get(m) != v)
        gone = [m for m in copy.months if m not in versions]
        for month in gone:
            copy.parts.pop(month, None)
            copy.months.pop(month, None)
        for start in range(0, len(stale), 60):
            chunk = stale[start : start + 60]
            copy.parts.update(_load(chunk))
            copy.months.update({m: versions[m] for m in chunk})
        if stale or gone or copy.joined is None:
            parts = [copy.parts[m] for m in sorted(copy.parts)] or [
                _build(pl.DataFrame(schema=CASE_COLUMNS), pl.DataFrame(schema=GOODS_COLUMNS))
            ]
            copy.joined = tuple(  # type: ignore[assignment]
                pl.concat([p[i] for p in parts], how="vertical").rechunk() for i in range(3)
            )
        cases, goods, areas = copy.joined  # type: ignore[misc]
    return Snapshot(cases, goods, areas, version, epoch)


def forget() -> None:
    """Drop every process copy (tests, and after a restore)."""
    with _LOCK:
        _COPIES.clear()


def current() -> Snapshot:
    """Sync the facts with the audit log, then the snapshot to read."""
    from opencen.analytics import rollups

    result = rollups.sync()
    return snapshot(result.version, result.epoch)
