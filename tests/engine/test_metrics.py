"""Metrics on examples computed by hand."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import roc_auc_score

from opencen.engine.metrics import (
    auc,
    lift_report,
    precision_at,
    ranking_report,
    recall_at,
    revenue_at,
    top_count,
)

# Ten declarations, best score first: hits at ranks 1, 2, 4 and 7 (4 frauds in all).
LABELS = [1, 1, 0, 1, 0, 0, 1, 0, 0, 0]
SCORES = [0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
REVENUE = [100.0, 0.0, 0.0, 300.0, 0.0, 0.0, 600.0, 0.0, 0.0, 0.0]


def test_top_count_rounds_half_up() -> None:
    assert [top_count(10, f) for f in (0.01, 0.05, 0.1, 0.25, 0.5)] == [0, 1, 1, 3, 5]
    assert top_count(8134, 0.05) == 407


def test_precision_recall_revenue_by_hand() -> None:
    assert precision_at(LABELS, SCORES, 0.2) == 1.0  # top 2: both hits
    assert precision_at(LABELS, SCORES, 0.4) == 0.75  # top 4: 3 hits
    assert recall_at(LABELS, SCORES, 0.4) == 0.75  # 3 of 4 frauds
    assert recall_at(LABELS, SCORES, 0.7) == 1.0
    assert revenue_at(REVENUE, SCORES, 0.4) == 0.4  # 400 of 1000
    assert math.isnan(precision_at(LABELS, SCORES, 0.01))  # top 0 rows


def test_ties_are_broken_by_row_order() -> None:
    assert precision_at([0, 1], [0.5, 0.5], 0.5) == 0.0


def test_auc_by_hand_and_against_sklearn() -> None:
    # 4 positives x 6 negatives = 24 pairs; the positive at rank 7 is below 3 negatives, the
    # one at rank 4 below 1: 20 of 24 pairs are ordered correctly.
    assert auc(LABELS, SCORES) == pytest.approx(20 / 24)
    assert auc([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.1]) == pytest.approx(0.75)  # ties count half
    rng = np.random.default_rng(0)
    y, s = rng.integers(0, 2, 500), rng.integers(0, 20, 500)
    assert auc(y, s) == pytest.approx(roc_auc_score(y, s))
    assert math.isnan(auc([1, 1], [0.1, 0.2]))


def test_ranking_report_keys() -> None:
    report = ranking_report(LABELS, SCORES, REVENUE, fractions=(0.2,))
    assert report == {"p@20%": 1.0, "r@20%": 0.5, "revenue@20%": 0.1, "auc": 20 / 24}


def test_lift_report_by_hand() -> None:
    outcomes = pl.DataFrame(
        {
            "selected_by": ["control"] * 4 + ["model"] * 3 + ["profile"] * 2 + [None],
            "result": [0, 0, 0, 1, 1, 2, 0, 1, 0, None],
            "revenue": [0, 0, 0, 10, 20, 30, 0, 40, 0, None],
            "matched_profiles": [[], ["p"], [], [], ["p"], [], [], ["p"], ["p", "q"], ["q"]],
        }
    )
    report = {row["group"]: row for row in lift_report(outcomes).iter_rows(named=True)}
    assert report["control"]["hit_rate"] == 0.25
    assert report["model"]["hits"] == 2
    assert report["model"]["lift"] == pytest.approx((2 / 3) / 0.25)
    assert report["profile:p"]["examined"] == 4  # the unexamined "q" row does not count
    assert report["profile:p"]["hit_rate"] == 0.5
    assert report["profile:p"]["revenue"] == 60.0
    assert report["profile:q"]["lift"] == 0.0
