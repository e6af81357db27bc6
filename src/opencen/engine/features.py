"""Time-safe features computed from the history of examinations.

A :class:`HistoryIndex` is built once from examined declarations (a frame validated with its
outcome) and then turns any frame of declarations into model features.

Time-safety invariant: the features of a declaration dated ``d`` depend only on

* examination results with ``result_date < d`` (strictly before: a result known later the same
  day or afterwards is never seen), and
* unit values of reference declarations with ``date < d``,

never on the declaration's own outcome nor on anything later. Training rows therefore see an
expanding window, and scoring rows (dated after the whole history) see all of it. The same code
path serves both; when every row is dated after the whole index a lookup in the final cumulative
state is used, which is equivalent to (and much faster than) the as-of join.

That lookup runs on integer codes: the index numbers the distinct values of every key column once
(:class:`_Dictionary`), so a batch encodes each column once (a cast to an enum of the known
strings, a hash replacement for numbers) and every history key, composite ones included, becomes
an array lookup on combined codes (:class:`_CodedTable`). It gives exactly what a join on the
values gives (the codes follow polars' join equality); ``tests/engine/test_fastpaths.py`` checks
it against that join, kept as the reference (``_features(..., coded=False)``). Single
declarations use the same tables through Python dictionaries (:meth:`HistoryIndex.features_one`),
without building any frame.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import polars as pl
import polars.selectors as cs

from opencen.engine.schema import fraud_label

__all__ = [
    "DEFAULT_HISTORY_KEYS",
    "FeatureConfig",
    "FeatureRows",
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
_DENSE_CODES: Final = 1 << 21  # combined-code spaces up to this size are looked up in arrays
_SMALL_LOOKUP: Final = 1 << 16  # keys up to which a sparse table is binary-searched, not joined
_MAX_CODES: Final = 1 << 62  # beyond this a combined code could overflow int64
_CODE: Final = "_code"
_COPY_ROWS: Final = 1 << 13  # rows copied at a time into a row-major matrix
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


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
class _Dictionary:
    """The distinct non-null values of one key column in the history tables, numbered from 1.

    ``table`` holds ``column`` and ``_code``, one row per value; code 0 stands for null and
    for a value the history never had. Values are distinct under polars' join equality
    (``-0.0`` equals ``0.0``, NaN equals NaN), so a declaration's value gets a code exactly
    when a join on the value would find it in a history table.
    """

    column: str
    table: pl.DataFrame

    @classmethod
    def build(cls, column: str, sources: Sequence[pl.DataFrame]) -> _Dictionary:
        values = pl.concat([source.select(column) for source in sources])
        distinct = values.drop_nulls().unique(maintain_order=True)
        table = distinct.with_row_index(_CODE, offset=1)
        return cls(column, table.select(column, pl.col(_CODE).cast(pl.Int64)))

    def __len__(self) -> int:
        """The number of codes, 0 included."""
        return self.table.height + 1

    def encode(self, values: pl.Series) -> IntArray:
        """The code of each value (0 for null and for values the history never had)."""
        table = self.table
        if values.len() <= _SMALL_BATCH:  # a scan of the table beats hashing all of it
            table = table.filter(pl.col(self.column).is_in(values.drop_nulls().implode()))
        joined = (
            values.alias(self.column)
            .to_frame()
            .join(table, on=self.column, how="left", maintain_order="left")
        )
        return joined[_CODE].fill_null(0).to_numpy()

    def expression(self, dtype: pl.DataType) -> pl.Expr | None:
        """:meth:`encode` as an expression on a string column, for large batches.

        A cast to an enum of the known values (null when unknown): it hashes the batch's
        values once and follows the same equality as the join. ``None`` for other columns
        (numbers): :meth:`encode`'s join is the fastest for them (a third of the time of
        ``replace_strict`` through the table in a ``select``).
        """
        if self.enum is None or dtype != pl.String:
            return None
        physical = pl.col(self.column).cast(self.enum, strict=False).to_physical()
        return (physical.cast(pl.Int32) + 1).fill_null(0)  # codes < 2**31 (an enum's)

    @functools.cached_property
    def enum(self) -> pl.Enum | None:
        """The values as the categories of an enum (string columns only)."""
        values = self.table[self.column]
        return pl.Enum(values) if values.dtype == pl.String else None

    @functools.cached_property
    def points(self) -> dict[Any, int]:
        """Python value -> code, for single declarations (built on first use)."""
        values = self.table[self.column].to_list()
        return dict(zip(values, range(1, len(values) + 1), strict=True))


@dataclass(frozen=True)
class _CodedTable:
    """The final state of a :class:`_Cumulative`, addressed by the codes of its key columns.

    A key's combined code is ``((c0 * size1) + c1) * size2 + c2 ...`` over its columns' codes
    (``size`` counting code 0); it is a key of the table only when no column's code is 0.
    When that code space is small, ``dense`` maps every combined code to the values of the
    value columns (0 where the key is absent) and to ``present``; otherwise ``keys`` holds the
    table's combined codes in ascending order and ``values`` its value columns in that order.
    """

    columns: tuple[str, ...]
    sizes: tuple[int, ...]
    keys: IntArray
    values: Mapping[str, FloatArray]
    dense: Mapping[str, FloatArray] | None
    present: BoolArray | None

    @classmethod
    def build(
        cls, cumulative: _Cumulative, dictionaries: Mapping[str, _Dictionary]
    ) -> _CodedTable | None:
        """``None`` when the table cannot be coded (code space too large, null values)."""
        columns = cumulative.by
        sizes = tuple(len(dictionaries[c]) for c in columns)
        final = cumulative.final
        names = [c for c in final.columns if c not in columns]
        space = math.prod(sizes)
        if space >= _MAX_CODES or final.select(names).null_count().sum_horizontal()[0]:
            return None
        codes = [dictionaries[c].encode(final[c]) for c in columns]
        keys, valid = _combine(codes, sizes)
        assert valid.all(), "every history key has a code"
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        values = {n: final[n].cast(pl.Float64).to_numpy()[order] for n in names}
        if space > _DENSE_CODES:
            return cls(columns, sizes, keys, values, None, None)
        dense = {}
        for name, column in values.items():
            dense[name] = np.zeros(space, dtype=np.float64)
            dense[name][keys] = column
        present = np.zeros(space, dtype=bool)
        present[keys] = True
        return cls(columns, sizes, keys, values, dense, present)

    def lookup(self, codes: Sequence[IntArray]) -> tuple[dict[str, FloatArray], BoolArray]:
        """Every value column at the given keys (0 where absent), and where they are present."""
        combined, valid = _combine(codes, self.sizes)
        if self.dense is not None and self.present is not None:
            values = {name: column[combined] for name, column in self.dense.items()}
            return values, self.present[combined]
        rows = np.flatnonzero(valid)
        at = np.zeros(0, dtype=np.int64)
        if len(rows) and len(self.keys):
            wanted = combined[rows]
            if len(rows) > _SMALL_LOOKUP:  # a hash join beats a binary search per row
                table = pl.DataFrame({_CODE: self.keys, "_at": np.arange(len(self.keys))})
                joined = pl.DataFrame({_CODE: wanted}).join(
                    table, on=_CODE, how="left", maintain_order="left"
                )
                at = joined["_at"].fill_null(-1).to_numpy()
            else:
                at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
                at = np.where(self.keys[at] == wanted, at, -1)
        hit = at >= 0
        rows, at = rows[hit] if len(at) else rows[:0], at[hit]
        found = np.zeros(len(combined), dtype=bool)
        found[rows] = True
        values = {}
        for name, column in self.values.items():
            values[name] = np.zeros(len(combined), dtype=np.float64)
            values[name][rows] = column[at]
        return values, found

    def lookup_one(self, codes: Sequence[int]) -> Mapping[str, float] | None:
        """The values at one key, ``None`` when the table does not have it."""
        combined = 0
        for code, size in zip(codes, self.sizes, strict=True):
            if not code:
                return None
            combined = combined * size + code
        if self.dense is not None and self.present is not None:
            if not self.present[combined]:
                return None
            return {name: float(column[combined]) for name, column in self.dense.items()}
        at = int(np.searchsorted(self.keys, combined))
        if at == len(self.keys) or int(self.keys[at]) != combined:
            return None
        return {name: float(column[at]) for name, column in self.values.items()}


def _combine(codes: Sequence[IntArray], sizes: Sequence[int]) -> tuple[IntArray, BoolArray]:
    """Combined codes of several key columns, and whether no column's code is 0 (missing)."""
    combined = codes[0].astype(np.int64, copy=True)
    valid = codes[0] > 0
    for code, size in zip(codes[1:], sizes[1:], strict=True):
        combined *= size
        combined += code
        valid &= code > 0
    return combined, valid


