"""Model versions: training on the examined history (in the background), activation.

A version is trained by the engine (``opencen.engine.model.train_model``: time-based validation
window, isotonic calibration, refit) on the administration's examined declarations of a
window, and kept with that window, its validation metrics and the quantiles of its scores on
recent declarations (what streaming selection compares a single declaration's priority with).
At most one version is active per administration (``TargetingSettings.active_model``).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from typing import Any, Final

import numpy as np
import polars as pl
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opencen.audit.services import record_event
from opencen.audit.tags import EventTag
from opencen.core.actors import Actor
from opencen.core.errors import FieldError, InvalidInput
from opencen.core.permissions import Perm
from opencen.engine.features import HistoryIndex
from opencen.engine.model import ModelConfig, RiskModel, train_model
from opencen.targeting import columns
from opencen.targeting.choices import ModelStatus
from opencen.targeting.models import Declaration, ModelVersion, TargetingSettings
from opencen.targeting.scoring import QUANTILES, history_frame
from opencen.targeting.selectors import access_model
from opencen.targeting.services import require, settings_of

logger = logging.getLogger(__name__)

MIN_EXAMINED: Final = 50
MIN_PER_CLASS: Final = 5
REFERENCE_ROWS: Final = 20_000


def clean_json(value: Any) -> Any:
    """Metrics as strict JSON: NaN and infinities become null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    if isinstance(value, np.generic):
        return clean_json(value.item())
    return value


def examined_counts(
    owner_id: Any, date_from: dt.date | None = None, date_until: dt.date | None = None
) -> tuple[int, int]:
    """(examined, frauds) among the owner's declarations of a window."""
    queryset = Declaration.objects.filter(owner_id=owner_id, result__isnull=False)
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_until:
        queryset = queryset.filter(date__lte=date_until)
    counts = queryset.aggregate(n=Count("id"), fraud=Count("id", filter=Q(result__gte=1)))
    return counts["n"] or 0, counts["fraud"] or 0


def check_start_training(
    actor: Actor,
    *,
    window_from: dt.date | None = None,
    window_until: dt.date | None = None,
    activate: bool = False,
) -> ModelVersion:
    """Queue the training of a new version on the examined history of a window."""
    require(actor, Perm.TARGETING_MODEL_MANAGE)
    if window_from and window_until and window_until < window_from:
        raise InvalidInput.one("window_until", _("the end of the window precedes its start"))
    examined, frauds = examined_counts(actor.organisation_id, window_from, window_until)
    errors = []
    if examined < MIN_EXAMINED:
        errors.append(
            FieldError(
                "window_from",
                _("%(n)d examined declarations in this window; at least %(m)d are needed")
                % {"n": examined, "m": MIN_EXAMINED},
            )
        )
    elif min(frauds, examined - frauds) < MIN_PER_CLASS:
        errors.append(
            FieldError(
                "window_from",
                _("the window needs at least %(m)d frauds and %(m)d clean examinations")
                % {"m": MIN_PER_CLASS},
            )
        )
    if errors:
        raise InvalidInput(errors)
    settings_of(actor.organisation_id)
    with transaction.atomic():
        TargetingSettings.objects.select_for_update().get(owner_id=actor.organisation_id)
        last = ModelVersion.objects.filter(owner_id=actor.organisation_id).aggregate(
            n=Max("number")
        )["n"]
        version = ModelVersion.objects.create(
            owner_id=actor.organisation_id,
            number=(last or 0) + 1,
            created_by_id=actor.user_id,
            window_from=window_from,
            window_until=window_until,
            metadata={"activate_when_ready": activate},
        )
        record_event(
            actor,
            EventTag.TARGETING_MODEL_REQUESTED,
            obj=version,
            changes={
                "version": version.number,
                "window_from": window_from.isoformat() if window_from else None,
                "window_until": window_until.isoformat() if window_until else None,
                "examined": examined,
            },
        )
    from opencen.targeting.tasks import train_version

    train_version.enqueue(str(version.pk))
    version.refresh_from_db()
    return version


