"""Reading declaration files (CSV, Parquet) into validated engine frames, or every problem.

A file is accepted whole or refused whole: :func:`read_upload` either returns the canonical
frame or raises :class:`UploadRejected` listing each problem with its row (1 = the first data
row; ``None`` for the whole file or a whole column), the field (column) and the reason.
Columns are the engine schema's (``docs/engine.md``); unknown columns are ignored.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

import polars as pl
from django.conf import settings
from django.utils.translation import gettext as _

from opencen.engine.schema import OUTCOME_COLUMNS, SchemaError, SchemaIssue, validate
from opencen.targeting import columns

FORMATS: Final = {".csv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet"}
MAX_ERRORS: Final = 200


@dataclass(frozen=True)
class RowIssue:
    """One refused value of a file: row (1-based data row, or None), field and reason."""

    row: int | None
    field: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


class UploadRejected(Exception):
    """The file was refused; nothing was stored.  ``errors`` says where and why."""

    def __init__(self, errors: list[RowIssue]) -> None:
        self.errors = errors[:MAX_ERRORS]
        super().__init__("; ".join(f"row {e.row} {e.field}: {e.reason}" for e in self.errors))


def detect_format(name: str) -> str:
    """``csv`` or ``parquet`` from the file name, or :class:`UploadRejected`."""
    fmt = FORMATS.get(Path(name).suffix.lower())
    if fmt is None:
        raise UploadRejected(
            [RowIssue(None, "file", _("Unsupported file type: use CSV or Parquet."))]
        )
    return fmt


def _issue(issue: SchemaIssue) -> RowIssue:
    return RowIssue(None if issue.row is None else issue.row + 1, issue.column, issue.reason)


def read_frame(stream: IO[bytes], fmt: str) -> pl.DataFrame:
    """The raw table of a file (CSV read as text, so every bad value is reported)."""
    data = stream.read()
    try:
        if fmt == "csv":
            text = data.decode("utf-8-sig")
            return pl.read_csv(io.StringIO(text), infer_schema=False)
        return pl.read_parquet(io.BytesIO(data))
    except UnicodeDecodeError:
        reason = _("The file is not UTF-8 text.")
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        reason = _("The file cannot be read as %(fmt)s: %(error)s") % {
            "fmt": fmt.upper(),
            "error": str(exc).splitlines()[0][:200],
        }
    raise UploadRejected([RowIssue(None, "file", reason)])


def check_frame(frame: pl.DataFrame, *, history: bool) -> pl.DataFrame:
    """Validate a raw table against the engine schema; the canonical frame or every issue.

    Declarations to score must not carry results (their outcome columns are ignored);
    history (``history=True``) must.
    """
    if frame.height == 0:
        raise UploadRejected([RowIssue(None, "file", _("The file holds no declaration."))])
    if not history:
        frame = frame.drop([c.name for c in OUTCOME_COLUMNS if c.name in frame.columns])
    try:
        valid = validate(frame, require_outcome=history)
    except SchemaError as exc:
        raise UploadRejected(_sorted([_issue(i) for i in exc.issues])) from None
    too_long = columns.check_lengths(valid)
    if too_long:
        raise UploadRejected(_sorted([_issue(i) for i in too_long]))
    return columns.canonical(valid)


def _sorted(issues: list[RowIssue]) -> list[RowIssue]:
    return sorted(issues, key=lambda e: (e.row if e.row is not None else 0, e.field))


def check_size(size: int | None) -> None:
    """Refuse an empty file or one over ``OPENCEN_IMPORT_MAX_MB``."""
    limit = settings.OPENCEN_IMPORT_MAX_MB
    if not size:
        raise UploadRejected([RowIssue(None, "file", _("The file is empty."))])
    if size > limit * 1024 * 1024:
        raise UploadRejected(
            [
                RowIssue(
                    None, "file", _("The file is larger than %(n)d MB; split it.") % {"n": limit}
                )
            ]
        )


def read_upload(
    stream: IO[bytes], name: str, *, history: bool = False, size: int | None = None
) -> pl.DataFrame:
    """Check the size, read, map and validate an uploaded file (see the module docstring)."""
    fmt = detect_format(name)
    check_size(size)
    return check_frame(read_frame(stream, fmt), history=history)
