"""Declarations, batches, versions and settings as the API's JSON (see ``schemas``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from opencen.core.actors import Actor
from opencen.targeting.labels import group_label
from opencen.targeting.models import Batch, Declaration, ModelVersion, RiskProfile
from opencen.targeting.performance import GroupFigures, Performance
from opencen.targeting.schemas import RESULT_NAMES, contributions
from opencen.targeting.scoring import Policy
from opencen.targeting.services import settings_of


class Context:
    """What serialising declarations needs once: profile and model version names."""

    def __init__(self, profiles: dict[str, dict[str, Any]], versions: dict[Any, int]) -> None:
        self.profiles = profiles
        self.versions = versions

    @classmethod
    def of(cls, actor: Actor) -> Context:
        """The actor's administration's profiles and versions."""
        profiles = {
            str(p.pk): {"id": str(p.pk), "name": p.name, "lane": p.lane, "weight": p.weight}
            for p in RiskProfile.objects.filter(owner_id=actor.organisation_id).only(
                "id", "name", "lane", "weight"
            )
        }
        versions = dict(
            ModelVersion.objects.filter(owner_id=actor.organisation_id).values_list("id", "number")
        )
        return cls(profiles, versions)

    def profile(self, profile_id: str) -> dict[str, Any]:
        return self.profiles.get(
            profile_id, {"id": profile_id, "name": profile_id, "lane": "", "weight": 0.0}
        )


SCHEMA_FIELDS = (
    "date", "office", "procedure", "transport_mode", "declarant", "importer", "seller",
    "courier", "hs", "origin", "departure", "tax_rate", "tax_type", "net_mass", "value",
    "currency", "declarant_aeo", "importer_aeo", "seller_aeo", "description",
)  # fmt: skip


def declaration_dict(declaration: Declaration, context: Context) -> dict[str, Any]:
    """One declaration with its assessment and result."""
    data: dict[str, Any] = {name: getattr(declaration, name) for name in SCHEMA_FIELDS}
    data.update(
        id=declaration.pk,
        declaration_id=declaration.reference,
        lane=declaration.lane,
        selected_by=declaration.selected_by,
        score=declaration.score,
        probability=declaration.probability,
        priority=declaration.priority,
        explanation=contributions(list(declaration.explanation or [])),
        matched_profiles=[context.profile(i) for i in declaration.matched_profiles or []],
        model_version=context.versions.get(declaration.model_version_id)
        if declaration.model_version_id
        else None,
        selected_at=declaration.selected_at,
        result=RESULT_NAMES.get(declaration.result) if declaration.result is not None else None,
        revenue=declaration.revenue,
        result_date=declaration.result_date,
    )
    return data


def declaration_dicts(declarations: Iterable[Declaration], actor: Actor) -> list[dict[str, Any]]:
    context = Context.of(actor)
    return [declaration_dict(d, context) for d in declarations]


def batch_dict(batch: Batch, items: Sequence[Declaration] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        name: getattr(batch, name)
        for name in (
            "id", "source", "filename", "history", "status", "total", "lanes", "notes",
            "message", "created_at", "finished_at",
        )
    }  # fmt: skip
    data["notes"] = [_(note) for note in batch.notes]
    if items is not None:
        data["declarations"] = [
            {
                "id": d.pk,
                "declaration_id": d.reference,
                "lane": d.lane,
                "selected_by": d.selected_by,
                "score": d.score,
            }
            for d in items
        ]
    return data


def version_dict(version: ModelVersion, active_id: Any) -> dict[str, Any]:
    data = {
        name: getattr(version, name)
        for name in (
            "id", "number", "status", "window_from", "window_until", "trained_from",
            "trained_until", "examined", "fraud_rate", "metrics", "error", "created_at",
            "finished_at",
        )
    }  # fmt: skip
    data["is_active"] = version.pk == active_id
    return data


def settings_dict(actor: Actor) -> dict[str, Any]:
    row = settings_of(actor.organisation_id, create=False)
    number = None
    if row.active_model_id:
        number = (
            ModelVersion.objects.filter(pk=row.active_model_id)
            .values_list("number", flat=True)
            .first()
        )
    return {
        "red_share": row.red_share,
        "yellow_share": row.yellow_share,
        "blue_share": row.blue_share,
        "random_share": row.random_share,
        "aeo_factor": row.aeo_factor,
        "active_model": number,
        "min_batch": Policy.of(row).min_batch(),
    }


def _groups(figures: dict[str, GroupFigures], names: dict[str, str]) -> list[dict[str, Any]]:
    order = sorted(figures, key=lambda g: (g != "control", g != "model", g))
    return [{**vars(figures[g]), "label": group_label(g, names)} for g in order]


def performance_dict(result: Performance, names: dict[str, str]) -> dict[str, Any]:
    return {
        "overall": _groups(result.overall, names),
        "months": [
            {"month": month, "groups": _groups(groups, names)}
            for month, groups in sorted(result.months.items())
        ],
    }
