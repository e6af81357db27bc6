"""Targeting metrics: ranking quality of a score, and hit rate / lift of a selection.

Ranking conventions (those of the KCS benchmark): the top n% of N declarations are exactly the
first ``round(n% * N)`` (half rounded up) by descending score, ties broken by row order.
Precision is the share of fraud among them, recall the share of all fraud they hold, and
revenue the share of all additional revenue they hold. AUC counts tied scores as one half.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

__all__ = [
    "DEFAULT_FRACTIONS",
    "auc",
    "lift_report",
    "precision_at",
    "ranking_report",
    "recall_at",
    "revenue_at",
    "top_count",
]

DEFAULT_FRACTIONS: Final[tuple[float, ...]] = (0.01, 0.02, 0.05, 0.10)
ArrayLike = npt.ArrayLike


def top_count(size: int, fraction: float) -> int:
    """Number of declarations in the top ``fraction`` of ``size`` (half rounded up)."""
    return math.floor(fraction * size + 0.5)


def _top(scores: ArrayLike, fraction: float) -> npt.NDArray[np.intp]:
    values = np.asarray(scores, dtype=np.float64)
    return np.argsort(-values, kind="stable")[: top_count(len(values), fraction)]


def precision_at(labels: ArrayLike, scores: ArrayLike, fraction: float) -> float:
    """Share of positives among the top ``fraction`` by score (NaN when that is empty)."""
    top = _top(scores, fraction)
    return float(np.asarray(labels, dtype=np.float64)[top].mean()) if len(top) else math.nan


def recall_at(labels: ArrayLike, scores: ArrayLike, fraction: float) -> float:
    """Share of all positives found in the top ``fraction`` (NaN without positives)."""
    y = np.asarray(labels, dtype=np.float64)
    total = y.sum()
    return float(y[_top(scores, fraction)].sum() / total) if total else math.nan


def revenue_at(revenue: ArrayLike, scores: ArrayLike, fraction: float) -> float:
    """Share of all additional revenue found in the top ``fraction`` (NaN without revenue)."""
    r = np.nan_to_num(np.asarray(revenue, dtype=np.float64))
    total = r.sum()
    return float(r[_top(scores, fraction)].sum() / total) if total else math.nan


def auc(labels: ArrayLike, scores: ArrayLike) -> float:
    """Area under the ROC curve (Mann-Whitney U with mid-ranks; NaN with one class only)."""
    y = np.asarray(labels, dtype=bool)
    s = np.asarray(scores, dtype=np.float64)
    positives, negatives = int(y.sum()), int((~y).sum())
    if positives == 0 or negatives == 0:
        return math.nan
    order = np.argsort(s, kind="stable")
    sorted_scores = s[order]
    ranks = np.empty(len(s), dtype=np.float64)
    # mid-rank of each run of equal scores
    boundaries = np.flatnonzero(np.diff(sorted_scores)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(s)]))
    mid = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(mid, ends - starts)
    u = ranks[y].sum() - positives * (positives + 1) / 2.0
    return float(u / (positives * negatives))


def ranking_report(
    labels: ArrayLike,
    scores: ArrayLike,
    revenue: ArrayLike | None = None,
    fractions: Sequence[float] = DEFAULT_FRACTIONS,
) -> dict[str, float]:
    """Precision, recall (and revenue) at each fraction, and AUC, keyed like ``p@5%``."""
    report: dict[str, float] = {}
    for fraction in fractions:
        tag = f"{fraction * 100:g}%"
        report[f"p@{tag}"] = precision_at(labels, scores, fraction)
        report[f"r@{tag}"] = recall_at(labels, scores, fraction)
        if revenue is not None:
            report[f"revenue@{tag}"] = revenue_at(revenue, scores, fraction)
    report["auc"] = auc(labels, scores)
    return report


def lift_report(outcomes: pl.DataFrame) -> pl.DataFrame:
    """Hit rate and lift over the random control, for the model and for each profile.

    ``outcomes`` has ``selected_by`` (``control``/``profile``/``model``/null), ``result``
    (examination result code, null when not examined), optionally ``revenue`` and
    ``matched_profiles`` (list of profile ids). Only examined rows count. A profile's group is
    every examined declaration it matched, whoever selected it. Lift is the group's hit rate
    divided by the control group's (null when the control has no hit).
    """
    examined = outcomes.filter(pl.col("result").is_not_null())
    examined = examined.with_columns(
        (pl.col("result") >= 1).cast(pl.Int64).alias("_hit"),
        (pl.col("revenue") if "revenue" in examined.columns else pl.lit(0.0))
        .fill_null(0.0)
        .cast(pl.Float64)
        .alias("_revenue"),
    )
    groups = [
        examined.filter(pl.col("selected_by") == name).select(
            pl.lit(name).alias("group"), "_hit", "_revenue"
        )
        for name in ("control", "model")
    ]
    if "matched_profiles" in examined.columns:
        groups.append(
            examined.select("matched_profiles", "_hit", "_revenue")
            .explode("matched_profiles")
            .drop_nulls("matched_profiles")
            .select(
                pl.concat_str(pl.lit("profile:"), "matched_profiles").alias("group"),
                "_hit",
                "_revenue",
            )
        )
    summary = (
        pl.concat(groups)
        .group_by("group", maintain_order=True)
        .agg(
            pl.len().alias("examined"),
            pl.col("_hit").sum().alias("hits"),
            pl.col("_hit").mean().alias("hit_rate"),
            pl.col("_revenue").sum().alias("revenue"),
        )
    )
    control = summary.filter(pl.col("group") == "control")["hit_rate"]
    base = control[0] if len(control) and control[0] else None
    return summary.with_columns(
        (pl.col("hit_rate") / base if base else pl.lit(None, pl.Float64)).alias("lift")
    )
