"""Search speed with 1,000,000 cases in PostgreSQL (issue 3): list, full text, case page.

The data set: the demo generator's mix for the twenty demo administrations (a pool of cases
checked once by ``services.validate_cases``), replicated with other dates and references up to
the size asked and written through ``services._store`` (COPY) without audit events, the
full-text index built once at the end; 70% validated, 25% submitted, 5% drafts.

Measured as three users (a French customs officer in a closed user group, the RILO analyst
for Europe, the secretariat analyst): the filtered list as the list page runs it
(``selectors.search_cases``, the paginator's count, capped at ``selectors.COUNT_CAP``, and
the first page of 50), full-text search (the same with ``q``), and the case page
(``access_case``, ``with_children`` and ``case_to_dict``).  Each query runs ``--repeat``
times after one warm-up run.  Goals: list and full text p95 <= 150 ms, case page p95 <= 50 ms.
The indexes of migrations 0005 to 0007 are
measured "before" (migrated back to 0004) and "after".

    .venv/bin/python benchmarks/seizures_search.py \\
        --database-url postgres://postgres@127.0.0.1:5432/test      # 1,000,000 cases
    .venv/bin/python benchmarks/seizures_search.py --quick           # 50,000, < 60 s
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib
import random
import sys
import time
from collections.abc import Callable
from typing import Any

from common import bench_database, load_reference, machine_load, percentiles, timed

GOALS_MS = {"list": 150.0, "full text": 150.0, "case page": 50.0}
PAGE = 50
CHUNK = 50_000
STATUSES = (("validated", 0.70), ("submitted", 0.25), ("draft", 0.05))
ACTORS = {
    "FR officer": "officer@fr-customs.example",
    "RILO Europe": "analyst@rilo-eur.example",
    "secretariat": "analyst@wco-sec.example",
}


def build_data_set(total: int, pool_per_admin: int, seed: int) -> None:
    """Generate a pool per administration, check it once, replicate it to ``total`` cases.

    Ends migrated back to 0004 (the "before"), statistics fresh.
    """
    from django.core.management import call_command
    from django.db import connection, transaction

    from opencen.accounts.actors import actor_for
    from opencen.accounts.demo import CUSTOMS
    from opencen.accounts.models import User
    from opencen.seizures import demo, services
    from opencen.seizures.choices import Status
    from opencen.seizures.inputs import CaseIn

    started = time.monotonic()
    today = dt.datetime.now(dt.UTC).date()
    catalogue = demo.Catalogue.from_database()
    rng = random.Random(seed)
    admins = list(CUSTOMS)
    weights = [demo.VOLUME[a] for a in admins]
    share = {a: round(total * w / sum(weights)) for a, w in zip(admins, weights, strict=True)}
    share[admins[0]] += total - sum(share.values())
    search_index = importlib.import_module("opencen.seizures.migrations.0006_search_vector")
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:  # the full-text index is built once, at the end
            cursor.execute("DROP INDEX IF EXISTS seizures_case_search_vector")
    for admin in admins:
        officer = actor_for(User.objects.get(email=f"officer@{admin.lower()}-customs.example"))
        generated = demo.generate_cases(
            admin, catalogue, count=pool_per_admin, end=today, days=3 * 365, seed=seed
        )
        pool, _skipped = services.validate_cases(
            officer, [CaseIn.model_validate(c.payload) for c in generated]
        )
        for start in range(0, share[admin], CHUNK):
            by_status: dict[str, list[Any]] = {status: [] for status, _w in STATUSES}
            for n in range(start, min(share[admin], start + CHUNK)):
                base = pool[n % len(pool)]
                data = base.data.model_copy(
                    update={
                        "external_ref": f"{admin}-BENCH-{n:07d}",
                        "date": today - dt.timedelta(days=rng.randrange(3 * 365)),
                    }
                )
                status = rng.choices([s for s, _w in STATUSES], [w for _s, w in STATUSES])[0]
                by_status[status].append(dataclasses.replace(base, data=data))
            with transaction.atomic():
                for status, batch in by_status.items():
                    services._store(officer, batch, Status(status))
        print(f"  {admin}: {share[admin]:,} cases ({time.monotonic() - started:.0f} s)", flush=True)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(search_index.CREATE[1])
    call_command("migrate", "seizures", "0004", verbosity=0)  # "before": without 0005 to 0007
    vacuum()
    print(f"data set: {total:,} cases in {time.monotonic() - started:.0f} s")


def vacuum() -> None:
    """Settle the tables as autovacuum would after a load or a migration that rewrote rows."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("case", "goodsline", "routeleg", "offendergroup"):
            cursor.execute(f"VACUUM ANALYZE seizures_{table}")


def queries() -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """The filter combinations of each kind (``CaseFilter`` keyword arguments)."""
    today = dt.datetime.now(dt.UTC).date()
    year_ago, quarter_ago = today - dt.timedelta(days=365), today - dt.timedelta(days=90)
    return {
        "list": [
            ("everything", {}),
            ("country NL, last 12 months", {"country": "NL", "date_from": year_ago}),
            ("region EUR, drugs", {"region": "EUR", "commodity_area": "drugs"}),
            (
                "sea container, container structure",
                {"transport": "sea_container", "concealment": "container_structure"},
            ),
            ("HS chapter 24, last 12 months", {"hs_chapter": "24", "date_from": year_ago}),
            ("validated, IPR", {"status": "validated", "commodity_area": "ipr"}),
            ("detector dog, last 3 months", {"detection": "dog", "date_from": quarter_ago}),
            (
                "owner ES-CUSTOMS, environment",
                {"owner": "ES-CUSTOMS", "commodity_area": "environment"},
            ),
        ],
        "full text": [
            ("cocaine", {"q": "cocaine"}),
            ("reefer bananas", {"q": "reefer bananas"}),
            ("ivory", {"q": "ivory"}),
            ("luxor (a brand)", {"q": "luxor"}),
            ("pango (a prefix)", {"q": "pango"}),
            ("cigarettes, in Poland", {"q": "cigarettes", "country": "PL"}),
            ("gold, last 12 months", {"q": "gold", "date_from": year_ago}),
            ("a container number", {"q": "MSCU"}),
        ],
    }


