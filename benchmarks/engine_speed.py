"""Engine speed: score a batch of synthetic declarations end to end.

End to end means the issue's chain for a batch: history features, the LightGBM score and its
calibration, every risk profile, and lane selection under budget. Explanations (exact TreeSHAP
contributions, ~0.1-0.5 ms a row) are timed separately for the red lane: the platform asks for
them per declaration. The history index, model and compiled profiles are built beforehand, as
they are once per model version in the platform.

Targets (issue 4): >= 250,000 declarations/s and <= 3 GB peak memory for 1,000,000 declarations
on the 2-core machine; a single declaration <= 20 ms p99 through the API, of which the engine
should take <= 8 ms. The baseline is a row-by-row Python evaluation of the same profiles (the
reference evaluator of ``opencen.engine.rules``).

A single declaration is timed as the API receives it: a JSON object (dates as ISO strings)
scored with its explanation by ``ScoringEngine.score_one`` (validation included), over
``--single-calls`` different declarations; the batch path on a one-row frame is shown next to
it. The machine's load average is printed with the figures: on a shared machine wall-clock
figures move with it, so the process CPU time of the end-to-end run is printed too.

    .venv/bin/python benchmarks/engine_speed.py            # 1,000,000 declarations
    .venv/bin/python benchmarks/engine_speed.py --quick    # 100,000, well under a minute
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import sys
import time

import polars as pl

from opencen.engine.model import ModelConfig, train_model
from opencen.engine.pipeline import ScoringEngine
from opencen.engine.rules import RiskProfile
from opencen.engine.selection import Lane, SelectionPolicy
from opencen.engine.synthetic import synthetic_declarations

TARGET_RATE = 250_000
TARGET_MEMORY_GB = 3.0
TARGET_P99_MS = 20.0
TARGET_ENGINE_P99_MS = 8.0  # the API adds its own overhead on top of the engine's


def profiles(history: pl.DataFrame) -> list[RiskProfile]:
    """Ten profiles exercising every kind of operator, with watch lists drawn from history."""
    importers = history["importer"].unique().sort().head(500).to_list()
    hs_prefixes = history["hs4"].unique().sort().head(40).to_list() if "hs4" in history else []
    hs_prefixes = hs_prefixes or history["hs"].str.slice(0, 4).unique().sort().head(40).to_list()
    return [
        RiskProfile("undervalued-phones", 'hs startswith "8517" and origin in ("CN", "VN") '
                    "and unit_value < 0.3 * median_unit_value", Lane.RED, weight=3),
        RiskProfile("watch-importers", 'importer in list "watch"', Lane.RED, weight=2,
                    lists={"watch": importers}),
        RiskProfile("watch-hs", 'hs startswith list "hs"', Lane.YELLOW, lists={"hs": hs_prefixes}),
        RiskProfile("cheap-anywhere", "unit_value_z < -3", Lane.YELLOW),
        RiskProfile("heavy-cheap", "net_mass > 1000 and value / net_mass < 0.5", Lane.YELLOW),
        RiskProfile("high-duty", "tax_rate >= 13 and not importer_aeo", Lane.BLUE),
        RiskProfile("origin-mismatch", "origin != departure and origin not in ('CN')", Lane.BLUE),
        RiskProfile("sea-bulk", 'transport_mode = "1" and value > 100000', Lane.BLUE),
        RiskProfile("model-high", "score > 0.8", Lane.RED),
        RiskProfile("arith", "(value - net_mass * 2) / (tax_rate + 1) > 5000", Lane.YELLOW),
    ]  # fmt: skip


def peak_memory_gb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="declarations to score")
    parser.add_argument("--history", type=int, default=200_000, help="examined history rows")
    parser.add_argument(
        "--baseline-rows",
        type=int,
        default=20_000,
        help="rows timed for the row-by-row baseline (extrapolated)",
    )
    parser.add_argument(
        "--single-calls",
        type=int,
        default=2000,
        help="single declarations timed for the latency percentiles",
    )
    parser.add_argument("--quick", action="store_true", help="100,000 rows, < 60 s")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.history, args.baseline_rows = 100_000, 50_000, 5_000

    world = max(args.rows, args.history)
    history = synthetic_declarations(args.history, seed=1, world_size=world)
    # the batch arrives after the last examination result of the history is known
    batch = synthetic_declarations(args.rows, seed=2, world_size=world, with_outcome=False,
                                   start=datetime.date(2025, 1, 15), days=7)  # fmt: skip
    model = train_model(history, ModelConfig(max_rounds=300, early_stopping_rounds=30))
    policy = SelectionPolicy({Lane.RED: 0.02, Lane.YELLOW: 0.03, Lane.BLUE: 0.01},
                             random_share=0.1)  # fmt: skip
    engine = ScoringEngine.from_history(history, model, profiles(history), policy, explain="none")
    rounds = model.metadata["rounds"]
    print(f"history {history.height:,} examined declarations, model {rounds} trees, "
          f"{len(engine.profiles)} profiles; batch {batch.height:,} declarations")  # fmt: skip

    load_before = os.getloadavg()
    engine.score(batch.head(1000))  # warm-up
    started, cpu_started = time.perf_counter(), time.process_time()
    result = engine.score(batch)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rate = batch.height / elapsed
    lanes = dict(result.group_by("lane").len().iter_rows())
    memory = peak_memory_gb()

    red = batch.filter(result["lane"] == "red")
    started = time.perf_counter()
    engine.explain_rows(red)
    explain_rate = red.height / (time.perf_counter() - started)

    scored = engine.features(batch)
    started = time.perf_counter()
    engine.profiles.matches(scored)
    rules_vectorised = time.perf_counter() - started
    sample = scored.head(args.baseline_rows)
    started = time.perf_counter()
    for row in sample.iter_rows(named=True):
        engine.profiles.matches_row(row)
    per_row = (time.perf_counter() - started) / sample.height
    row_by_row = per_row * batch.height

    single = ScoringEngine(engine.index, model, engine.profiles, policy, explain="all")
    single.warm_up()  # what a server does once per model version
    calls = batch.slice(0, args.single_calls)
    payloads = [json.loads(json.dumps(row, default=str)) for row in calls.iter_rows(named=True)]
    for payload in payloads[:50]:  # warm-up
        single.score_one(payload)
    latencies = []
    for payload in payloads:
        started = time.perf_counter()
        single.score_one(payload)
        latencies.append((time.perf_counter() - started) * 1000)
    p50 = statistics.median(latencies)
    p99 = statistics.quantiles(latencies, n=100)[98]
    frame_latencies = []
    for i in range(200):
        started = time.perf_counter()
        single.score(calls.slice(i, 1))
        frame_latencies.append((time.perf_counter() - started) * 1000)
    frame_p50 = statistics.median(frame_latencies)
    frame_p99 = statistics.quantiles(frame_latencies, n=100)[98]
    load_after = os.getloadavg()

    print(f"lanes: {lanes}")
    print(
        f"load average (1/5/15 min): {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f} before, {load_after[0]:.2f} {load_after[1]:.2f} "
        f"{load_after[2]:.2f} after ({os.cpu_count()} cores)"
    )
    print(
        f"end to end : {elapsed:7.2f} s  {rate:12,.0f} declarations/s "
        f"(target >= {TARGET_RATE:,}) {'OK' if rate >= TARGET_RATE else 'MISSED'}; "
        f"process CPU {cpu:.2f} s"
    )
    print(
        f"peak memory: {memory:7.2f} GB (target <= {TARGET_MEMORY_GB} GB) "
        f"{'OK' if memory <= TARGET_MEMORY_GB else 'MISSED'}"
    )
    print(f"explanations: {explain_rate:,.0f} declarations/s ({red.height:,} red-lane rows)")
    print(
        f"one declaration with explanation (score_one, {len(latencies):,} calls): "
        f"p50 {p50:.2f} ms, p99 {p99:.2f} ms (target p99 <= {TARGET_P99_MS} ms in the API, "
        f"<= {TARGET_ENGINE_P99_MS} ms in the engine) "
        f"{'OK' if p99 <= TARGET_ENGINE_P99_MS else 'MISSED'}"
    )
    print(
        f"one declaration, batch path on a one-row frame ({len(frame_latencies)} calls): "
        f"p50 {frame_p50:.1f} ms, p99 {frame_p99:.1f} ms"
    )
    print(f"profiles, vectorised : {rules_vectorised:7.3f} s for {batch.height:,} rows")
    print(f"profiles, row by row : {row_by_row:7.3f} s (timed on {sample.height:,} rows)")
    print(f"ratio row-by-row rules / vectorised rules : {row_by_row / rules_vectorised:8.1f}x")
    print(f"ratio row-by-row rules / whole engine     : {row_by_row / elapsed:8.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
