"""Every write about declarations: submitting (one, a batch, a file), results, the policy.

``check_*`` validates then acts; every act runs in one transaction with its audit event, so a
declaration is stored with its lane or not at all, and a file is stored whole or not at all.
Scoring happens before the transaction (it reads only the cached scorer), so the row lock the
audit chain takes is held for the inserts only.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

import polars as pl
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from opencen.audit.services import record_event
from opencen.audit.tags import EventTag
from opencen.core.actors import Actor
from opencen.core.errors import FieldError, Forbidden, InvalidInput
from opencen.core.permissions import Perm
from opencen.targeting import columns
from opencen.targeting.choices import BatchStatus, Lane, Result, Source
from opencen.targeting.models import Batch, Declaration, TargetingSettings
from opencen.targeting.scoring import CACHE, ProfileInfo, Scorer
from opencen.targeting.selectors import access_declaration
from opencen.targeting.uploads import RowIssue, UploadRejected

SYNC_ROWS: Final = 5000  # batches up to this size are scored in the request
MAX_API_BATCH: Final = 10_000
INSERT_CHUNK: Final = 2000


def require(actor: Actor, perm: Perm) -> None:
    """``Forbidden`` unless the actor holds ``perm``."""
    if not actor.can(perm):
        raise Forbidden(perm)


def settings_of(owner_id: uuid.UUID, *, create: bool = True) -> TargetingSettings:
    """The organisation's targeting settings, created with the defaults on first use (with
    ``create=False``, for reads, an unsaved row with the defaults)."""
    row = TargetingSettings.objects.filter(owner_id=owner_id).first()
    if row is None:
        if not create:
            return TargetingSettings(owner_id=owner_id)
        row, _created = TargetingSettings.objects.get_or_create(owner_id=owner_id)
    return row


def scorer_for(owner_id: uuid.UUID) -> Scorer:
    """The organisation's current scorer (cached per process)."""
    return CACHE.get(settings_of(owner_id))


def bump(owner_id: uuid.UUID, *, profiles: bool = False, history: bool = False) -> None:
    """Tell every process that the organisation's profiles or history changed."""
    settings_of(owner_id)
    changes: dict[str, Any] = {}
    if profiles:
        changes["profiles_revision"] = F("profiles_revision") + 1
    if history:
        changes["history_revision"] = F("history_revision") + 1
    TargetingSettings.objects.filter(owner_id=owner_id).update(**changes)


@dataclass
class Scored:
    """A stored declaration with what the response tells about its scoring."""

    declaration: Declaration
    profiles: list[ProfileInfo] = field(default_factory=list)
    model_number: int | None = None
    notes: list[str] = field(default_factory=list)


def _assessed_fields(assessment: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "score": assessment["score"],
        "probability": assessment["probability"],
        "priority": assessment["priority"],
        "lane": assessment["lane"],
        "selected_by": assessment["selected_by"] or "",
        "matched_profiles": list(assessment["matched_profiles"] or []),
        "explanation": list(assessment["explanation"] or []),
    }


