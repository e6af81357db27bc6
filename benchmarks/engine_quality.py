"""Engine quality on the Korea Customs Service synthetic declarations (arXiv 2208.02484).

Fits on the training files only and scores the test file: precision at 1/2/5/10%, recall at
5/10% and AUC, mean and standard deviation over seeds, next to the paper's Table 3 and a plain
default LightGBM fitted in the same run on the raw columns (label-encoded categoricals).

Protocol (nothing from the evaluated quarter is used in fitting):

* the model and its history index are built from the ``--train`` (and ``--valid``) files only;
* test declarations are scored with their outcome columns removed, so their history features
  can only use examination results of the training files, all dated before the test quarter;
* ``--valid`` (optional) is appended to the history and used as the early-stopping and
  calibration window; without it the latest 15% of the training days are.

    .venv/bin/python benchmarks/engine_quality.py                  # fit 2020, test 2021 Q1
    .venv/bin/python benchmarks/engine_quality.py --train a.csv,b.csv --test q2.csv
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import lightgbm as lgb
import numpy as np
import polars as pl

from opencen.engine.features import DEFAULT_HISTORY_KEYS, FeatureConfig, HistoryIndex
from opencen.engine.metrics import ranking_report
from opencen.engine.model import ModelConfig, train_model
from opencen.engine.schema import OUTCOME_COLUMNS, fraud_label, load_kcs

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "targeting"
PAPER = {"p@5%": (0.762, 0.675), "p@10%": (0.641, 0.579)}  # LightGBM, XGBoost (Table 3)
GOALS = {"p@5%": 0.97, "p@10%": 0.90, "auc": 0.90}
METRICS = ("p@1%", "p@2%", "p@5%", "p@10%", "r@5%", "r@10%", "auc")
RAW_CATEGORICALS = (
    "office", "procedure", "import_type", "import_use", "payment_type", "transport_mode",
    "declarant", "importer", "seller", "courier", "hs", "departure", "origin", "tax_type",
    "origin_indicator",
)  # fmt: skip
RAW_NUMERICS = ("tax_rate", "net_mass", "value")
Scorer = Callable[[pl.DataFrame, pl.DataFrame, int], np.ndarray]


def paths(values: Sequence[str]) -> list[Path]:
    """``--train a --train b,c`` -> [a, b, c]."""
    return [Path(p) for value in values for p in value.split(",") if p]


def engine_scorer(feature_config: FeatureConfig, model_config: ModelConfig) -> Scorer:
    """Our engine: time-safe history features + LightGBM with a time-based validation split."""

    def score(history: pl.DataFrame, test: pl.DataFrame, seed: int) -> np.ndarray:
        config = ModelConfig(
            params=model_config.params,
            validation_share=model_config.validation_share,
            validation_from=model_config.validation_from,
            seed=seed,
        )
        model = train_model(history, config, feature_config)
        index = HistoryIndex.build(history, feature_config)
        return model.score(index.features(test))

    return score


def plain_lightgbm(history: pl.DataFrame, test: pl.DataFrame, seed: int) -> np.ndarray:
    """Default LightGBM on the raw columns, categoricals label-encoded as in the paper."""
    categories = {
        name: pl.Enum(history[name].drop_nulls().unique().sort())
        for name in RAW_CATEGORICALS if name in history.columns
    }  # fmt: skip

    def matrix(frame: pl.DataFrame) -> np.ndarray:
        encoded = [
            pl.col(name).replace_strict(dtype.categories, range(len(dtype.categories)),
                                        default=None, return_dtype=pl.Float64).alias(name)
            for name, dtype in categories.items()
        ]  # fmt: skip
        return frame.select(*encoded, *RAW_NUMERICS).cast(pl.Float64).to_numpy()

    labels = history.select(fraud_label()).to_series().to_numpy()
    model = lgb.LGBMClassifier(random_state=seed, verbose=-1)
    model.fit(matrix(history), labels)
    return np.asarray(model.predict_proba(matrix(test))[:, 1])


def evaluate(
    scorer: Scorer, history: pl.DataFrame, test: pl.DataFrame, labels: np.ndarray, seeds: int
) -> tuple[list[dict[str, float]], np.ndarray]:
    """Metrics for each seed and the first seed's scores."""
    reports, first = [], np.empty(0)
    for seed in range(seeds):
        scores = scorer(history, test, seed)
        reports.append(ranking_report(labels, scores))
        first = scores if seed == 0 else first
    return reports, first


