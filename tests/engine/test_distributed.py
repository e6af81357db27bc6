"""Dask training and batch scoring give exactly the in-process results."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
import pytest
from distributed import Client, LocalCluster

from opencen.engine import distributed
from opencen.engine.features import HistoryIndex
from opencen.engine.model import RiskModel, train_model
from opencen.engine.pipeline import ScoringEngine
from opencen.engine.rules import RiskProfile
from opencen.engine.selection import Lane, SelectionPolicy
from tests.engine.conftest import FAST_MODEL


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as dask_client,
    ):
        yield dask_client


def test_features_on_the_cluster_equal_in_process(client: Client, history: pl.DataFrame) -> None:
    index = HistoryIndex.build(history)
    remote = distributed.compute_features(client, history, index, partitions=5)
    assert remote.equals(index.features(history))


def test_training_on_the_cluster_equals_in_process(
    client: Client, history: pl.DataFrame, model: RiskModel
) -> None:
    remote = distributed.train(client, history, FAST_MODEL, partitions=3)
    assert remote.to_bytes() == model.to_bytes() == train_model(history, FAST_MODEL).to_bytes()


@pytest.mark.parametrize("explain", ["selected", "all", "none"])
def test_batch_scoring_on_the_cluster_equals_in_process(
    client: Client,
    history: pl.DataFrame,
    incoming: pl.DataFrame,
    model: RiskModel,
    explain: str,
) -> None:
    engine = ScoringEngine.from_history(
        history,
        model,
        [RiskProfile("cn", 'origin = "CN" and value > 1000', Lane.RED)],
        SelectionPolicy({Lane.RED: 0.05, Lane.YELLOW: 0.05}, random_share=0.2, seed=5),
        explain=explain,  # type: ignore[arg-type]
    )
    remote = distributed.score_batch(client, engine, incoming, partitions=4)
    assert remote.equals(engine.score(incoming))
