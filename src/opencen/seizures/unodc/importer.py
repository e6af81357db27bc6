"""The import: every mapped row checked with the ordinary services, then all stored in one
transaction, or nothing; refused rows come back as (row, column, reason)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction

from opencen.audit.services import record_event
from opencen.audit.tags import EventTag
from opencen.core.actors import Actor
from opencen.core.errors import Forbidden, InvalidInput
from opencen.core.permissions import Perm
from opencen.seizures import services
from opencen.seizures.importing import RowError
from opencen.seizures.unodc.reader import MappedRow, chunk_size, source_column
from opencen.seizures.validation import ResolvedCase


@dataclass
class ImportReport:
    """What ``check_import_unodc`` did: ``errors`` lists every refused row (row, column,
    reason); ``created`` is the number of new cases, zero when the file was refused."""

    rows: int = 0
    created: int = 0
    skipped_existing: int = 0
    skipped_bad: int = 0
    errors: list[RowError] = field(default_factory=list)
    stored: bool = False
    check_seconds: float = 0.0
    store_seconds: float = 0.0


def _validate_chunk(
    actor: Actor, part: Sequence[MappedRow], report: ImportReport, *, skip_bad: bool
) -> list[ResolvedCase]:
    datas = [m.case for m in part if m.case is not None]
    rows = [m for m in part if m.case is not None]
    try:
        resolved, skipped = services.validate_cases(actor, datas, skip_existing=True)
    except InvalidInput as exc:
        refused: set[int] = set()
        for error in exc.errors:
            index_text, _sep, path = error.field.partition("].")
            index = int(index_text.lstrip("["))
            refused.add(index)
            mapped = rows[index]
            assert mapped.case is not None
            report.errors.append(
                RowError(mapped.row, source_column(mapped.case.route, path), error.reason)
            )
        if not skip_bad:
            return []
        report.skipped_bad += len(refused)
        datas = [d for i, d in enumerate(datas) if i not in refused]
        resolved, skipped = services.validate_cases(actor, datas, skip_existing=True)
    report.skipped_existing += len(skipped)
    return resolved


def check_import_unodc(
    actor: Actor,
    mapped: Sequence[MappedRow],
    *,
    submit: bool = False,
    skip_bad: bool = False,
    store: bool = True,
    source: str = "",
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportReport:
    """Import mapped rows into the actor's organisation: all of them, or none.

    Every row is first checked with ``services.validate_cases`` (codes, rules, personal-data
    gate), ``CHUNK`` rows at a time so that each query stays within SQLite's limit on
    parameters; cases whose external reference the organisation already has are skipped, so a
    re-import creates nothing.  Rows that could not be mapped or were refused are reported; with
    ``skip_bad`` they are left out, otherwise nothing is stored.  Then everything is written in
    one transaction (cases, goods, route, one ``seizures.case.created`` event per case and a
    closing ``seizures.import.finished``).  ``store=False`` stops after the checks.
    ``progress(stage, done, total)`` is called after every chunk.
    """
    if not actor.can(Perm.SEIZURE_CASE_IMPORT):
        raise Forbidden(Perm.SEIZURE_CASE_IMPORT)
    report = ImportReport(rows=len(mapped))
    unmapped = [m for m in mapped if m.case is None]
    for m in unmapped:
        report.errors.extend(m.errors)
    if skip_bad:
        report.skipped_bad += len(unmapped)
    chunk = chunk_size()
    resolved: list[ResolvedCase] = []
    started = time.monotonic()
    for start in range(0, len(mapped), chunk):
        part = mapped[start : start + chunk]
        resolved += _validate_chunk(actor, part, report, skip_bad=skip_bad)
        if progress:
            progress("checked", min(start + chunk, len(mapped)), len(mapped))
    report.errors.sort(key=lambda e: (e.row, e.column))
    report.check_seconds = time.monotonic() - started
    if (report.errors and not skip_bad) or not store:
        if report.errors and not skip_bad and store:
            record_event(
                actor,
                EventTag.SEIZURES_IMPORT_REJECTED,
                object_type="seizures.unodc",
                object_id=source,
                changes={"file": source, "rows": report.rows, "errors": len(report.errors)},
            )
        return report
    started = time.monotonic()
    with transaction.atomic():
        for start in range(0, len(resolved), chunk):
            cases = services.store_validated_cases(
                actor, resolved[start : start + chunk], submit=submit, source="unodc-ids"
            )
            report.created += len(cases)
            if progress:
                progress("stored", report.created, len(resolved))
        record_event(actor, EventTag.SEIZURES_IMPORT_FINISHED, object_type="seizures.unodc",
                     object_id=source, changes={
                         "file": source, "rows": report.rows, "created": report.created,
                         "skipped_existing": report.skipped_existing,
                         "skipped_bad": report.skipped_bad})  # fmt: skip
    report.stored = True
    report.store_seconds = time.monotonic() - started
    return report
