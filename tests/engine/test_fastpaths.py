"""The fast paths give what the general paths give.

* coded history lookups (integer codes, arrays) == joins on the key values;
* one declaration (``score_one``: ``validate_one``, ``features_one``, one LightGBM call, the
  row-by-row profile evaluator, ``select_one``) == the batch path on a one-row frame;
* decoded match patterns == the per-profile expressions; partial sorts == full sorts;
  prediction split across threads == one LightGBM call.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import math
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opencen.engine import model as model_module
from opencen.engine.features import FeatureConfig, HistoryIndex, HistoryKey
from opencen.engine.model import RiskModel
from opencen.engine.pipeline import Assessment, ScoringEngine
from opencen.engine.rules import (
    DEFAULT_RULE_COLUMNS,
    ProfileSet,
    RiskProfile,
    ValueType,
    compile_rule,
)
from opencen.engine.schema import SchemaError, validate, validate_one
from opencen.engine.selection import (
    INSPECTION_LANES,
    Lane,
    SelectionPolicy,
    _by_weight,
    _ranked,
    select,
    select_one,
)
from opencen.engine.synthetic import synthetic_declarations

LATER = datetime.date(2025, 1, 15)


def _profiles(history: pl.DataFrame) -> list[RiskProfile]:
    """Every kind of operator, watch lists from the history, lanes and weights that compete."""
    importers = history["importer"].unique().sort().head(60).to_list()
    prefixes = history["hs"].str.slice(0, 4).unique().sort().head(25).to_list()
    return [
        RiskProfile("cheap", "unit_value < 0.6 * median_unit_value", Lane.RED, weight=3),
        RiskProfile("watch", 'importer in list "w"', Lane.RED, weight=2, lists={"w": importers}),
        RiskProfile("hs", 'hs startswith list "p"', Lane.YELLOW, lists={"p": prefixes}),
        RiskProfile("z", "unit_value_z < -2 or unit_value_ratio > 3", Lane.YELLOW, weight=2),
        RiskProfile("duty", "tax_rate >= 8 and not importer_aeo", Lane.BLUE),
        RiskProfile("origin", "origin in ('CN', 'VN') and hs6 contains '1'", Lane.BLUE),
        RiskProfile("arith", "(value - net_mass * 2) / (tax_rate - 5) > 500", Lane.YELLOW),
        RiskProfile("model", "score > 0.3", Lane.RED),
        RiskProfile("release", "importer_aeo and score < 0.05", Lane.GREEN, weight=5),
        RiskProfile("expired", "value > 0", Lane.BLUE, valid_until=datetime.date(2020, 1, 1)),
    ]


@pytest.fixture(scope="module")
def later(incoming: pl.DataFrame) -> pl.DataFrame:
    """Incoming declarations with some unseen and some missing key values."""
    rng = np.random.default_rng(11)
    n = incoming.height
    return incoming.with_columns(
        pl.when(pl.Series(rng.random(n) < 0.1))
        .then(pl.lit("NEW-IMPORTER"))
        .otherwise(pl.col("importer"))
        .alias("importer"),
        pl.when(pl.Series(rng.random(n) < 0.2))
        .then(None)
        .otherwise(pl.col("seller"))
        .alias("seller"),
        pl.when(pl.Series(rng.random(n) < 0.1))
        .then(None)
        .otherwise(pl.col("tax_rate"))
        .alias("tax_rate"),
        pl.when(pl.Series(rng.random(n) < 0.05))
        .then(0.0)
        .otherwise(pl.col("net_mass"))
        .alias("net_mass"),
        pl.Series("declarant_aeo", rng.random(n) < 0.05),
    )


# --------------------------------------------------------------------------------------------
# Coded lookups == joins on the values


@pytest.mark.parametrize("rows", [0, 1, 7, 1000, 1001, 1500])
def test_coded_features_equal_value_joins(
    history: pl.DataFrame, later: pl.DataFrame, rows: int
) -> None:
    index = HistoryIndex.build(history)
    batch = later.head(rows)
    coded = index._features(batch, coded=True)
    joined = index._features(batch, coded=False)
    assert coded.columns == joined.columns
    assert coded.equals(joined)


def test_coded_features_follow_join_equality_for_floats(history: pl.DataFrame) -> None:
    """-0.0 finds 0.0 and NaN finds NaN, as in a polars join; nulls find nothing."""
    odd = history.head(300).with_columns(
        pl.Series("value", [0.0, float("nan"), 12.5] * 100),
        pl.Series("net_mass", [1.0, 2.0, None] * 100),
    )
    index = HistoryIndex.build(pl.concat([history, odd]))
    batch = odd.head(9).with_columns(
        pl.Series("value", [-0.0, float("nan"), 12.5, 0.0, None, 7.25, -0.0, 1.0, 12.5]),
        pl.lit(LATER).alias("date"),
        pl.format("q{}", pl.int_range(9)).alias("declaration_id"),
    )
    for frame in (
        batch,
        pl.concat([batch] * 200)
        .with_row_index()
        .with_columns(pl.format("r{}", pl.col("index")).alias("declaration_id"))
        .drop("index"),
    ):
        coded = index._features(frame, coded=True)
        assert coded.equals(index._features(frame, coded=False), null_equal=True)
    assert coded["hist_declared_value_n"].head(4).to_list()[1] > 0  # NaN matched NaN


def test_coded_features_with_composite_and_sparse_keys(history: pl.DataFrame) -> None:
    config = FeatureConfig(
        keys=(
            HistoryKey("party", ("importer", "declarant", "seller")),
            HistoryKey("fingerprint", ("value", "net_mass", "hs", "origin")),
            HistoryKey("office", ("office",)),
        ),
        prior_strength=0.5,
        min_reference=3,
    )
    index = HistoryIndex.build(history, config)
    assert index._coded is not None
    assert index._coded.labels["fingerprint"].dense is None  # a sparse table
    seen = history.sample(700, seed=1).with_columns(
        pl.lit(LATER).alias("date"), pl.format("s{}", pl.int_range(700)).alias("declaration_id")
    )
    for batch in (
        seen,
        pl.concat([seen] * 3, how="vertical")
        .with_row_index()
        .with_columns(pl.format("t{}", pl.col("index")).alias("declaration_id"))
        .drop("index"),
    ):
        assert index._features(batch, coded=True).equals(index._features(batch, coded=False))


def test_sparse_lookups_join_above_the_binary_search_limit(
    history: pl.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    from opencen.engine import features

    monkeypatch.setattr(features, "_SMALL_LOOKUP", 10)
    monkeypatch.setattr(features, "_DENSE_CODES", 10)  # every table sparse
    index = HistoryIndex.build(history)
    batch = history.sample(1200, seed=2).with_columns(
        pl.lit(LATER).alias("date"), pl.format("s{}", pl.int_range(1200)).alias("declaration_id")
    )
    assert all(t.dense is None for t in index._coded.labels.values())  # type: ignore[union-attr]
    assert index._features(batch, coded=True).equals(index._features(batch, coded=False))


def test_index_pickles_without_its_coded_tables(history: pl.DataFrame, later: pl.DataFrame) -> None:
    index = HistoryIndex.build(history)
    expected = index.features(later)
    index.warm_up()
    restored = pickle.loads(pickle.dumps(index))  # noqa: S301 - our own object
    assert "_coded" not in restored.__dict__
    assert restored.features(later).equals(expected)


def test_features_one_equals_the_frame_row(history: pl.DataFrame, later: pl.DataFrame) -> None:
    index = HistoryIndex.build(history)
    batch = later.sample(300, seed=4)
    frame = index.features(batch)
    for declaration, expected in zip(
        batch.iter_rows(named=True), frame.iter_rows(named=True), strict=True
    ):
        got = index.features_one(declaration)
        assert got is not None
        assert got.keys() == expected.keys()
        for name, value in expected.items():
            if isinstance(value, float):
                assert got[name] == pytest.approx(value, rel=1e-12, abs=1e-300), name
            else:
                assert got[name] == value, name


def test_features_one_declines_what_needs_the_frame_path(
    history: pl.DataFrame, later: pl.DataFrame
) -> None:
    index = HistoryIndex.build(history)
    row = later.row(0, named=True)
    assert index.features_one(row) is not None
    assert index.features_one({**row, "date": datetime.date(2024, 6, 1)}) is None  # as-of
    assert index.features_one({**row, "value": float("nan")}) is None
    assert index.features_one({**row, "value": math.inf}) is None
    empty = HistoryIndex.build(history.head(0))
    assert empty.features_one(row) is None


# --------------------------------------------------------------------------------------------
# One declaration == a batch of one


def _close(got: Any, expected: Any, name: str) -> None:
    if isinstance(expected, float):
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-12), name
    elif name == "explanation" and expected is not None:
        assert [c["feature"] for c in got] == [c["feature"] for c in expected], name
        for a, b in zip(got, expected, strict=True):
            assert a["contribution"] == pytest.approx(b["contribution"], rel=1e-9, abs=1e-12)
    else:
        assert got == expected, name


def _json(row: dict[str, Any]) -> dict[str, Any]:
    """The declaration as an API receives it: JSON, dates as ISO strings."""
    decoded: dict[str, Any] = json.loads(json.dumps(row, default=str))
    return decoded


POLICIES = [
    SelectionPolicy({Lane.RED: 0.05, Lane.YELLOW: 0.1, Lane.BLUE: 0.02}, random_share=0.1),
    SelectionPolicy({Lane.RED: 1}, random_share=0.0),  # the model or a profile takes it
    SelectionPolicy({Lane.YELLOW: 1}, random_share=1.0),  # always a control draw
    SelectionPolicy({Lane.RED: 0, Lane.BLUE: 1.0}, random_share=0.0, aeo_factor=0.2),
]


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("explain", ["selected", "all", "none"])
def test_score_one_equals_the_batch_path(
    history: pl.DataFrame,
    later: pl.DataFrame,
    model: RiskModel,
    policy: SelectionPolicy,
    explain: str,
) -> None:
    engine = ScoringEngine.from_history(
        history,
        model,
        _profiles(history),
        policy,
        explain=explain,  # type: ignore[arg-type]
    )
    engine.warm_up()
    lanes = set()
    for row in later.sample(40, seed=len(explain)).iter_rows(named=True):
        payload = _json(row) if row["declaration_id"].endswith(("1", "3", "5")) else row
        expected = engine.score(validate(pl.DataFrame([payload]))).row(0, named=True)
        got = engine.score_one(payload).as_dict()
        assert got.keys() == expected.keys()
        for name, value in expected.items():
            _close(got[name], value, name)
        lanes.add((got["lane"], got["selected_by"]))
    if policy is POLICIES[1]:
        assert {("red", "model"), ("red", "profile")} <= lanes


def test_score_one_on_a_few_hundred_declarations_with_explanations(
    history: pl.DataFrame, model: RiskModel
) -> None:
    """The brief's check: random declarations, scored one at a time and as a batch of one."""
    engine = ScoringEngine.from_history(history, model, _profiles(history), POLICIES[1])
    explained = dataclasses.replace(engine, explain="all")
    batch = synthetic_declarations(
        400, seed=9, start=LATER, days=3, with_outcome=False, world_size=4000
    )
    matched = 0
    for row in batch.iter_rows(named=True):
        expected = explained.score(validate(pl.DataFrame([row]))).row(0, named=True)
        got = engine.score_one(row, explain=True)
        assert isinstance(got, Assessment)
        assert got.explanation is not None and len(got.explanation) == engine.explain_top
        for name, value in expected.items():
            _close(getattr(got, name), value, name)
        matched += bool(got.matched_profiles)
    assert matched > 50


