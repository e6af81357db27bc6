"""Shared set-up of the database benchmarks: a throw-away database, migrated, with Django ready.

Not a benchmark itself (``benchmarks/run.py`` runs only scripts that take ``--quick``).  With a
PostgreSQL URL, a scratch database named after the benchmark is created on that server and
dropped at the end; otherwise a temporary SQLite file is used.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


def _scratch_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_connection(url: str) -> object:
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "localhost",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    )


@contextmanager
def bench_database(
    name: str, database_url: str | None, *, reuse: bool = False, keep: bool = False
) -> Iterator[str]:
    """Point Django at a fresh, migrated database for the duration of the block.

    Yields the engine vendor (``postgresql`` or ``sqlite``).  The database (PostgreSQL scratch
    database or SQLite file) and the temporary ``OPENCEN_VAR_DIR`` are removed afterwards,
    unless ``keep``; ``reuse`` takes the PostgreSQL scratch database a kept run left as it is.
    """
    var = tempfile.mkdtemp(prefix=f"opencen-{name}-")
    os.environ["OPENCEN_VAR_DIR"] = var
    os.environ["DJANGO_SETTINGS_MODULE"] = "opencen.settings"
    os.environ.setdefault("OPENCEN_LOG_LEVEL", "WARNING")
    url = database_url if database_url is not None else os.environ.get("DATABASE_URL", "")
    scratch = f"opencen_bench_{name}"
    postgres = url.startswith(("postgres://", "postgresql://"))
    if postgres:
        with admin_connection(url) as conn:  # type: ignore[attr-defined]
            there = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [scratch])
            if not (reuse and there.fetchone()):
                conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{scratch}"')
        os.environ["DATABASE_URL"] = _scratch_url(url, scratch)
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        where = scratch if postgres else f"{var}/opencen.sqlite3"
        print(
            f"database: {connection.vendor} {where} (migrated in "
            f"{time.monotonic() - started:.1f} s)"
        )
        yield connection.vendor
    finally:
        from django.db import connections

        connections.close_all()
        if postgres and not keep:
            with admin_connection(url) as conn:  # type: ignore[attr-defined]
                conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        shutil.rmtree(var, ignore_errors=True)


def load_reference(*, places: bool = True) -> float:
    """Load the shipped reference data (UN/LOCODE too unless ``places=False``); seconds taken."""
    from opencen.reference.loader import load_all

    started = time.monotonic()
    only = ["countries", "currencies", "wco", "hs", "units"] + (["unlocode"] if places else [])
    load_all(only=only)
    return time.monotonic() - started


class CpuClock:
    """CPU seconds used so far by this process, its finished children, and (when the server
    runs on this machine) the PostgreSQL backend serving Django's connection: on a busy
    machine, wall-clock figures say little without them."""

    def __init__(self) -> None:
        from django.db import connection

        self._stat: str | None = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                path = f"/proc/{cursor.fetchone()[0]}/stat"
            self._stat = path if os.path.exists(path) else None

    def read(self) -> tuple[float, float, float, float | None]:
        """(wall, this process, children, database backend or None)."""
        me, kids = (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
        server = None
        if self._stat is not None:
            try:
                with open(self._stat) as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except OSError:
                server = None
        return (
            time.perf_counter(),
            me.ru_utime + me.ru_stime,
            kids.ru_utime + kids.ru_stime,
            server,
        )

    @staticmethod
    def spent(
        start: tuple[float, float, float, float | None],
        end: tuple[float, float, float, float | None],
    ) -> str:
        """``wall 12.3 s (CPU: here 10.1 s, children 4.2 s, database 6.0 s)``."""
        parts = [f"here {end[1] - start[1]:.1f} s", f"children {end[2] - start[2]:.1f} s"]
        if start[3] is not None and end[3] is not None:
            parts.append(f"database {end[3] - start[3]:.1f} s")
        return f"{end[0] - start[0]:6.1f} s  (CPU: {', '.join(parts)})"


def machine_load() -> str:
    """The 1-minute load average against the number of cores, for the record."""
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) of durations in seconds, returned in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    """Run ``call`` ``repeat`` times; the duration of each run in seconds."""
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        durations.append(time.perf_counter() - started)
    return durations