def measure(repeat: int, pages: int) -> dict[str, list[float]]:
    """Run every query as every actor; durations in seconds by kind (and print each query)."""
    from opencen.accounts.actors import actor_for
    from opencen.accounts.models import User
    from opencen.seizures import selectors
    from opencen.seizures.serializers import case_to_dict

    samples: dict[str, list[float]] = {kind: [] for kind in GOALS_MS}
    for actor_name, email in ACTORS.items():
        actor = actor_for(User.objects.get(email=email))
        for kind, items in queries().items():
            for label, filters in items:
                flt = selectors.CaseFilter(**filters)
                found: dict[str, int] = {}

                def page(
                    flt: selectors.CaseFilter = flt,
                    found: dict[str, int] = found,
                    actor: Any = actor,
                ) -> None:
                    qs = selectors.search_cases(actor, flt).prefetch_related("goods__unit")
                    paginator = selectors.CappedPaginator(qs, PAGE)  # as the list page
                    found["rows"] = len(list(paginator.page(1)))
                    found["count"], found["exact"] = paginator.count, paginator.count_exact

                page()  # warm-up
                durations = timed(page, repeat)
                samples[kind] += durations
                p50, p95 = percentiles(durations)
                print(
                    f"  {kind:<9} {actor_name:<12} {label:<38} "
                    f"{'' if found['exact'] else '>'}{found['count']:>9,} found "
                    f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"
                )
        ids = list(
            selectors.cases_visible_to(actor).order_by("?").values_list("pk", flat=True)[:pages]
        )

        def case_page(case_id: Any, actor: Any = actor) -> Callable[[], object]:
            def run() -> object:
                found = selectors.access_case(actor, case_id)
                case = selectors.with_children(selectors.cases_visible_to(actor)).get(pk=found.pk)
                return case_to_dict(case)

            return run

        durations = []
        for case_id in ids:
            case_page(case_id)()  # warm-up
            durations += timed(case_page(case_id), 2)
        samples["case page"] += durations
        p50, p95 = percentiles(durations)
        print(
            f"  case page {actor_name:<12} {len(ids)} random visible cases"
            f"{'':<17} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"
        )
    return samples


def report(title: str, samples: dict[str, list[float]]) -> bool:
    """Print p50/p95 by kind against the goals; True when every goal is met."""
    print(f"\n{title}")
    met = True
    for kind, durations in samples.items():
        p50, p95 = percentiles(durations)
        ok = p95 <= GOALS_MS[kind]
        met &= ok
        print(
            f"  {kind:<10} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   goal p95 <= "
            f"{GOALS_MS[kind]:.0f} ms: {'met' if ok else 'MISSED'}"
        )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument(
        "--pool", type=int, default=1000, help="distinct generated cases per administration"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--pages", type=int, default=50, help="case pages per user")
    parser.add_argument("--quick", action="store_true", help="50,000 cases, < 60 s")
    parser.add_argument(
        "--after-only",
        action="store_true",
        help="skip the 'before' measurement (without migrations 0005 to 0007); the default "
        "with --quick",
    )
    parser.add_argument(
        "--compare", action="store_true", help="with --quick, measure 'before' all the same"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL server to create a scratch database on (default: "
        "$DATABASE_URL, else a temporary SQLite file)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument(
        "--reuse", action="store_true", help="measure on the database a --keep run left"
    )
    args = parser.parse_args()
    if args.quick:
        args.cases, args.pool = min(args.cases, 50_000), min(args.pool, 150)
        args.repeat, args.pages = min(args.repeat, 3), min(args.pages, 10)
        args.after_only = args.after_only or not args.compare

    with bench_database("search", args.database_url, reuse=args.reuse, keep=args.keep) as vendor:
        from django.core.management import call_command

        from opencen.accounts.demo import build_demo_cast

        if vendor != "postgresql":
            print("note: the goals are for PostgreSQL; SQLite figures are for comparison only")
        from opencen.seizures.models import Case

        if args.reuse and Case.objects.exists():
            args.cases = Case.objects.count()
            args.after_only = True
            print(f"reusing the kept database: {args.cases:,} cases")
        else:
            print(f"reference data loaded in {load_reference(places=not args.quick):.1f} s")
            build_demo_cast()
            build_data_set(args.cases, args.pool, args.seed)
        results = {}
        if not args.after_only:
            print(f"\nbefore: without migrations 0005 to 0007 ({machine_load()})")
            results["before (without migrations 0005 to 0007)"] = measure(args.repeat, args.pages)
        started = time.monotonic()
        call_command("migrate", "seizures", verbosity=0)
        migrated = time.monotonic() - started
        vacuum()
        print(
            f"\nafter: migrations 0005 to 0007 applied in {migrated:.1f} s, then VACUUM "
            f"({machine_load()})"
        )
        results["after"] = measure(args.repeat, args.pages)
        met = True
        for title, samples in results.items():
            met = report(f"{title}, {args.cases:,} cases ({vendor})", samples)
        if args.cases >= 1_000_000 and vendor == "postgresql" and not met:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
