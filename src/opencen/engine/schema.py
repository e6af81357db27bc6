"""The declaration schema the engine scores, its validation, and loaders.

Every other engine module works on a polars DataFrame in the *canonical* form produced by
:func:`validate`: canonical column names, canonical dtypes, every optional column present (null
when the source lacks it), and extra source columns kept unchanged after the canonical ones.

Invariants of a validated frame:

* ``declaration_id`` is non-null and unique; ``date`` is a non-null :class:`polars.Date`.
* ``hs`` is a string of 4 to 10 digits; ``origin`` and ``departure`` are ISO 3166 alpha-2 codes.
* ``net_mass``, ``value`` and ``tax_rate`` are non-negative when present.
* When outcome columns are required (history), ``result`` is a non-null :class:`Result` code and
  ``result_date`` (the day the examination result became known) is filled from ``date`` when the
  source does not give it and is never earlier than ``date``.
"""

from __future__ import annotations

import datetime
import enum
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import polars as pl

__all__ = [
    "COLUMNS",
    "KCS_MAPPING",
    "OUTCOME_COLUMNS",
    "Column",
    "Result",
    "SchemaError",
    "SchemaIssue",
    "SourceMapping",
    "fraud_label",
    "load_kcs",
    "read_declarations",
    "validate",
    "validate_one",
]


class Result(enum.IntEnum):
    """Outcome of an examination; stored as ``Int8`` in the ``result`` column."""

    NO_FRAUD = 0
    FRAUD = 1
    CRITICAL = 2  # fraud that threatens public safety (drugs, IP infringement, false origin)


@dataclass(frozen=True)
class Column:
    """One canonical column: its name, polars dtype, whether a source must provide it."""

    name: str
    dtype: pl.DataType
    required: bool
    description: str


_STR = pl.String()
_F64 = pl.Float64()
_BOOL = pl.Boolean()

COLUMNS: Final[tuple[Column, ...]] = (
    Column("declaration_id", _STR, True, "unique identifier of the declaration (goods item)"),
    Column("date", pl.Date(), True, "acceptance date of the declaration"),
    Column("office", _STR, True, "customs office of declaration"),
    Column("procedure", _STR, False, "customs procedure code"),
    Column("transport_mode", _STR, False, "mode of transport at the border"),
    Column("declarant", _STR, True, "declarant (customs broker) identifier"),
    Column("importer", _STR, True, "importer identifier"),
    Column("seller", _STR, False, "seller / consignor identifier"),
    Column("courier", _STR, False, "express courier identifier"),
    Column("hs", _STR, True, "HS code, 4 to 10 digits"),
    Column("origin", _STR, True, "country of origin, ISO 3166 alpha-2"),
    Column("departure", _STR, False, "country of departure, ISO 3166 alpha-2"),
    Column("tax_rate", _F64, False, "duty rate in percent"),
    Column("tax_type", _STR, False, "duty rate type (tariff preference code)"),
    Column("net_mass", _F64, True, "net mass in kilograms"),
    Column("value", _F64, True, "customs (assessed) value in the currency below"),
    Column("currency", _STR, False, "ISO 4217 code of the value"),
    Column("declarant_aeo", _BOOL, False, "declarant is an Authorised Economic Operator"),
    Column("importer_aeo", _BOOL, False, "importer is an Authorised Economic Operator"),
    Column("seller_aeo", _BOOL, False, "seller is an Authorised Economic Operator"),
    Column("description", _STR, False, "free-text description of the goods"),
)

OUTCOME_COLUMNS: Final[tuple[Column, ...]] = (
    Column("result", pl.Int8(), True, "examination result: 0 no fraud, 1 fraud, 2 critical"),
    Column("revenue", _F64, False, "additional revenue raised by the examination"),
    Column("result_date", pl.Date(), False, "day the result became known (default: date)"),
)

_RESULT_NAMES: Final[Mapping[str, int]] = {
    "0": 0,
    "no_fraud": 0,
    "1": 1,
    "fraud": 1,
    "2": 2,
    "critical": 2,
}
_COUNTRY_PATTERN: Final = r"^[A-Z]{2}$"
_HS_PATTERN: Final = r"^[0-9]{4,10}$"
_MAX_ISSUES_PER_COLUMN: Final = 20


@dataclass(frozen=True)
class SchemaIssue:
    """One problem found by :func:`validate`; ``row`` is 0-based, ``None`` for whole-column."""

    column: str
    reason: str
    row: int | None = None

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return f"{where}column {self.column!r}: {self.reason}"