def _series(name: str, values: FloatArray, found: BoolArray | None = None) -> pl.Series:
    """``values`` as a Float64 series, null where ``found`` is false."""
    series = pl.Series(name, values)
    if found is None or found.all():
        return series
    return pl.select(pl.when(pl.Series(found)).then(series)).to_series()


@dataclass(frozen=True)
class _CodedIndex:
    """The final state of every table of a :class:`HistoryIndex`, coded (see module docs)."""

    dictionaries: Mapping[str, _Dictionary]
    labels: Mapping[str, _CodedTable]
    unit_values: Mapping[tuple[str, ...], _CodedTable]
    prior: tuple[float, float]  # global examination and fraud counts

    @classmethod
    def build(cls, index: HistoryIndex) -> _CodedIndex | None:
        """``None`` when some table cannot be coded: the value joins are used instead."""
        if index.global_rate.final.height != 1:
            return None
        tables = [*index.labels.values(), *index.unit_values.values()]
        sources: dict[str, list[pl.DataFrame]] = {}
        for table in tables:
            for column in table.by:
                sources.setdefault(column, []).append(table.final)
        dictionaries = {c: _Dictionary.build(c, frames) for c, frames in sources.items()}
        labels = {k: _CodedTable.build(t, dictionaries) for k, t in index.labels.items()}
        units = {k: _CodedTable.build(t, dictionaries) for k, t in index.unit_values.items()}
        if any(t is None for t in [*labels.values(), *units.values()]):
            return None
        prior = index.global_rate.final.row(0, named=True)
        return cls(
            dictionaries,
            {k: t for k, t in labels.items() if t is not None},
            {k: t for k, t in units.items() if t is not None},
            (float(prior["n"]), float(prior["fraud"])),
        )

    def encode(self, base: pl.DataFrame) -> dict[str, IntArray]:
        """The code of every key column of ``base`` (with its derived key columns)."""
        if base.height <= _SMALL_BATCH:
            return {c: d.encode(base[c]) for c, d in self.dictionaries.items()}
        # strings in one select (polars encodes the columns in parallel), numbers by joins
        exprs = {c: d.expression(base.schema[c]) for c, d in self.dictionaries.items()}
        encoded = base.select(e.alias(c) for c, e in exprs.items() if e is not None)
        return {
            c: d.encode(base[c]) if exprs[c] is None else encoded[c].to_numpy()
            for c, d in self.dictionaries.items()
        }

    def history(
        self, key: HistoryKey, codes: Mapping[str, IntArray], config: FeatureConfig
    ) -> tuple[FloatArray, FloatArray]:
        """``hist_<key>_n`` and ``hist_<key>_rate`` of the rows whose key codes are given."""
        values, _ = self.labels[key.name].lookup([codes[c] for c in key.columns])
        return values["n"], _rate(values["n"], values["fraud"], config.prior_strength, self.prior)

    def unit_value_moments(self, codes: Mapping[str, IntArray]) -> list[pl.Series]:
        """The internal unit-value columns the joins would append (sums null when absent)."""
        columns = []
        for by, table in self.unit_values.items():
            values, found = table.lookup([codes[c] for c in by])
            suffix = "_".join(by)
            columns.append(_series(f"_uvn_{suffix}", values["n"]))
            columns.append(_series(f"_uvs1_{suffix}", values["s1"], found))
            columns.append(_series(f"_uvs2_{suffix}", values["s2"], found))
        return columns

    def point(self, table: _CodedTable, row: Mapping[str, Any]) -> Mapping[str, float] | None:
        """The values of ``table`` at one declaration's key, if it has it."""
        codes = [self.dictionaries[c].points.get(row[c], 0) for c in table.columns]
        return table.lookup_one(codes)