def check_submit_declaration(actor: Actor, row: Mapping[str, Any]) -> Scored:
    """Score one declaration (a mapping of schema column to value) and store it with its lane.

    A declaration number the administration already submitted is refused (by the unique
    constraint, which saves a query on the hot path).
    """
    require(actor, Perm.TARGETING_DECLARATION_SUBMIT)
    row = columns.validated_row(row)
    owner_id = actor.organisation_id
    reference = str(row["declaration_id"])
    scorer = scorer_for(owner_id)
    assessment = scorer.score_row(row)
    declaration = Declaration(
        owner_id=owner_id,
        **columns.model_fields(row),
        score=assessment.score,
        probability=assessment.probability,
        priority=assessment.priority,
        lane=assessment.lane,
        selected_by=assessment.selected_by,
        matched_profiles=assessment.matched,
        explanation=assessment.explanation,
        model_version_id=scorer.model_version_id,
        selected_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            declaration.save(force_insert=True)
            record_event(
                actor,
                EventTag.TARGETING_DECLARATION_SCORED,
                obj=declaration,
                changes={
                    "reference": reference,
                    "lane": declaration.lane,
                    "selected_by": declaration.selected_by,
                    "model_version": scorer.model_number,
                    "profiles": assessment.matched,
                },
            )
    except IntegrityError:
        raise InvalidInput.one(
            "declaration_id", _("this declaration was already submitted")
        ) from None
    return Scored(
        declaration,
        [scorer.info[i] for i in assessment.matched if i in scorer.info],
        scorer.model_number,
        scorer.notes,
    )


def _existing(owner_id: uuid.UUID, references: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in columns.chunks(references, 5000):
        found.update(
            Declaration.objects.filter(owner_id=owner_id, reference__in=chunk).values_list(
                "reference", flat=True
            )
        )
    return found


def duplicate_rows(owner_id: uuid.UUID, frame: pl.DataFrame) -> list[int]:
    """0-based rows of ``frame`` whose declaration number the owner already has."""
    references = frame["declaration_id"].to_list()
    taken = _existing(owner_id, references)
    return [i for i, ref in enumerate(references) if ref in taken]


def check_submit_batch(actor: Actor, rows: Sequence[Mapping[str, Any]]) -> Batch:
    """Score and store a list of declarations (API batch), all or none.

    Errors name the item: ``[3].declaration_id``.
    """
    require(actor, Perm.TARGETING_DECLARATION_SUBMIT)
    if not rows:
        raise InvalidInput.one("body", _("the batch holds no declaration"))
    if len(rows) > MAX_API_BATCH:
        raise InvalidInput.one(
            "body",
            _("at most %(n)d declarations per request; upload a file for more")
            % {"n": MAX_API_BATCH},
        )
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        ref = str(row["declaration_id"])
        if ref in seen:
            errors.append(
                FieldError(
                    f"[{i}].declaration_id",
                    _("declaration %(r)s is also item %(j)d") % {"r": ref, "j": seen[ref]},
                )
            )
        seen.setdefault(ref, i)
    taken = _existing(actor.organisation_id, list(seen))
    errors += [
        FieldError(f"[{i}].declaration_id", _("this declaration was already submitted"))
        for i, row in enumerate(rows)
        if str(row["declaration_id"]) in taken
    ]
    if errors:
        raise InvalidInput(errors)
    frame = columns.validated_frame(rows)
    batch = Batch(owner_id=actor.organisation_id, created_by_id=actor.user_id, source=Source.API)
    return store_batch(actor, batch, frame)


def in_background(frame: pl.DataFrame) -> bool:
    """Whether a file this size is scored by a background task rather than in the request."""
    return frame.height > SYNC_ROWS


def check_upload(
    actor: Actor, frame: pl.DataFrame, *, name: str, fmt: str, history: bool = False
) -> Batch:
    """Store a validated file of declarations: scored (in the request or in the background),
    or, with ``history``, stored as examined history with its results (not scored).

    Raises :class:`UploadRejected` naming the rows whose declaration number is already stored.
    """
    require(actor, Perm.TARGETING_DECLARATION_SUBMIT)
    if history:
        require(actor, Perm.TARGETING_RESULT_RECORD)
    taken = duplicate_rows(actor.organisation_id, frame)
    if taken:
        raise UploadRejected(
            [
                RowIssue(i + 1, "declaration_id", _("this declaration was already submitted"))
                for i in taken
            ]
        )
    batch = Batch(
        owner_id=actor.organisation_id,
        created_by_id=actor.user_id,
        source=Source.PARQUET if fmt == "parquet" else Source.CSV,
        filename=name[:255],
        history=history,
        total=frame.height,
    )
    if not in_background(frame):
        return store_batch(actor, batch, frame)
    from opencen.targeting.tasks import score_batch

    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    batch.file.save(f"{uuid.uuid4().hex}.parquet", ContentFile(buffer.getvalue()), save=False)
    batch.save()
    score_batch.enqueue(str(batch.pk))
    batch.refresh_from_db()
    return batch


def store_batch(actor: Actor | None, batch: Batch, frame: pl.DataFrame) -> Batch:
    """Score ``frame`` (unless it is history) and store it with ``batch``, in one transaction.

    ``actor`` is None for the system (demo data).  The batch's ``lanes`` counts the lanes
    given; ``notes`` say when no model was active.
    """
    now = timezone.now()
    owner_id = batch.owner_id
    records: list[dict[str, Any]] = [columns.model_fields(r) for r in frame.iter_rows(named=True)]
    scorer: Scorer | None = None
    if not batch.history:
        scorer = scorer_for(owner_id)
        seed = uuid.uuid4().int % 2**32
        assessed = scorer.score_frame(frame, seed=seed)
        for record, assessment in zip(records, assessed.iter_rows(named=True), strict=True):
            record.update(_assessed_fields(assessment))
            record.update(model_version_id=scorer.model_version_id, selected_at=now)
        batch.notes = scorer.notes
    else:
        for record in records:
            record.update(examined_at=now, examined_by_id=actor.user_id if actor else None)
    lanes = Counter(r.get("lane", "") for r in records)
    batch.lanes = {str(lane): lanes.get(lane, 0) for lane in Lane} if scorer else {}
    batch.total = len(records)
    batch.status, batch.finished_at = BatchStatus.DONE, timezone.now()
    with transaction.atomic():
        batch.save()
        for chunk in columns.chunks(records, INSERT_CHUNK):
            Declaration.objects.bulk_create(
                [Declaration(owner_id=owner_id, batch=batch, **r) for r in chunk]
            )
        record_event(
            actor,
            EventTag.TARGETING_BATCH_STORED,
            obj=batch,
            changes={
                "source": batch.source,
                "file": batch.filename,
                "declarations": batch.total,
                "history": batch.history,
                "lanes": batch.lanes,
                "model_version": scorer.model_number if scorer else None,
            },
        )
        if batch.history:
            bump(owner_id, history=True)
    return batch


def check_record_result(
    actor: Actor,
    declaration_id: Any,
    *,
    result: int,
    revenue: Decimal | None = None,
    result_date: dt.date | None = None,
    note: str = "",
) -> Declaration:
    """Record (or correct) the examination result of a declaration; it feeds retraining."""
    require(actor, Perm.TARGETING_RESULT_RECORD)
    declaration = access_declaration(actor, declaration_id)
    errors: list[FieldError] = []
    if result not in Result.values:
        errors.append(FieldError("result", _("one of 0 (no fraud), 1 (fraud), 2 (critical)")))
    if revenue is not None and revenue < 0:
        errors.append(FieldError("revenue", _("the additional revenue cannot be negative")))
    day = result_date or timezone.localdate()
    if day < declaration.date:
        errors.append(FieldError("result_date", _("the result cannot precede the declaration")))
    if day > timezone.localdate():
        errors.append(FieldError("result_date", _("the result date is in the future")))
    if errors:
        raise InvalidInput(errors)
    before = {"result": declaration.result, "revenue": declaration.revenue}
    with transaction.atomic():
        declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
        declaration.result = result
        declaration.revenue = revenue
        declaration.result_date = day
        declaration.result_note = note.strip()[:500]
        declaration.examined_by_id = actor.user_id
        declaration.examined_at = timezone.now()
        declaration.save(
            update_fields=[
                "result",
                "revenue",
                "result_date",
                "result_note",
                "examined_by",
                "examined_at",
                "updated_at",
            ]
        )
        record_event(
            actor,
            EventTag.TARGETING_RESULT_RECORDED,
            obj=declaration,
            changes={
                "reference": declaration.reference,
                "result": [before["result"], result],
                "revenue": [before["revenue"], revenue],
                "result_date": day.isoformat(),
            },
        )
        bump(declaration.owner_id, history=True)
    return declaration


POLICY_FIELDS: Final = ("red_share", "yellow_share", "blue_share", "random_share", "aeo_factor")


def check_update_settings(actor: Actor, values: Mapping[str, float]) -> TargetingSettings:
    """Change the lane budgets, random control share or AEO factor."""
    require(actor, Perm.TARGETING_MODEL_MANAGE)
    row = settings_of(actor.organisation_id)
    merged = {name: float(values.get(name, getattr(row, name))) for name in POLICY_FIELDS}
    errors = [
        FieldError(name, _("must be between 0 and 1"))
        for name in POLICY_FIELDS
        if name != "aeo_factor" and not 0 <= merged[name] <= 1
    ]
    if merged["aeo_factor"] < 0:
        errors.append(FieldError("aeo_factor", _("must not be negative")))
    if merged["red_share"] + merged["yellow_share"] + merged["blue_share"] > 1:
        errors.append(FieldError("red_share", _("the lane budgets add up to more than 1")))
    if errors:
        raise InvalidInput(errors)
    changes = {k: [getattr(row, k), v] for k, v in merged.items() if getattr(row, k) != v}
    with transaction.atomic():
        for name, value in merged.items():
            setattr(row, name, value)
        row.save()
        record_event(actor, EventTag.TARGETING_SETTINGS_UPDATED, obj=row, changes=changes)
    return row
