"""Keeping the facts in step with the case tables, by following the audit log.

Every write to a case goes through ``seizures.services`` and records a ``seizures.case.*``
event in the same transaction, so the audit log is a complete, ordered change feed.  Before an
analysis reads the facts, ``sync`` compares the audit head with the last event it applied: if
cases changed since, it rewrites those cases' facts (from the case tables, under the state's
row lock, in one transaction), marks the months they were and are in with the new data
version, and bumps the version every cache key carries.  Organisation and region changes bump
the version only (visibility by region is resolved live, see ``analytics.scope``).

Writers that bypass the services (a raw bulk load, the benchmark) call ``rebuild`` or run
``opencen analytics rebuild``.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import polars as pl
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from opencen.analytics import facts
from opencen.analytics.models import (
    CaseFact,
    GoodsFact,
    RollupMonth,
    RollupState,
    ShareSet,
    ShareSetGroup,
)
from opencen.audit.models import AuditEvent, AuditHead
from opencen.core.db import copy_out_csv

logger = logging.getLogger(__name__)

ROLLUPS: dict[str, type[models.Model]] = {"CaseFact": CaseFact, "GoodsFact": GoodsFact}
CASE_PREFIX = "seizures.case."
READ_ONLY_CASE_TAGS = frozenset({"seizures.case.viewed", "seizures.case.exported"})
VERSION_PREFIXES = ("accounts.organisation.", "reference.region.")
CHUNK = 5000
HEX_ID = re.compile(r"^[0-9a-f]{32}$")
REBUILD_ABOVE = 200_000  # changed cases beyond which a full rebuild is quicker


@dataclass(frozen=True)
class SyncResult:
    """What a ``sync`` did: the data version (and epoch) after it and how many cases and months
    it rewrote."""

    version: int
    epoch: uuid.UUID
    cases: int = 0
    months: int = 0
    rebuilt: bool = False


# --- reading the case tables ---------------------------------------------------------------------


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _ranges(months: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Contiguous months merged into [start, end) date ranges."""
    ranges: list[tuple[dt.date, dt.date]] = []
    for month in sorted(set(months)):
        if ranges and ranges[-1][1] == month:
            ranges[-1] = (ranges[-1][0], next_month(month))
        else:
            ranges.append((month, next_month(month)))
    return ranges


def _where(
    months: Iterable[dt.date] | None, case_ids: Sequence[uuid.UUID] | None = None
) -> tuple[str, list[Any]]:
    sql = "c.status <> %s"
    params: list[Any] = ["withdrawn"]
    if case_ids is not None:
        if not case_ids:
            return "1 = 0", []
        sql += " AND c.id IN (" + ", ".join(["%s"] * len(case_ids)) + ")"
        params += [c.hex for c in case_ids]
    if months is not None:
        ranges = _ranges(months)
        if not ranges:
            return "1 = 0", []
        sql += " AND (" + " OR ".join("(c.date >= %s AND c.date < %s)" for _ in ranges) + ")"
        params += [d for r in ranges for d in r]
    return sql, params


def _sql_parts() -> dict[str, str]:
    if connection.vendor == "postgresql":
        return {
            "uuid": "replace(CAST({} AS text), '-', '')",
            "num": "CAST({} AS double precision)",
            "delay": "(CAST(c.created_at AS date) - c.date)",
        }
    return {
        "uuid": "{}",
        "num": "CAST({} AS REAL)",
        "delay": "CAST(julianday(substr(c.created_at, 1, 10)) - julianday(c.date) AS INTEGER)",
    }


def _queries(
    months: Iterable[dt.date] | None, case_ids: Sequence[uuid.UUID] | None = None
) -> tuple[list[str], list[object]]:
    where, params = _where(months, case_ids)
    p = _sql_parts()
    u, n = p["uuid"].format, p["num"].format
    # Built from this module's constants only; the values go in ``params``.
    queries = [
        f"SELECT {u('c.id')}, c.date, {u('c.owner_id')}, "  # noqa: S608
        f"c.distribution, {u('c.region_id')}, c.country_id, c.transport, c.detection, "
        f"c.concealment, c.place_id, c.status, {p['delay']}, c.procedure, c.location_type, "
        f"c.direction "
        f"FROM seizures_case c WHERE {where}",
        f"SELECT {u('g.case_id')}, g.commodity_area, "  # noqa: S608
        f"g.hs_chapter, {n('g.quantity')}, g.unit_id, {n('g.value')}, g.currency_id "
        f"FROM seizures_goodsline g "
        f"JOIN seizures_case c ON c.id = g.case_id WHERE {where}",
        f"SELECT {u('r.case_id')}, r.position, r.role, "  # noqa: S608
        f"r.country_id FROM seizures_routeleg r "
        f"JOIN seizures_case c ON c.id = r.case_id WHERE {where}",
        f"SELECT {u('t.case_id')}, "  # noqa: S608
        f"{u('t.closedusergroup_id')} FROM seizures_case_groups t "
        f"JOIN seizures_case c ON c.id = t.case_id WHERE {where} AND c.distribution = 'groups'",
    ]
    return queries, params


