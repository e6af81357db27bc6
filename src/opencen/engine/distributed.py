"""Training and batch scoring on a Dask cluster, with the same results as in-process.

Why the results are identical: features and assessments are row-independent given the history
index (see :mod:`opencen.engine.features`), so computing them on row partitions and
concatenating in order gives the same frame as computing them at once. The budgeted selection
needs the whole batch, so it runs on the client over the gathered assessments (a few small
columns). The booster is trained by one worker with the same deterministic configuration,
which yields the same model as :func:`opencen.engine.model.train_model` in-process.
"""

from __future__ import annotations

import polars as pl
from distributed import Client, Future

from opencen.engine.features import FeatureConfig, HistoryIndex
from opencen.engine.model import ModelConfig, RiskModel, train_model
from opencen.engine.pipeline import ScoringEngine

__all__ = ["compute_features", "score_batch", "train"]


def _partitions(frame: pl.DataFrame, count: int) -> list[pl.DataFrame]:
    """Split ``frame`` into at most ``count`` contiguous, non-empty row ranges."""
    size = max(1, -(-frame.height // max(1, count)))
    return [frame.slice(start, size) for start in range(0, frame.height, size)] or [frame]


def _default_partitions(client: Client) -> int:
    return 2 * max(1, len(client.scheduler_info().get("workers", {})))


def _scatter_partitions(client: Client, frame: pl.DataFrame, count: int | None) -> list[Future]:
    parts = _partitions(frame, count or _default_partitions(client))
    futures: list[Future] = client.scatter(parts)
    return futures


def _features(part: pl.DataFrame, index: HistoryIndex) -> pl.DataFrame:
    return index.features(part)


def _assess(part: pl.DataFrame, engine: ScoringEngine) -> pl.DataFrame:
    return engine.assess(part)


def _explain(part: pl.DataFrame, ids: pl.Series, engine: ScoringEngine) -> pl.DataFrame:
    return engine.explain_rows(part.filter(pl.col("declaration_id").is_in(ids.implode())))


def compute_features(
    client: Client,
    declarations: pl.DataFrame,
    index: HistoryIndex,
    *,
    partitions: int | None = None,
) -> pl.DataFrame:
    """``index.features(declarations)`` computed on the cluster, in input order."""
    index_future = client.scatter(index, broadcast=True)
    parts = _scatter_partitions(client, declarations, partitions)
    results: list[pl.DataFrame] = client.gather(client.map(_features, parts, index=index_future))
    return pl.concat(results)


def train(
    client: Client,
    history: pl.DataFrame,
    config: ModelConfig | None = None,
    feature_config: FeatureConfig | None = None,
    *,
    partitions: int | None = None,
) -> RiskModel:
    """Train like :func:`train_model`, with features on the cluster and fitting on a worker."""
    feature_config = feature_config or FeatureConfig()
    index = HistoryIndex.build(history, feature_config)
    features = compute_features(client, history, index, partitions=partitions)
    future = client.submit(
        train_model, history, config, feature_config, features=features, pure=False
    )
    model: RiskModel = future.result()
    return model


def score_batch(
    client: Client,
    engine: ScoringEngine,
    declarations: pl.DataFrame,
    *,
    partitions: int | None = None,
) -> pl.DataFrame:
    """``engine.score(declarations)`` with the per-row work on the cluster; same result."""
    engine_future = client.scatter(engine, broadcast=True)
    parts = _scatter_partitions(client, declarations, partitions)
    assessed: list[pl.DataFrame] = client.gather(client.map(_assess, parts, engine=engine_future))
    result = engine.allocate(pl.concat(assessed))
    if engine.explain == "none":
        chosen = result["declaration_id"].clear()
    elif engine.explain == "all":
        chosen = result["declaration_id"]
    else:
        chosen = result.filter(pl.col("lane") != "green")["declaration_id"]
    explained: list[pl.DataFrame] = client.gather(
        client.map(_explain, parts, ids=chosen, engine=engine_future)
    )
    explanations = pl.concat(explained)
    return result.join(explanations, on="declaration_id", how="left", maintain_order="left")
