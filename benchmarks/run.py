"""Run every benchmark (``make bench``) and print a summary.

A benchmark is a script of this folder that accepts ``--quick`` (found by reading each
``benchmarks/*.py`` for that option, so new ones join without being listed here).  By default
each runs with ``--quick`` (a minute or less each); ``--full`` runs them at full size.  Scripts
without ``--quick`` (data builders, shared helpers) are not benchmarks and are skipped.

Exit status: 0 when every benchmark ran to completion, 1 when one crashed or exited non-zero
(a full-size run exits non-zero when it misses its goal), 2 when none was found.

    .venv/bin/python benchmarks/run.py                  # every benchmark, --quick
    .venv/bin/python benchmarks/run.py --full           # full size (long)
    .venv/bin/python benchmarks/run.py seizures_ engine_  # only names starting so
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK_FLAG = re.compile(r"""["']--quick["']""")


def discover(prefixes: list[str]) -> list[Path]:
    """Benchmarks of this folder (scripts taking ``--quick``), by name, filtered by prefix."""
    found = []
    for path in sorted(HERE.glob("*.py")):
        if path.name == Path(__file__).name or path.name.startswith("_"):
            continue
        if prefixes and not any(path.stem.startswith(p) for p in prefixes):
            continue
        if QUICK_FLAG.search(path.read_text(encoding="utf-8")):
            found.append(path)
    return found


def run(path: Path, *, full: bool, timeout: float | None, extra: list[str]) -> tuple[int, float]:
    """Run one benchmark with this interpreter, output streamed; (exit status, seconds)."""
    command = [sys.executable, str(path), *([] if full else ["--quick"]), *extra]
    print(f"\n=== {path.stem}: {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    try:
        status = subprocess.run(command, cwd=HERE.parent, timeout=timeout, check=False).returncode
    except subprocess.TimeoutExpired:
        print(f"--- {path.stem}: stopped after {timeout:.0f} s", flush=True)
        status = -1
    return status, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("prefixes", nargs="*", help="only benchmarks whose name starts so")
    parser.add_argument("--full", action="store_true", help="full size, without --quick")
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds after which a benchmark is stopped (counts as a crash)",
    )
    parser.add_argument("--list", action="store_true", help="only list the benchmarks")
    parser.add_argument(
        "--database-url", default=None, help="passed on to the benchmarks that take --database-url"
    )
    args = parser.parse_args()
    benchmarks = discover(args.prefixes)
    if args.list or not benchmarks:
        for path in benchmarks:
            print(path.stem)
        if not benchmarks:
            print("no benchmark found", file=sys.stderr)
            return 2
        return 0
    results = []
    for path in benchmarks:
        extra = []
        if args.database_url and "--database-url" in path.read_text(encoding="utf-8"):
            extra = ["--database-url", args.database_url]
        results.append((path.stem, *run(path, full=args.full, timeout=args.timeout, extra=extra)))
    print(f"\n=== summary ({'full' if args.full else 'quick'})")
    width = max(len(name) for name, _status, _seconds in results)
    for name, status, seconds in results:
        verdict = "ok" if status == 0 else f"FAILED (exit status {status})"
        print(f"  {name:<{width}}  {seconds:7.1f} s  {verdict}")
    failed = [name for name, status, _seconds in results if status != 0]
    if failed:
        print(f"{len(failed)} of {len(results)} benchmarks failed: {', '.join(failed)}")
        return 1
    print(f"all {len(results)} benchmarks ran")
    return 0


if __name__ == "__main__":
    sys.exit(main())
