"""History features are time-safe: a declaration never sees a result known on or after its day."""

from __future__ import annotations

import datetime
import math

import numpy as np
import polars as pl
import pytest

from opencen.engine.features import FeatureConfig, HistoryIndex, HistoryKey, add_key_columns
from opencen.engine.synthetic import synthetic_declarations

CONFIG = FeatureConfig(
    keys=(
        HistoryKey("importer", ("importer",)),
        HistoryKey("hs6_origin", ("hs6", "origin")),
        HistoryKey("declared_value", ("value",)),
    ),
    prior_strength=2.0,
)


@pytest.fixture(scope="module")
def small_history() -> pl.DataFrame:
    """Few importers and dates so that most rows have history, and same-day results."""
    frame = synthetic_declarations(300, seed=7, days=40)
    rng = np.random.default_rng(7)
    return frame.with_columns(
        pl.Series("importer", rng.choice(["A", "B", "C", "D"], frame.height)),
        pl.Series("value", rng.choice([10.0, 20.0, 30.0], frame.height)),
        (pl.col("date") + pl.duration(days=pl.Series(rng.integers(0, 6, frame.height)))).alias(
            "result_date"
        ),
    )


def _oracle(history: pl.DataFrame, row: dict[str, object], key: HistoryKey) -> tuple[float, float]:
    """Count and smoothed rate by brute force over the rows known strictly before ``row``."""
    rows = add_key_columns(history).iter_rows(named=True)
    known = [r for r in rows if r["result_date"] < row["date"]]
    prior = sum(r["result"] >= 1 for r in known) / len(known) if known else math.nan
    same = [r for r in known if all(r[c] == row[c] for c in key.columns)]
    fraud = sum(r["result"] >= 1 for r in same)
    return len(same), (fraud + CONFIG.prior_strength * prior) / (len(same) + 2.0)


def test_features_match_a_brute_force_oracle(small_history: pl.DataFrame) -> None:
    features = HistoryIndex.build(small_history, CONFIG).features(small_history)
    rows = features.iter_rows(named=True)
    for index, row in enumerate(rows):
        if index % 7:  # a sample keeps the oracle quick
            continue
        for key in CONFIG.keys:
            count, rate = _oracle(small_history, row, key)
            assert row[f"hist_{key.name}_n"] == count, (index, key.name)
            got = row[f"hist_{key.name}_rate"]
            assert (got is None and math.isnan(rate)) or got == pytest.approx(rate), key.name


def test_changing_the_future_never_changes_a_feature(small_history: pl.DataFrame) -> None:
    """The guard against leakage: rewrite every result known on or after day D, and the
    unit values declared on or after D; features of declarations dated up to D stay equal."""
    day = datetime.date(2024, 1, 20)
    future = pl.col("result_date") >= day
    tampered = small_history.with_columns(
        pl.when(future).then(1 - pl.col("result").clip(0, 1)).otherwise(pl.col("result"))
        .cast(pl.Int8).alias("result"),
        pl.when(pl.col("date") >= day).then(pl.col("value") * 7).otherwise(pl.col("value"))
        .alias("value"),
    )  # fmt: skip
    past = small_history.filter(pl.col("date") <= day)
    names = CONFIG.feature_names()
    names.remove("value")  # the declaration's own value is an input, not history
    honest = HistoryIndex.build(small_history, CONFIG).features(past).select(names)
    leaked = HistoryIndex.build(tampered, CONFIG).features(past).select(names)
    assert honest.equals(leaked)
    # and the tampering does reach later declarations, so the test has teeth
    later = small_history.filter(pl.col("date") > day + datetime.timedelta(days=6))
    assert (
        not HistoryIndex.build(small_history, CONFIG)
        .features(later)
        .select(names)
        .equals(HistoryIndex.build(tampered, CONFIG).features(later).select(names))
    )


def test_a_declaration_never_sees_its_own_result(small_history: pl.DataFrame) -> None:
    same_day = small_history.with_columns(pl.col("date").alias("result_date"))
    features = HistoryIndex.build(same_day, CONFIG).features(same_day)
    first_day = features.filter(pl.col("date") == features["date"].min())
    assert first_day["hist_importer_n"].to_list() == [0.0] * first_day.height
    assert first_day["hist_importer_rate"].null_count() == first_day.height


def test_snapshot_join_equals_as_of_join(small_history: pl.DataFrame) -> None:
    """Scoring a batch dated after the history takes a fast path; it must agree."""
    index = HistoryIndex.build(small_history, CONFIG)
    batch = synthetic_declarations(200, seed=8, start=datetime.date(2024, 3, 1), days=3)
    batch = batch.with_columns(pl.Series("importer", ["A", "B", "E", "C"] * 50))
    fast = index.features(batch)
    earlier = batch.head(1).with_columns(
        pl.lit("early").alias("declaration_id"), pl.lit(datetime.date(2024, 1, 1)).alias("date")
    )
    slow = index.features(pl.concat([batch, earlier])).head(batch.height)
    assert fast.equals(slow)


def test_row_order_is_preserved(small_history: pl.DataFrame) -> None:
    index = HistoryIndex.build(small_history, CONFIG)
    shuffled = small_history.sample(fraction=1.0, shuffle=True, seed=3)
    assert index.features(shuffled)["declaration_id"].equals(shuffled["declaration_id"])
    later = shuffled.with_columns(pl.col("date") + pl.duration(days=365))  # the snapshot path
    assert index.features(later)["declaration_id"].equals(later["declaration_id"])


def test_unit_value_anomaly_against_past_reference() -> None:
    day = datetime.date(2024, 1, 1)
    history = synthetic_declarations(50, seed=9, start=day, days=1).with_columns(
        pl.lit("8517120000").alias("hs"), pl.lit("CN").alias("origin"),
        pl.lit(10.0).alias("net_mass"), pl.lit(100.0).alias("value"),
    )  # fmt: skip
    cheap = history.head(1).with_columns(
        pl.lit("new").alias("declaration_id"),
        pl.lit(day + datetime.timedelta(days=1)).alias("date"),
        pl.lit(20.0).alias("value"),
    )
    row = HistoryIndex.build(history).features(cheap).row(0, named=True)
    assert row["median_unit_value"] == pytest.approx(10.0)
    assert row["unit_value_ratio"] == pytest.approx(0.2)
    assert row["unit_value_z"] == pytest.approx(math.log(0.2) / 0.1)
    assert row["unit_value_reference_n"] == 50


def test_config_round_trips_through_json_form() -> None:
    assert FeatureConfig.from_dict(CONFIG.to_dict()) == CONFIG
