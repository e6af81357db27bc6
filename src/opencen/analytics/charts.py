"""Vega-Lite specifications of the analysis charts, written with Altair on the server.

The page embeds the specification with the vendored vega-embed; a bulletin renders the same
specification to an image with ``vl-convert`` (``analytics.documents``).  Each chart draws the
rows of one result table (the named dataset ``rows``), so chart, table and CSV always agree.
The chart itself (marks, encodings, titles) depends only on the table's kind, its headings and
the options, so it is built once per language and options and the rows are added to a copy:
Altair validates and copies whatever it is given, which for a few hundred rows costs more than
the analysis.  Maps draw the shipped world shapes: by URL in the page, inlined for the server
renderer (``inline_geo``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, Literal

import altair as alt
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from opencen.analytics.filters import AnalyticsFilter
from opencen.analytics.geo import atlas, atlas_url
from opencen.analytics.selectors.base import Column, Table

Width = int | str
Spec = dict[str, Any]
FONT = "DejaVu Sans"
PROJECTION: Literal["equalEarth"] = "equalEarth"
BREAK_COLOUR = "#c62828"
LAND, BORDER = "#e8e8e8", "#ffffff"


ROWS = "rows"


def _data(table: Table) -> alt.NamedData:
    """The table's rows, by name (filled in by ``spec``; ``ROW_FILTERS`` may narrow them)."""
    return alt.NamedData(ROWS)


def _world(inline_geo: bool) -> alt.Data | alt.InlineData:
    fmt = alt.DataFormat(type="topojson", feature="countries")
    if inline_geo:
        return alt.InlineData(values=atlas(), format=fmt)
    return alt.UrlData(url=atlas_url(), format=fmt)


def _base_map(inline_geo: bool, width: Width, height: int) -> alt.Chart:
    return (
        alt.Chart(_world(inline_geo))
        .mark_geoshape(fill=LAND, stroke=BORDER, strokeWidth=0.5)
        .project(PROJECTION)
        .properties(width=width, height=height)
    )


def _tooltip(table: Table, keys: list[str]) -> list[alt.Tooltip]:
    kinds = {"int": "quantitative", "num": "quantitative", "pct": "quantitative"}
    tips = []
    for key in keys:
        column = table.column(key)
        tips.append(
            alt.Tooltip(
                key,
                type=kinds.get(column.kind, "nominal"),  # type: ignore[arg-type]
                title=column.label,
            )
        )
    return tips


def trends(table: Table, flt: AnalyticsFilter, width: Width, inline_geo: bool) -> alt.TopLevelMixin:
    x = alt.X(
        "period:O",
        title=_("Period"),
        sort=alt.EncodingSortField("start"),
        axis=alt.Axis(labelOverlap=True, labelAngle=-45),
    )
    y = alt.Y("value:Q", title=table.column("value").label)
    colour = alt.Color("series:N", title=_("Series"))
    keys = ["period", "series", "value", "change_previous", "change_year", "break"]
    line = (
        alt.Chart(_data(table))
        .mark_line(point=True)
        .encode(x=x, y=y, color=colour, tooltip=_tooltip(table, keys))
    )
    flagged = (
        alt.Chart(_data(table))
        .transform_filter("datum['break'] != ''")
        .mark_point(size=160, shape="diamond", filled=False, color=BREAK_COLOUR, strokeWidth=2)
        .encode(x=x, y=y, tooltip=_tooltip(table, keys))
    )
    return alt.layer(line, flagged).properties(width=width, height=320)


def routes(table: Table, flt: AnalyticsFilter, width: Width, inline_geo: bool) -> alt.Chart:
    return (
        alt.Chart(_data(table))
        .mark_bar()
        .encode(
            y=alt.Y(
                "route:N",
                title=None,
                sort=alt.EncodingSortField("route_cases", op="max", order="descending"),
            ),
            x=alt.X("sum(cases):Q", title=_("Cases")),
            color=alt.Color("transport:N", title=table.column("transport").label),
            tooltip=_tooltip(table, ["route", "transport", "cases", "share"]),
        )
        .properties(width=width, height=alt.Step(22))
    )


