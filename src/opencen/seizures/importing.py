"""Importing case files: CSV, XLSX and JSON lines, whole or not at all.

Every rejected value comes back as (row, column, reason); nothing is stored unless the whole
file passes.  Re-importing a file skips the cases whose external reference the organisation
already has, so it creates no duplicates.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from pydantic import ValidationError

from opencen.core.actors import Actor
from opencen.core.errors import FieldError, InvalidInput, field_path
from opencen.seizures import services
from opencen.seizures.flat import FlatCase, rows_to_cases
from opencen.seizures.inputs import CaseIn

FORMATS = ("csv", "xlsx", "jsonl")
MAX_ERRORS = 1000
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    """One refused value of a file: the row (1 = first data row; JSON lines: the line), the
    column (or JSON field path) and the reason."""

    row: int
    column: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportReport:
    created: int = 0
    skipped: int = 0
    references: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class FileRejected(Exception):
    """The file cannot be read at all (wrong format, broken encoding, missing header)."""


def detect_format(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    fmt = {
        "csv": "csv",
        "txt": "csv",
        "xlsx": "xlsx",
        "jsonl": "jsonl",
        "ndjson": "jsonl",
        "json": "jsonl",
    }.get(suffix)
    if fmt is None:
        raise FileRejected(
            _("Unsupported file type .%(s)s: use CSV, XLSX or JSON lines.") % {"s": suffix}
        )
    return fmt


def read_csv(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        sample = text.read(4096)
        text.seek(0)
    except UnicodeDecodeError:
        raise FileRejected(_("The file is not UTF-8 text.")) from None
    dialect: type[csv.Dialect] | csv.Dialect
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(text, dialect=dialect)
    if not reader.fieldnames or "external_ref" not in reader.fieldnames:
        raise FileRejected(
            _("The first row must be the header of the template (it needs an external_ref column).")
        )
    try:
        for number, row in enumerate(reader, start=1):
            if any((v or "").strip() for v in row.values() if isinstance(v, str)):
                yield number, row
    except UnicodeDecodeError:
        raise FileRejected(_("The file is not UTF-8 text.")) from None


def read_xlsx(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRejected(_("This is not a readable XLSX workbook.")) from exc
    sheet = book["cases"] if "cases" in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    if "external_ref" not in header:
        raise FileRejected(
            _("The first row must be the header of the template (it needs an external_ref column).")
        )
    for number, values in enumerate(rows, start=1):
        if any(v not in (None, "") for v in values):
            yield number, {h: v for h, v in zip(header, values, strict=False) if h}


def read_jsonl(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """JSON lines: one case per line in the API's shape (``CaseIn``)."""
    for number, raw in enumerate(stream, start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            item = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            yield number, {"__error__": _("not valid JSON")}
            continue
        yield number, item if isinstance(item, dict) else {"__error__": _("not a JSON object")}


def _jsonl_cases(rows: Iterator[tuple[int, dict[str, Any]]]) -> list[FlatCase]:
    flats = []
    for number, item in rows:
        flat = FlatCase(rows=[number])
        if "__error__" in item:
            flat.errors = [FieldError("line", str(item["__error__"]))]
        else:
            try:
                flat.data = CaseIn.model_validate(item)
            except ValidationError as exc:
                flat.errors = [
                    FieldError(field_path(e["loc"]) or "line", e["msg"]) for e in exc.errors()
                ]
        flats.append(flat)
    return flats


def parse_file(stream: IO[bytes], fmt: str) -> list[FlatCase]:
    """Read a whole file into cases (or their shape errors)."""
    if fmt == "jsonl":
        return _jsonl_cases(read_jsonl(stream))
    reader = read_xlsx if fmt == "xlsx" else read_csv
    return rows_to_cases(reader(stream))


def _locate(flat: FlatCase, fmt: str, error: FieldError) -> RowError:
    if fmt == "jsonl":
        return RowError(flat.rows[0], error.field, error.reason)
    row, column = flat.locate(error.field)
    return RowError(row, column, error.reason)


def import_cases(
    actor: Actor,
    flats: list[FlatCase],
    fmt: str,
    *,
    submit: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every case of a parsed file, then store all of them in one transaction, or none.

    ``progress(done, total)`` is called while validating, before the transaction starts, so
    another connection can show it.
    """
    report = ImportReport()
    for flat in flats:
        report.errors += [_locate(flat, fmt, e) for e in flat.errors]
    valid = [f for f in flats if f.data is not None and not f.errors]
    datas = [f.data for f in valid if f.data is not None]
    cases: list[Any] = []
    skipped: list[str] = []
    try:
        if report.errors:  # still check the rest, so the report is complete; store nothing
            services.validate_cases(actor, datas, skip_existing=True, progress=progress)
        else:
            cases, skipped = services.check_create_cases(
                actor, datas, submit=submit, skip_existing=True, progress=progress
            )
    except InvalidInput as exc:
        for error in exc.errors:
            index, _sep, path = error.field.partition("].")
            report.errors.append(
                _locate(valid[int(index.lstrip("["))], fmt, FieldError(path, error.reason))
            )
    if not flats:
        report.errors.append(RowError(0, "", _("The file holds no case.")))
    if report.errors:
        report.errors.sort(key=lambda e: (e.row, e.column))
        del report.errors[MAX_ERRORS:]
        return report
    report.created, report.skipped = len(cases), len(skipped)
    report.references = [c.reference for c in cases]
    return report
