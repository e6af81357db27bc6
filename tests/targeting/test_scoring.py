"""The scorer against the engine: one declaration scores as in a batch, on the engine's one-row
path; batch selection equals the engine's pipeline; streaming selection follows the budgets."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import numpy as np
import polars as pl
import pytest

from opencen.engine.features import FeatureConfig, HistoryIndex
from opencen.engine.model import ModelConfig, RiskModel, train_model
from opencen.engine.pipeline import ScoringEngine
from opencen.engine.rules import ProfileSet, RiskProfile
from opencen.engine.schema import COLUMNS, OUTCOME_COLUMNS, validate
from opencen.engine.selection import Lane
from opencen.engine.synthetic import synthetic_declarations
from opencen.targeting import columns
from opencen.targeting.scoring import Policy, Scorer, _empty_history_features

START = dt.date(2025, 1, 1)
POLICY = Policy({Lane.RED: 0.05, Lane.YELLOW: 0.05, Lane.BLUE: 0.0}, 0.1, 0.5)
PROFILES = [
    RiskProfile("cheap", "unit_value < 0.5 * median_unit_value", Lane.RED, 2.0),
    RiskProfile("cn", 'origin = "CN" and tax_rate >= 8', Lane.YELLOW, 1.0),
    RiskProfile("aeo", "importer_aeo and net_mass < 50", Lane.GREEN, 3.0),
]


@pytest.fixture(scope="module")
def history() -> pl.DataFrame:
    return columns.canonical(synthetic_declarations(4000, seed=1, start=START, world_size=4000))


@pytest.fixture(scope="module")
def model(history: pl.DataFrame) -> RiskModel:
    return train_model(history, ModelConfig(max_rounds=60, early_stopping_rounds=10))


def later(rows: int, history: pl.DataFrame, seed: int = 2) -> pl.DataFrame:
    """Declarations dated after the whole history, some with missing or odd values."""
    start = START + dt.timedelta(days=400)
    frame = synthetic_declarations(
        rows, seed=seed, start=start, days=20, with_outcome=False, world_size=4000
    )
    n = pl.int_range(pl.len())
    frame = frame.with_columns(
        pl.when(n % 7 == 0).then(None).otherwise(pl.col("seller")).alias("seller"),
        pl.when(n % 5 == 0).then(0.0).otherwise(pl.col("net_mass")).alias("net_mass"),
        pl.when(n % 11 == 0)
        .then(pl.lit("I-UNSEEN"))
        .otherwise(pl.col("importer"))
        .alias("importer"),
        pl.when(n % 13 == 0).then(None).otherwise(pl.col("tax_rate")).alias("tax_rate"),
    )
    return columns.canonical(frame)


def scorer(
    history: pl.DataFrame, model: RiskModel | None, quantiles: Any = None, **policy: Any
) -> Scorer:
    index = HistoryIndex.build(history, model.feature_config if model else FeatureConfig())
    chosen = Policy(**{**vars(POLICY), **policy})
    return Scorer(
        owner_id=uuid.UUID(int=1),
        index=index,
        model=model,
        model_version_id=None,
        model_number=None,
        quantiles=None if quantiles is None else np.asarray(quantiles, dtype=np.float64),
        profiles=ProfileSet(PROFILES),
        info={},
        policy=chosen,
        secret=b"test key",
    )


def test_single_declarations_take_the_one_row_path(
    history: pl.DataFrame, model: RiskModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = scorer(history, model)
    row = later(1, history).row(0, named=True)

    def no_frames(self: HistoryIndex, frame: pl.DataFrame) -> pl.DataFrame:
        raise AssertionError("the batch path was used")

    monkeypatch.setattr(HistoryIndex, "features", no_frames)
    assessment = s.score_row(row)
    assert assessment.score is not None and len(assessment.explanation) == 3
    old = dict(row, date=START)  # dated within the history: the as-of path
    with pytest.raises(AssertionError, match="batch path"):
        s.score_row(old)


def test_one_row_scores_equal_the_batch(history: pl.DataFrame, model: RiskModel) -> None:
    s = scorer(history, model)
    frame = later(60, history, seed=3)
    batch = s.score_frame(frame)
    assert batch.height < POLICY.min_batch()  # streaming selection in both paths
    for i, row in enumerate(frame.iter_rows(named=True)):
        one = s.score_row(row)
        expected = batch.row(i, named=True)
        assert one.score == pytest.approx(expected["score"], rel=1e-12)
        assert one.matched == expected["matched_profiles"]
        assert (one.lane, one.selected_by) == (expected["lane"], expected["selected_by"])
        if expected["explanation"]:
            assert [e["feature"] for e in one.explanation] == [
                e["feature"] for e in expected["explanation"]
            ]


def test_batch_selection_equals_the_engine_pipeline(
    history: pl.DataFrame, model: RiskModel
) -> None:
    s = scorer(history, model)
    frame = later(1000, history, seed=4)
    ours = s.score_frame(frame, seed=7)
    engine = ScoringEngine(s.index, model, ProfileSet(PROFILES), POLICY.engine(7))
    theirs = engine.score(frame)
    assert ours["lane"].to_list() == theirs["lane"].to_list()
    assert ours["selected_by"].to_list() == theirs["selected_by"].fill_null("").to_list()
    assert ours["matched_profiles"].to_list() == theirs["matched_profiles"].to_list()
    assert np.allclose(ours["score"].to_numpy(), theirs["score"].to_numpy())
    assert ours["explanation"].to_list() == [e or [] for e in theirs["explanation"].to_list()]
    counts = ours["lane"].value_counts().to_dicts()
    assert {c["lane"]: c["count"] for c in counts}["red"] == 50


def test_empty_history(history: pl.DataFrame) -> None:
    schema = {c.name: c.dtype for c in COLUMNS + OUTCOME_COLUMNS}
    empty = validate(pl.DataFrame(schema=schema), require_outcome=True)
    s = scorer(empty, None, random_share=0.0)
    frame = later(30, history)
    batch = _empty_history_features(s.index, frame)
    assert batch.height == 30
    first = batch.row(1, named=True)  # (row 0 has no mass)
    assert first["hist_importer_n"] == 0.0 and first["hist_importer_rate"] is None
    assert first["median_unit_value"] is None and first["unit_value_reference_n"] == 0.0
    assert first["unit_value"] == pytest.approx(first["value"] / first["net_mass"])
    assessment = s.score_row(frame.row(0, named=True))
    assert assessment.score is None and assessment.explanation == []
    assert s.notes and s.score_frame(frame)["score"].null_count() == 30


def test_streaming_lanes_follow_the_quantiles(history: pl.DataFrame, model: RiskModel) -> None:
    s = scorer(history, model, quantiles=np.linspace(0, 1, 101), random_share=0.0)
    assert s.stream_lane("a", 0.96, None) == ("red", "model")
    assert s.stream_lane("a", 0.92, None) == ("yellow", "model")
    assert s.stream_lane("a", 0.50, None) == ("green", "")
    assert s.stream_lane("a", 0.10, "blue") == ("blue", "profile")
    assert s.stream_lane("a", 0.99, "green") == ("green", "profile")
    assert s.stream_lane("a", None, None) == ("green", "")
    flat = scorer(history, model, quantiles=np.zeros(101), random_share=0.0)
    assert flat.stream_lane("a", 0.0, None) == ("green", "")  # ties at the bottom are not top 5%


def test_control_draws_follow_the_shares_and_are_fixed_per_declaration(
    history: pl.DataFrame,
) -> None:
    s = scorer(history, None)
    draws = [s.stream_lane(f"D-{i}", None, None) for i in range(40_000)]
    red = sum(1 for d in draws if d == ("red", "control"))
    yellow = sum(1 for d in draws if d == ("yellow", "control"))
    assert abs(red - 200) < 50 and abs(yellow - 200) < 50  # 0.05 x 0.1 of 40,000 each
    assert [s.stream_lane(f"D-{i}", None, None) for i in range(100)] == draws[:100]


def test_minimum_batch_for_exact_selection() -> None:
    assert POLICY.min_batch() == 200
    assert Policy({Lane.RED: 0.05}, 0.0, 1.0).min_batch() == 20
    assert Policy({Lane.RED: 0.0}, 0.1, 1.0).min_batch() == 1
    assert Policy({Lane.RED: 0.5, Lane.YELLOW: 0.02}, 0.25, 1.0).min_batch() == 200
