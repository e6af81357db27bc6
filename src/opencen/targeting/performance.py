"""Targeting performance: hits, hit rate, revenue and lift over the random control.

Computed by the engine's :func:`opencen.engine.metrics.lift_report` over the administration's
examined, scored declarations, for the whole period and per month (of the declaration date).
Groups: ``control`` (random control draws), ``model`` (declarations the model selected) and
``profile:<id>`` (every examined declaration a profile matched, whoever selected it). Lift is a
group's hit rate over the control group's in the same period (none without control hits).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from opencen.engine.metrics import lift_report
from opencen.targeting import columns
from opencen.targeting.models import Declaration


@dataclass
class GroupFigures:
    """One group's figures over a period."""

    group: str
    examined: int
    hits: int
    hit_rate: float | None
    revenue: float
    lift: float | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> GroupFigures:
        return cls(
            group=row["group"],
            examined=int(row["examined"]),
            hits=int(row["hits"]),
            hit_rate=row["hit_rate"],
            revenue=float(row["revenue"] or 0.0),
            lift=row["lift"],
        )


@dataclass
class Performance:
    """Figures per group for the whole period, and per month."""

    overall: dict[str, GroupFigures] = field(default_factory=dict)
    months: dict[str, dict[str, GroupFigures]] = field(default_factory=dict)

    def series(self, group: str) -> list[tuple[str, GroupFigures | None]]:
        """(month, figures) for one group over every month of the period."""
        return [(month, figures.get(group)) for month, figures in sorted(self.months.items())]


def outcomes_frame(
    owner_id: Any, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> pl.DataFrame:
    """Examined, scored declarations: month, selected_by, result, revenue, matched_profiles."""
    queryset = Declaration.objects.filter(
        owner_id=owner_id, result__isnull=False, selected_at__isnull=False
    )
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    rows = list(
        queryset.values_list("date", "selected_by", "result", "revenue", "matched_profiles")
    )
    return pl.DataFrame(
        {
            "month": [columns.month_of(r[0]) for r in rows],
            "selected_by": [r[1] or None for r in rows],
            "result": [r[2] for r in rows],
            "revenue": [None if r[3] is None else float(r[3]) for r in rows],
            "matched_profiles": [list(r[4] or []) for r in rows],
        },
        schema={
            "month": pl.String,
            "selected_by": pl.String,
            "result": pl.Int8,
            "revenue": pl.Float64,
            "matched_profiles": pl.List(pl.String),
        },
    )


def _report(frame: pl.DataFrame) -> dict[str, GroupFigures]:
    if frame.height == 0:
        return {}
    return {row["group"]: GroupFigures.of(row) for row in lift_report(frame).to_dicts()}


def performance(
    owner_id: Any, *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> Performance:
    """The administration's targeting performance over a period (see the module docstring)."""
    frame = outcomes_frame(owner_id, date_from, date_to)
    result = Performance(overall=_report(frame))
    for (month,), part in frame.group_by("month"):
        result.months[str(month)] = _report(part)
    return result