def _literal(value: object) -> str:
    """A SQL literal for the few parameter types ``_where`` uses (dates and fixed words)."""
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    text = str(value)
    assert text.isidentifier() or HEX_ID.match(text), text  # our constants and hex ids only
    return f"'{text}'"


def _copy_out(sql: str, params: list[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """Run a query on PostgreSQL through ``COPY ... TO STDOUT`` into a data frame (fast)."""
    for value in params:
        sql = sql.replace("%s", _literal(value), 1)
    data = copy_out_csv(sql)
    if not data:
        return pl.DataFrame(schema=schema)
    return pl.read_csv(data, has_header=False, new_columns=list(schema), schema=schema)


def read_frames(
    months: Iterable[dt.date] | None = None, case_ids: Sequence[uuid.UUID] | None = None
) -> facts.Frames:
    """The non-withdrawn cases dated in ``months`` or among ``case_ids`` (all cases when both
    are ``None``) with their children."""
    queries, params = _queries(months, case_ids)
    schemas: list[dict[str, Any]] = [
        facts.CASE_SCHEMA,
        facts.GOODS_SCHEMA,
        facts.ROUTE_SCHEMA,
        facts.GROUP_SCHEMA,
    ]
    if connection.vendor == "postgresql":
        frames = [_copy_out(q, params, s) for q, s in zip(queries, schemas, strict=True)]
        return facts.Frames(*frames)
    results = []
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql, cast(Any, params))
            results.append(cursor.fetchall())
    return facts.Frames.of(*results)


# --- writing the roll-ups ------------------------------------------------------------------------


def _share_ids(frames: facts.Frames) -> dict[str, int]:
    """Ids of the share sets the cases use, creating the missing ones."""
    keys = set(facts.share_keys(frames)["key"].to_list())
    if not keys:
        return {}
    known = dict(ShareSet.objects.filter(key__in=keys).values_list("key", "id"))
    missing = sorted(keys - known.keys())
    if missing:
        ShareSet.objects.bulk_create([ShareSet(key=k) for k in missing], ignore_conflicts=True)
        created = dict(ShareSet.objects.filter(key__in=missing).values_list("key", "id"))
        ShareSetGroup.objects.bulk_create(
            [
                ShareSetGroup(share_set_id=sid, group_id=uuid.UUID(g))
                for key, sid in created.items()
                for g in key.split(",")
            ],
            ignore_conflicts=True,
        )
        known.update(created)
    return known


def _columns(model: type[models.Model], frame: pl.DataFrame) -> list[str]:
    columns = {str(f.column) for f in model._meta.concrete_fields if not f.primary_key}
    names = [c for c in frame.columns if c in columns]
    absent = columns - set(names)
    assert not absent, f"{model.__name__} rows lack {sorted(absent)}"
    return names


def _write(model: type[models.Model], frame: pl.DataFrame) -> None:
    if frame.height == 0:
        return
    names = _columns(model, frame)
    frame = frame.select(names)
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(c) for c in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            # Empty strings are quoted, nulls are not: COPY tells them apart.
            frame.write_csv(buffer, include_header=False, quote_style="non_numeric")
            with cursor.cursor.copy(
                f"COPY {table} ({column_list}) FROM STDIN WITH (FORMAT csv)"
            ) as copy:
                copy.write(buffer.getvalue())
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(
                f"INSERT INTO {table} ({column_list}) VALUES ({marks})",  # noqa: S608
                frame.rows(),
            )


def _delete(case_ids: Sequence[uuid.UUID] | None) -> None:
    """Delete the facts of ``case_ids`` (every fact when ``None``)."""
    for model in ROLLUPS.values():
        if case_ids is None:
            model._default_manager.all().delete()
            continue
        for start in range(0, len(case_ids), CHUNK):
            model._default_manager.filter(case_id__in=case_ids[start : start + CHUNK]).delete()


def _write_facts(frames: facts.Frames) -> set[dt.date]:
    """Write the facts of ``frames``' cases; the months they are in."""
    cases = facts.case_facts(frames, _share_ids(frames))
    _write(CaseFact, cases)
    _write(GoodsFact, facts.goods_facts(frames))
    return set(cases["month"].unique().to_list())


def refresh_cases(case_ids: Sequence[uuid.UUID]) -> set[dt.date]:
    """Rewrite the facts of these cases (a withdrawn or deleted case loses them); the months
    touched, before and after.  The caller holds the transaction and the state lock."""
    months: set[dt.date] = set()
    for start in range(0, len(case_ids), CHUNK):
        chunk = list(case_ids[start : start + CHUNK])
        months |= set(CaseFact.objects.filter(case_id__in=chunk).values_list("month", flat=True))
        _delete(chunk)
        months |= _write_facts(read_frames(case_ids=chunk))
    return months


def _mark(months: Iterable[dt.date], version: int) -> None:
    RollupMonth.objects.bulk_create(
        [RollupMonth(month=m, version=version) for m in months],
        update_conflicts=True,
        unique_fields=["month"],
        update_fields=["version"],
    )


# --- following the audit log ---------------------------------------------------------------------


def audit_head() -> int:
    return AuditHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0


def _changes(after: int, upto: int) -> tuple[set[str], bool]:
    """Case ids changed by the events in (after, upto], and whether anything else relevant
    (organisations, regions) changed."""
    relevant = Q(tag__startswith=CASE_PREFIX)
    for prefix in VERSION_PREFIXES:
        relevant |= Q(tag__startswith=prefix)
    events = (
        AuditEvent.objects.filter(seq__gt=after, seq__lte=upto)
        .filter(relevant)
        .exclude(tag__in=READ_ONLY_CASE_TAGS)
        .values_list("tag", "object_id")
        .order_by()
    )
    case_ids: set[str] = set()
    other = False
    for tag, object_id in events.iterator(chunk_size=CHUNK):
        if tag.startswith(CASE_PREFIX):
            case_ids.add(object_id)
        else:
            other = True
    return case_ids, other


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def rebuild() -> SyncResult:
    """Recompute every fact from the case tables (after a bulk load, or to repair)."""
    with transaction.atomic():
        state, _created = RollupState.objects.select_for_update().get_or_create(pk=1)
        head = audit_head()
        _delete(None)
        RollupMonth.objects.all().delete()
        frames = read_frames()
        version = state.version + 1
        _mark(_write_facts(frames), version)
        state.synced_seq, state.version, state.epoch = head, version, uuid.uuid4()
        state.built_at = timezone.now()
        state.save()
    logger.info("analytics facts rebuilt from %d cases", frames.cases.height)
    return SyncResult(state.version, state.epoch, cases=frames.cases.height, rebuilt=True)


def _positions() -> tuple[int, int, int, uuid.UUID] | None:
    """(audit head, synced event, version, epoch) in one round trip; ``None`` before the first
    build."""
    head = connection.ops.quote_name(AuditHead._meta.db_table)
    state = connection.ops.quote_name(RollupState._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT seq FROM {head} WHERE id = 1), s.synced_seq, s.version, s.epoch "  # noqa: S608
            f"FROM {state} s WHERE s.id = 1"
        )
        row = cursor.fetchone()
    if row is None:
        return None
    epoch = row[3] if isinstance(row[3], uuid.UUID) else uuid.UUID(str(row[3]))
    return int(row[0] or 0), int(row[1]), int(row[2]), epoch


def sync() -> SyncResult:
    """Bring the facts up to the audit head; cheap when nothing relevant happened (one query)."""
    positions = _positions()
    if positions is None:
        return rebuild()
    head, synced, version, epoch = positions
    if synced >= head:
        return SyncResult(version, epoch)
    case_ids, other = _changes(synced, head)
    if not case_ids and not other:
        # Nothing relevant: move the mark forward without taking the lock.
        RollupState.objects.filter(pk=1, synced_seq=synced).update(synced_seq=head)
        return SyncResult(version, epoch)
    if len(case_ids) > REBUILD_ABOVE:
        return rebuild()
    with transaction.atomic():
        locked = RollupState.objects.select_for_update().get(pk=1)
        if locked.synced_seq >= head:  # another process did it while we waited
            return SyncResult(locked.version, locked.epoch)
        case_ids, other = _changes(locked.synced_seq, head)
        ids = sorted(uuid.UUID(i) for i in case_ids if _is_uuid(i))
        months = refresh_cases(ids)
        locked.synced_seq, locked.version = head, locked.version + 1
        _mark(months, locked.version)
        locked.save(update_fields=["synced_seq", "version"])
    return SyncResult(locked.version, locked.epoch, cases=len(ids), months=len(months))
