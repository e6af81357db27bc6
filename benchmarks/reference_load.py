"""Reference data load and look-up speed, on a fresh SQLite database (or ``DATABASE_URL``).

Measures ``load_all`` on an empty database, the second (skipping) run, a forced run that
compares every row, and a few autocomplete queries.  Target (issue 2): the first load under
20 s on SQLite, so ``make demo`` and test setup stay quick.

    .venv/bin/python benchmarks/reference_load.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time


def main() -> int:
    var = tempfile.mkdtemp(prefix="opencen-refbench-")
    os.environ.setdefault("OPENCEN_VAR_DIR", var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencen.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from opencen.reference import selectors
    from opencen.reference.loader import load_all, table_counts

    call_command("migrate", interactive=False, verbosity=0)
    timings: dict[str, float] = {}
    for label, kwargs in (("first load", {}), ("second load", {}), ("forced", {"force": True})):
        started = time.monotonic()
        load_all(**kwargs)  # type: ignore[arg-type]
        timings[label] = time.monotonic() - started
    queries = {
        "hs 8517": lambda: list(selectors.search_hs("8517")[:10]),
        "hs words": lambda: list(selectors.search_hs("smartphones")[:10]),
        "places rotterdam": lambda: list(selectors.search_places("rotterdam")[:10]),
        "places NLRTM": lambda: list(selectors.search_places("NLRTM")[:10]),
        "search all 'port'": lambda: selectors.search_all("port"),
    }
    for label, query in queries.items():
        started = time.monotonic()
        for _ in range(5):
            query()
        timings[label] = (time.monotonic() - started) / 5
    for label, seconds in timings.items():
        print(f"{label:<20} {seconds * 1000:>9.1f} ms")
    print(table_counts())
    return 0 if timings["first load"] < 20 else 1


if __name__ == "__main__":
    sys.exit(main())
