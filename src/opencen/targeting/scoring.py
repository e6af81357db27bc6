"""Scoring declarations with the engine: features, model, profiles, lanes, explanations.

A :class:`Scorer` bundles what one administration's scoring needs: the history index of its
examined declarations, its active model (or none), its active profiles compiled against its
watch lists, and its selection policy.  Two ways to assign lanes:

* **Batch selection** (the engine's :func:`~opencen.engine.selection.select`) for batches large
  enough that every lane budget holds whole declarations and its random control share
  (:meth:`Policy.min_batch`): exact budgets per batch.
* **Streaming selection** for single declarations and small batches: a declaration is a control
  draw with probability ``lane share x random share`` (a keyed hash of the declaration number,
  so resubmitting does not redraw), else goes to the lane a matching profile forces, else to
  the lane whose model budget its priority reaches, measured against the quantiles of the
  active model's scores on recent declarations (kept with the model version).

Without an active model, profiles and the random control still apply; the model's share of
each budget stays unused (``notes`` says so).

Scorers are cached per process (:data:`CACHE`) and rebuilt when the organisation's active
model, profiles, watch lists or policy change, and each day; new examination results are taken
in at most every :data:`HISTORY_REFRESH_SECONDS`, so recording results never slows scoring
down.  The history index holds the results known before today: a declaration dated ``d`` sees
only results dated before ``d`` (the engine's time-safety rule), so every declaration of the day
is scored from the same snapshot, on the engine's one-row path (``HistoryIndex.features_one``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import math
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import polars as pl
from django.conf import settings as django_settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from opencen.engine.features import FeatureConfig, HistoryIndex, add_key_columns
from opencen.engine.model import RiskModel
from opencen.engine.rules import ProfileSet, RiskProfile, RuleError
from opencen.engine.selection import INSPECTION_LANES, Lane, SelectionPolicy, select
from opencen.targeting import columns
from opencen.targeting.models import Declaration, ModelVersion, TargetingSettings, WatchList
from opencen.targeting.models import RiskProfile as ProfileRow

logger = logging.getLogger(__name__)

HISTORY_REFRESH_SECONDS: Final = 60.0
CACHE_SIZE: Final = 16
EXPLAIN_TOP: Final = 3
QUANTILES: Final = 101
NO_MODEL_NOTE: Final = gettext_noop(
    "no active model: profiles and the random control share applied only"
)


@dataclass(frozen=True)
class Policy:
    """Lane budgets (shares of declarations), random control share and AEO factor."""

    shares: Mapping[Lane, float]
    random_share: float
    aeo_factor: float

    @classmethod
    def of(cls, row: TargetingSettings) -> Policy:
        shares = {Lane.RED: row.red_share, Lane.YELLOW: row.yellow_share, Lane.BLUE: row.blue_share}
        return cls({k: float(v) for k, v in shares.items()}, row.random_share, row.aeo_factor)

    def engine(self, seed: int) -> SelectionPolicy:
        """The engine's policy for one batch."""
        return SelectionPolicy(dict(self.shares), self.random_share, self.aeo_factor, seed)

    def min_batch(self) -> int:
        """Smallest batch in which every lane budget holds its control draws and one more."""
        needed = max(1, math.ceil(1 / self.random_share)) if self.random_share > 0 else 1
        sizes = [math.ceil(needed / share - 1e-9) for share in self.shares.values() if share > 0]
        return max(sizes, default=1)


@dataclass(frozen=True)
class ProfileInfo:
    """What a declaration page shows about a matched profile."""

    id: str
    name: str
    lane: str
    weight: float


@dataclass
class Assessment:
    """The outcome of scoring one declaration."""

    score: float | None
    probability: float | None
    priority: float | None
    matched: list[str]
    lane: str
    selected_by: str
    explanation: list[dict[str, Any]] = field(default_factory=list)


