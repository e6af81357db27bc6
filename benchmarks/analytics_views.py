"""Benchmark: every analytics view over 1,000,000 cases in PostgreSQL, cold and warm.

Builds a scratch database (``opencen_bench_analytics`` on the server of ``DATABASE_URL``, or
127.0.0.1 as postgres), loads a synthetic enforcement database with COPY (see
``analytics_data.py``), builds the analysis facts, then requests each view through Django's
test client, as three readers (a customs analyst, a RILO analyst, the secretariat) under a
dozen filter combinations:

* **cold**: Django's cache emptied before the request (the facts are in memory: a process
  loads them once, timed separately);
* **warm**: the same request again, three times (cache hit);
* **baseline**: the same figures computed straight from the case tables
  (``search_cases`` over ``visible_to``, no facts), on the 12-month filters; the ratio is
  baseline / facts for the same analysis, and the figures are checked equal.

Targets (issue 5): p95 <= 300 ms cold, <= 50 ms warm.  ``--quick`` (20,000 cases, fewer
combinations) finishes in under a minute.

    .venv/bin/python benchmarks/analytics_views.py [--quick] [--cases N] [--reuse] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import admin_connection

NAME = "opencen_bench_analytics"
VIEWS = ["trends", "routes", "modus", "hotspots", "significant", "quality"]
COLD_TARGET_MS, WARM_TARGET_MS = 300.0, 50.0
WARM_REPEAT = 3
YEAR = "from=2025-01&to=2025-12"
THREE = "from=2023-01&to=2025-12"
TEN = "from=2016-01&to=2025-12"
COMMON = [
    YEAR,
    THREE,
    TEN,
    f"{YEAR}&area=drugs",
    f"{YEAR}&country=FR",
    f"{YEAR}&transport=air_passenger",
    f"{YEAR}&detection=dog",
    f"{YEAR}&region=EUR",
    f"{YEAR}&chapter=24",
    f"{THREE}&area=tobacco&transport=road",
    f"{TEN}&area=drugs&detection=risk_profile",
]
OPTIONS = {
    "trends": [
        f"{YEAR}&split=area",
        f"{THREE}&metric=quantity&split=country",
        f"{TEN}&grain=year&split=region",
        f"{YEAR}&metric=value&grain=quarter",
    ],
    "routes": [f"{THREE}&top=25"],
    "hotspots": [f"{YEAR}&metric=quantity&unit=KGM"],
    "significant": [f"{TEN}&top=20&area=drugs"],
}


def _url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def prepare_database(url: str, reuse: bool) -> bool:
    """Create the scratch database (or keep it with ``reuse``); True if it must be loaded."""
    with admin_connection(url) as admin:  # type: ignore[attr-defined]
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAME]).fetchone()
        if exists and reuse:
            return False
        admin.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{NAME}"')
    return True


def drop_database(url: str) -> None:
    with admin_connection(url) as admin:  # type: ignore[attr-defined]
        admin.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def load(n: int) -> dict[str, float]:
    """Reference data, organisations and ``n`` cases; then the facts.  Seconds per step."""
    import analytics_data
    from django.core.management import call_command
    from django.db import connection

    from opencen.analytics import rollups
    from opencen.reference.loader import load_all

    steps: dict[str, float] = {}
    steps["migrate"], _ = timed(lambda: call_command("migrate", interactive=False, verbosity=0))
    steps["reference data"], _ = timed(
        lambda: load_all(only=["countries", "currencies", "wco", "hs", "units"])
    )
    steps["organisations"], world = timed(analytics_data.build_world)
    steps[f"{n:,} cases (COPY)"], _ = timed(lambda: analytics_data.load_cases(world, n))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    steps["facts: full rebuild"], _ = timed(rollups.rebuild)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {k: v / 1000 for k, v in steps.items()}


def clients() -> dict[str, Any]:
    from django.test import Client

    from opencen.accounts.models import User

    result = {}
    for email in ("analyst@fr.bench", "analyst@rilo.bench", "analyst@sec.bench"):
        client = Client()
        client.force_login(
            User.objects.get(email=email), backend="opencen.accounts.backends.EmailBackend"
        )
        result[email] = client
    return result


def measure_views(quick: bool) -> dict[str, dict[str, list[float]]]:
    from django.core.cache import cache

    readers = list(clients().values())
    readers[0].get(f"/analytics/trends/?{YEAR}")  # load the URL map and templates: not timed
    results: dict[str, dict[str, list[float]]] = {}
    for view in VIEWS:
        combos = COMMON + OPTIONS.get(view, [])
        if quick:
            combos = combos[:4]
        cold, warm = [], []
        for i, query in enumerate(combos):
            client = readers[i % len(readers)]
            url = f"/analytics/{view}/?{query}"
            cache.clear()
            ms, response = timed(lambda url=url, client=client: client.get(url))
            assert response.status_code == 200, (url, response.status_code)
            cold.append(ms)
            for _ in range(WARM_REPEAT):
                ms, response = timed(lambda url=url, client=client: client.get(url))
                warm.append(ms)
        results[view] = {"cold": cold, "warm": warm}
    return results


def measure_baseline(views: list[str]) -> dict[str, tuple[float, float, bool]]:
    """(facts ms, case tables ms, same figures) for the 12-month filters, per view."""
    from opencen.accounts.actors import actor_for
    from opencen.accounts.models import User
    from opencen.analytics import store
    from opencen.analytics.filters import AnalyticsFilter
    from opencen.analytics.scope import scope_of
    from opencen.analytics.selectors import VIEWS as ANALYSES

    scope = scope_of(actor_for(User.objects.get(email="analyst@fr.bench")))
    flt = AnalyticsFilter(dt.date(2025, 1, 1), dt.date(2025, 12, 1))
    snap = store.current()
    result = {}
    for view in views:
        analysis = ANALYSES[view].analysis
        fast_ms, fast = timed(lambda a=analysis: a(scope, flt, snap))
        slow_ms, slow = timed(lambda a=analysis: a(scope, flt, "cases"))
        same = all(f.rows == s.rows for f, s in zip(fast, slow, strict=True))
        result[view] = (fast_ms, slow_ms, same)
    return result


def measure_freshness() -> float:
    """Record one case through the services, then time the next trends request (sync of the
    audit log, rewrite of the case's facts, reload of its month, analysis)."""
    from django.test import Client

    from opencen.accounts.actors import actor_for
    from opencen.accounts.models import User
    from opencen.seizures.inputs import CaseIn
    from opencen.seizures.services import check_create_case

    user = User.objects.get(email="analyst@fr.bench")
    check_create_case(
        actor_for(user),
        CaseIn.model_validate(
            {
                "date": "2025-12-15",
                "country": "FR",
                "procedure": "import",
                "location_type": "airport",
                "direction": "inbound",
                "detection": "dog",
                "transport": "air_passenger",
                "concealment": "baggage",
                "distribution": "network",
                "goods": [
                    {
                        "commodity_area": "drugs",
                        "quantity": "3",
                        "unit": "KGM",
                        "details": {"substance": "cocaine", "form": "powder"},
                    }
                ],
            }
        ),
        submit=True,
    )
    client = Client()
    client.force_login(user, backend="opencen.accounts.backends.EmailBackend")
    ms, response = timed(lambda: client.get(f"/analytics/trends/?{YEAR}"))
    assert response.status_code == 200
    return ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 cases, fewer filters")
    parser.add_argument("--cases", type=int, default=None, help="number of cases")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the scratch database if it exists (skip the load)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    n = args.cases or (20_000 if args.quick else 1_000_000)
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        server = "postgres://postgres@127.0.0.1:5432/postgres"
    fresh = prepare_database(server, args.reuse)
    os.environ["DATABASE_URL"] = _url(server, NAME)
    os.environ["DJANGO_SETTINGS_MODULE"] = "opencen.settings"
    os.environ.setdefault("OPENCEN_VAR_DIR", f"/tmp/{NAME}")  # noqa: S108
    os.environ.setdefault("OPENCEN_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from opencen.analytics import store
    from opencen.seizures.models import Case

    started = time.monotonic()
    try:
        steps = load(n) if fresh else {}
        total = Case.objects.count()
        for step, seconds in steps.items():
            print(f"setup  {step:<28} {seconds:8.1f} s")
        load_ms, snap = timed(store.current)
        print(
            f"facts in memory: {snap.cases.height:,} cases, {snap.goods.height:,} goods lines,"
            f" loaded in {load_ms / 1000:.1f} s (once per process)"
        )
        results = measure_views(args.quick)
        baseline = measure_baseline(VIEWS)
        fresh_ms = measure_freshness()
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(server)
    print(
        f"\n{total:,} cases in PostgreSQL; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs\n"
    )
    print(
        f"{'view':<12} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} {'warm p95':>9}  "
        f"{'facts':>8} {'case tables':>12} {'ratio':>7}  same"
    )
    ok = True
    for view in VIEWS:
        cold, warm = results[view]["cold"], results[view]["warm"]
        fast_ms, slow_ms, same = baseline[view]
        ok &= p95(cold) <= COLD_TARGET_MS and p95(warm) <= WARM_TARGET_MS and same
        print(
            f"{view:<12} {statistics.median(cold):7.0f}ms {p95(cold):7.0f}ms "
            f"{statistics.median(warm):7.1f}ms {p95(warm):7.1f}ms  {fast_ms:6.0f}ms "
            f"{slow_ms:10.0f}ms {slow_ms / max(fast_ms, 0.001):6.0f}x  {'yes' if same else 'NO'}"
        )
    print(
        f"\n{len(results['trends']['cold'])} to {max(len(r['cold']) for r in results.values())}"
        f" filter combinations per view, three readers; targets: cold p95 <= "
        f"{COLD_TARGET_MS:.0f} ms, warm p95 <= {WARM_TARGET_MS:.0f} ms."
    )
    print(
        f"A new case is in the figures of the next request: {fresh_ms:.0f} ms "
        f"(sync + one month reloaded + analysis)."
    )
    print(f"Total {time.monotonic() - started:.0f} s.  {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
