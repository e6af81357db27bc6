"""Online simulation: replay declarations week by week, learning only from what was inspected.

Each week the engine is retrained on the results of the declarations it inspected in earlier
weeks (the history index too holds only those results; unit-value references use every past
declaration, inspected or not), scores the week, and inspects 10% of it. The week's labels
become known only for the inspected declarations. The first week, with nothing learnt yet, is
inspected at random.

Two policies run side by side: all of the budget to the model, and 10% of the budget to a
random control group. Per week: precision of the inspections, the true lift over random (the
week's fraud rate is known in this replay), and, with a control group, the lift as the platform
would estimate it (model precision / control precision).

    .venv/bin/python benchmarks/engine_online.py              # KCS 2020 + 2021 Q1, 65 weeks
    .venv/bin/python benchmarks/engine_online.py --quick      # the first 8 weeks
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from opencen.engine.features import HistoryIndex
from opencen.engine.model import ModelConfig, train_model
from opencen.engine.schema import OUTCOME_COLUMNS, load_kcs
from opencen.engine.selection import Lane, SelectionPolicy, select

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "targeting"
BUDGET = 0.10


@dataclass
class Replay:
    """One policy's state: the inspected history so far and its weekly figures."""

    random_share: float
    inspected: list[pl.DataFrame] = field(default_factory=list)
    rows: list[dict[str, float]] = field(default_factory=list)

    def week(self, week: pl.DataFrame, seen: pl.DataFrame, seed: int) -> dict[str, float]:
        """Score, select and inspect one week; learn its inspected results."""
        labels = (week["result"] >= 1).to_numpy()
        unlabelled = week.drop(*(c.name for c in OUTCOME_COLUMNS))
        history = pl.concat(self.inspected) if self.inspected else None
        if history is None or history["result"].n_unique() < 2:
            scores = np.zeros(week.height)
            share = 1.0  # nothing learnt yet: inspect at random
        else:
            model = train_model(history, ModelConfig(max_rounds=300, early_stopping_rounds=30,
                                                     seed=seed))  # fmt: skip
            index = HistoryIndex.build(history, model.feature_config, reference=seen)
            scores = model.score(index.features(unlabelled))
            share = self.random_share
        policy = SelectionPolicy({Lane.RED: BUDGET}, random_share=share, seed=seed)
        chosen = select(pl.DataFrame({"score": scores}), policy)
        inspected = chosen["lane"] == "red"
        self.inspected.append(week.filter(inspected))
        by = chosen["selected_by"].to_numpy()
        precision = float(labels[inspected.to_numpy()].mean())
        model_hits = labels[by == "model"]
        control_hits = labels[by == "control"]
        row = {
            "precision": precision,
            "lift": precision / labels.mean() if labels.mean() else float("nan"),
            "estimated_lift": (
                model_hits.mean() / control_hits.mean()
                if len(model_hits) and len(control_hits) and control_hits.mean()
                else float("nan")
            ),
        }
        self.rows.append(row)
        return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data",
        action="append",
        default=[],
        help="KCS CSV files to replay (repeatable or comma list)",
    )
    parser.add_argument("--random-share", type=float, default=0.1)
    parser.add_argument("--weeks", type=int, help="replay only the first N weeks")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="the first 8 weeks, < 60 s")
    args = parser.parse_args(argv)  # fmt: skip
    files = [Path(p) for v in args.data for p in v.split(",") if p] or [
        DATA / "kcs_hs10_2022_train.csv",
        DATA / "kcs_hs10_2022_valid.csv",
    ]
    data = load_kcs(files).with_columns(pl.col("date").dt.truncate("1w").alias("_week"))
    weeks = data["_week"].unique().sort().to_list()[: 8 if args.quick else args.weeks]

    replays = {"model only": Replay(0.0), f"{args.random_share:.0%} control": Replay(
        args.random_share)}  # fmt: skip
    print(f"{len(weeks)} weeks, inspect {BUDGET:.0%} of each week, learn from inspected only")
    print(
        f"{'week':>10} {'n':>5} {'fraud':>6} | {'model only':^17} | "
        f"{'with ' + format(args.random_share, '.0%') + ' random control':^31}"
    )
    print(f"{'':>10} {'':>5} {'':>6} | {'prec':>7} {'lift':>9} | {'prec':>7} {'lift':>9} "
          f"{'est. lift':>11}")  # fmt: skip
    for number, start in enumerate(weeks):
        week = data.filter(pl.col("_week") == start).drop("_week")
        seen = data.filter(pl.col("date") < start).drop("_week")
        results = [r.week(week, seen, args.seed + number) for r in replays.values()]
        fraud = (week["result"] >= 1).mean()
        plain, control = results
        print(f"{start!s:>10} {week.height:>5} {fraud:>6.3f} | {plain['precision']:>7.3f} "
              f"{plain['lift']:>8.2f}x | {control['precision']:>7.3f} {control['lift']:>8.2f}x "
              f"{control['estimated_lift']:>10.2f}x")  # fmt: skip
    print()
    for name, replay in replays.items():
        later = replay.rows[4:] or replay.rows  # after a month of learning
        print(f"{name:>16}: mean precision {statistics.fmean(r['precision'] for r in later):.3f}, "
              f"mean lift {statistics.fmean(r['lift'] for r in later):.2f}x "
              f"(weeks 5 to {len(replay.rows)})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
