"""End-to-end scoring: features -> model -> profiles -> selection -> explanation.

:class:`ScoringEngine` bundles what a scoring run needs (the history index, the model, the
compiled profiles and the selection policy). It holds no mutable state, so one engine can score
many batches concurrently, locally or on Dask workers (:mod:`opencen.engine.distributed`).

Scoring is split so that the per-row part can run on partitions and the budgeted part on the
whole batch: :meth:`ScoringEngine.assess` is row-independent (a row's assessment does not
depend on the other rows of the frame), :meth:`ScoringEngine.allocate` needs the whole batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import polars as pl

from opencen.engine.features import HistoryIndex
from opencen.engine.model import RiskModel
from opencen.engine.rules import ProfileSet, RiskProfile
from opencen.engine.selection import SelectionPolicy, select

__all__ = ["ASSESSMENT_COLUMNS", "ScoringEngine"]

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
        return self._assess(self.features(declarations))

    def _assess(self, scored: pl.DataFrame) -> pl.DataFrame:
        matches = self.profiles.matches(scored)
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
        aeo = pl.any_horizontal(
            pl.col("declarant_aeo", "importer_aeo", "seller_aeo").fill_null(False)
        )
        combined = pl.concat(
            [scored.select("declaration_id", "score", "probability", aeo.alias("aeo")),
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
        return pl.concat([assessment, select(assessment, self.policy)], how="horizontal")

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
        scored = self.features(declarations)
        result = self.allocate(self._assess(scored))
        if self.explain == "all":
            rows = pl.repeat(True, result.height, eager=True)
        elif self.explain == "selected":
            rows = result["lane"] != "green"
        else:
            rows = pl.repeat(False, result.height, eager=True)
        explained = pl.DataFrame(
            [
                rows.arg_true().alias("_row"),
                self.model.explain(scored.filter(rows), self.explain_top),
            ]
        )
        return (
            result.with_row_index("_row")
            .join(explained, on="_row", how="left", maintain_order="left")
            .drop("_row")
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