def score_quantiles(owner_id: Any, model: RiskModel, history: pl.DataFrame) -> list[float]:
    """Quantiles (0, 1, ..., 100 %) of the model's scores on the latest stored declarations.

    Features are time-safe as-of features over the whole examined history; with fewer than a
    hundred stored declarations, the training history itself is the reference.
    """
    latest = Declaration.objects.filter(owner_id=owner_id).order_by("-date", "-created_at")[
        :REFERENCE_ROWS
    ]
    reference = columns.queryset_frame(latest) if latest.count() >= 100 else history
    reference = reference.select(list(columns.SCHEMA)).sort("date")
    full = history_frame(owner_id)
    index = HistoryIndex.build(full if full.height else history, model.feature_config)
    scores = model.score(index.features(reference))
    if len(scores) == 0:
        return []
    return [float(q) for q in np.quantile(scores, np.linspace(0.0, 1.0, QUANTILES))]


def train_version(version_id: Any, actor: Actor | None = None) -> ModelVersion:
    """Train a queued version (the background task's body); record the outcome."""
    version = ModelVersion.objects.get(pk=version_id)
    ModelVersion.objects.filter(pk=version.pk).update(status=ModelStatus.TRAINING)
    try:
        history = history_frame(
            version.owner_id, date_from=version.window_from, date_until=version.window_until
        )
        model = train_model(history, ModelConfig())
        quantiles = score_quantiles(version.owner_id, model, history)
    except Exception as exc:
        logger.exception("training of model version %s failed", version.pk)
        version.status, version.error = ModelStatus.FAILED, str(exc)[:500]
        version.finished_at = timezone.now()
        with transaction.atomic():
            version.save(update_fields=["status", "error", "finished_at"])
            record_event(
                actor,
                EventTag.TARGETING_MODEL_TRAINED,
                obj=version,
                changes={"version": version.number, "status": version.status},
            )
        return version
    meta = clean_json(dict(model.metadata))
    version.blob = model.to_bytes()
    version.metadata = {**version.metadata, **{k: v for k, v in meta.items() if k != "validation"}}
    version.metrics = meta.get("validation") or {}
    version.trained_from = dt.date.fromisoformat(meta["trained_from"])
    version.trained_until = dt.date.fromisoformat(meta["trained_until"])
    version.examined = int(meta["examined"])
    version.fraud_rate = meta.get("fraud_rate")
    version.score_quantiles = quantiles
    version.status, version.finished_at = ModelStatus.READY, timezone.now()
    with transaction.atomic():
        version.save()
        record_event(
            actor,
            EventTag.TARGETING_MODEL_TRAINED,
            obj=version,
            changes={
                "version": version.number,
                "status": version.status,
                "examined": version.examined,
                "trained_from": meta["trained_from"],
                "trained_until": meta["trained_until"],
                "metrics": version.metrics,
            },
        )
        if version.metadata.get("activate_when_ready"):
            _activate(actor, version)
    return version


def _activate(actor: Actor | None, version: ModelVersion) -> None:
    row = TargetingSettings.objects.select_for_update().get(owner_id=version.owner_id)
    previous = row.active_model_id
    row.active_model = version
    row.save(update_fields=["active_model", "updated_at"])
    record_event(
        actor,
        EventTag.TARGETING_MODEL_ACTIVATED,
        obj=version,
        changes={
            "version": version.number,
            "previous": str(previous) if previous else None,
        },
    )


def do_activate_model(actor: Actor, version_id: Any) -> ModelVersion:
    """Make a ready version the one that scores the administration's declarations."""
    require(actor, Perm.TARGETING_MODEL_MANAGE)
    version = access_model(actor, version_id)
    if version.status != ModelStatus.READY:
        raise InvalidInput.one("status", _("only a trained (ready) version can be activated"))
    settings_of(actor.organisation_id)
    with transaction.atomic():
        _activate(actor, version)
    return version