def summary(reports: list[dict[str, float]], metric: str) -> str:
    values = [r[metric] for r in reports]
    spread = statistics.pstdev(values) if len(values) > 1 else 0.0
    return f"{statistics.fmean(values):.3f} ± {spread:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--train",
        action="append",
        default=[],
        help="training CSV (repeatable or comma list); default: 2020 file",
    )
    parser.add_argument("--valid", help="validation CSV: early stopping and calibration window")
    parser.add_argument("--test", help="CSV to evaluate; default: the 2021 Q1 file")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument(
        "--scores-out",
        type=Path,
        help="write declaration_id,score,rank of the test file (first seed)",
    )
    parser.add_argument(
        "--ablation", action="store_true", help="also run without the declared-value history keys"
    )
    parser.add_argument("--quick", action="store_true", help="two seeds, < 60 s")
    args = parser.parse_args(argv)  # fmt: skip
    train_files = paths(args.train) or [DATA / "kcs_hs10_2022_train.csv"]
    test_file = Path(args.test) if args.test else DATA / "kcs_hs10_2022_valid.csv"
    seeds = min(args.seeds, 2) if args.quick else args.seeds

    history = load_kcs([*train_files, *([args.valid] if args.valid else [])])
    validation_from = load_kcs(args.valid)["date"].min() if args.valid else None
    test_full = load_kcs(test_file)
    labels = test_full.select(fraud_label()).to_series().to_numpy()
    test = test_full.drop(*(c.name for c in OUTCOME_COLUMNS), "Fraud")
    if test["date"].min() <= history["result_date"].max():
        print("warning: the test file does not start after the training history", file=sys.stderr)

    print(
        f"history: {', '.join(p.name for p in train_files)}"
        f"{' + ' + Path(args.valid).name if args.valid else ''} "
        f"({history.height:,} rows, {history['date'].min()} to {history['date'].max()})"
    )
    print(f"test   : {test_file.name} ({test.height:,} rows, {test['date'].min()} to "
          f"{test['date'].max()}, fraud rate {labels.mean():.3f}); {seeds} seed(s)")  # fmt: skip

    model_config = ModelConfig(validation_from=validation_from)
    runs: dict[str, Scorer] = {
        "opencen engine": engine_scorer(FeatureConfig(), model_config),
        "default LightGBM": plain_lightgbm,
    }
    if args.ablation:
        no_value = tuple(k for k in DEFAULT_HISTORY_KEYS if "value" not in k.columns)
        runs["engine w/o value keys"] = engine_scorer(FeatureConfig(keys=no_value), model_config)
    results: dict[str, list[dict[str, float]]] = {}
    for name, scorer in runs.items():
        started = time.perf_counter()
        results[name], scores = evaluate(scorer, history, test, labels, seeds)
        print(f"  {name}: {time.perf_counter() - started:.1f} s")
        if name == "opencen engine" and args.scores_out:
            order = np.argsort(-scores, kind="stable")
            ranks = np.empty(len(scores), dtype=np.int64)
            ranks[order] = np.arange(1, len(scores) + 1)
            pl.DataFrame(
                {"declaration_id": test["declaration_id"], "score": scores, "rank": ranks}
            ).write_csv(args.scores_out)
            print(f"  scores written to {args.scores_out}")

    header = f"{'metric':8}" + "".join(f"{name:>24}" for name in results)
    print("\n" + header + f"{'paper LightGBM':>16}{'paper XGBoost':>15}{'goal':>7}")
    for metric in METRICS:
        paper = PAPER.get(metric)
        line = f"{metric:8}" + "".join(f"{summary(r, metric):>24}" for r in results.values())
        line += f"{paper[0]:>16.3f}{paper[1]:>15.3f}" if paper else f"{'':>16}{'':>15}"
        line += f"{GOALS[metric]:>7.2f}" if metric in GOALS else ""
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