def test_score_one_explain_override(
    history: pl.DataFrame, later: pl.DataFrame, model: RiskModel
) -> None:
    engine = ScoringEngine.from_history(history, model, [], POLICIES[0], explain="none")
    row = later.row(3, named=True)
    assert engine.score_one(row).explanation is None
    explained = engine.score_one(row, explain=True).explanation
    reference = ScoringEngine.from_history(history, model, [], POLICIES[0], explain="all")
    expected = reference.score(validate(pl.DataFrame([row])))["explanation"][0].to_list()
    _close(explained, expected, "explanation")


def test_score_one_falls_back_to_the_batch_path(
    history: pl.DataFrame, later: pl.DataFrame, model: RiskModel
) -> None:
    """Dated within the history (as-of features), extra columns in rules, loose values."""
    extra = {"office_code": ValueType.STRING}
    profiles = ProfileSet([RiskProfile("o", 'office_code = "O3"', Lane.RED)], columns=extra)
    engine = ScoringEngine(
        HistoryIndex.build(history, model.feature_config),
        model,
        profiles,
        POLICIES[1],
        explain="all",
    )
    assert not engine._fast_rules
    row = {**later.row(5, named=True), "office_code": "O3"}
    _close(
        engine.score_one(row).as_dict(),
        engine.score(validate(pl.DataFrame([row]))).row(0, named=True),
        "row",
    )
    plain = ScoringEngine.from_history(history, model, _profiles(history), POLICIES[1])
    for payload in (
        {**later.row(6, named=True), "date": "2024-06-01"},  # before the history's end
        {**later.row(7, named=True), "value": " 12.5 "},  # validate strips it
        {**later.row(8, named=True), "net_mass": "1,5"},  # and reports this one
    ):
        expected = _outcome(
            lambda p=payload: plain.score(validate(pl.DataFrame([p]))).row(0, named=True)  # type: ignore[misc]
        )
        if isinstance(expected, SchemaError):
            with pytest.raises(SchemaError) as caught:
                plain.score_one(payload)
            assert caught.value.issues == expected.issues
            continue
        for name, value in expected.items():
            _close(plain.score_one(payload).as_dict()[name], value, name)