def emerging(
    table: Table, flt: AnalyticsFilter, width: Width, inline_geo: bool
) -> alt.TopLevelMixin:
    y = alt.Y("route:N", title=None, sort="-x")
    bars = (
        alt.Chart(_data(table))
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("cases:Q", title=_("Cases")),
            tooltip=_tooltip(table, ["route", "cases", "before", "growth"]),
        )
    )
    before = alt.Chart(_data(table)).mark_tick(color="#333", thickness=2).encode(y=y, x="before:Q")
    return alt.layer(bars, before).properties(width=width, height=alt.Step(22))


def flows(table: Table, flt: AnalyticsFilter, width: Width, inline_geo: bool) -> alt.TopLevelMixin:
    lines = (
        alt.Chart(_data(table))
        .mark_rule(color="#1565c0", opacity=0.6)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            longitude2="lon2:Q",
            latitude2="lat2:Q",
            strokeWidth=alt.StrokeWidth("cases:Q", title=_("Cases"), scale=alt.Scale(range=[1, 8])),
            tooltip=_tooltip(table, ["from", "to", "cases"]),
        )
    )
    ends = (
        alt.Chart(_data(table))
        .mark_circle(color="#0d47a1", size=30)
        .encode(longitude="lon2:Q", latitude="lat2:Q")
    )
    return alt.layer(_base_map(inline_geo, width, 380), lines, ends).project(PROJECTION)


def concealment(
    table: Table, flt: AnalyticsFilter, width: Width, inline_geo: bool
) -> alt.TopLevelMixin:
    data = alt.Chart(_data(table))  # the "All areas" rows (ROW_FILTERS)
    enc = {
        "x": alt.X("transport:N", title=_("Means of transport")),
        "y": alt.Y("concealment:N", title=_("Concealment method")),
    }
    cells = data.mark_rect().encode(
        color=alt.Color("cases:Q", title=_("Cases"), scale=alt.Scale(scheme="blues")),
        tooltip=_tooltip(table, ["concealment", "transport", "cases"]),
        **enc,
    )
    labels = data.mark_text(fontSize=11).encode(text="cases:Q", **enc)
    return alt.layer(cells, labels).properties(width=width, height=alt.Step(28))


def detection(table: Table, flt: AnalyticsFilter, width: Width, inline_geo: bool) -> alt.Chart:
    return (
        alt.Chart(_data(table))
        .mark_bar()
        .encode(
            y=alt.Y("area:N", title=None),
            x=alt.X(
                "cases:Q",
                stack="normalize",
                title=_("Share of the area's cases"),
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color("detection:N", title=table.column("detection").label),
            tooltip=_tooltip(
                table, ["area", "detection", "cases", "cases_share", "quantity", "quantity_share"]
            ),
        )
        .properties(width=width, height=alt.Step(24))
    )


def countries(
    table: Table, flt: AnalyticsFilter, width: Width, inline_geo: bool
) -> alt.TopLevelMixin:
    field = "quantity" if flt.metric == "quantity" else "cases"
    coloured = (
        alt.Chart(_world(inline_geo))
        .mark_geoshape(stroke=BORDER, strokeWidth=0.5)
        .encode(
            color=alt.Color(
                f"{field}:Q", title=table.column(field).label, scale=alt.Scale(scheme="orangered")
            ),
            tooltip=_tooltip(table, ["country", "cases", "quantity"]),
        )
        .transform_lookup(
            lookup="id", from_=alt.LookupData(_data(table), "id", ["country", "cases", "quantity"])
        )
        .transform_filter(f"isValid(datum['{field}']) && datum['{field}'] > 0")
    )
    return alt.layer(_base_map(inline_geo, width, 380), coloured).project(PROJECTION)


def places(table: Table, flt: AnalyticsFilter, width: Width, inline_geo: bool) -> alt.TopLevelMixin:
    points = (
        alt.Chart(_data(table))
        .mark_circle(color="#d84315", opacity=0.7)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            size=alt.Size("cases:Q", title=_("Cases"), scale=alt.Scale(range=[20, 600])),
            tooltip=_tooltip(table, ["place", "code", "country", "cases"]),
        )
    )
    return alt.layer(_base_map(inline_geo, width, 380), points).project(PROJECTION)


