"""Demo data for targeting: a year of synthetic declarations with profiles, results, a model.

:func:`load_demo_declarations` replays a year of the engine's synthetic declarations (planted
fraud: risky importers and HS codes, undervaluation, rare fraud among AEO importers) through
the real scoring path, week by week: during the first eight months only profiles and the random
control select; the examination results of what was selected are recorded; a first model is
trained on them and activated; the last months are scored with it, and the last two weeks are
left in the selection queue.  Nothing here is real data.  Running it twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

import polars as pl
from django.db import transaction
from django.utils import timezone

from opencen.audit.services import record_event
from opencen.audit.tags import EventTag
from opencen.engine.synthetic import synthetic_declarations
from opencen.targeting import columns, training
from opencen.targeting.choices import INSPECTION_LANES, Lane, ListKind, Source
from opencen.targeting.models import (
    Batch,
    Declaration,
    ModelVersion,
    RiskProfile,
    WatchList,
)
from opencen.targeting.scoring import CACHE
from opencen.targeting.services import bump, settings_of, store_batch

DAYS: Final = 364
MODEL_AFTER_DAYS: Final = 240
QUEUE_DAYS: Final = 14
HIGH_RISK_ORIGINS: Final = ["VN", "US"]


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`load_demo_declarations` stored (``skipped``: data was already there)."""

    declarations: int
    examined: int
    model_version: int | None
    profiles: int
    skipped: bool = False


def _profiles(owner_id: Any, history: pl.DataFrame) -> int:
    """Watch lists and four profiles (three active): a precise one (undervaluation), a
    watch list of importers with repeated frauds in the first months, a poor one (origin and
    duty: no better than random, as the performance page shows) and an inactive one."""
    rates = (
        history.group_by("importer")
        .agg(pl.len().alias("n"), (pl.col("result") >= 1).mean().alias("rate"))
        .filter(pl.col("n").is_between(5, 100) & (pl.col("rate") >= 0.3))
        .sort("rate", descending=True)
    )
    watched = rates.head(15)["importer"].to_list()
    lists = {
        "watched_importers": (ListKind.PARTY, watched, "Importers with repeated frauds"),
        "high_risk_origins": (ListKind.COUNTRY, HIGH_RISK_ORIGINS, "Origins under watch"),
    }
    for name, (kind, values, description) in lists.items():
        WatchList.objects.get_or_create(
            owner_id=owner_id,
            name=name,
            defaults={"kind": kind, "values": values, "description": description},
        )
    profiles = [
        ("Undervalued goods",
         "unit_value < 0.4 * median_unit_value and value > 2000 and not importer_aeo",
         Lane.RED, 2.0, True),
        ("Watched importers", 'importer in list "watched_importers"', Lane.YELLOW, 1.0, True),
        ("Risky origin, high duty",
         'origin in list "high_risk_origins" and tax_rate >= 13 and value > 5000',
         Lane.YELLOW, 0.5, True),
        ("Light AEO consignments", "importer_aeo and net_mass < 5", Lane.GREEN, 0.2, False),
    ]  # fmt: skip
    for name, expression, lane, weight, active in profiles:
        RiskProfile.objects.get_or_create(
            owner_id=owner_id,
            name=name,
            defaults={
                "expression": expression,
                "lane": lane,
                "weight": weight,
                "is_active": active,
                "description": "Demo profile",
            },
        )
    bump(owner_id, profiles=True)
    return len(profiles)


def _weekly(frame: pl.DataFrame, start: dt.date) -> list[pl.DataFrame]:
    week = ((pl.col("date") - pl.lit(start)).dt.total_days() // 7).alias("_week")
    parts = frame.with_columns(week).partition_by("_week", maintain_order=True)
    return [part.drop("_week") for part in parts]


def _examine(owner_id: Any, batch: Batch, outcome: pl.DataFrame, today: dt.date) -> int:
    """Record the synthetic results of the batch's declarations in an inspection lane."""
    selected = list(
        Declaration.objects.filter(batch=batch, lane__in=list(INSPECTION_LANES)).only(
            "id", "reference", "date"
        )
    )
    truth = {
        row["declaration_id"]: row
        for row in outcome.filter(
            pl.col("declaration_id").is_in([d.reference for d in selected])
        ).iter_rows(named=True)
    }
    now = timezone.now()
    for declaration in selected:
        row = truth[declaration.reference]
        declaration.result = int(row["result"])
        declaration.revenue = Decimal(f"{row['revenue']:.2f}") if row["revenue"] else None
        declaration.result_date = min(row["result_date"], today)
        declaration.examined_at = now
    with transaction.atomic():
        Declaration.objects.bulk_update(
            selected, ["result", "revenue", "result_date", "examined_at"], batch_size=1000
        )
        record_event(
            None,
            EventTag.TARGETING_RESULT_RECORDED,
            obj=batch,
            changes={"demo": True, "results": len(selected)},
        )
        bump(owner_id, history=True)
    CACHE.forget(owner_id)
    return len(selected)


def _train(owner_id: Any) -> ModelVersion:
    version = ModelVersion.objects.create(
        owner_id=owner_id, number=1, metadata={"activate_when_ready": True, "demo": True}
    )
    version = training.train_version(version.pk, None)
    CACHE.forget(owner_id)
    return version


def load_demo_declarations(organisation: Any, n: int = 10_000, *, seed: int = 0) -> DemoSummary:
    """A year of synthetic declarations for ``organisation`` (a customs administration).

    About ``n`` declarations dated over the last 364 days, scored week by week; results of
    the selected ones recorded (but the last two weeks'); a model trained after eight months
    and activated.  Skips everything if the organisation already has declarations.
    """
    owner_id = organisation.pk
    if Declaration.objects.filter(owner_id=owner_id).exists():
        return DemoSummary(0, 0, None, 0, skipped=True)
    settings_of(owner_id)
    today = timezone.localdate()
    start = today - dt.timedelta(days=DAYS)
    world = max(n, 20_000)
    full = synthetic_declarations(
        n, seed=seed, start=start, days=DAYS, world_size=world, world_seed=seed
    ).with_columns(pl.concat_str(pl.lit("DEMO-"), pl.col("declaration_id")).alias("declaration_id"))
    full = columns.canonical(full)
    profiles = _profiles(owner_id, full.filter(pl.col("date") < start + dt.timedelta(days=90)))
    declarations = examined = 0
    model: ModelVersion | None = None
    for part in _weekly(full, start):
        first = part["date"].min()
        assert isinstance(first, dt.date)
        if model is None and first >= start + dt.timedelta(days=MODEL_AFTER_DAYS):
            model = _train(owner_id)
        batch = store_batch(
            None, Batch(owner_id=owner_id, source=Source.DEMO), part.select(list(columns.SCHEMA))
        )
        declarations += batch.total
        if first < today - dt.timedelta(days=QUEUE_DAYS):
            examined += _examine(owner_id, batch, part, today)
    number = model.number if model is not None and model.status == "ready" else None
    return DemoSummary(declarations, examined, number, profiles)