class FeatureRows:
    """The model features of a snapshot batch, rows assembled on demand.

    ``frame`` is the batch with its key columns and every feature but the history ones
    (``hist_<key>_n`` and ``hist_<key>_rate``), which :meth:`fill` computes from the coded
    tables for the rows asked for: a large batch is never held as a frame of every feature nor
    as a matrix of every row, only as the blocks of rows being scored. The values are those of
    :meth:`HistoryIndex.features`, bit for bit (same columns, same operations).

    The rows are asked for in an order unrelated to the batch's (see
    :meth:`RiskModel.score_rows`), so what a row needs is packed row-major once, in batch
    order: the plain features (and the history features of tables too large to address
    densely, looked up for the whole batch by a hash join) in one float matrix, the combined
    key code of every densely addressed table in one integer matrix. A row then costs two or
    three cache lines to gather rather than one per column.
    """

    def __init__(
        self,
        frame: pl.DataFrame,
        index: _CodedIndex,
        config: FeatureConfig,
        codes: Mapping[str, IntArray],
    ) -> None:
        self.frame = frame
        self.names: tuple[str, ...] = tuple(config.feature_names())
        self._index, self._config, self._codes = index, config, codes
        position = {name: j for j, name in enumerate(self.names)}
        plain = {n: frame[n].cast(pl.Float64).to_numpy() for n in self.names if n in frame.columns}
        self._dense: list[tuple[FloatArray, FloatArray, int, int]] = []  # n, fraud, positions
        dense_keys = []
        for key in config.keys:
            table = index.labels[key.name]
            n_at, rate_at = position[f"hist_{key.name}_n"], position[f"hist_{key.name}_rate"]
            if table.dense is None:
                plain[self.names[n_at]], plain[self.names[rate_at]] = index.history(
                    key, codes, config
                )
            else:
                self._dense.append((table.dense["n"], table.dense["fraud"], n_at, rate_at))
                dense_keys.append(([codes[c] for c in key.columns], table.sizes))
        self._plain = plain
        self._plain_at = [position[name] for name in plain]
        height = frame.height
        self._plain_rows = np.empty((height, len(plain)), dtype=np.float64)
        small = _DENSE_CODES < 2**31  # dense code spaces fit 32 bits: half the cache lines
        self._dense_rows = np.empty((height, len(dense_keys)), np.int32 if small else np.int64)
        for start in range(0, height, _COPY_ROWS):  # by blocks of rows that stay in the cache
            block = slice(start, start + _COPY_ROWS)
            for j, column in enumerate(plain.values()):
                self._plain_rows[block, j] = column[block]
            for j, (key_codes, sizes) in enumerate(dense_keys):
                combined, _ = _combine([c[block] for c in key_codes], sizes)
                self._dense_rows[block, j] = combined

    @property
    def height(self) -> int:
        return self.frame.height

    def column(self, name: str) -> FloatArray:
        """One feature for every row (NaN where the frame has null)."""
        if name in self._plain:
            return self._plain[name]
        for key in self._config.keys:
            if name in (f"hist_{key.name}_n", f"hist_{key.name}_rate"):
                n, rate = self._index.history(key, self._codes, self._config)
                return n if name == f"hist_{key.name}_n" else rate
        raise KeyError(name)

    def fill(self, rows: IntArray, out: FloatArray) -> None:
        """Write the features of ``rows`` (positions in the batch) into ``out``, a row-major
        ``(len(rows), len(names))`` matrix in :attr:`names` order: what
        ``features(batch).select(names)[rows].to_numpy()`` would hold."""
        out[:, self._plain_at] = np.take(self._plain_rows, rows, axis=0)  # (take: ~4x [rows])
        if not self._dense:
            return
        codes = np.take(self._dense_rows, rows, axis=0)
        a, prior = self._config.prior_strength, self._index.prior
        for i, (counts, frauds, n_at, rate_at) in enumerate(self._dense):
            n, fraud = counts[codes[:, i]], frauds[codes[:, i]]
            out[:, n_at] = n
            out[:, rate_at] = _rate(n, fraud, a, prior)


