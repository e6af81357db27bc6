"""The model: time-split training, calibration, explanations and pickle-free storage."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from opencen.engine.features import HistoryIndex
from opencen.engine.metrics import auc
from opencen.engine.model import RiskModel, time_split, train_model
from tests.engine.conftest import FAST_MODEL


def test_model_learns_the_planted_signal(
    model: RiskModel, history: pl.DataFrame, incoming: pl.DataFrame
) -> None:
    later = pl.concat([history, incoming.head(0)], how="diagonal_relaxed").head(0)
    assert later.height == 0
    features = HistoryIndex.build(history).features(history.tail(800))
    labels = (history.tail(800)["result"] >= 1).to_numpy()
    assert auc(labels, model.score(features)) > 0.75
    assert model.metadata["validation"]["auc"] > 0.7
    assert model.metadata["trained_until"] == "2024-12-30"


def test_training_is_deterministic(history: pl.DataFrame, model: RiskModel) -> None:
    assert train_model(history, FAST_MODEL).to_bytes() == model.to_bytes()


def test_time_split_holds_out_the_latest_whole_days() -> None:
    dates = pl.Series([datetime.date(2024, 1, d) for d in (1, 1, 2, 2, 3, 3, 3, 4, 4, 4)])
    assert time_split(dates, 0.3) == datetime.date(2024, 1, 3)
    assert time_split(pl.Series([datetime.date(2024, 1, 1)] * 3), 0.5) is None
    assert time_split(dates, 0.0) is None


def test_calibration_is_monotone_probability(model: RiskModel) -> None:
    raw = np.linspace(0, 1, 101)
    calibrated = model.probability(raw)
    assert np.all(np.diff(calibrated) >= 0)
    assert calibrated.min() >= 0 and calibrated.max() <= 1


def test_explanations_are_the_largest_exact_contributions(
    model: RiskModel, history: pl.DataFrame
) -> None:
    features = HistoryIndex.build(history).features(history.tail(5))
    explanation = model.explain(features, top=len(model.feature_names))
    raw_log_odds = model.booster.predict(
        features.select(model.feature_names).to_numpy(), raw_score=True
    )
    for row, log_odds in zip(explanation.to_list(), raw_log_odds, strict=True):
        magnitudes = [abs(c["contribution"]) for c in row]
        assert magnitudes == sorted(magnitudes, reverse=True)
        bias = log_odds - sum(c["contribution"] for c in row)
        assert bias == pytest.approx(model.booster.predict(
            features.head(1).select(model.feature_names).to_numpy(), pred_contrib=True
        )[0, -1])  # fmt: skip
    assert len(model.explain(features, top=3)[0]) == 3


def test_save_and_load_round_trip(model: RiskModel, history: pl.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    model.save(path)
    document = json.loads(path.read_text())
    assert document["format"] == "opencen-engine-model"
    assert "booster" in document
    restored = RiskModel.load(path)
    features = HistoryIndex.build(history).features(history.tail(50))
    assert np.array_equal(restored.score(features), model.score(features))
    assert restored.calibrator == model.calibrator
    assert restored.feature_config == model.feature_config


def test_foreign_document_is_refused() -> None:
    with pytest.raises(ValueError, match="not an opencen engine model"):
        RiskModel.from_bytes(b'{"format": "something else"}')
