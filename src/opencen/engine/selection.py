"""Selectivity: assign every declaration of a batch to a lane under per-lane budgets.

Lanes are red (physical examination), yellow (documentary check), blue (post-clearance audit)
and green (release). :func:`select` fills the inspection lanes in three phases:

1. **Control group.** For each inspection lane, ``ceil(random_share * size)`` declarations are
   drawn uniformly at random from the whole batch (AEO status and profiles play no part), so
   the hit rate of the control estimates the population's and every profile's and the model's
   lift over random is measurable; labels from the control are unbiased training data.
2. **Profiles.** Declarations forced to a lane by a profile take that lane's remaining budget,
   highest profile weight first, then highest priority. A profile forcing green releases the
   declaration from phase 3 (it can still be drawn for control in phase 1).
3. **Model.** The rest of each budget goes to the highest priority declarations, lanes in the
   order red, yellow, blue. Priority is the score, multiplied by ``aeo_factor`` when a party is
   an Authorised Economic Operator.

Invariants: each inspection lane receives exactly its size (:meth:`SelectionPolicy.lane_sizes`:
its budget, capped by what higher lanes left of the batch), of which exactly
``ceil(random_share * size)`` are control draws; the only exception is a batch where
green-forcing profiles leave too few declarations for phase 3. Everything else is green. The
result is a pure function of the inputs and ``seed``; ties are broken by row order.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import polars as pl

__all__ = ["INSPECTION_LANES", "Lane", "SelectionPolicy", "select", "select_one"]


class Lane(enum.StrEnum):
    """Selectivity lanes."""

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"
    BLUE = "blue"


INSPECTION_LANES: Final[tuple[Lane, ...]] = (Lane.RED, Lane.YELLOW, Lane.BLUE)
_EPSILON: Final = 1e-9
_LANE_CODES: Final[Mapping[Lane, int]] = {lane: code for code, lane in enumerate(Lane)}
_REASON_CODES: Final[Mapping[str | None, int]] = {None: 0, "control": 1, "profile": 2, "model": 3}
_LANE_ENUM: Final = pl.Enum([lane.value for lane in _LANE_CODES])  # physical code = lane code
_LANE_NAMES: Final = pl.Series("lane", [lane.value for lane in _LANE_CODES], dtype=pl.String)
_REASON_NAMES: Final = pl.Series("selected_by", list(_REASON_CODES), dtype=pl.String)


@dataclass(frozen=True)
class SelectionPolicy:
    """Budgets and adjustments for one selection run.

    ``budgets`` maps an inspection lane to a share of the batch (a ``float`` in [0, 1], rounded
    down to whole declarations) or an absolute count (an ``int``). ``random_share`` is the
    minimum share of every lane's budget filled by the random control group. ``aeo_factor``
    multiplies the priority of declarations with an AEO party (1 = no adjustment).
    """

    budgets: Mapping[Lane, float | int] = field(
        default_factory=lambda: {Lane.RED: 0.05, Lane.YELLOW: 0.05, Lane.BLUE: 0.0}
    )
    random_share: float = 0.1
    aeo_factor: float = 0.5
    seed: int = 0

    def __post_init__(self) -> None:
        for lane, budget in self.budgets.items():
            if lane not in INSPECTION_LANES:
                raise ValueError(f"lane {lane} has no budget; only red, yellow and blue do")
            if isinstance(budget, bool) or budget < 0:
                raise ValueError(f"budget of {lane} must be a non-negative share or count")
            if isinstance(budget, float) and budget > 1:
                raise ValueError(f"share budget of {lane} is above 1: {budget}")
        if not 0 <= self.random_share <= 1:
            raise ValueError("random_share must be between 0 and 1")
        if self.aeo_factor < 0:
            raise ValueError("aeo_factor must be non-negative")

    def lane_sizes(self, batch_size: int) -> dict[Lane, int]:
        """Declarations each inspection lane takes from a batch of ``batch_size``.

        A share is rounded down; when budgets add up to more than the batch, lanes are served
        in the order red, yellow, blue.
        """
        sizes: dict[Lane, int] = {}
        left = batch_size
        for lane in INSPECTION_LANES:
            budget = self.budgets.get(lane, 0)
            wanted = (
                budget if isinstance(budget, int) else math.floor(budget * batch_size + _EPSILON)
            )
            sizes[lane] = min(wanted, left)
            left -= sizes[lane]
        return sizes

    def control_count(self, lane_size: int) -> int:
        """Random control draws inside a lane of ``lane_size`` declarations."""
        return min(lane_size, math.ceil(self.random_share * lane_size - _EPSILON))


def select(batch: pl.DataFrame, policy: SelectionPolicy) -> pl.DataFrame:
    """Assign lanes to ``batch`` and return ``lane``, ``selected_by`` and ``priority``.

    ``batch`` has ``score`` (Float64, higher is riskier; null is treated as 0), and optionally
    ``forced_lane`` (lane name or null), ``forced_weight`` (Float64) and ``aeo`` (Boolean).
    ``selected_by`` is ``"control"``, ``"profile"``, ``"model"`` or null (green by default);
    a green-forcing profile gives ``"profile"`` on a green row. Row order is preserved.
    """
    n = batch.height
    score = batch["score"].fill_null(0.0).cast(pl.Float64).to_numpy()
    aeo = _column(batch, "aeo", pl.Boolean, False).to_numpy()
    forced = (
        _column(batch, "forced_lane", pl.String, "")
        .cast(_LANE_ENUM, strict=False)  # lane names to their codes; anything else to null
        .to_physical()
        .cast(pl.Int8)
        .fill_null(-1)
        .to_numpy()
    )
    weight = _column(batch, "forced_weight", pl.Float64, 0.0).to_numpy()
    priority = np.where(aeo, score * policy.aeo_factor, score)

    lane = np.full(n, _LANE_CODES[Lane.GREEN], dtype=np.int8)
    selected_by = np.full(n, _REASON_CODES[None], dtype=np.int8)
    free = np.ones(n, dtype=bool)
    rng = np.random.default_rng(policy.seed)
    remaining: dict[Lane, int] = {}

    for target, size in policy.lane_sizes(n).items():  # phase 1: control group
        controls = policy.control_count(size)
        drawn = rng.choice(np.flatnonzero(free), size=controls, replace=False)
        _assign(drawn, target, "control", lane, selected_by, free)
        remaining[target] = size - controls

    for target in INSPECTION_LANES:  # phase 2: profiles forcing a lane
        candidates = free & (forced == _LANE_CODES[target])
        taken = _by_weight(weight, priority, candidates, remaining[target])
        _assign(taken, target, "profile", lane, selected_by, free)
        remaining[target] -= len(taken)
    released = free & (forced == _LANE_CODES[Lane.GREEN])
    selected_by[released] = _REASON_CODES["profile"]

    ranked = _ranked(priority, free & ~released, sum(remaining.values()))  # phase 3: model
    start = 0
    for target in INSPECTION_LANES:
        taken = ranked[start : start + remaining[target]]
        _assign(taken, target, "model", lane, selected_by, free)
        start += len(taken)

    return pl.DataFrame(
        {
            "lane": _LANE_NAMES.gather(lane),
            "selected_by": _REASON_NAMES.gather(selected_by),
            "priority": pl.Series(priority, dtype=pl.Float64),
        }
    )


def _ranked(priority: np.ndarray, eligible: np.ndarray, count: int) -> np.ndarray:
    """The first ``count`` eligible rows by priority, highest first, ties by row order.

    Equal to sorting every row by ``-priority`` (stable) and keeping the eligible ones, but
    only the rows that can make the cut are sorted.
    """
    rows = np.flatnonzero(eligible)
    return _best(rows, -priority[rows], count)


def _by_weight(
    weight: np.ndarray, priority: np.ndarray, eligible: np.ndarray, count: int
) -> np.ndarray:
    """The first ``count`` eligible rows by weight, then priority (both highest first), then
    row order: ``np.lexsort((-priority, -weight))`` over the eligible rows, cut to ``count``."""
    rows = np.flatnonzero(eligible)
    if count <= 0 or not len(rows):
        return rows[:0]
    weights = weight[rows]
    if np.isnan(weights).any():
        order = np.lexsort((-priority[rows], -weights))
        return rows[order[:count]]
    taken: list[np.ndarray] = []
    for value in np.unique(weights)[::-1]:  # weight groups, heaviest first
        group = rows[weights == value]
        taken.append(_best(group, -priority[group], count))
        count -= len(taken[-1])
        if count <= 0:
            break
    return np.concatenate(taken)


def _best(rows: np.ndarray, keys: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` rows of smallest key, in (key, row) order; ``rows`` ascending."""
    if count <= 0:
        return rows[:0]
    if count < len(rows) and not np.isnan(keys).any():
        cut = np.partition(keys, count - 1)[count - 1]
        chosen = keys <= cut  # the count best, and every row tied with the last of them
        rows, keys = rows[chosen], keys[chosen]
    return rows[np.argsort(keys, kind="stable")][:count]


