"""From case rows to fact rows: pure polars, no Django, no database.

``case_facts`` and ``goods_facts`` take some cases (with their goods, route legs and shared
groups) as data frames and return one row per case and one row per goods line, with the
columns of ``models.CaseFact`` and ``models.GoodsFact``: every dimension an analysis filters or
groups by, already derived (month, area mask, area:chapter pairs, route chain, completeness
flags, normalised quantity), and every dimension the access policy reads.

Counting rules (the same in the direct queries of ``analytics.selectors``):

* a case counts once, whatever its goods; in an area split it counts once in each commodity
  area it has goods in; an area or chapter filter keeps the cases with a matching line;
* quantities are summed per goods line in a normalised unit (``UNITS``);
* the data-quality delay is the days between the seizure date and the entry of the case.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from opencen.seizures.areas import AREAS

# Bit of each commodity area in the ``areas`` mask (registry order; new areas append).
AREA_BITS: dict[str, int] = {code: 1 << i for i, code in enumerate(AREAS)}

# Unit -> (normalised unit, factor).  Mass in kilograms, volume in litres, counts in pieces.
UNITS: dict[str, tuple[str, float]] = {
    "KGM": ("KGM", 1.0),
    "GRM": ("KGM", 0.001),
    "MGM": ("KGM", 0.000001),
    "TNE": ("KGM", 1000.0),
    "DTN": ("KGM", 100.0),
    "LBR": ("KGM", 0.45359237),
    "ONZ": ("KGM", 0.028349523125),
    "LTR": ("LTR", 1.0),
    "MLT": ("LTR", 0.001),
    "CLT": ("LTR", 0.01),
    "MTQ": ("LTR", 1000.0),
    "GLL": ("LTR", 3.785411784),
    "H87": ("H87", 1.0),
    "C62": ("H87", 1.0),
    "NAR": ("H87", 1.0),
    "DZN": ("H87", 12.0),
    "MIL": ("H87", 1000.0),
}
LATE_DAYS = 30
QUALITY_FLAGS = [
    "no_place",
    "no_hs_code",
    "no_value",
    "no_route",
    "unknown_transport",
    "unknown_procedure",
    "unknown_location",
    "unknown_direction",
]


def natural_unit(area: str) -> str:
    """The unit an area's quantities are shown in (drugs in kilograms, cigarettes in pieces)."""
    default = AREAS[area].default_unit if area in AREAS else "H87"
    return UNITS.get(default, (default, 1.0))[0]


CASE_SCHEMA = {
    "id": pl.String,
    "date": pl.Date,
    "owner_id": pl.String,
    "distribution": pl.String,
    "region_id": pl.String,
    "country_id": pl.String,
    "transport": pl.String,
    "detection": pl.String,
    "concealment": pl.String,
    "place_id": pl.String,
    "status": pl.String,
    "delay": pl.Int64,
    "procedure": pl.String,
    "location_type": pl.String,
    "direction": pl.String,
}
GOODS_SCHEMA = {
    "case_id": pl.String,
    "area": pl.String,
    "chapter": pl.String,
    "quantity": pl.Float64,
    "unit": pl.String,
    "value": pl.Float64,
    "currency": pl.String,
}
ROUTE_SCHEMA = {"case_id": pl.String, "position": pl.Int64, "role": pl.String, "country": pl.String}
GROUP_SCHEMA = {"case_id": pl.String, "group_id": pl.String}


@dataclass
class Frames:
    """The raw rows of some cases: cases, goods lines, route legs, shared groups."""

    cases: pl.DataFrame
    goods: pl.DataFrame
    route: pl.DataFrame
    groups: pl.DataFrame

    @classmethod
    def of(
        cls,
        cases: list[tuple[object, ...]],
        goods: list[tuple[object, ...]],
        route: list[tuple[object, ...]],
        groups: list[tuple[object, ...]],
    ) -> Frames:
        return cls(
            pl.DataFrame(cases, schema=CASE_SCHEMA, orient="row"),
            pl.DataFrame(goods, schema=GOODS_SCHEMA, orient="row"),
            pl.DataFrame(route, schema=ROUTE_SCHEMA, orient="row"),
            pl.DataFrame(groups, schema=GROUP_SCHEMA, orient="row"),
        )


def share_keys(frames: Frames) -> pl.DataFrame:
    """``case_id`` -> ``key`` (sorted group ids) for the cases shared with named groups."""
    shared = frames.cases.filter(pl.col("distribution") == "groups").select(
        pl.col("id").alias("case_id")
    )
    return (
        frames.groups.join(shared, on="case_id")
        .group_by("case_id")
        .agg(pl.col("group_id").unique().sort().str.join(",").alias("key"))
    )