def _unit_hash(secret: bytes, owner_id: uuid.UUID, reference: str) -> float:
    """A uniform number in [0, 1) fixed by the declaration, unpredictable without the key."""
    digest = hmac.new(secret, f"{owner_id}:{reference}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _empty_history_features(index: HistoryIndex, frame: pl.DataFrame) -> pl.DataFrame:
    """What ``index.features`` means for an empty history (the engine returns no rows then)."""
    names = index.config.feature_names()
    counts = [n for n in names if n.endswith("_n")]
    base = add_key_columns(frame)
    aeo = pl.any_horizontal(pl.col("declarant_aeo", "importer_aeo", "seller_aeo").fill_null(False))
    return base.with_columns(
        pl.col("value", "net_mass", "tax_rate").cast(pl.Float64),
        aeo.cast(pl.Float64).alias("aeo"),
        *(pl.lit(0.0).alias(n) for n in counts),
        *(
            pl.lit(None, pl.Float64).alias(n)
            for n in names
            if n not in counts and n not in ("value", "net_mass", "tax_rate", "aeo", "unit_value")
        ),
    )


@dataclass
class Scorer:
    """One administration's scoring state (immutable once built; shared between threads)."""

    owner_id: uuid.UUID
    index: HistoryIndex
    model: RiskModel | None
    model_version_id: uuid.UUID | None
    model_number: int | None
    quantiles: np.ndarray | None
    profiles: ProfileSet
    info: Mapping[str, ProfileInfo]
    policy: Policy
    secret: bytes
    by_weight: list[RiskProfile] = field(init=False)
    feature_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        # the highest weight wins; equal weights keep the definition order (as the engine)
        self.by_weight = sorted(self.profiles.profiles, key=lambda p: -p.weight)
        self.feature_names = tuple(self.model.feature_names) if self.model is not None else ()

    @property
    def notes(self) -> list[str]:
        return [] if self.model is not None else [NO_MODEL_NOTE]

    # --- one declaration -------------------------------------------------------------------

    def score_row(self, row: Mapping[str, Any]) -> Assessment:
        """Score one canonical declaration (a dict keyed by schema column).

        A declaration dated after the history takes the engine's one-row path
        (``HistoryIndex.features_one``, one LightGBM call on one thread for the score and one
        for the explanation); others, and an empty history, the batch path on a one-row frame.
        """
        feats = self.index.features_one(row) if self.index.last_date is not None else None
        if feats is None:
            feats = self.features(columns.row_frame([row])).row(0, named=True)
        score = probability = None
        explanation: list[dict[str, Any]] = []
        if self.model is not None:
            vector = [feats[name] for name in self.feature_names]
            score = self.model.score_vector(vector)
            probability = float(self.model.probability(np.array([score]))[0])
            explanation = self.model.explain_vector(vector, EXPLAIN_TOP)
        feats["score"] = score
        matched = self.profiles.matches_row(feats)
        forced = self._forced(matched)
        priority = self._priority(score, feats["aeo"] > 0)
        lane, selected_by = self.stream_lane(str(row["declaration_id"]), priority, forced)
        return Assessment(score, probability, priority, matched, lane, selected_by, explanation)

    def _winner(self, matched: Sequence[str]) -> RiskProfile | None:
        """The matched profile that decides the lane: the highest weight, then the oldest."""
        hits = set(matched)
        return next((p for p in self.by_weight if p.id in hits), None)

    def _forced(self, matched: Sequence[str]) -> str | None:
        winner = self._winner(matched)
        return None if winner is None else winner.lane.value

    def _priority(self, score: float | None, aeo: bool) -> float | None:
        if score is None:
            return None
        return score * self.policy.aeo_factor if aeo else score

    def threshold(self, top_share: float) -> float | None:
        """The score above which a declaration is in the top ``top_share`` of recent ones."""
        if self.quantiles is None or top_share <= 0:
            return None
        position = min(max(1.0 - top_share, 0.0), 1.0) * (len(self.quantiles) - 1)
        return float(np.interp(position, np.arange(len(self.quantiles)), self.quantiles))

    def stream_lane(
        self, reference: str, priority: float | None, forced: str | None
    ) -> tuple[str, str]:
        """Lane and reason for one declaration under the streaming rules (module docstring)."""
        draw = _unit_hash(self.secret, self.owner_id, reference)
        band = 0.0
        for lane in INSPECTION_LANES:
            band += self.policy.shares.get(lane, 0.0) * self.policy.random_share
            if draw < band:
                return lane.value, "control"
        if forced is not None:
            return forced, "profile"
        if priority is None or self.quantiles is None:
            return Lane.GREEN.value, ""
        top = 0.0
        lowest = float(self.quantiles[0])
        for lane in INSPECTION_LANES:
            share = self.policy.shares.get(lane, 0.0) * (1 - self.policy.random_share)
            if share <= 0:
                continue
            top += share
            threshold = self.threshold(top)
            if top >= 1 - 1e-9 or (
                threshold is not None
                and priority >= threshold
                and (priority > lowest or threshold > lowest)
            ):
                return lane.value, "model"
        return Lane.GREEN.value, ""

    # --- batches ---------------------------------------------------------------------------

    def features(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Engine features of a canonical frame (time-safe for rows dated within history)."""
        if self.index.last_date is None:
            return _empty_history_features(self.index, frame)
        return self.index.features(frame)

    def score_frame(self, frame: pl.DataFrame, *, seed: int = 0) -> pl.DataFrame:
        """Score a canonical frame; one row per declaration, in input order.

        Columns: ``declaration_id``, ``score``, ``probability``, ``priority``,
        ``matched_profiles``, ``lane``, ``selected_by`` (blank when not selected) and
        ``explanation`` (contributions for declarations in an inspection lane).
        """
        feats = self.features(frame)
        height = feats.height
        if self.model is not None:
            raw = self.model.score(feats)
            scores = pl.Series("score", raw, dtype=pl.Float64)
            probability = pl.Series("probability", self.model.probability(raw), dtype=pl.Float64)
        else:
            scores = pl.Series("score", [None] * height, dtype=pl.Float64)
            probability = scores.alias("probability")
        feats = feats.with_columns(scores)
        ids = [p.id for p in self.profiles.profiles]
        matches = self.profiles.matches(feats) if ids else pl.DataFrame()
        matched = (
            [[i for i, hit in zip(ids, row, strict=True) if hit] for row in matches.iter_rows()]
            if ids
            else [[] for _ in range(height)]
        )
        winners = [self._winner(m) for m in matched]
        forced = [None if w is None else w.lane.value for w in winners]
        aeo = feats["aeo"].to_list()
        priority = [self._priority(s, a > 0) for s, a in zip(scores.to_list(), aeo, strict=True)]
        if height >= self.policy.min_batch():
            weights = [None if w is None else w.weight for w in winners]
            lanes, reasons = self._select_batch(scores, forced, weights, aeo, seed)
        else:
            references = frame["declaration_id"].to_list()
            pairs = [
                self.stream_lane(str(r), p, f)
                for r, p, f in zip(references, priority, forced, strict=True)
            ]
            lanes, reasons = [p[0] for p in pairs], [p[1] for p in pairs]
        explanation: list[list[dict[str, Any]]] = [[] for _ in range(height)]
        if self.model is not None:
            chosen = [i for i, lane in enumerate(lanes) if lane != Lane.GREEN.value]
            if chosen:
                explained = self.model.explain(feats[chosen], EXPLAIN_TOP).to_list()
                for i, items in zip(chosen, explained, strict=True):
                    explanation[i] = items
        return pl.DataFrame(
            {
                "declaration_id": frame["declaration_id"],
                "score": scores,
                "probability": probability,
                "priority": pl.Series(priority, dtype=pl.Float64),
                "matched_profiles": pl.Series(matched, dtype=pl.List(pl.String)),
                "lane": pl.Series(lanes, dtype=pl.String),
                "selected_by": pl.Series(reasons, dtype=pl.String),
                "explanation": pl.Series(explanation, dtype=pl.Object),
            }
        )

    def _select_batch(
        self,
        scores: pl.Series,
        forced: list[str | None],
        weights: list[float | None],
        aeo: list[float],
        seed: int,
    ) -> tuple[list[str], list[str]]:
        batch = pl.DataFrame(
            {
                "score": scores,
                "forced_lane": pl.Series(forced, dtype=pl.String),
                "forced_weight": pl.Series(weights, dtype=pl.Float64),
                "aeo": pl.Series([a > 0 for a in aeo], dtype=pl.Boolean),
            }
        )
        chosen = select(batch, self.policy.engine(seed))
        lanes = chosen["lane"].to_list()
        reasons = [r or "" for r in chosen["selected_by"].to_list()]
        if self.model is None:  # the model's share of the budget stays unused
            for i, reason in enumerate(reasons):
                if reason == "model":
                    lanes[i], reasons[i] = Lane.GREEN.value, ""
        return lanes, reasons


def _load_profiles(owner_id: uuid.UUID) -> tuple[list[RiskProfile], dict[str, ProfileInfo]]:
    lists = {w.name: list(w.values) for w in WatchList.objects.filter(owner_id=owner_id)}
    profiles: list[RiskProfile] = []
    info: dict[str, ProfileInfo] = {}
    for row in ProfileRow.objects.filter(owner_id=owner_id, is_active=True).order_by("created_at"):
        profile = engine_profile(row, lists)
        try:
            profile.compile()
        except RuleError:
            logger.warning("profile %s no longer compiles; skipped", row.pk)
            continue
        profiles.append(profile)
        info[profile.id] = ProfileInfo(profile.id, row.name, row.lane, row.weight)
    return profiles, info


def engine_profile(row: ProfileRow, lists: Mapping[str, Sequence[str]]) -> RiskProfile:
    """The engine's profile for a stored one (id: the row's UUID as text)."""
    return RiskProfile(
        id=str(row.pk),
        expression=row.expression,
        lane=Lane(row.lane),
        weight=row.weight,
        lists=dict(lists),
        valid_from=row.valid_from,
        valid_until=row.valid_until,
    )


def history_frame(
    owner_id: uuid.UUID, *, results_before: dt.date | None = None, **window: dt.date | None
) -> pl.DataFrame:
    """The owner's examined declarations with their outcome, in the engine's form.

    ``date_from``/``date_until`` bound the declaration dates; ``results_before`` keeps only
    results known before that day.
    """
    queryset = Declaration.objects.filter(owner_id=owner_id, result__isnull=False)
    if results_before:
        queryset = queryset.filter(result_date__lt=results_before)
    if window.get("date_from"):
        queryset = queryset.filter(date__gte=window["date_from"])
    if window.get("date_until"):
        queryset = queryset.filter(date__lte=window["date_until"])
    return columns.queryset_frame(queryset.order_by("date", "created_at"), with_outcome=True)


class ModelCache:
    """Loaded models by version, least recently used out first.

    A version's model never changes once trained (training writes its document once), so a
    scorer rebuilt for new history (every minute while results come in) or a new day reuses
    the parsed booster instead of reading and parsing its document again.
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._models: OrderedDict[uuid.UUID, RiskModel] = OrderedDict()

    def clear(self) -> None:
        with self._lock:
            self._models.clear()

    def get(
        self, version_id: uuid.UUID, owner_id: uuid.UUID
    ) -> tuple[ModelVersion, RiskModel | None] | None:
        """The version (without its document) and its model; ``None`` for no such version."""
        version = (
            ModelVersion.objects.filter(pk=version_id, owner_id=owner_id).defer("blob").first()
        )
        if version is None:
            return None
        with self._lock:
            model = self._models.get(version.pk)
            if model is not None:
                self._models.move_to_end(version.pk)
                return version, model
        blob = ModelVersion.objects.filter(pk=version.pk).values_list("blob", flat=True).first()
        if not blob:
            return version, None
        model = RiskModel.from_bytes(bytes(blob))
        with self._lock:
            self._models[version.pk] = model
            while len(self._models) > self.size:
                self._models.popitem(last=False)
        return version, model


def build_scorer(row: TargetingSettings, models: ModelCache | None = None) -> Scorer:
    """Build the scorer of an organisation from the database (history, model, profiles).

    ``models`` caches parsed models between builds (the process's :data:`CACHE` has one).
    """
    models = models or ModelCache(size=1)
    found = models.get(row.active_model_id, row.owner_id) if row.active_model_id else None
    version, model = found if found is not None else (None, None)
    config = model.feature_config if model is not None else FeatureConfig()
    # Results known before today only: a declaration dated today may not see today's results
    # (the engine's time-safety rule), and then every declaration of the day is scored from
    # one snapshot, on the fast path.
    today = timezone.localdate()
    index = HistoryIndex.build(history_frame(row.owner_id, results_before=today), config)
    index.warm_up()  # the one-row look-up tables, now rather than in the first request
    profiles, info = _load_profiles(row.owner_id)
    quantiles = None
    if model is not None and version is not None and version.score_quantiles:
        quantiles = np.asarray(version.score_quantiles, dtype=np.float64)
    return Scorer(
        owner_id=row.owner_id,
        index=index,
        model=model,
        model_version_id=version.pk if model is not None and version is not None else None,
        model_number=version.number if model is not None and version is not None else None,
        quantiles=quantiles,
        profiles=ProfileSet(profiles),
        info=info,
        policy=Policy.of(row),
        secret=django_settings.SECRET_KEY.encode(),
    )


@dataclass
class _Entry:
    key: tuple[Any, ...]
    history_revision: int
    built: float
    scorer: Scorer


class ScorerCache:
    """Per-process cache of scorers, one per organisation, least recently used out first.

    The one piece of module state of the app: rebuilding a scorer reads the whole examined
    history, which a single-declaration request cannot afford.
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[uuid.UUID, _Entry] = OrderedDict()
        self.models = ModelCache(size)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
        self.models.clear()

    def forget(self, owner_id: uuid.UUID) -> None:
        """Drop one organisation's scorer (the next request rebuilds it)."""
        with self._lock:
            self._entries.pop(owner_id, None)

    def get(self, row: TargetingSettings) -> Scorer:
        """The scorer for ``row``'s organisation, built or rebuilt when stale."""
        key = (
            timezone.localdate(),
            row.active_model_id,
            row.profiles_revision,
            row.red_share,
            row.yellow_share,
            row.blue_share,
            row.random_share,
            row.aeo_factor,
        )
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(row.owner_id)
            if entry is not None:
                self._entries.move_to_end(row.owner_id)
        fresh = entry is not None and entry.key == key
        if (
            fresh
            and entry is not None
            and (
                entry.history_revision == row.history_revision
                or now - entry.built < HISTORY_REFRESH_SECONDS
            )
        ):
            return entry.scorer
        scorer = build_scorer(row, self.models)
        with self._lock:
            self._entries[row.owner_id] = _Entry(key, row.history_revision, now, scorer)
            self._entries.move_to_end(row.owner_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return scorer


CACHE: Final = ScorerCache()