def _outcome(compute: Callable[[], dict[str, Any]]) -> dict[str, Any] | SchemaError:
    """What ``compute`` returns, or the schema error it raises."""
    try:
        return compute()
    except SchemaError as error:
        return error


# --------------------------------------------------------------------------------------------
# validate_one == validate on a one-row frame


def _base_declaration() -> dict[str, Any]:
    return {
        "declaration_id": "d1",
        "date": "2025-01-15",
        "office": "O1",
        "declarant": "D1",
        "importer": "I1",
        "hs": "8517120000",
        "origin": "CN",
        "net_mass": 10.5,
        "value": 100,
    }


VARIANTS: list[dict[str, Any]] = [
    {},
    {"date": datetime.date(2025, 1, 15)},
    {"date": datetime.datetime(2025, 1, 15, 10, 30)},  # noqa: DTZ001 - a naive input
    {"value": "1e3", "net_mass": "0.25", "tax_rate": "8"},
    {"value": "00012.50", "net_mass": "-0", "tax_rate": "12345678901234567890.123"},
    {"value": 2**60},
    {"importer_aeo": "Yes", "seller_aeo": False, "declarant_aeo": "0"},
    {"importer_aeo": "maybe"},
    {"departure": "VN", "currency": "EUR", "description": "phones", "courier": None},
    {"seller": ""},
    {"seller": " S1"},
    {"office": 17},
    {"hs": "8517"},
    {"hs": "851712000001"},
    {"hs": "85x7"},
    {"origin": "cn"},
    {"departure": "CHN"},
    {"value": -1.0},
    {"value": float("nan")},
    {"net_mass": None},
    {"date": "2025-02-30"},
    {"date": "2025-1-5"},
    {
        "extra_text": "x",
        "extra_number": 3,
        "extra_flag": True,
        "extra_day": datetime.date(2024, 1, 1),
    },
    {"result": "fraud"},
]


