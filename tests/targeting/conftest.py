"""Targeting fixtures: a fresh scorer cache, declarations to submit, examined history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest
from django.utils import timezone

from opencen.accounts.models import Organisation
from opencen.engine.synthetic import synthetic_declarations
from opencen.targeting import columns, scoring
from opencen.targeting.choices import Source
from opencen.targeting.models import Batch
from opencen.targeting.services import store_batch


@pytest.fixture(autouse=True)
def fresh_scorers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts with no cached scorer and sees new results at once."""
    monkeypatch.setattr(scoring, "HISTORY_REFRESH_SECONDS", 0.0)
    scoring.CACHE.clear()
    yield
    scoring.CACHE.clear()


def declaration(**values: Any) -> dict[str, Any]:
    """A valid declaration for the API, changed by ``values``."""
    data: dict[str, Any] = {
        "declaration_id": "FR-D-1",
        "date": timezone.localdate().isoformat(),
        "office": "FRLEH01",
        "procedure": "40",
        "transport_mode": "1",
        "declarant": "D-BROKER",
        "importer": "I-ACME",
        "seller": "S-SHENZHEN",
        "hs": "8517130000",
        "origin": "CN",
        "departure": "CN",
        "tax_rate": 3.0,
        "net_mass": 120.5,
        "value": "15000.00",
        "currency": "EUR",
        "importer_aeo": False,
    }
    data.update(values)
    return data


def synthetic(
    rows: int, *, seed: int = 0, days: int = 300, end: dt.date | None = None, outcome: bool = True
) -> pl.DataFrame:
    """Canonical synthetic declarations dated over ``days`` days up to ``end`` (yesterday)."""
    end = end or timezone.localdate() - dt.timedelta(days=1)
    start = end - dt.timedelta(days=days - 1)
    frame = synthetic_declarations(
        rows, seed=seed, start=start, days=days, with_outcome=outcome, world_size=5000
    )
    if outcome:
        frame = frame.with_columns(
            pl.min_horizontal(pl.col("result_date"), pl.lit(end)).alias("result_date")
        )
    return columns.canonical(frame)


def store_history(organisation: Organisation, frame: pl.DataFrame) -> Batch:
    """Store examined declarations (with results) as the organisation's history."""
    batch = Batch(owner_id=organisation.pk, source=Source.DEMO, history=True)
    return store_batch(None, batch, frame)
