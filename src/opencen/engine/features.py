"""Time-safe features computed from the history of examinations.

A :class:`HistoryIndex` is built once from examined declarations (a frame validated with its
outcome) and then turns any frame of declarations into model features.

Time-safety invariant: the features of a declaration dated ``d`` depend only on

* examination results with ``result_date < d`` (strictly before: a result known later the same
  day or afterwards is never seen), and
* unit values of reference declarations with ``date < d``,

never on the declaration's own outcome nor on anything later. Training rows therefore see an
expanding window, and scoring rows (dated after the whole history) see all of it. The same code
path serves both; when every row is dated after the whole index a plain hash join on the final
cumulative state is used, which is equivalent to (and much faster than) the as-of join.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl
import polars.selectors as cs

from opencen.engine.schema import fraud_label

__all__ = [
    "DEFAULT_HISTORY_KEYS",
    "FeatureConfig",
    "HistoryIndex",
    "HistoryKey",
    "add_key_columns",
]


@dataclass(frozen=True)
class HistoryKey:
    """A grouping whose past fraud rate and examination count become two features."""

    name: str
    columns: tuple[str, ...]


DEFAULT_HISTORY_KEYS: Final[tuple[HistoryKey, ...]] = (
    HistoryKey("importer", ("importer",)),
    HistoryKey("declarant", ("declarant",)),
    HistoryKey("seller", ("seller",)),
    HistoryKey("hs_heading", ("hs4",)),
    HistoryKey("hs6", ("hs6",)),
    HistoryKey("hs_code", ("hs",)),
    HistoryKey("origin", ("origin",)),
    HistoryKey("office", ("office",)),
    HistoryKey("hs6_origin", ("hs6", "origin")),
    # Declared-value fingerprints: the same invoice value (alone, with the mass, or with the HS
    # code) seen again. On the KCS data these carry most of the signal (see docs/engine.md).
    HistoryKey("declared_value", ("value",)),
    HistoryKey("value_mass", ("value", "net_mass")),
    HistoryKey("hs_value", ("hs", "value")),
)

_TIME: Final = "_available"
_SMALL_BATCH: Final = 1000  # rows up to which snapshot lookups pre-filter the history tables
_UV_KEYS: Final[tuple[tuple[str, ...], ...]] = (("hs6", "origin"), ("hs6",))


@dataclass(frozen=True)
class FeatureConfig:
    """Which history keys to use and how to smooth rates.

    ``prior_strength`` is the weight, in pseudo-examinations, of the global fraud rate (itself
    computed time-safely) in each smoothed rate. ``min_reference`` is the number of past unit
    values a (HS-6, origin) cell needs before it is preferred to the HS-6 cell.
    """

    keys: tuple[HistoryKey, ...] = DEFAULT_HISTORY_KEYS
    prior_strength: float = 1.0
    min_reference: int = 5
    min_log_spread: float = 0.1

    def feature_names(self) -> list[str]:
        """Model feature columns produced by :meth:`HistoryIndex.features`, in a fixed order."""
        names = ["value", "net_mass", "tax_rate", "aeo"]
        names += ["unit_value", "median_unit_value", "unit_value_ratio", "unit_value_z"]
        names.append("unit_value_reference_n")
        for key in self.keys:
            names += [f"hist_{key.name}_n", f"hist_{key.name}_rate"]
        return names

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (used in model metadata)."""
        return {
            "keys": [{"name": k.name, "columns": list(k.columns)} for k in self.keys],
            "prior_strength": self.prior_strength,
            "min_reference": self.min_reference,
            "min_log_spread": self.min_log_spread,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureConfig:
        """Inverse of :meth:`to_dict`."""
        return cls(
            keys=tuple(HistoryKey(k["name"], tuple(k["columns"])) for k in data["keys"]),
            prior_strength=float(data["prior_strength"]),
            min_reference=int(data["min_reference"]),
            min_log_spread=float(data["min_log_spread"]),
        )


def add_key_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the derived columns history keys and rules may use: ``hs4``, ``hs6``, unit value."""
    return frame.with_columns(
        pl.col("hs").str.slice(0, 4).alias("hs4"),
        pl.col("hs").str.slice(0, 6).alias("hs6"),
        pl.when(pl.col("net_mass") > 0)
        .then(pl.col("value") / pl.col("net_mass"))
        .otherwise(None)
        .alias("unit_value"),
    )


def _latest(dates: pl.Series) -> datetime.date | None:
    latest = dates.max()
    return latest if isinstance(latest, datetime.date) else None


def _log_unit_value() -> pl.Expr:
    return pl.when(pl.col("unit_value") > 0).then(pl.col("unit_value").log()).otherwise(None)


@dataclass(frozen=True)
class _Cumulative:
    """Cumulative sums of ``values`` per ``by`` group, one row per (group, availability day).

    ``table`` is sorted by ``_available``; ``final`` holds the last row of each group.
    """

    by: tuple[str, ...]
    table: pl.DataFrame
    final: pl.DataFrame

    @classmethod
    def build(
        cls, frame: pl.DataFrame, by: Sequence[str], time: str, values: Mapping[str, pl.Expr]
    ) -> _Cumulative:
        keyed = frame.drop_nulls(list(by)) if by else frame
        group = [*by, time]
        daily = keyed.group_by(group).agg(**values).sort(time)
        cumulative = [
            (pl.col(v).cum_sum().over(list(by)) if by else pl.col(v).cum_sum()) for v in values
        ]
        table = daily.with_columns(cumulative).rename({time: _TIME}).sort(_TIME)
        if by:
            final = table.group_by(list(by), maintain_order=True).last().drop(_TIME)
        else:
            final = table.tail(1).drop(_TIME)
        return cls(tuple(by), table, final)

    def lookup(
        self,
        left: pl.LazyFrame,
        names: Mapping[str, str],
        *,
        snapshot: bool,
        keys: pl.DataFrame | None = None,
    ) -> pl.LazyFrame:
        """Append the cumulative values strictly before each left row's ``date``.

        ``names`` renames the value columns as appended (null when there is no earlier
        entry). ``left`` must be sorted by ``date`` unless ``snapshot`` says that every left
        row is dated after the whole table, in which case the final state is joined directly.
        Neither join promises to keep the left order. ``keys``, the rows of a small batch,
        lets the snapshot join first cut the table down to their key values (a scan instead
        of hashing the whole table), which keeps single declarations fast.
        """
        if snapshot:
            final = self.final
            if keys is not None and self.by:
                final = final.filter(
                    pl.all_horizontal(pl.col(c).is_in(keys[c].unique().implode()) for c in self.by)
                )
            renamed = final.lazy().rename(dict(names))
            if not self.by:
                return left.join(renamed, how="cross")
            return left.join(renamed, on=list(self.by), how="left")
        table = self.table.lazy().rename(dict(names))
        return left.join_asof(
            table,
            left_on="date",
            right_on=_TIME,
            by=list(self.by) or None,
            strategy="backward",
            allow_exact_matches=False,
            check_sortedness=False,
        ).drop(_TIME)


@dataclass(frozen=True)
class HistoryIndex:
    """Cumulative examination statistics of a history, ready to compute features.

    Build it with :meth:`build`; it is immutable and safe to share between threads and to ship
    to Dask workers. ``last_date`` is the latest day any statistic in it becomes available.
    """

    config: FeatureConfig
    labels: Mapping[str, _Cumulative]
    global_rate: _Cumulative
    unit_values: Mapping[tuple[str, ...], _Cumulative]
    last_date: datetime.date | None

    @classmethod
    def build(
        cls,
        history: pl.DataFrame,
        config: FeatureConfig | None = None,
        *,
        reference: pl.DataFrame | None = None,
    ) -> HistoryIndex:
        """Index a validated, examined ``history`` (with ``result`` and ``result_date``).

        Unit-value reference statistics come from ``reference`` (any declarations, examined or
        not, e.g. everything declared so far) and default to ``history`` itself.
        """
        config = config or FeatureConfig()
        history = add_key_columns(history).with_columns(fraud_label().alias("_fraud"))
        counts = {"n": pl.len().cast(pl.Float64), "fraud": pl.col("_fraud").sum().cast(pl.Float64)}
        labels = {
            key.name: _Cumulative.build(history, key.columns, "result_date", counts)
            for key in config.keys
        }
        global_rate = _Cumulative.build(history, (), "result_date", counts)
        ref = history if reference is None else add_key_columns(reference)
        ref = ref.with_columns(_log_unit_value().alias("_log_uv")).drop_nulls("_log_uv")
        moments = {
            "n": pl.len().cast(pl.Float64),
            "s1": pl.col("_log_uv").sum(),
            "s2": (pl.col("_log_uv") ** 2).sum(),
        }
        unit_values = {by: _Cumulative.build(ref, by, "date", moments) for by in _UV_KEYS}
        dates = [_latest(history["result_date"]), _latest(ref["date"])]
        last = max((d for d in dates if d is not None), default=None)
        return cls(config, labels, global_rate, unit_values, last)

    def features(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Return ``frame`` (validated) with derived key columns and every feature appended.

        Row order is preserved. Columns listed by :meth:`FeatureConfig.feature_names` are
        ``Float64``; rates and unit-value statistics are null when there is no history.
        """
        base = add_key_columns(frame).with_row_index("_row")
        first = base["date"].min()
        snapshot = self.last_date is None or (
            isinstance(first, datetime.date) and first > self.last_date
        )
        result = base.lazy() if snapshot else base.sort("date", "_row").lazy()
        keys = base if snapshot and base.height <= _SMALL_BATCH else None
        result = self.global_rate.lookup(
            result, {"n": "_prior_n", "fraud": "_prior_f"}, snapshot=snapshot
        )
        for key in self.config.keys:
            names = {"n": f"_n_{key.name}", "fraud": f"_f_{key.name}"}
            result = self.labels[key.name].lookup(result, names, snapshot=snapshot, keys=keys)
        for by in _UV_KEYS:
            names = {m: f"_uv{m}_{'_'.join(by)}" for m in ("n", "s1", "s2")}
            result = self.unit_values[by].lookup(result, names, snapshot=snapshot, keys=keys)
        result = result.sort("_row")  # joins do not promise to keep the input order
        internal = cs.starts_with("_")
        return result.collect().with_columns(self._feature_exprs()).drop(internal)

    def _feature_exprs(self) -> Iterable[pl.Expr]:
        cfg = self.config
        a = cfg.prior_strength
        prior = pl.col("_prior_f") / pl.col("_prior_n")
        exprs: list[pl.Expr] = [
            pl.col("value").cast(pl.Float64),
            pl.col("net_mass").cast(pl.Float64),
            pl.col("tax_rate").cast(pl.Float64),
            pl.any_horizontal(
                pl.col("declarant_aeo", "importer_aeo", "seller_aeo").fill_null(False)
            )
            .cast(pl.Float64)
            .alias("aeo"),
        ]
        for key in cfg.keys:
            n, f = pl.col(f"_n_{key.name}").fill_null(0.0), pl.col(f"_f_{key.name}").fill_null(0.0)
            exprs.append(n.alias(f"hist_{key.name}_n"))
            exprs.append(((f + a * prior) / (n + a)).alias(f"hist_{key.name}_rate"))
        fine, coarse = "_".join(_UV_KEYS[0]), "_".join(_UV_KEYS[1])
        use_fine = pl.col(f"_uvn_{fine}").fill_null(0.0) >= cfg.min_reference

        def pick(moment: str) -> pl.Expr:
            return (
                pl.when(use_fine)
                .then(pl.col(f"_uv{moment}_{fine}"))
                .otherwise(pl.col(f"_uv{moment}_{coarse}"))
            )

        n_ref = pick("n").fill_null(0.0)
        mean = pick("s1") / n_ref
        spread = (pick("s2") / n_ref - mean**2).clip(lower_bound=0.0).sqrt()
        spread = pl.max_horizontal(spread, pl.lit(cfg.min_log_spread))
        exprs += [
            pl.col("unit_value").cast(pl.Float64),
            mean.exp().alias("median_unit_value"),
            (pl.col("unit_value") / mean.exp()).alias("unit_value_ratio"),
            ((_log_unit_value() - mean) / spread).alias("unit_value_z"),
            n_ref.alias("unit_value_reference_n"),
        ]
        return exprs