@pytest.mark.parametrize("variant", VARIANTS, ids=[str(sorted(v)) for v in VARIANTS])
def test_validate_one_equals_validate(variant: dict[str, Any]) -> None:
    declaration = {**_base_declaration(), **variant}
    expected = _outcome(lambda: validate(pl.DataFrame([declaration])).row(0, named=True))
    if isinstance(expected, SchemaError):
        with pytest.raises(SchemaError) as caught:
            validate_one(declaration)
        assert caught.value.issues == expected.issues
        return
    got = validate_one(declaration)
    assert list(got) == list(expected)
    for name, value in expected.items():
        assert got[name] == value or (value != value and got[name] != got[name]), name
        assert type(got[name]) is type(value), name


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=0, max_value=1e12, allow_nan=False) | st.integers(0, 10**15))
def test_validate_one_parses_numbers_like_polars(number: float) -> None:
    for text in (repr(number), f"{number:.17g}", f"{number:.3f}", f"{number:e}"):
        declaration = {**_base_declaration(), "value": text}
        expected = validate(pl.DataFrame([declaration])).row(0, named=True)["value"]
        assert validate_one(declaration)["value"] == expected, text


# --------------------------------------------------------------------------------------------
# select_one == select on a one-row batch


@pytest.mark.parametrize(
    "policy",
    [
        SelectionPolicy({Lane.RED: 0.05, Lane.YELLOW: 0.1}),
        SelectionPolicy({Lane.RED: 1, Lane.YELLOW: 1}, random_share=0.0),
        SelectionPolicy({Lane.RED: 1.0}, random_share=0.5),
        SelectionPolicy({Lane.RED: 0, Lane.YELLOW: 0.5, Lane.BLUE: 3}, random_share=0.0),
        SelectionPolicy({Lane.BLUE: 1}, random_share=0.0, aeo_factor=0.0),
        SelectionPolicy({}, random_share=1.0),
    ],
)
@pytest.mark.parametrize("forced", [None, "red", "yellow", "green", "blue", "purple"])
@pytest.mark.parametrize("aeo", [None, False, True])
def test_select_one_equals_select(
    policy: SelectionPolicy, forced: str | None, aeo: bool | None
) -> None:
    for score in (0.7, None):
        batch = pl.DataFrame(
            {"score": [score], "forced_lane": [forced], "forced_weight": [2.0], "aeo": [aeo]},
            schema={
                "score": pl.Float64,
                "forced_lane": pl.String,
                "forced_weight": pl.Float64,
                "aeo": pl.Boolean,
            },
        )
        expected = select(batch, policy).row(0)
        assert select_one(score, policy, forced_lane=forced, forced_weight=2.0, aeo=aeo) == expected


