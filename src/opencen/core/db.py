"""Database helpers the ORM does not have: streaming rows into and out of PostgreSQL with COPY."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, migrations, models


def insert_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The columns an INSERT of ``model`` writes: every concrete one but an automatic key."""
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField))
    ]


def copy_rows(model: type[models.Model], rows: Iterable[Mapping[str, Any]]) -> int:
    """Stream rows into the model's table with PostgreSQL's ``COPY ... FROM STDIN``.

    Each row maps every field of ``insert_fields(model)`` by attribute name (``country_id``)
    to a Python value psycopg adapts (str, int, Decimal, date, datetime, UUID, None); JSON
    columns take the Python value and are serialised here.  Rows are consumed as they are
    sent, so a generator keeps memory flat.  No signals, no ``save()``: the caller has checked
    the rows.  Returns how many were sent.  PostgreSQL only; elsewhere use ``bulk_create``.
    """
    fields = insert_fields(model)
    names = [f.attname for f in fields]
    json_names = {f.attname for f in fields if isinstance(f, models.JSONField)}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    sent = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([json.dumps(row[n]) if n in json_names else row[n] for n in names])
            sent += 1
    return sent


def copy_objects(objects: Iterable[models.Model], model: type[models.Model]) -> int:
    """``copy_rows`` of unsaved model instances (their field values as they are)."""
    names = [f.attname for f in insert_fields(model)]
    return copy_rows(model, ({n: getattr(obj, n) for n in names} for obj in objects))


def copy_out_csv(sql: str) -> bytes:
    """The rows of a query, as CSV without a header, through PostgreSQL's ``COPY ... TO
    STDOUT`` (much faster than fetching rows for a data frame).  ``sql`` takes no parameters:
    the caller writes only literals it controls into it.  PostgreSQL only."""
    buffer = io.BytesIO()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy,
    ):
        for chunk in copy:
            buffer.write(chunk)
    return buffer.getvalue()


def on_postgresql(
    forwards: str | Sequence[str], backwards: str | Sequence[str]
) -> migrations.RunPython:
    """A migration operation running SQL statements on PostgreSQL only (triggers, GIN and
    expression indexes, generated columns: what SQLite neither has nor needs).  Statements run
    as written, without parameters."""

    def run(statements: str | Sequence[str]) -> Any:
        listed = [statements] if isinstance(statements, str) else list(statements)

        def operation(apps: Any, schema_editor: Any) -> None:
            if schema_editor.connection.vendor == "postgresql":
                for statement in listed:
                    schema_editor.execute(statement, params=None)

        return operation

    return migrations.RunPython(run(forwards), run(backwards))
