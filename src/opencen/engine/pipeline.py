"""End-to-end scoring: features -> model -> profiles -> selection -> explanation.

:class:`ScoringEngine` bundles what a scoring run needs (the history index, the model, the
compiled profiles and the selection policy). It holds no mutable state, so one engine can score
many batches concurrently, locally or on Dask workers (:mod:`opencen.engine.distributed`).

Scoring is split so that the per-row part can run on partitions and the budgeted part on the
whole batch: :meth:`ScoringEngine.assess` is row-independent (a row's assessment does not
depend on the other rows of the frame), :meth:`ScoringEngine.allocate` needs the whole batch.

:meth:`ScoringEngine.score_one` scores a single declaration given as a mapping without building
any frame (dictionary lookups, one LightGBM call, the row-by-row profile evaluator); it returns
what :meth:`ScoringEngine.score` returns for a one-row batch, and falls back to that path
whenever the fast one does not apply.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import polars as pl

from opencen.engine.features import HistoryIndex
from opencen.engine.model import RiskModel
from opencen.engine.rules import ProfileSet, RiskProfile
from opencen.engine.schema import COLUMNS, validate, validate_one
from opencen.engine.selection import Lane, SelectionPolicy, select, select_one

__all__ = ["ASSESSMENT_COLUMNS", "Assessment", "ScoringEngine"]

ASSESSMENT_COLUMNS: Final[tuple[str, ...]] = (
    "declaration_id",
    "score",
    "probability",
    "matched_profiles",
    "forced_lane",
    "forced_weight",
    "aeo",
)
Explain = Literal["selected", "all", "none"]
_EXPLANATION: Final = pl.List(pl.Struct({"feature": pl.String, "contribution": pl.Float64}))
_MAX_PATTERN_BITS: Final = 62  # profiles up to which match patterns are coded as one integer
_DENSE_PATTERN_BITS: Final = 20  # up to this many profiles, patterns are counted in an array
_UNIT_VALUE_FEATURES: Final = ("median_unit_value", "unit_value_ratio", "unit_value_z")
_FRAME_BATCH: Final = 1000  # batches up to this size are scored from the frame of features


@dataclass(frozen=True)
class Assessment:
    """One declaration scored end to end: a row of :meth:`ScoringEngine.score`.

    ``explanation`` is the list of top feature contributions (``{"feature", "contribution"}``
    dicts, largest magnitude first), ``None`` when the declaration was not explained.
    """

    declaration_id: str
    score: float
    probability: float
    matched_profiles: list[str]
    forced_lane: str | None
    forced_weight: float | None
    aeo: bool
    lane: str
    selected_by: str | None
    priority: float
    explanation: list[dict[str, Any]] | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Assessment:
        """From a row of :meth:`ScoringEngine.score` (``frame.row(i, named=True)``)."""
        return cls(**{f.name: row[f.name] for f in dataclasses.fields(cls)})

    def as_dict(self) -> dict[str, Any]:
        """The row as :meth:`ScoringEngine.score` gives it, e.g. for a JSON response."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class ScoringEngine:
    """Everything needed to score batches of validated declarations.

    ``explain`` chooses which rows get feature contributions: the inspected ones (default,
    cheap), all rows, or none; ``explain_top`` is how many contributions each row gets.
    """

    index: HistoryIndex
    model: RiskModel
    profiles: ProfileSet = field(default_factory=lambda: ProfileSet([]))
    policy: SelectionPolicy = field(default_factory=SelectionPolicy)
    explain: Explain = "selected"
    explain_top: int = 3

    @classmethod
    def from_history(
        cls,
        history: pl.DataFrame,
        model: RiskModel,
        profiles: Sequence[RiskProfile] = (),
        policy: SelectionPolicy | None = None,
        *,
        explain: Explain = "selected",
        explain_top: int = 3,
    ) -> ScoringEngine:
        """Index ``history`` with the model's feature configuration and build an engine."""
        index = HistoryIndex.build(history, model.feature_config)
        profile_set = ProfileSet(profiles)
        return cls(index, model, profile_set, policy or SelectionPolicy(), explain, explain_top)

    def features(self, declarations: pl.DataFrame) -> pl.DataFrame:
        """Declarations with model features and the model's ``score`` and ``probability``."""
        features = self.index.features(declarations)
        scores = self.model.score(features)
        return features.with_columns(
            pl.Series("score", scores, dtype=pl.Float64),
            pl.Series("probability", self.model.probability(scores), dtype=pl.Float64),
        )

    def assess(self, declarations: pl.DataFrame) -> pl.DataFrame:
        """Per-row assessment (:data:`ASSESSMENT_COLUMNS`); independent of the other rows."""
        scored = self._scored_rows(declarations)
        return self._assess(self.features(declarations) if scored is None else scored)

    def _assess(self, scored: pl.DataFrame) -> pl.DataFrame:
        matches = self.profiles.matches(scored)
        if matches.width > _MAX_PATTERN_BITS:
            return self._assess_by_expressions(scored, matches)
        matched, forced_lane, forced_weight = _decode_patterns(
            self._by_weight, matches, scored.height
        )
        aeo = scored.select(_aeo().alias("aeo")).to_series()
        return pl.DataFrame(
            [
                scored["declaration_id"],
                scored["score"],
                scored["probability"],
                matched,
                forced_lane,
                forced_weight,
                aeo,
            ]
        )

    def _scored_rows(self, declarations: pl.DataFrame) -> pl.DataFrame | None:
        """:meth:`features` of a large snapshot batch for what reads it, or ``None``.

        The batch path of :meth:`score` and :meth:`assess` when every declaration is dated
        after the history (every scoring run): the model reads :class:`FeatureRows` block by
        block (:meth:`RiskModel.score_rows`) instead of the frame of :meth:`features`, whose
        ~50 columns of the whole batch are never built. The frame returned has ``score``,
        ``probability`` and the columns profiles can read (the history features only when one
        of them reads those), with the values of :meth:`features`, bit for bit.
        """
        if (
            declarations.height <= _FRAME_BATCH
            or len(self.profiles) > _MAX_PATTERN_BITS
            or self.index.config != self.model.feature_config
        ):
            return None
        rows = self.index.feature_rows(declarations)
        if rows is None:
            return None
        scores = self.model.score_rows(rows)
        read = set().union(*(rule.columns for rule in self.profiles.rules))
        history = [
            pl.Series(name, rows.column(name))
            for name in rows.names
            if name in read and name not in rows.frame.columns
        ]
        return rows.frame.with_columns(
            *history,
            pl.Series("score", scores, dtype=pl.Float64),
            pl.Series("probability", self.model.probability(scores), dtype=pl.Float64),
        )

    @functools.cached_property
    def _by_weight(self) -> list[tuple[int, RiskProfile]]:
        """Profiles (with their position) by decreasing weight; stable, so ties keep order."""
        return sorted(enumerate(self.profiles.profiles), key=lambda p: -p[1].weight)

    def _assess_by_expressions(self, scored: pl.DataFrame, matches: pl.DataFrame) -> pl.DataFrame:
        """:meth:`_assess` with polars expressions per profile (the reference path)."""
        # the highest weight wins; sorting is stable, so equal weights keep definition order
        by_weight = sorted(self.profiles.profiles, key=lambda p: -p.weight)
        forced_lane: pl.Expr = pl.lit(None)
        forced_weight: pl.Expr = pl.lit(None)
        if by_weight:
            hit = {p.id: pl.col(f"_match_{p.id}") for p in by_weight}
            forced_lane = pl.coalesce(
                pl.when(hit[p.id]).then(pl.lit(p.lane.value)) for p in by_weight
            )
            forced_weight = pl.coalesce(
                pl.when(hit[p.id]).then(pl.lit(p.weight)) for p in by_weight
            )
        combined = pl.concat(
            [scored.select("declaration_id", "score", "probability", _aeo().alias("aeo")),
             matches.select(pl.all().name.prefix("_match_"))],
            how="horizontal",
        )  # fmt: skip
        return combined.select(
            "declaration_id",
            "score",
            "probability",
            _matched_profiles(matches, scored.height),
            forced_lane.cast(pl.String).alias("forced_lane"),
            forced_weight.cast(pl.Float64).alias("forced_weight"),
            "aeo",
        )

    def allocate(self, assessment: pl.DataFrame) -> pl.DataFrame:
        """Assessment of a whole batch with ``lane``, ``selected_by`` and ``priority`` added."""
        return assessment.hstack(select(assessment, self.policy))

    def explain_rows(self, declarations: pl.DataFrame) -> pl.DataFrame:
        """``declaration_id`` and ``explanation`` (top feature contributions) for each row."""
        features = self.index.features(declarations)
        return pl.DataFrame(
            [features["declaration_id"], self.model.explain(features, self.explain_top)]
        )

    def score(self, declarations: pl.DataFrame) -> pl.DataFrame:
        """Score a batch end to end; one row per declaration, in input order.

        Columns: :data:`ASSESSMENT_COLUMNS`, ``lane``, ``selected_by``, ``priority`` and
        ``explanation`` (null for rows not explained under the ``explain`` setting).
        """
        from_rows = self._scored_rows(declarations)
        scored = self.features(declarations) if from_rows is None else from_rows
        result = self.allocate(self._assess(scored))
        if self.explain == "all":
            rows = pl.repeat(True, result.height, eager=True)
        elif self.explain == "selected":
            rows = result["lane"] != "green"
        else:
            rows = pl.repeat(False, result.height, eager=True)
        if not rows.any():
            return result.with_columns(pl.lit(None, dtype=_EXPLANATION).alias("explanation"))
        # features are row-independent: without the frame of features, compute those rows'
        features = (
            scored.filter(rows) if from_rows is None else self.features(declarations.filter(rows))
        )
        explained = pl.DataFrame(
            [rows.arg_true().alias("_row"), self.model.explain(features, self.explain_top)]
        )
        return (
            result.with_row_index("_row")
            .join(explained, on="_row", how="left", maintain_order="left")
            .drop("_row")
        )

    def score_one(
        self, declaration: Mapping[str, Any], *, explain: bool | None = None
    ) -> Assessment:
        """Score one declaration given as a mapping of column to value (e.g. parsed JSON).

        The result is the row ``score(validate(pl.DataFrame([declaration])))`` gives (scores
        equal to float rounding): same validation and :class:`~opencen.engine.schema.SchemaError`,
        features, model, profiles, and lanes allocated on a batch of one (a share budget below
        1 takes nobody; a count budget takes the declaration). ``explain`` overrides the
        engine's ``explain`` setting for this call: ``True`` always explains, ``False`` never.

        The fast path builds no frame: :func:`~opencen.engine.schema.validate_one`,
        :meth:`HistoryIndex.features_one`, one single-threaded LightGBM call (two with the
        explanation), the row-by-row profile evaluator and :func:`select_one`. It is exact by
        construction and falls back to the batch path when it does not apply: a declaration
        dated on or before the history's last day, a value that is not a plain finite one,
        profiles reading columns other than the canonical and feature ones.
        """
        row = validate_one(declaration)
        fast = self._score_one_fast(row, explain)
        if fast is not None:
            return fast
        engine = self
        if explain is not None:
            engine = dataclasses.replace(self, explain="all" if explain else "none")
        frame = validate(pl.DataFrame([dict(declaration)]))
        return Assessment.from_row(engine.score(frame).row(0, named=True))

    def warm_up(self) -> None:
        """Build the lookup tables :meth:`score_one` needs now rather than on its first call."""
        self.index.warm_up()
        _ = self._by_weight, self._fast_rules, self._feature_names

    @functools.cached_property
    def _feature_names(self) -> tuple[str, ...]:
        return tuple(self.model.feature_names)

    @functools.cached_property
    def _fast_rules(self) -> bool:
        """Whether every profile reads only columns :meth:`score_one`'s fast path computes."""
        available = {c.name for c in COLUMNS} | {"hs4", "hs6", "unit_value", "score", "probability"}
        available |= set(self.model.feature_names) | set(_UNIT_VALUE_FEATURES)
        return all(rule.columns <= available for rule in self.profiles.rules)

    def _score_one_fast(self, row: Mapping[str, Any], explain: bool | None) -> Assessment | None:
        if not self._fast_rules:
            return None
        features = self.index.features_one(row)
        if features is None:
            return None
        vector = [features[name] for name in self._feature_names]
        score = self.model.score_vector(vector)
        if not math.isfinite(score):
            return None
        probability = float(self.model.probability(np.array([score]))[0])
        features["score"] = score
        features["probability"] = probability
        matched = self.profiles.matches_row(features)
        hit = set(matched)
        winner = next((p for _, p in self._by_weight if p.id in hit), None)
        forced_lane = None if winner is None else winner.lane.value
        forced_weight = None if winner is None else float(winner.weight)
        aeo = any(features.get(c) is True for c in ("declarant_aeo", "importer_aeo", "seller_aeo"))
        lane, selected_by, priority = select_one(
            score, self.policy, forced_lane=forced_lane, forced_weight=forced_weight, aeo=aeo
        )
        if explain is None:
            explain = self.explain == "all" or (self.explain == "selected" and lane != Lane.GREEN)
        explanation = self.model.explain_vector(vector, self.explain_top) if explain else None
        return Assessment(
            declaration_id=features["declaration_id"],
            score=score,
            probability=probability,
            matched_profiles=matched,
            forced_lane=forced_lane,
            forced_weight=forced_weight,
            aeo=aeo,
            lane=lane,
            selected_by=selected_by,
            priority=priority,
            explanation=explanation,
        )