class SchemaError(ValueError):
    """Raised when a frame does not satisfy the schema; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[SchemaIssue]) -> None:
        self.issues: tuple[SchemaIssue, ...] = tuple(issues)
        shown = "; ".join(str(issue) for issue in self.issues[:10])
        more = f" (and {len(self.issues) - 10} more)" if len(self.issues) > 10 else ""
        super().__init__(f"{len(self.issues)} schema issue(s): {shown}{more}")


def fraud_label(result: pl.Expr | None = None) -> pl.Expr:
    """Binary fraud label (fraud or critical) from a ``result`` expression."""
    return ((pl.col("result") if result is None else result) >= Result.FRAUD).cast(pl.Int8)


def validate(frame: pl.DataFrame, *, require_outcome: bool = False) -> pl.DataFrame:
    """Return ``frame`` in canonical form or raise :class:`SchemaError` listing every issue.

    String values are parsed (numbers, ``YYYY-MM-DD`` dates, ``true``/``false``, result names);
    a value that does not parse is reported with its row and column, never silently nulled.
    Outcome columns are kept (and checked) whenever ``result`` is present, and are mandatory
    when ``require_outcome`` is true.
    """
    issues: list[SchemaIssue] = []
    with_outcome = require_outcome or "result" in frame.columns
    columns = COLUMNS + (OUTCOME_COLUMNS if with_outcome else ())
    converted: dict[str, pl.Series] = {}
    for column in columns:
        if column.name not in frame.columns:
            if column.required:
                issues.append(SchemaIssue(column.name, "missing required column"))
            converted[column.name] = pl.Series(column.name, [None] * frame.height, column.dtype)
            continue
        series, column_issues = _convert(frame[column.name], column)
        converted[column.name] = series
        issues.extend(column_issues)
    if not issues:
        issues.extend(_check_values(converted, columns))
    if issues:
        raise SchemaError(issues)
    if with_outcome:
        converted["result_date"] = converted["result_date"].fill_null(converted["date"])
    extras = [frame[name] for name in frame.columns if name not in converted]
    return pl.DataFrame([*converted.values(), *extras])


_HS_RE: Final = re.compile("[0-9]{4,10}")
_COUNTRY_RE: Final = re.compile("[A-Z]{2}")
_DATE_RE: Final = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER_RE: Final = re.compile(r"-?[0-9]{1,20}(?:\.[0-9]{1,20})?(?:[eE][+-]?[0-9]{1,3})?")
_BOOLEAN_NAMES: Final[Mapping[str, bool]] = {
    "true": True,
    "1": True,
    "yes": True,
    "false": False,
    "0": False,
    "no": False,
}
_PLAIN: Final = (str, bool, int, float, type(None))
_CHECKED_COUNTRIES: Final = ("origin", "departure")


class _NotPlain(Exception):
    """A value the single-declaration fast path leaves to :func:`validate`."""


def validate_one(declaration: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one declaration given as a mapping; return its canonical row as a dict.

    The result equals ``validate(pl.DataFrame([declaration])).row(0, named=True)``: canonical
    columns first (values as Python ``str``, ``float``, ``bool``, :class:`datetime.date` or
    ``None``), then the extra keys. Errors are the same :class:`SchemaError` (row 0). Plain
    values (strings without surrounding blanks, finite numbers, ISO dates, booleans) are checked
    in Python without building a frame, in microseconds; anything else (a value to parse
    loosely, an outcome column, a value that fails a check) goes through :func:`validate`.
    """
    try:
        return _validate_plain(declaration)
    except _NotPlain:
        frame = pl.DataFrame([dict(declaration)])
        return validate(frame).row(0, named=True)


def _validate_plain(declaration: Mapping[str, Any]) -> dict[str, Any]:
    if "result" in declaration:
        raise _NotPlain
    row: dict[str, Any] = {}
    for column in COLUMNS:
        value = _plain(declaration.get(column.name), column)
        if value is None and column.required:
            raise _NotPlain
        row[column.name] = value
    hs = row["hs"]
    if not _HS_RE.fullmatch(hs):
        raise _NotPlain
    for name in _CHECKED_COUNTRIES:
        if row[name] is not None and not _COUNTRY_RE.fullmatch(row[name]):
            raise _NotPlain
    for name in ("net_mass", "value", "tax_rate"):
        if row[name] is not None and row[name] < 0:
            raise _NotPlain
    for name, value in declaration.items():
        if name in row:
            continue
        if not isinstance(name, str) or not _is_plain_extra(value):
            raise _NotPlain
        row[name] = value
    return row