# --------------------------------------------------------------------------------------------
# Batch internals


@pytest.mark.parametrize("count", [0, 1, 2, 9, 25, 64])
def test_decoded_patterns_equal_the_expressions(
    history: pl.DataFrame, later: pl.DataFrame, model: RiskModel, count: int
) -> None:
    rng = np.random.default_rng(count)
    lanes = list(Lane)
    profiles = [
        RiskProfile(
            f"p{i}",
            f"value > {rng.integers(0, 5000)} or origin = 'CN'",
            lanes[i % 4],
            weight=float(rng.integers(0, 3)),
        )
        for i in range(count)
    ]
    engine = ScoringEngine.from_history(history, model, profiles, POLICIES[0])
    scored = engine.features(later)
    fast = engine._assess(scored)
    reference = engine._assess_by_expressions(scored, engine.profiles.matches(scored))
    assert fast.equals(reference)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.0, -0.0, 0.5, 1.0, 2.0, math.nan]),
            st.sampled_from([0.0, -0.0, 0.1, 0.2, 0.7, math.nan]),
            st.booleans(),
        ),
        max_size=60,
    ),
    st.integers(0, 70),
)
def test_partial_sorts_equal_full_sorts(rows: list[tuple[float, float, bool]], count: int) -> None:
    weight = np.array([r[0] for r in rows], dtype=np.float64)
    priority = np.array([r[1] for r in rows], dtype=np.float64)
    eligible = np.array([r[2] for r in rows], dtype=bool)
    candidates = np.flatnonzero(eligible)
    by_lexsort = candidates[np.lexsort((-priority[candidates], -weight[candidates]))][:count]
    assert np.array_equal(_by_weight(weight, priority, eligible, count), by_lexsort)
    full = np.argsort(-priority, kind="stable")
    assert np.array_equal(_ranked(priority, eligible, count), full[eligible[full]][:count])


