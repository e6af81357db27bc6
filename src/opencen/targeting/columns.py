"""Between the engine's declaration schema and the ``Declaration`` table.

The engine works on polars frames in its canonical form (``opencen.engine.schema``); the
platform stores one row per declaration.  This module is the only place that knows how the two
correspond: ``declaration_id`` is stored as ``reference``, a missing optional string is stored
blank and read back as null, money is a ``Decimal`` with two places in the table and a float in
the engine (values are rounded to cents on arrival, so a declaration scored on arrival and the
same declaration read back from history have identical features).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

import polars as pl
from django.db.models import QuerySet

from opencen.core.errors import FieldError, InvalidInput
from opencen.engine.schema import (
    COLUMNS,
    OUTCOME_COLUMNS,
    SchemaError,
    SchemaIssue,
    validate,
    validate_one,
)
from opencen.targeting.models import Declaration

# canonical column -> model field
FIELD_OF: Final[Mapping[str, str]] = {
    **{c.name: c.name for c in COLUMNS},
    "declaration_id": "reference",
}
SCHEMA: Final[dict[str, pl.DataType]] = {c.name: c.dtype for c in COLUMNS}
OUTCOME_SCHEMA: Final[dict[str, pl.DataType]] = {c.name: c.dtype for c in OUTCOME_COLUMNS}
OPTIONAL_STRINGS: Final = frozenset(
    c.name for c in COLUMNS if not c.required and c.dtype == pl.String
)
MONEY: Final = frozenset({"value", "revenue"})
# Stored lengths the engine does not check (PostgreSQL refuses longer values).
MAX_LENGTHS: Final[Mapping[str, int]] = {
    name: int(getattr(Declaration._meta.get_field(FIELD_OF[name]), "max_length", 0))
    for name in SCHEMA
    if SCHEMA[name] == pl.String and name != "description"
}
# Columns of the assessment kept with each declaration (besides the schema).
ASSESSMENT_FIELDS: Final = ("score", "probability", "priority", "selected_by", "lane")


def blank_to_null(value: Any) -> Any:
    """Blank stored strings are missing values for the engine."""
    return None if value == "" else value


def check_lengths(frame: pl.DataFrame) -> list[SchemaIssue]:
    """Values longer than their column allows, as the engine's (row, column, reason) issues."""
    issues: list[SchemaIssue] = []
    for name, limit in MAX_LENGTHS.items():
        if name not in frame.columns or frame[name].dtype != pl.String:
            continue
        rows = (frame[name].str.len_chars() > limit).fill_null(False).arg_true().head(20)
        issues.extend(
            SchemaIssue(name, f"is longer than {limit} characters", int(row))
            for row in rows.to_list()
        )
    return issues


def canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """A validated frame as the platform scores and stores it: schema columns, cents."""
    keep = [*SCHEMA, *(c for c in OUTCOME_SCHEMA if c in frame.columns)]
    frame = frame.select(keep).with_columns(pl.col("value").round(2))
    if "revenue" in frame.columns:
        frame = frame.with_columns(pl.col("revenue").round(2))
    return frame


def validated_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """One declaration through the engine's ``validate_one`` (its canonical form), schema
    columns only; ``InvalidInput`` naming the field otherwise."""
    try:
        valid = validate_one(row)
    except SchemaError as exc:
        raise InvalidInput([FieldError(i.column, i.reason) for i in exc.issues]) from None
    return {name: valid[name] for name in SCHEMA}


def validated_frame(rows: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """Declarations through the engine's ``validate`` (``[i].field`` errors), in cents."""
    try:
        valid = validate(pl.DataFrame([dict(r) for r in rows]))
    except SchemaError as exc:
        raise InvalidInput(
            [FieldError(f"[{i.row or 0}].{i.column}", i.reason) for i in exc.issues]
        ) from None
    return canonical(valid)


def row_frame(rows: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """Canonical declarations (dicts keyed by schema column) as a frame with schema dtypes."""
    return pl.DataFrame(list(rows), schema=SCHEMA, orient="row")


def _series(name: str, values: Sequence[Any], dtype: pl.DataType) -> pl.Series:
    if name in MONEY:
        values = [None if v is None else float(v) for v in values]
    elif name in OPTIONAL_STRINGS:
        values = [None if v == "" else v for v in values]
    return pl.Series(name, values, dtype=dtype)


def queryset_frame(
    queryset: QuerySet[Declaration],
    *,
    with_outcome: bool = False,
    extra: Sequence[str] = (),
) -> pl.DataFrame:
    """The declarations of ``queryset`` as a canonical engine frame.

    ``with_outcome`` adds ``result``, ``revenue`` and ``result_date``; ``extra`` appends model
    fields as they are (e.g. ``"id"``, ``"score"``, ``"selected_by"``, ``"matched_profiles"``).
    """
    schema = dict(SCHEMA)
    if with_outcome:
        schema.update(OUTCOME_SCHEMA)
    fields = [FIELD_OF.get(name, name) for name in schema]
    rows = list(queryset.values_list(*fields, *extra))
    columns: list[Sequence[Any]] = (
        [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in [*fields, *extra]]
    )
    series = [
        _series(name, values, dtype)
        for (name, dtype), values in zip(schema.items(), columns, strict=False)
    ]
    for offset, name in enumerate(extra):
        values = columns[len(schema) + offset]
        if name == "id":
            series.append(pl.Series(name, [str(v) for v in values], dtype=pl.String))
        elif name == "matched_profiles":
            series.append(pl.Series(name, values, dtype=pl.List(pl.String)))
        elif name in ("score", "probability", "priority"):
            series.append(pl.Series(name, values, dtype=pl.Float64))
        elif name in ("selected_at",):
            series.append(pl.Series(name, values, dtype=pl.Datetime("us", "UTC")))
        else:
            series.append(pl.Series(name, values))
    return pl.DataFrame(series)


def model_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """Model field values of one canonical row (schema and, when present, outcome columns)."""
    fields: dict[str, Any] = {}
    for name in SCHEMA:
        value = row.get(name)
        if name in OPTIONAL_STRINGS and value is None:
            value = ""
        elif name == "value":
            value = Decimal(f"{value:.2f}")
        fields[FIELD_OF[name]] = value
    if row.get("result") is not None:
        fields["result"] = int(row["result"])
        revenue = row.get("revenue")
        fields["revenue"] = None if revenue is None else Decimal(f"{revenue:.2f}")
        fields["result_date"] = row.get("result_date") or row["date"]
    return fields


def engine_row(declaration: Declaration) -> dict[str, Any]:
    """One stored declaration as a canonical row (a dict keyed by schema column)."""
    row: dict[str, Any] = {}
    for name in SCHEMA:
        value = getattr(declaration, FIELD_OF[name])
        if name in MONEY and value is not None:
            value = float(value)
        row[name] = blank_to_null(value) if name in OPTIONAL_STRINGS else value
    return row


def month_of(day: dt.date) -> str:
    """``2026-03`` for a date: the period of the performance tables."""
    return f"{day.year:04d}-{day.month:02d}"


def chunks(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    """Lists of at most ``size`` items."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
