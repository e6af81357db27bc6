"""End-to-end scoring: score, lane, matched profiles and explanation per declaration."""

from __future__ import annotations

import polars as pl

from opencen.engine.model import RiskModel
from opencen.engine.pipeline import ASSESSMENT_COLUMNS, ScoringEngine
from opencen.engine.rules import RiskProfile
from opencen.engine.selection import Lane, SelectionPolicy

PROFILES = [
    RiskProfile("cn-cheap", 'origin = "CN" and unit_value < 0.5 * median_unit_value', Lane.RED,
                weight=2.0),
    RiskProfile("vn-docs", 'origin = "VN"', Lane.YELLOW),
    RiskProfile("risky", "score > 0.5", Lane.BLUE),
]  # fmt: skip
POLICY = SelectionPolicy({Lane.RED: 0.05, Lane.YELLOW: 0.1, Lane.BLUE: 0.02}, random_share=0.1)


def test_score_returns_one_row_per_declaration(
    history: pl.DataFrame, incoming: pl.DataFrame, model: RiskModel
) -> None:
    engine = ScoringEngine.from_history(history, model, PROFILES, POLICY)
    result = engine.score(incoming)
    assert result.columns == [*ASSESSMENT_COLUMNS, "lane", "selected_by", "priority", "explanation"]
    assert result["declaration_id"].equals(incoming["declaration_id"])
    sizes = POLICY.lane_sizes(incoming.height)
    for lane, size in sizes.items():
        assert (result["lane"] == lane.value).sum() == size
    inspected = result.filter(pl.col("lane") != "green")
    assert inspected["explanation"].null_count() == 0
    assert result.filter(pl.col("lane") == "green")["explanation"].null_count() == (
        incoming.height - inspected.height
    )
    first = inspected["explanation"][0].to_list()
    assert len(first) == 3 and set(first[0]) == {"feature", "contribution"}


def test_profiles_force_lanes_by_weight(
    history: pl.DataFrame, incoming: pl.DataFrame, model: RiskModel
) -> None:
    engine = ScoringEngine.from_history(history, model, PROFILES, POLICY, explain="none")
    result = engine.score(incoming)
    cheap = result.filter(pl.col("matched_profiles").list.contains("cn-cheap"))
    assert cheap.height > 0
    assert (cheap["forced_lane"] == "red").all()
    by_profile = result.filter(pl.col("selected_by") == "profile")
    assert by_profile.height > 0
    assert (by_profile["lane"] == by_profile["forced_lane"]).all()
    assert result["explanation"].null_count() == result.height


def test_a_single_declaration_is_scored_and_explained(
    history: pl.DataFrame, incoming: pl.DataFrame, model: RiskModel
) -> None:
    engine = ScoringEngine.from_history(history, model, PROFILES, POLICY, explain="all")
    one = engine.score(incoming.head(1))
    assert one.height == 1
    assert 0.0 <= one["probability"].item() <= 1.0
    assert one["explanation"].null_count() == 0


def test_assessment_does_not_depend_on_the_rest_of_the_batch(
    history: pl.DataFrame, incoming: pl.DataFrame, model: RiskModel
) -> None:
    engine = ScoringEngine.from_history(history, model, PROFILES, POLICY)
    whole = engine.assess(incoming)
    parts = pl.concat([engine.assess(incoming.head(700)), engine.assess(incoming.tail(800))])
    assert whole.equals(parts)