def _plain(value: Any, column: Column) -> Any:
    """The canonical value of a plain input value; :class:`_NotPlain` for anything else."""
    if value is None:
        return None
    if isinstance(value, str):
        if not value or value[0].isspace() or value[-1].isspace():
            raise _NotPlain  # validate strips blanks and reads "" as missing
        if column.dtype == pl.String:
            return value
        if column.dtype == pl.Float64 and _NUMBER_RE.fullmatch(value):
            return _finite(float(value))
        if column.dtype == pl.Date and _DATE_RE.fullmatch(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise _NotPlain from None
        if column.dtype == pl.Boolean and value.isascii() and value.lower() in _BOOLEAN_NAMES:
            return _BOOLEAN_NAMES[value.lower()]
        raise _NotPlain
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if column.dtype == pl.Float64 and number:
        if isinstance(value, int) and abs(value) >= 2**53:
            raise _NotPlain
        return _finite(float(value))
    if column.dtype == pl.Date and type(value) is datetime.date:
        return value
    if column.dtype == pl.Boolean and isinstance(value, bool):
        return value
    raise _NotPlain


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise _NotPlain
    return value


def _is_plain_extra(value: Any) -> bool:
    """A value a one-row frame gives back unchanged."""
    if type(value) is datetime.date:
        return True
    if type(value) not in _PLAIN:
        return False
    return not isinstance(value, int) or isinstance(value, bool) or abs(value) < 2**63


def _convert(series: pl.Series, column: Column) -> tuple[pl.Series, list[SchemaIssue]]:
    """Cast ``series`` to the column's dtype, reporting values that do not convert."""
    source = series
    if series.dtype == pl.String:
        source = series.str.strip_chars().replace("", None)
        if column.dtype == pl.Boolean:
            source = (
                source.str.to_lowercase()
                .replace_strict(
                    {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False},
                    default=None,
                    return_dtype=pl.Boolean,
                )
                .alias(series.name)
            )
        elif column.name == "result":
            source = (
                source.str.to_lowercase()
                .replace_strict(_RESULT_NAMES, default=None, return_dtype=pl.Int8)
                .alias(series.name)
            )
        elif column.dtype == pl.Date:
            source = source.str.to_date("%Y-%m-%d", strict=False)
    elif column.dtype == pl.Date and series.dtype == pl.Datetime:
        source = series.dt.date()
    try:
        converted = source.cast(column.dtype, strict=False)
    except pl.exceptions.InvalidOperationError:
        return series.cast(column.dtype, strict=False), [
            SchemaIssue(column.name, f"cannot convert {series.dtype} to {column.dtype}")
        ]
    original_present = series.is_not_null()
    if series.dtype == pl.String:
        original_present = original_present & (series.str.strip_chars() != "")
    bad_rows = (original_present & converted.is_null()).arg_true()
    expected = {
        pl.Date: "a date (YYYY-MM-DD)",
        pl.Boolean: "true or false",
        pl.Float64: "a number",
        pl.Int8: "one of no_fraud/fraud/critical (0/1/2)",
    }.get(type(column.dtype), str(column.dtype))
    issues = [
        SchemaIssue(column.name, f"{series[row]!r} is not {expected}", row)
        for row in bad_rows.head(_MAX_ISSUES_PER_COLUMN).to_list()
    ]
    return converted.alias(column.name), issues


def _check_values(
    converted: Mapping[str, pl.Series], columns: Sequence[Column]
) -> list[SchemaIssue]:
    """Check the value-level invariants documented in the module docstring."""
    checks: list[tuple[str, pl.Series, str]] = [
        ("hs", ~converted["hs"].str.contains(_HS_PATTERN), "is not an HS code of 4 to 10 digits"),
        ("origin", ~converted["origin"].str.contains(_COUNTRY_PATTERN), "is not ISO 3166 alpha-2"),
        (
            "departure",
            ~converted["departure"].str.contains(_COUNTRY_PATTERN),
            "is not ISO 3166 alpha-2",
        ),
        ("net_mass", converted["net_mass"] < 0, "is negative"),
        ("value", converted["value"] < 0, "is negative"),
        ("tax_rate", converted["tax_rate"] < 0, "is negative"),
        ("declaration_id", converted["declaration_id"].is_duplicated(), "is a duplicate id"),
    ]
    if "result" in converted:
        checks.append(("result", ~converted["result"].is_in([0, 1, 2]), "is not 0, 1 or 2"))
        checks.append(
            ("result_date", converted["result_date"] < converted["date"], "is before date")
        )
    issues: list[SchemaIssue] = []
    for column in columns:
        if column.required:
            checks.append((column.name, converted[column.name].is_null(), "is empty (required)"))
    for name, failing, reason in checks:
        rows = failing.fill_null(False).arg_true().head(_MAX_ISSUES_PER_COLUMN).to_list()
        issues.extend(SchemaIssue(name, f"{converted[name][row]!r} {reason}", row) for row in rows)
    return issues


@dataclass(frozen=True)
class SourceMapping:
    """How a source's columns map onto the canonical schema.

    ``renames`` maps source column names to canonical ones (unmapped source columns are kept as
    extras); ``constants`` fills canonical columns the source lacks; ``transforms`` rewrites a
    canonical column after renaming (e.g. restoring leading zeros of HS codes).
    """

    renames: Mapping[str, str]
    constants: Mapping[str, str | float | bool] = field(default_factory=dict)
    transforms: Mapping[str, Callable[[pl.Expr], pl.Expr]] = field(default_factory=dict)

    def apply(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Rename, add constants and transform; the result still needs :func:`validate`."""
        renamed = frame.rename({k: v for k, v in self.renames.items() if k in frame.columns})
        renamed = renamed.with_columns(
            pl.lit(value).alias(name) for name, value in self.constants.items()
        )
        return renamed.with_columns(
            transform(pl.col(name)).alias(name)
            for name, transform in self.transforms.items()
            if name in renamed.columns
        )


KCS_MAPPING: Final = SourceMapping(
    renames={
        "Declaration ID": "declaration_id",
        "Date": "date",
        "Office ID": "office",
        "Process Type": "procedure",
        "Import Type": "import_type",
        "Import Use": "import_use",
        "Payment Type": "payment_type",
        "Mode of Transport": "transport_mode",
        "Declarant ID": "declarant",
        "Importer ID": "importer",
        "Seller ID": "seller",
        "Courier ID": "courier",
        "HS10 Code": "hs",
        "Country of Departure": "departure",
        "Country of Origin": "origin",
        "Tax Rate": "tax_rate",
        "Tax Type": "tax_type",
        "Country of Origin Indicator": "origin_indicator",
        "Net Mass": "net_mass",
        "Item Price": "value",
        "Critical Fraud": "result",
    },
    constants={"currency": "KRW"},
    # The CSV lost the leading zero of chapters 01-09 (9-digit codes).
    transforms={"hs": lambda hs: hs.str.zfill(10)},
)
"""Korea Customs Service synthetic declarations (arXiv 2208.02484). ``Critical Fraud`` (0/1/2)
is the result; the redundant binary ``Fraud`` column (``Critical Fraud >= 1``) is kept as an
extra. The dataset has no revenue, description or AEO columns."""

FileFormat = Literal["csv", "parquet", "jsonl"]
_SUFFIXES: Final[Mapping[str, FileFormat]] = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def read_declarations(
    path: str | Path,
    *,
    file_format: FileFormat | None = None,
    mapping: SourceMapping | None = None,
    require_outcome: bool = False,
) -> pl.DataFrame:
    """Read a CSV, Parquet or JSON-lines file, map it and :func:`validate` it.

    CSV is read as text so that every malformed value is reported by :func:`validate` with its
    row and column. The format is taken from the suffix unless ``file_format`` is given.
    """
    path = Path(path)
    fmt = file_format or _SUFFIXES.get(path.suffix.lower())
    if fmt == "csv":
        frame = pl.read_csv(path, infer_schema=False)
    elif fmt == "parquet":
        frame = pl.read_parquet(path)
    elif fmt == "jsonl":
        frame = pl.read_ndjson(path, infer_schema_length=None)
    else:
        raise ValueError(f"cannot tell the format of {path}; pass file_format")
    if mapping is not None:
        frame = mapping.apply(frame)
    return validate(frame, require_outcome=require_outcome)


def load_kcs(paths: str | Path | Sequence[str | Path]) -> pl.DataFrame:
    """Load one or more KCS CSV files as one validated history frame, sorted by date."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    frames = [
        read_declarations(p, file_format="csv", mapping=KCS_MAPPING, require_outcome=True)
        for p in paths
    ]
    return pl.concat(frames, how="vertical_relaxed").sort("date", maintain_order=True)