def significant(
    table: Table, flt: AnalyticsFilter, width: Width, inline_geo: bool
) -> alt.TopLevelMixin:
    bars = (
        alt.Chart(_data(table))
        .mark_bar()
        .encode(
            y=alt.Y("reference:N", title=None, sort="-x"),
            x=alt.X("quantity:Q", title=_("Quantity in the area's unit")),
            color=alt.Color("area:N", legend=None),
            tooltip=_tooltip(table, ["area", "reference", "date", "country", "quantity", "unit"]),
        )
        .properties(width=width if isinstance(width, int) else 600, height=alt.Step(18))
    )
    return bars.facet(
        row=alt.Row("area:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left"))
    ).resolve_scale(x="independent", y="independent")


def quality(
    table: Table, flt: AnalyticsFilter, width: Width, inline_geo: bool
) -> alt.TopLevelMixin:
    half = width // 2 - 40 if isinstance(width, int) else 320
    y = alt.Y("administration:N", title=None, sort="x")
    complete = (
        alt.Chart(_data(table))
        .mark_bar(color="#2e7d32")
        .encode(
            y=y,
            x=alt.X(
                "completeness:Q",
                title=table.column("completeness").label,
                scale=alt.Scale(domain=[0, 100]),
            ),
            tooltip=_tooltip(table, ["administration", "cases", "completeness"]),
        )
        .properties(width=half, height=alt.Step(20))
    )
    delay = (
        alt.Chart(_data(table))
        .mark_bar(color="#ef6c00")
        .encode(
            y=alt.Y("administration:N", title=None, sort=alt.EncodingSortField("completeness")),
            x=alt.X("mean_delay:Q", title=table.column("mean_delay").label),
            tooltip=_tooltip(table, ["administration", "mean_delay", "median_band", "late"]),
        )
        .properties(width=half, height=alt.Step(20))
    )
    return alt.hconcat(complete, delay)


BUILDERS: dict[str, Callable[[Table, AnalyticsFilter, Width, bool], Any]] = {
    "trends": trends,
    "routes": routes,
    "emerging": emerging,
    "flows": flows,
    "concealment": concealment,
    "detection": detection,
    "countries": countries,
    "places": places,
    "significant": significant,
    "quality": quality,
}


# Rows a chart can draw (a map needs coordinates).
ROW_FILTERS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "concealment": lambda r: r["area_code"] == "",
    "flows": lambda r: "lon" in r,
    "places": lambda r: r.get("lat") is not None and r.get("lon") is not None,
}


@functools.lru_cache(maxsize=256)
def _template(
    key: str,
    title: str,
    labels: tuple[tuple[str, str, str], ...],
    grain: str,
    metric: str,
    width: Width,
    inline_geo: bool,
    language: str,
) -> Spec:
    table = Table(key, title, [Column(k, label, kind) for k, label, kind in labels])  # type: ignore[arg-type]
    flt = AnalyticsFilter(dt.date(2000, 1, 1), dt.date(2000, 1, 1), grain=grain, metric=metric)
    chart = BUILDERS[key](table, flt, width, inline_geo)
    chart = chart.properties(title=title).configure(font=FONT).configure_view(stroke=None)
    result: Spec = chart.to_dict(validate=False)
    return result


def spec(
    table: Table,
    flt: AnalyticsFilter,
    *,
    width: Width = "container",
    inline_geo: bool = False,
    validate: bool = False,
) -> Spec:
    """The Vega-Lite specification of ``table``'s chart (a JSON-ready dict).  ``validate``
    checks it against the Vega-Lite schema (the tests do)."""
    labels = tuple((c.key, c.label, c.kind) for c in table.columns)
    template = _template(
        table.key,
        table.title,
        labels,
        flt.grain,
        flt.metric,
        width,
        inline_geo,
        get_language() or "en",
    )
    keep = ROW_FILTERS.get(table.key)
    rows = [r for r in table.rows if keep(r)] if keep else table.rows
    result = {**template, "datasets": {**template.get("datasets", {}), ROWS: rows}}
    if validate:
        alt.Chart.from_dict(result, validate=True)
    return result
