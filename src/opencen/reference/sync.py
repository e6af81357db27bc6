"""Synchronising a reference table with the rows a file gives: the one write path of every
load and import.

``sync_table`` compares the wanted rows with the table, inserts what is new and updates what
changed, in large statements (``executemany`` on SQLite, ``COPY`` on PostgreSQL), so loading
twice creates nothing the second time.  It runs in the caller's transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.utils import timezone

from opencen.core.db import copy_rows, insert_fields
from opencen.reference import datafiles
from opencen.reference.models import DatasetOrigin, ReferenceDataset

BATCH = 2000


@dataclass
class SyncResult:
    """What one table synchronisation did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: bool = False
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
        }
        if self.skipped:
            data = {"skipped": True}
        if self.notes:
            data["notes"] = self.notes
        return data

    def __str__(self) -> str:
        if self.skipped:
            return "already loaded, skipped"
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged" + (
            f", {self.deleted} deleted" if self.deleted else ""
        )


def _write_many(
    model: type[models.Model],
    creates: list[dict[str, Any]],
    updates: list[tuple[Any, dict[str, Any]]],
    fields: Sequence[str],
) -> None:
    """INSERT and UPDATE rows in large statements.

    ``bulk_create`` on SQLite sends at most 999 parameters a statement (47 places), which makes
    a full UN/LOCODE load ten times slower.  SQLite takes ``executemany`` of one-row INSERTs
    fastest, PostgreSQL ``COPY``.  Columns not in ``fields`` get their model default; no
    signals are sent (reference tables have none).
    """
    meta = model._meta

    def qn(name: str | None) -> str:
        return connection.ops.quote_name(str(name))

    concrete = insert_fields(model)
    with connection.cursor() as cursor:
        if creates:
            defaults = {f.attname: f.get_default() for f in concrete}
            if connection.vendor == "postgresql":
                copy_rows(model, ({**defaults, **row} for row in creates))
            else:
                columns = ", ".join(qn(f.column) for f in concrete)
                marks = "(" + ", ".join(["%s"] * len(concrete)) + ")"
                insert = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES "  # noqa: S608
                values = [
                    [
                        f.get_db_prep_save(row.get(f.attname, defaults[f.attname]), connection)
                        for f in concrete
                    ]
                    for row in creates
                ]
                for start in range(0, len(values), BATCH):
                    cursor.executemany(insert + marks, values[start : start + BATCH])
        if updates:
            by_attname = {f.attname: f for f in meta.concrete_fields}
            targets = [by_attname[name] for name in fields]
            sets = ", ".join(f"{qn(f.column)} = %s" for f in targets)
            sql = f"UPDATE {qn(meta.db_table)} SET {sets} WHERE {qn(meta.pk.column)} = %s"  # noqa: S608
            for start in range(0, len(updates), BATCH):
                cursor.executemany(
                    sql,
                    [
                        [*(f.get_db_prep_save(values[f.attname], connection) for f in targets), pk]
                        for pk, values in updates[start : start + BATCH]
                    ],
                )


def sync_table(
    model: type[models.Model],
    rows: Mapping[str, Mapping[str, Any]],
    fields: Sequence[str],
    *,
    key: str = "pk",
    delete_missing: bool = False,
) -> SyncResult:
    """Make ``model`` hold ``rows`` (natural key -> field values), touching only what differs.

    ``fields`` are attribute names (``country_id`` for a foreign key).  Rows in the table but
    not in ``rows`` are deleted only with ``delete_missing``.  Runs in the caller's transaction.
    """
    result = SyncResult()
    key_attr = model._meta.pk.attname if key == "pk" else key
    existing: dict[str, tuple[Any, tuple[Any, ...]]] = {}
    for values in model._default_manager.values_list("pk", key_attr, *fields).iterator(
        chunk_size=BATCH
    ):
        existing[values[1]] = (values[0], tuple(values[2:]))
    creates: list[dict[str, Any]] = []
    updates: list[tuple[Any, dict[str, Any]]] = []
    for natural, wanted in rows.items():
        values = tuple(wanted[f] for f in fields)
        found = existing.get(natural)
        if found is None:
            creates.append({key_attr: natural, **dict(zip(fields, values, strict=True))})
        elif found[1] != values:
            updates.append((found[0], dict(zip(fields, values, strict=True))))
        else:
            result.unchanged += 1
    _write_many(model, creates, updates, fields)
    result.created, result.updated = len(creates), len(updates)
    if delete_missing:
        gone = [pk for natural, (pk, _) in existing.items() if natural not in rows]
        for start in range(0, len(gone), BATCH):
            model._default_manager.filter(pk__in=gone[start : start + BATCH]).delete()
        result.deleted = len(gone)
    return result


def checksum_of(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def file_checksum(*shipped: datafiles.ShippedFile) -> str:
    return checksum_of(*(f.path.read_bytes() for f in shipped))


def record_dataset(
    key: str,
    *,
    edition: str,
    source: str,
    licence: str,
    checksum: str,
    rows: int,
    origin: str = DatasetOrigin.SHIPPED,
) -> ReferenceDataset:
    """Note which edition of a table is now loaded."""
    dataset, _ = ReferenceDataset.objects.update_or_create(
        key=key,
        defaults={
            "edition": edition[:40],
            "source": source[:300],
            "licence": licence[:120],
            "checksum": checksum,
            "rows": rows,
            "origin": origin,
            "loaded_at": timezone.now(),
        },
    )
    return dataset