def _rate(n: FloatArray, fraud: FloatArray, a: float, prior: tuple[float, float]) -> FloatArray:
    """The smoothed rate ``(fraud + a * prior) / (n + a)`` of :meth:`HistoryIndex._feature_exprs`,
    the same IEEE operations in the same order (the prior a ratio of the global counts), so the
    values of the polars expression, bit for bit."""
    rate = fraud + a * (prior[1] / prior[0])
    rate /= n + a
    return rate


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

    def __getstate__(self) -> dict[str, Any]:
        """Pickle without the coded tables; they are rebuilt on first use (e.g. on a worker)."""
        state = dict(self.__dict__)
        state.pop("_coded", None)
        return state

    @functools.cached_property
    def _coded(self) -> _CodedIndex | None:
        return _CodedIndex.build(self)

    def warm_up(self) -> None:
        """Build now what the snapshot path and :meth:`features_one` build on first use.

        That is the coded tables (a fraction of a second for a 200,000-row history) and the
        per-column dictionaries of single declarations; call it when loading an index that
        will serve requests, so that the first request does not pay for it.
        """
        if self._coded is not None:
            for dictionary in self._coded.dictionaries.values():
                _ = dictionary.points

    def features(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Return ``frame`` (validated) with derived key columns and every feature appended.

        Row order is preserved. Columns listed by :meth:`FeatureConfig.feature_names` are
        ``Float64``; rates and unit-value statistics are null when there is no history.
        """
        return self._features(frame, coded=True)

    def feature_rows(self, frame: pl.DataFrame) -> FeatureRows | None:
        """The features of ``frame`` without the frame of :meth:`features`: its rows are
        assembled block by block where they are used (:class:`FeatureRows`). ``None`` unless
        every row is dated after :attr:`last_date` and the tables are coded (the snapshot
        lookups of :meth:`features`)."""
        index = self._coded
        if index is None or not self._snapshot(frame):
            return None
        base = add_key_columns(frame)
        codes = index.encode(base)
        base = (
            base.hstack(index.unit_value_moments(codes))
            .with_columns(*self._leading_exprs(), *self._unit_value_exprs())
            .drop(cs.starts_with("_"))
        )
        return FeatureRows(base, index, self.config, codes)

    def _snapshot(self, frame: pl.DataFrame) -> bool:
        first = frame["date"].min()
        return self.last_date is None or (
            isinstance(first, datetime.date) and first > self.last_date
        )

    def _features(self, frame: pl.DataFrame, *, coded: bool) -> pl.DataFrame:
        """:meth:`features`; ``coded=False`` joins on the key values (the reference path)."""
        base = add_key_columns(frame)
        snapshot = self._snapshot(base)
        internal = cs.starts_with("_")
        index = self._coded if snapshot and coded else None
        if index is not None:
            codes = index.encode(base)
            history = []
            for key in self.config.keys:
                n, rate = index.history(key, codes, self.config)
                history += [
                    pl.Series(f"hist_{key.name}_n", n),
                    pl.Series(f"hist_{key.name}_rate", rate),
                ]
            return (
                base.hstack(index.unit_value_moments(codes))
                .with_columns(*self._leading_exprs(), *history, *self._unit_value_exprs())
                .drop(internal)
            )
        base = base.with_row_index("_row")
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
        return result.collect().with_columns(self._feature_exprs()).drop(internal)

    def features_one(self, declaration: Mapping[str, Any]) -> dict[str, Any] | None:
        """Features of one validated declaration without building a frame, or ``None``.

        ``declaration`` is a canonical row, e.g. from :func:`opencen.engine.schema.validate_one`
        or ``validate(frame).row(i, named=True)``. The result is a new dict: the row with the
        derived key columns and the features, equal to the row :meth:`features` gives for it
        (to float rounding). ``None`` means "use :meth:`features`": the declaration is dated on
        or before :attr:`last_date` (the as-of path), a number is not finite, or the index has
        no coded tables.
        """
        day = declaration.get("date")
        coded = self._coded
        if coded is None or self.last_date is None or not isinstance(day, datetime.date):
            return None
        if day <= self.last_date:
            return None
        row = dict(declaration)
        hs, value, mass = row.get("hs"), row.get("value"), row.get("net_mass")
        numbers = (value, mass, row.get("tax_rate"))
        if not all(v is None or (isinstance(v, float) and math.isfinite(v)) for v in numbers):
            return None
        row["hs4"] = None if hs is None else hs[:4]
        row["hs6"] = None if hs is None else hs[:6]
        unit_value = None
        if value is not None and mass is not None and mass > 0:
            unit_value = value / mass
        row["unit_value"] = unit_value
        aeo = any(row.get(c) is True for c in ("declarant_aeo", "importer_aeo", "seller_aeo"))
        row["aeo"] = float(aeo)
        cfg = self.config
        a = cfg.prior_strength
        prior = coded.prior[1] / coded.prior[0]
        for key in cfg.keys:
            counts = coded.point(coded.labels[key.name], row)
            n = 0.0 if counts is None else counts["n"]
            fraud = 0.0 if counts is None else counts["fraud"]
            if n + a == 0:
                return None
            row[f"hist_{key.name}_n"] = n
            row[f"hist_{key.name}_rate"] = (fraud + a * prior) / (n + a)
        moments = coded.point(coded.unit_values[_UV_KEYS[0]], row)
        if not (0.0 if moments is None else moments["n"]) >= cfg.min_reference:
            moments = coded.point(coded.unit_values[_UV_KEYS[1]], row)
        mean = median = ratio = z = None
        n_ref = 0.0
        if moments is not None:
            n_ref = moments["n"]
            if n_ref == 0:
                return None
            mean = moments["s1"] / n_ref
            variance = moments["s2"] / n_ref - mean**2
            spread = max(math.sqrt(max(variance, 0.0)), cfg.min_log_spread)
            if not math.isfinite(mean) or abs(mean) > 700:  # exp(mean) must stay finite
                return None
            median = math.exp(mean)
            if unit_value is not None:
                ratio = unit_value / median
                if unit_value > 0:
                    z = (math.log(unit_value) - mean) / spread
        row.update(
            median_unit_value=median,
            unit_value_ratio=ratio,
            unit_value_z=z,
            unit_value_reference_n=n_ref,
        )
        computed = (unit_value, median, ratio, z, n_ref, *(row[k] for k in cfg.feature_names()))
        if not all(v is None or math.isfinite(v) for v in computed):
            return None
        return row

    def _feature_exprs(self) -> Iterable[pl.Expr]:
        """Every feature from the joined internal columns (the order of the output columns)."""
        return [*self._leading_exprs(), *self._history_exprs(), *self._unit_value_exprs()]

    def _leading_exprs(self) -> list[pl.Expr]:
        return [
            pl.col("value").cast(pl.Float64),
            pl.col("net_mass").cast(pl.Float64),
            pl.col("tax_rate").cast(pl.Float64),
            pl.any_horizontal(
                pl.col("declarant_aeo", "importer_aeo", "seller_aeo").fill_null(False)
            )
            .cast(pl.Float64)
            .alias("aeo"),
        ]

    def _history_exprs(self) -> list[pl.Expr]:
        a = self.config.prior_strength
        prior = pl.col("_prior_f") / pl.col("_prior_n")
        exprs = []
        for key in self.config.keys:
            n, f = pl.col(f"_n_{key.name}").fill_null(0.0), pl.col(f"_f_{key.name}").fill_null(0.0)
            exprs.append(n.alias(f"hist_{key.name}_n"))
            exprs.append(((f + a * prior) / (n + a)).alias(f"hist_{key.name}_rate"))
        return exprs

    def _unit_value_exprs(self) -> list[pl.Expr]:
        cfg = self.config
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
        return [
            pl.col("unit_value").cast(pl.Float64),
            mean.exp().alias("median_unit_value"),
            (pl.col("unit_value") / mean.exp()).alias("unit_value_ratio"),
            ((_log_unit_value() - mean) / spread).alias("unit_value_z"),
            n_ref.alias("unit_value_reference_n"),
        ]