def select_one(
    score: float | None,
    policy: SelectionPolicy,
    *,
    forced_lane: str | None = None,
    forced_weight: float | None = None,
    aeo: bool | None = False,
) -> tuple[str, str | None, float]:
    """:func:`select` for a batch of one declaration, without a frame.

    Returns ``(lane, selected_by, priority)``, the values ``select`` gives for a one-row batch
    (budgets are applied to a batch of one: a share budget below 1 takes nobody).
    """
    score = 0.0 if score is None else float(score)
    priority = score * policy.aeo_factor if aeo else score
    lane, reason = Lane.GREEN, None
    remaining: dict[Lane, int] = {}
    for target, size in policy.lane_sizes(1).items():  # phase 1: a draw of one takes the row
        controls = policy.control_count(size)
        if controls and reason is None:
            lane, reason = target, "control"
        remaining[target] = size - controls
    if reason is None:
        for target in INSPECTION_LANES:  # phase 2
            if forced_lane == target.value and remaining[target] > 0:
                lane, reason = target, "profile"
                break
    if reason is None and forced_lane == Lane.GREEN.value:
        reason = "profile"
    elif reason is None:
        for target in INSPECTION_LANES:  # phase 3
            if remaining[target] > 0:
                lane, reason = target, "model"
                break
    return lane.value, reason, priority


def _column(
    batch: pl.DataFrame, name: str, dtype: type[pl.DataType], default: bool | str | float
) -> pl.Series:
    if name not in batch.columns:
        return pl.repeat(default, batch.height, dtype=dtype, eager=True)
    return batch[name].cast(dtype).fill_null(default)


def _assign(
    rows: np.ndarray,
    target: Lane,
    reason: str,
    lane: np.ndarray,
    selected_by: np.ndarray,
    free: np.ndarray,
) -> None:
    lane[rows] = _LANE_CODES[target]
    selected_by[rows] = _REASON_CODES[reason]
    free[rows] = False