def _aeo() -> pl.Expr:
    return pl.any_horizontal(pl.col("declarant_aeo", "importer_aeo", "seller_aeo").fill_null(False))


def _decode_patterns(
    by_weight: Sequence[tuple[int, RiskProfile]], matches: pl.DataFrame, height: int
) -> tuple[pl.Series, pl.Series, pl.Series]:
    """``matched_profiles``, ``forced_lane`` and ``forced_weight`` of every row.

    Each row's matches are packed into one integer (bit ``i`` for profile ``i``); the outcome
    is decoded once per distinct pattern and gathered back to the rows. ``height`` is the
    number of rows (``matches`` has none when there are no profiles).
    """
    width = matches.width
    code = np.zeros(height, dtype=np.int64)
    for bit, column in enumerate(matches.iter_columns()):
        code |= column.to_numpy().astype(np.int64) << bit
    if width <= _DENSE_PATTERN_BITS and 1 << width <= 4 * height:
        counts = np.bincount(code, minlength=1 << width)
        patterns = np.flatnonzero(counts)
        position = np.zeros(1 << width, dtype=np.int64)
        position[patterns] = np.arange(len(patterns))
        rows = position[code]
    else:
        patterns, rows = np.unique(code, return_inverse=True)
    ids = matches.columns
    matched, lanes, weights = [], [], []
    for pattern in patterns.tolist():
        matched.append([ids[i] for i in range(width) if pattern >> i & 1])
        winner = next((p for i, p in by_weight if pattern >> i & 1), None)
        lanes.append(None if winner is None else winner.lane.value)
        weights.append(None if winner is None else float(winner.weight))
    return (
        pl.Series("matched_profiles", matched, dtype=pl.List(pl.String)).gather(rows),
        pl.Series("forced_lane", lanes, dtype=pl.String).gather(rows),
        pl.Series("forced_weight", weights, dtype=pl.Float64).gather(rows),
    )


def _matched_profiles(matches: pl.DataFrame, height: int) -> pl.Series:
    """Ids of the true columns of each row, as a list; decoded once per distinct pattern."""
    dtype = pl.List(pl.String)
    if not matches.width:
        return pl.repeat([], height, dtype=dtype, eager=True).alias("matched_profiles")
    ids = matches.columns
    patterns = matches.unique(maintain_order=True)
    decoded = pl.Series(
        "matched_profiles",
        [[i for i, hit in zip(ids, row, strict=True) if hit] for row in patterns.iter_rows()],
        dtype=dtype,
    )
    table = patterns.with_columns(decoded)
    return matches.join(table, on=ids, how="left", maintain_order="left")["matched_profiles"]