def _select_before(batch: pl.DataFrame, policy: SelectionPolicy) -> pl.DataFrame:
    """``select`` as it was before the partial sorts and lane codes: the reference."""
    n = batch.height
    score = batch["score"].fill_null(0.0).to_numpy()
    aeo = batch["aeo"].fill_null(False).to_numpy()
    forced = batch["forced_lane"].fill_null("").to_numpy()
    weight = batch["forced_weight"].fill_null(0.0).to_numpy()
    priority = np.where(aeo, score * policy.aeo_factor, score)
    lane = np.full(n, "green", dtype=object)
    reason = np.full(n, None, dtype=object)
    free = np.ones(n, dtype=bool)
    rng = np.random.default_rng(policy.seed)
    remaining = {}
    for target, size in policy.lane_sizes(n).items():
        controls = policy.control_count(size)
        drawn = rng.choice(np.flatnonzero(free), size=controls, replace=False)
        lane[drawn], reason[drawn], free[drawn] = target.value, "control", False
        remaining[target] = size - controls
    for target in INSPECTION_LANES:
        candidates = np.flatnonzero(free & (forced == target.value))
        order = np.lexsort((-priority[candidates], -weight[candidates]))
        taken = candidates[order[: remaining[target]]]
        lane[taken], reason[taken], free[taken] = target.value, "profile", False
        remaining[target] -= len(taken)
    released = free & (forced == "green")
    reason[released] = "profile"
    ranked = np.argsort(-priority, kind="stable")
    ranked = ranked[(free & ~released)[ranked]]
    start = 0
    for target in INSPECTION_LANES:
        taken = ranked[start : start + remaining[target]]
        lane[taken], reason[taken], free[taken] = target.value, "model", False
        start += len(taken)
    return pl.DataFrame(
        {
            "lane": pl.Series(lane.tolist(), dtype=pl.String),
            "selected_by": pl.Series(reason.tolist(), dtype=pl.String),
            "priority": pl.Series(priority, dtype=pl.Float64),
        }
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("forced_share", [0.0, 0.02, 0.3])
def test_select_equals_the_full_sort_version(seed: int, forced_share: float) -> None:
    rng = np.random.default_rng(seed)
    n = 20_000
    lanes = rng.choice(["red", "yellow", "blue", "green", "purple"], n)
    batch = pl.DataFrame(
        {
            "score": rng.choice([0.1, 0.2, 0.5, 0.9], n) * rng.choice([1.0, 1.0, 0.999], n),
            "forced_lane": pl.Series(lanes, dtype=pl.String).set(
                pl.Series(rng.random(n) >= forced_share), None
            ),
            "forced_weight": rng.choice([1.0, 2.0, 3.0], n),
            "aeo": rng.random(n) < 0.1,
        }
    )
    for policy in (
        SelectionPolicy({Lane.RED: 0.05, Lane.YELLOW: 300, Lane.BLUE: 0.02}, seed=seed),
        SelectionPolicy({Lane.RED: 0.5, Lane.YELLOW: 0.5}, random_share=0.0),
        SelectionPolicy({Lane.BLUE: 1.0}, random_share=0.3, aeo_factor=1.0),
    ):
        assert select(batch, policy).equals(_select_before(batch, policy))


def test_chunked_prediction_equals_one_call(
    model: RiskModel, history: pl.DataFrame, later: pl.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    features = HistoryIndex.build(history).features(later)
    matrix = model._matrix(features)
    whole = model.booster.predict(matrix)
    contributions = model.booster.predict(matrix, pred_contrib=True)
    monkeypatch.setattr(model_module, "_CHUNK_ROWS", 97)
    monkeypatch.setattr(model_module, "_CONTRIB_CHUNK_ROWS", 31)
    assert np.array_equal(model.score(features), whole)
    assert np.array_equal(model._predict(matrix, pred_contrib=True), contributions)
    one = features.row(4, named=True)
    vector = [one[name] for name in model.feature_names]
    assert model.score_vector(vector) == pytest.approx(whole[4], rel=1e-12)
    assert model.explain_vector(vector) == model.explain(features.slice(4, 1))[0].to_list()


# --------------------------------------------------------------------------------------------
# Large batches: features assembled row block by row block == the frame of features


def _frame_path(engine: ScoringEngine, monkeypatch: pytest.MonkeyPatch) -> ScoringEngine:
    """``engine`` as it scores without :class:`FeatureRows` (the frame of every feature)."""
    monkeypatch.setattr(ScoringEngine, "_scored_rows", lambda self, declarations: None)
    return engine


@pytest.mark.parametrize("chunk", [97, 1 << 14])
@pytest.mark.parametrize("explain", ["selected", "all", "none"])
def test_batches_from_feature_rows_equal_the_frame_of_features(
    history: pl.DataFrame,
    later: pl.DataFrame,
    model: RiskModel,
    monkeypatch: pytest.MonkeyPatch,
    chunk: int,
    explain: str,
) -> None:
    """Scores bit for bit, profiles (one reading a history feature), lanes, explanations."""
    monkeypatch.setattr(model_module, "_CHUNK_ROWS", chunk)
    columns = {**DEFAULT_RULE_COLUMNS, "hist_importer_rate": ValueType.NUMBER}
    profiles = [*_profiles(history), RiskProfile("party", "hist_importer_rate > 0.3", Lane.RED)]
    engine = ScoringEngine(
        HistoryIndex.build(history, model.feature_config),
        model,
        ProfileSet(profiles, columns),
        POLICIES[0],
        explain=explain,  # type: ignore[arg-type]
    )
    assert engine._scored_rows(later) is not None  # the batch takes the row path
    scored, assessed = engine.score(later), engine.assess(later)
    assert scored["matched_profiles"].list.contains("party").any()
    with monkeypatch.context() as patched:
        reference = _frame_path(engine, patched)
        assert scored.equals(reference.score(later))
        assert assessed.equals(reference.assess(later))


def test_feature_rows_hold_the_frame_of_features(
    history: pl.DataFrame, later: pl.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any rows, in any order, dense and sparse tables; nothing for a batch dated too early."""
    from opencen.engine import features

    for dense_limit in (features._DENSE_CODES, 10):  # 10: every table sparse
        monkeypatch.setattr(features, "_DENSE_CODES", dense_limit)
        index = HistoryIndex.build(history)
        expected = index.features(later).select(index.config.feature_names()).to_numpy()
        rows = index.feature_rows(later)
        assert rows is not None and rows.names == tuple(index.config.feature_names())
        for j, name in enumerate(rows.names):
            assert np.array_equal(rows.column(name), expected[:, j], equal_nan=True), name
        order = np.random.default_rng(dense_limit).permutation(later.height)[:700]
        matrix = np.full((len(order), len(rows.names)), -1.0)
        rows.fill(order, matrix)
        assert np.array_equal(matrix, expected[order], equal_nan=True)
    assert HistoryIndex.build(history).feature_rows(history.head(2000)) is None


def test_score_rows_equals_score(
    history: pl.DataFrame, later: pl.DataFrame, model: RiskModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model_module, "_CHUNK_ROWS", 131)
    index = HistoryIndex.build(history, model.feature_config)
    rows = index.feature_rows(later)
    assert rows is not None
    assert np.array_equal(
        model.score_rows(rows), model.booster.predict(model._matrix(index.features(later)))
    )
    other = HistoryIndex.build(history, FeatureConfig(prior_strength=2.0, keys=()))
    with pytest.raises(ValueError, match="other features"):
        model.score_rows(other.feature_rows(later))  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Rules: the fast compilation of prefix lists, NaN like polars in the row evaluator


def test_prefix_lists_compile_to_one_test_per_length() -> None:
    prefixes = ["8517", "85", "0101", "", "9", "851712", "ü1", "7"]
    frame = pl.DataFrame({"hs": ["8517120000", "8600", "0101", None, "ü123", "", "7", "x"]})
    for chosen in (prefixes, prefixes[:2], prefixes[1:], ["85", "8", "860"]):
        rule = compile_rule('hs startswith list "p"', lists={"p": chosen})
        negated = compile_rule('not hs startswith list "p"', lists={"p": chosen})
        for compiled in (rule, negated):
            expected = [compiled.evaluate(row) for row in frame.iter_rows(named=True)]
            assert frame.select(compiled.expr).to_series().to_list() == expected


def test_row_evaluator_orders_nan_like_polars() -> None:
    frame = pl.DataFrame(
        {
            "value": [math.nan, 1.0, math.nan, None, 5.0],
            "net_mass": [1.0, math.nan, math.nan, 2.0, 0.0],
        }
    )
    sources = [
        "value < net_mass",
        "value <= net_mass",
        "value > net_mass",
        "value >= net_mass",
        "value = net_mass",
        "value != net_mass",
        "value > 3",
        "value in (1, 5)",
        "value not in (1, 5)",
        "value / net_mass > 3",
        "value - value = 0",
    ]
    for source in sources:
        rule = compile_rule(source)
        expected = frame.select(rule.expr).to_series().to_list()
        assert [rule.evaluate(row) for row in frame.iter_rows(named=True)] == expected, source
    with_nan = compile_rule('value in list "n"', lists={"n": [math.nan, 2.0]})
    assert frame.select(with_nan.expr).to_series().to_list() == [
        with_nan.evaluate(row) for row in frame.iter_rows(named=True)
    ]
