"""Selection respects every lane budget and the random control share exactly."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opencen.engine.selection import INSPECTION_LANES, Lane, SelectionPolicy, select


def _batch(size: int, seed: int = 0, **columns: object) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame({"score": rng.random(size), **columns})


def _counts(result: pl.DataFrame) -> dict[tuple[str, str | None], int]:
    rows = result.group_by("lane", "selected_by").len().iter_rows()
    return {(lane, by): count for lane, by, count in rows}


@settings(max_examples=80, deadline=None)
@given(
    size=st.integers(0, 3000),
    red=st.floats(0, 0.3),
    yellow=st.integers(0, 200),
    blue=st.floats(0, 0.1),
    share=st.floats(0, 1),
    seed=st.integers(0, 10),
)
def test_budgets_and_random_share_are_exact(
    size: int, red: float, yellow: int, blue: float, share: float, seed: int
) -> None:
    policy = SelectionPolicy(
        budgets={Lane.RED: red, Lane.YELLOW: yellow, Lane.BLUE: blue},
        random_share=share,
        seed=seed,
    )
    result = select(_batch(size, seed), policy)
    counts = _counts(result)
    remaining = size
    for lane in INSPECTION_LANES:
        budget = {Lane.RED: math.floor(red * size + 1e-9), Lane.YELLOW: min(yellow, size),
                  Lane.BLUE: math.floor(blue * size + 1e-9)}[lane]  # fmt: skip
        taken = sum(n for (name, _), n in counts.items() if name == lane.value)
        assert taken == min(budget, remaining)
        remaining -= taken
        assert counts.get((lane.value, "control"), 0) == math.ceil(share * taken - 1e-9)
    assert result.height == size


def test_worked_example() -> None:
    """1,000 declarations, red 5% (50), yellow 30, blue 1% (10), control share 10%."""
    forced = [None] * 990 + ["red"] * 10
    batch = _batch(1000, forced_lane=forced, forced_weight=[1.0] * 1000)
    policy = SelectionPolicy({Lane.RED: 0.05, Lane.YELLOW: 30, Lane.BLUE: 0.01}, random_share=0.1)
    assert _counts(select(batch, policy)) == {
        ("red", "control"): 5, ("red", "profile"): 10, ("red", "model"): 35,
        ("yellow", "control"): 3, ("yellow", "model"): 27,
        ("blue", "control"): 1, ("blue", "model"): 9,
        ("green", None): 910,
    }  # fmt: skip


def test_model_takes_the_highest_priority_in_lane_order() -> None:
    batch = pl.DataFrame({"score": [0.1, 0.9, 0.5, 0.7, 0.3]})
    policy = SelectionPolicy({Lane.RED: 1, Lane.YELLOW: 1, Lane.BLUE: 1}, random_share=0.0)
    assert select(batch, policy)["lane"].to_list() == ["green", "red", "blue", "yellow", "green"]


def test_forced_profiles_compete_by_weight_then_priority_within_budget() -> None:
    batch = pl.DataFrame(
        {
            "score": [0.1, 0.2, 0.3, 0.9],
            "forced_lane": ["red", "red", "red", None],
            "forced_weight": [5.0, 1.0, 1.0, None],
        }
    )
    policy = SelectionPolicy({Lane.RED: 2}, random_share=0.0)
    result = select(batch, policy)
    assert result["lane"].to_list() == ["red", "green", "red", "green"]
    assert result["selected_by"].to_list() == ["profile", None, "profile", None]


def test_green_profile_releases_from_model_selection() -> None:
    batch = pl.DataFrame({"score": [0.9, 0.8, 0.1], "forced_lane": ["green", None, None]})
    result = select(batch, SelectionPolicy({Lane.RED: 1}, random_share=0.0))
    assert result["lane"].to_list() == ["green", "red", "green"]
    assert result["selected_by"].to_list() == ["profile", "model", None]


def test_aeo_factor_lowers_priority() -> None:
    batch = pl.DataFrame({"score": [0.9, 0.6], "aeo": [True, False]})
    result = select(batch, SelectionPolicy({Lane.RED: 1}, random_share=0.0, aeo_factor=0.5))
    assert result["lane"].to_list() == ["green", "red"]
    assert result["priority"].to_list() == [0.45, 0.6]


def test_control_group_is_uniform_and_seeded() -> None:
    batch = _batch(10_000, aeo=[True] * 5000 + [False] * 5000)
    policy = SelectionPolicy({Lane.RED: 0.2}, random_share=1.0, seed=3)
    result = select(batch, policy)
    chosen = result.with_row_index().filter(pl.col("selected_by") == "control")
    assert chosen.height == 2000
    assert 900 < (chosen["index"] < 5000).sum() < 1100  # AEO plays no part in the control
    assert select(batch, policy).equals(result)
    assert not select(batch, SelectionPolicy({Lane.RED: 0.2}, random_share=1.0, seed=4)).equals(
        result
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"budgets": {Lane.GREEN: 0.1}}, "only red, yellow and blue"),
        ({"budgets": {Lane.RED: -1}}, "non-negative"),
        ({"budgets": {Lane.RED: 1.5}}, "above 1"),
        ({"random_share": 1.2}, "random_share"),
        ({"aeo_factor": -1.0}, "aeo_factor"),
    ],
)
def test_policy_refuses_bad_settings(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SelectionPolicy(**kwargs)  # type: ignore[arg-type]