def _goods(frames: Frames) -> pl.DataFrame:
    """Goods lines with their normalised unit and quantity and their area pair and bit."""
    units = pl.DataFrame(
        {
            "unit": list(UNITS),
            "norm_unit": [u for u, _f in UNITS.values()],
            "factor": [f for _u, f in UNITS.values()],
        }
    )
    bits = pl.DataFrame(
        {"area": list(AREA_BITS), "bit": list(AREA_BITS.values())},
        schema={"area": pl.String, "bit": pl.Int64},
    )
    return (
        frames.goods.join(units, on="unit", how="left")
        .join(bits, on="area", how="left")
        .with_columns(
            norm_unit=pl.coalesce("norm_unit", "unit"),
            norm_qty=pl.col("quantity") * pl.coalesce("factor", pl.lit(1.0)),
            chapter=pl.col("chapter").fill_null(""),
            bit=pl.col("bit").fill_null(0),
        )
        .with_columns(
            pair=pl.col("area")
            + pl.lit(":")
            + pl.when(pl.col("chapter") == "").then(pl.lit("--")).otherwise(pl.col("chapter"))
        )
    )


def _case_goods(goods: pl.DataFrame) -> pl.DataFrame:
    """Per case: the area mask, the area:chapter pairs and the goods completeness flags."""
    return goods.group_by("case_id").agg(
        areas=pl.col("bit").unique().sum(),
        pairs=pl.lit(",") + pl.col("pair").unique().sort().str.join(",") + pl.lit(","),
        no_hs_code=(pl.col("chapter") == "").any(),
        no_value=pl.col("value").is_null().any(),
    )


def _case_route(route: pl.DataFrame) -> pl.DataFrame:
    """Per case: departure, transit chain (``BE>NL``) and destination countries."""
    legs = route.sort("case_id", "position")
    if legs.height == 0:
        return pl.DataFrame(
            schema={
                "case_id": pl.String,
                "departure": pl.String,
                "destination": pl.String,
                "transit": pl.String,
            }
        )
    ends = legs.filter(pl.col("role") != "transit").pivot(
        on="role", index="case_id", values="country", aggregate_function="first"
    )
    for role in ("departure", "destination"):
        if role not in ends.columns:
            ends = ends.with_columns(pl.lit(None, dtype=pl.String).alias(role))
    transit = (
        legs.filter(pl.col("role") == "transit")
        .group_by("case_id", maintain_order=True)
        .agg(transit=pl.col("country").str.join(">"))
    )
    ids = legs.select("case_id").unique()
    return ids.join(
        ends.select("case_id", "departure", "destination"), on="case_id", how="left"
    ).join(transit, on="case_id", how="left")


def case_facts(frames: Frames, share_ids: dict[str, int]) -> pl.DataFrame:
    """One row per case (``models.CaseFact``)."""
    goods = _goods(frames)
    keys = share_keys(frames)
    if keys.height:
        keys = keys.with_columns(
            share_set_id=pl.col("key").replace_strict(share_ids, return_dtype=pl.Int64)
        ).select("case_id", "share_set_id")
    else:
        keys = pl.DataFrame(schema={"case_id": pl.String, "share_set_id": pl.Int64})
    cases = (
        frames.cases.rename({"id": "case_id", "place_id": "place"})
        .with_columns(
            month=pl.col("date").dt.truncate("1mo"),
            draft=pl.col("status") == "draft",
            validated=pl.col("status") == "validated",
            delay=pl.col("delay").clip(lower_bound=0).cast(pl.Int32),
        )
        .join(keys, on="case_id", how="left")
        .join(_case_goods(goods), on="case_id", how="left")
        .join(_case_route(frames.route), on="case_id", how="left")
    )
    return (
        cases.with_columns(
            place=pl.col("place").fill_null(""),
            areas=pl.col("areas").fill_null(0).cast(pl.Int32),
            pairs=pl.col("pairs").fill_null(","),
            departure=pl.col("departure").fill_null(""),
            transit=pl.col("transit").fill_null(""),
            destination=pl.col("destination").fill_null(""),
            no_place=pl.col("place").is_null() | (pl.col("place") == ""),
            no_hs_code=pl.col("no_hs_code").fill_null(False),
            no_value=pl.col("no_value").fill_null(False),
            no_route=pl.col("departure").is_null() | pl.col("destination").is_null(),
            unknown_transport=pl.col("transport") == "unknown",
            unknown_procedure=pl.col("procedure") == "unknown",
            unknown_location=pl.col("location_type") == "unknown",
            unknown_direction=pl.col("direction") == "unknown",
        )
        .drop("status", "procedure", "location_type", "direction")
        .sort("month")
    )


def goods_facts(frames: Frames) -> pl.DataFrame:
    """One row per goods line (``models.GoodsFact``): quantity in the normalised unit."""
    months = frames.cases.select(
        pl.col("id").alias("case_id"), pl.col("date").dt.truncate("1mo").alias("month")
    )
    return (
        _goods(frames)
        .join(months, on="case_id", how="inner")
        .select(
            "case_id",
            "month",
            "area",
            "chapter",
            pl.col("norm_unit").alias("unit"),
            pl.col("norm_qty").alias("quantity"),
            "value",
            pl.col("currency").fill_null(""),
        )
        .sort("month")
    )
