"""Shared fixtures of the engine tests: small synthetic histories (no external data)."""

from __future__ import annotations

import datetime

import polars as pl
import pytest

from opencen.engine.model import ModelConfig, RiskModel, train_model
from opencen.engine.synthetic import synthetic_declarations

FAST_MODEL = ModelConfig(max_rounds=60, early_stopping_rounds=20)


@pytest.fixture(scope="session")
def history() -> pl.DataFrame:
    """Four thousand examined declarations over 2024."""
    return synthetic_declarations(4000, seed=1, world_size=4000)


@pytest.fixture(scope="session")
def incoming() -> pl.DataFrame:
    """A batch declared after the history, without outcome."""
    return synthetic_declarations(
        1500, seed=2, start=datetime.date(2025, 1, 15), days=7, with_outcome=False, world_size=4000
    )


@pytest.fixture(scope="session")
def model(history: pl.DataFrame) -> RiskModel:
    """A small model trained on ``history``."""
    return train_model(history, FAST_MODEL)
