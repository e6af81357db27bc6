"""Import speed: 100,000 cases from a CSV file, whole or not at all (issue 3).

The file is written from the demo generator (one administration's mix of drugs, tobacco,
counterfeits, wildlife... with unique summaries, one row per goods line) and imported the way
the import page does it: ``importing.parse_file`` then ``importing.import_cases`` (every check,
the personal-data gate included, then one transaction with bulk inserts and one audit event per
case).  The baseline is the naive one-row-at-a-time path, ``services.check_create_case`` per
case, timed in the same run on a subset and extrapolated per case.

Goal: 100,000 cases in <= 60 s on PostgreSQL on the 2-core machine.

    .venv/bin/python benchmarks/seizures_import.py \\
        --database-url postgres://postgres@127.0.0.1:5432/test      # 100,000 cases
    .venv/bin/python benchmarks/seizures_import.py --quick           # 5,000, under a minute
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import CpuClock, bench_database, load_reference, machine_load

GOAL_SECONDS = 60.0
GOAL_CASES = 100_000


def write_csv(path: Path, payloads: list[dict[str, Any]]) -> int:
    """Write cases in the import template's flat form; returns the number of rows."""
    from opencen.seizures.flat import CASE_COLUMNS, DETAIL_PREFIX, columns

    rows = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns())
        writer.writeheader()
        for case in payloads:
            legs = case["route"]
            base = {name: case.get(name, "") for name in CASE_COLUMNS[:17]}
            for leg in legs:
                if leg["role"] in ("departure", "destination"):
                    base[f"{leg['role']}_country"] = leg["country"]
                    base[f"{leg['role']}_place"] = leg["place"]
            base["transit_countries"] = ";".join(
                leg["country"] for leg in legs if leg["role"] == "transit"
            )
            base["offenders"] = "; ".join(
                f"{o['nationality']}:{o['gender']}:{o['age_band']}:{o['count']}"
                for o in case.get("offenders", [])
            )
            for line in case["goods"]:
                row = dict(base)
                row.update({k: v for k, v in line.items() if k != "details"})
                row.update({DETAIL_PREFIX + k: v for k, v in line["details"].items()})
                writer.writerow(row)
                rows += 1
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=GOAL_CASES, help="cases in the file")
    parser.add_argument(
        "--naive", type=int, default=2000, help="cases imported one at a time for the baseline"
    )
    parser.add_argument("--quick", action="store_true", help="5,000 cases (500 naive), < 60 s")
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL server to create a scratch database on (default: "
        "$DATABASE_URL, else a temporary SQLite file)",
    )
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the import")
    args = parser.parse_args()
    if args.quick:
        args.cases, args.naive = min(args.cases, 5000), min(args.naive, 500)

    with bench_database("import", args.database_url) as vendor:
        from opencen.accounts.actors import actor_for
        from opencen.accounts.demo import build_demo_cast
        from opencen.accounts.models import User
        from opencen.audit.models import AuditEvent
        from opencen.seizures import demo, importing, services
        from opencen.seizures.inputs import CaseIn
        from opencen.seizures.models import Case, GoodsLine

        print(f"reference data loaded in {load_reference():.1f} s")
        build_demo_cast()
        officer = actor_for(User.objects.get(email="officer@fr-customs.example"))
        started = time.monotonic()
        generated = demo.generate_cases(
            "FR",
            demo.Catalogue.from_database(),
            count=args.cases + args.naive,
            end=dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1),
            days=3 * 365,
            screen=False,
        )
        payloads = [c.payload for c in generated]
        for n, payload in enumerate(payloads, start=1):
            payload["external_ref"] = f"BENCH-{n:07d}"
        bulk, naive = payloads[: args.cases], payloads[args.cases :]
        path = Path(tempfile.mkdtemp(prefix="opencen-import-")) / "cases.csv"
        rows = write_csv(path, bulk)
        print(
            f"generated {len(bulk):,} cases ({rows:,} rows, "
            f"{path.stat().st_size / 1e6:.1f} MB) in {time.monotonic() - started:.1f} s"
        )

        clock = CpuClock()
        marks: dict[str, Any] = {}

        def progress(done: int, total: int) -> None:
            if done == total:
                marks["checked"] = clock.read()

        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        load = machine_load()
        c0 = clock.read()
        with path.open("rb") as stream:
            flats = importing.parse_file(stream, "csv")
        c1 = clock.read()
        report = importing.import_cases(officer, flats, "csv", submit=True, progress=progress)
        c2 = clock.read()
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile)
        os.remove(path)
        if not report.ok:
            for error in report.errors[:20]:
                print("REJECTED", error)
            return 1
        assert report.created == len(bulk) == Case.objects.count()
        assert AuditEvent.objects.filter(tag="seizures.case.created").count() == len(bulk)
        parse_s, bulk_s = c1[0] - c0[0], c2[0] - c0[0]

        datas = [CaseIn.model_validate(p) for p in naive]
        t3 = time.perf_counter()
        for data in datas:
            services.check_create_case(officer, data, submit=True)
        naive_per_case = (time.perf_counter() - t3) / len(datas)
        naive_s = parse_s + naive_per_case * len(bulk)

        per_100k = bulk_s / len(bulk) * GOAL_CASES
        print(
            f"\nbulk import of {len(bulk):,} cases ({vendor}, "
            f"{GoodsLine.objects.count():,} goods lines in the database)"
        )
        print(f"  parse file        {clock.spent(c0, c1)}")
        print(f"  check every case  {clock.spent(c1, marks['checked'])}")
        print(f"  store + audit     {clock.spent(marks['checked'], c2)}")
        print(f"  total             {clock.spent(c0, c2)}   {len(bulk) / bulk_s:,.0f} cases/s")
        print(f"  ({load} when the import started, {machine_load()} at the end)")
        print(
            f"naive, one case at a time ({len(datas):,} timed): "
            f"{naive_per_case * 1000:.1f} ms/case -> {naive_s:,.0f} s for {len(bulk):,}"
        )
        print(f"ratio naive / bulk: {naive_s / bulk_s:.1f}x")
        verdict = "met" if per_100k <= GOAL_SECONDS else "MISSED"
        scale = "" if len(bulk) == GOAL_CASES else " (extrapolated)"
        print(
            f"goal: {GOAL_CASES:,} cases <= {GOAL_SECONDS:.0f} s: {per_100k:.1f} s{scale}, "
            f"{verdict}"
        )
        if len(bulk) >= GOAL_CASES and vendor == "postgresql" and per_100k > GOAL_SECONDS:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
