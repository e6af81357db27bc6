"""Scoped reads of targeting data: the actor's own administration's rows, nothing else.

Targeting data is never shared, so every query starts from ``owner = actor's organisation``
and every ``access_*`` raises ``NotFound`` (answered 404) for another organisation's row,
whether or not it exists.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from django.db.models import Count, F, Model, Q, QuerySet

from opencen.core.actors import Actor
from opencen.core.errors import NotFound
from opencen.targeting.choices import INSPECTION_LANES
from opencen.targeting.models import (
    Batch,
    Declaration,
    ModelVersion,
    RiskProfile,
    TargetingSettings,
    WatchList,
)

M = TypeVar("M", bound=Model)


def _own(model: type[M], actor: Actor | None) -> QuerySet[M]:
    if actor is None:
        return model._default_manager.none()
    return model._default_manager.filter(owner_id=actor.organisation_id)


def _access(model: type[M], actor: Actor | None, object_id: Any) -> M:
    try:
        return _own(model, actor).get(pk=object_id)
    except (model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise NotFound from None


def declarations(actor: Actor | None) -> QuerySet[Declaration]:
    """The actor's administration's declarations."""
    return _own(Declaration, actor)


def access_declaration(actor: Actor | None, declaration_id: Any) -> Declaration:
    """One declaration of the actor's administration; ``NotFound`` otherwise."""
    return _access(Declaration, actor, declaration_id)


def access_batch(actor: Actor | None, batch_id: Any) -> Batch:
    return _access(Batch, actor, batch_id)


def access_profile(actor: Actor | None, profile_id: Any) -> RiskProfile:
    return _access(RiskProfile, actor, profile_id)


def access_list(actor: Actor | None, list_id: Any) -> WatchList:
    return _access(WatchList, actor, list_id)


def access_model(actor: Actor | None, version_id: Any) -> ModelVersion:
    return _access(ModelVersion, actor, version_id)


def profiles(actor: Actor | None) -> QuerySet[RiskProfile]:
    return _own(RiskProfile, actor)


def watch_lists(actor: Actor | None) -> QuerySet[WatchList]:
    return _own(WatchList, actor)


def model_versions(actor: Actor | None) -> QuerySet[ModelVersion]:
    return _own(ModelVersion, actor).defer("blob")


def batches(actor: Actor | None) -> QuerySet[Batch]:
    return _own(Batch, actor)


def active_model_id(actor: Actor) -> uuid.UUID | None:
    """The id of the actor's administration's active model version, if any."""
    return (
        TargetingSettings.objects.filter(owner_id=actor.organisation_id)
        .values_list("active_model_id", flat=True)
        .first()
    )


def profile_names(actor: Actor | None) -> dict[str, str]:
    """Profile id (text) -> name, for showing matched profiles."""
    return {str(pk): name for pk, name in profiles(actor).values_list("pk", "name")}


@dataclass(frozen=True)
class DeclarationFilter:
    """Filters of the declaration list and API; empty values filter nothing."""

    lane: str = ""
    selected_by: str = ""
    examined: bool | None = None
    result: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in asdict(self).items()
            if v not in (None, "")
        }


def search_declarations(actor: Actor | None, flt: DeclarationFilter) -> QuerySet[Declaration]:
    """The actor's declarations matching ``flt``, newest first."""
    qs = declarations(actor)
    if flt.lane:
        qs = qs.filter(lane=flt.lane)
    if flt.selected_by:
        qs = qs.filter(selected_by=flt.selected_by)
    if flt.examined is not None:
        qs = qs.filter(result__isnull=not flt.examined)
    if flt.result is not None:
        qs = qs.filter(result=flt.result)
    if flt.date_from:
        qs = qs.filter(date__gte=flt.date_from)
    if flt.date_to:
        qs = qs.filter(date__lte=flt.date_to)
    if flt.q:
        term = flt.q.strip()
        qs = qs.filter(
            Q(reference__istartswith=term)
            | Q(importer=term)
            | Q(declarant=term)
            | Q(hs__startswith=term)
        )
    return qs.order_by("-date", "-created_at")


def queue(actor: Actor | None, lane: str = "") -> QuerySet[Declaration]:
    """Declarations waiting for examination: in an inspection lane, no result yet.

    Highest priority first (control draws, which carry no priority order, last), then oldest.
    """
    lanes = [lane] if lane in INSPECTION_LANES else list(INSPECTION_LANES)
    return (
        declarations(actor)
        .filter(lane__in=lanes, result__isnull=True)
        .order_by(F("priority").desc(nulls_last=True), "selected_at")
    )


def queue_counts(actor: Actor | None) -> dict[str, int]:
    """Waiting declarations per inspection lane."""
    counts = dict.fromkeys((str(lane) for lane in INSPECTION_LANES), 0)
    rows = (
        declarations(actor)
        .filter(lane__in=list(INSPECTION_LANES), result__isnull=True)
        .values("lane")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["lane"]] = row["n"]
    return counts
