"""Rebuild the reference data files shipped in ``src/opencen/reference/data``.

A maintainer tool, not run by the platform.  Each output is its upstream file re-encoded to
UTF-8 and gzipped (``mtime=0``, so a rebuild from the same inputs gives the same bytes and the
loader's checksum does not change); see ``data/NOTICE.md`` for sources and licences.

Inputs:

* ``--shared``: the team's ``shared/data/reference`` folder (HS 2022, WCO members, UN/LOCODE
  2024-2 parts 2 and 3);
* ``--pyunlocode-wheel``: ``pip download --no-deps pyunlocode==0.1.0`` (carries the UNECE
  2023-1 ``CodeListPart1.csv``, countries AD to FR, missing from ``shared/``);
* ``--rec20-tgz``: ``npm pack un-ece-recommendation@0.1.1`` (UN/ECE Recommendation 20).

Usage::

    .venv/bin/python benchmarks/reference_build_data.py --shared ../shared/data/reference \\
        --pyunlocode-wheel /tmp/pyunlocode-0.1.0-py3-none-any.whl \\
        --rec20-tgz /tmp/un-ece-recommendation-0.1.1.tgz
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import tarfile
import zipfile
from pathlib import Path

from opencen.reference.datafiles import (
    DATA_DIR,
    HS_NOMENCLATURE,
    HS_SECTIONS,
    UNITS,
    UNLOCODE_FILES,
    WCO_MEMBERS,
)

PART1_MEMBER = "pyunlocode/csv/2023-1 UNLOCODE CodeListPart1.csv"
REC20_MEMBER = "package/dist/cjs/20/3/index.js"
_JS_ENTRY_RE = re.compile(
    r'\{\s*code:\s*("(?:[^"\\]|\\.)*")\s*(?:,\s*name:\s*("(?:[^"\\]|\\.)*"))?'
)


def write_gz(name: str, text: str) -> None:
    with (
        (DATA_DIR / name).open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out,
    ):
        out.write(text.encode("utf-8"))


def rec20_from_js(source: str) -> list[tuple[str, str]]:
    """(code, name) pairs of the package's ``REC_20_3`` module."""
    return [
        (json.loads(code), json.loads(name) if name else "")
        for code, name in _JS_ENTRY_RE.findall(source)
    ]


def build(shared: Path, pyunlocode_wheel: Path, rec20_tgz: Path) -> None:
    DATA_DIR.mkdir(exist_ok=True)
    write_gz(HS_NOMENCLATURE.name, (shared / "hs2022-nomenclature.csv").read_text("utf-8"))
    write_gz(HS_SECTIONS.name, (shared / "hs2022-sections.csv").read_text("utf-8-sig"))
    (DATA_DIR / WCO_MEMBERS.name).write_bytes((shared / WCO_MEMBERS.name).read_bytes())
    with zipfile.ZipFile(pyunlocode_wheel) as wheel:
        write_gz(UNLOCODE_FILES[0].name, wheel.read(PART1_MEMBER).decode("latin-1"))
    for shipped, part in zip(UNLOCODE_FILES[1:], (2, 3), strict=True):
        raw = (shared / f"unlocode-2024-2-codelist-part{part}.csv").read_bytes()
        write_gz(shipped.name, raw.decode("latin-1"))
    with tarfile.open(rec20_tgz) as tgz:
        member = tgz.extractfile(REC20_MEMBER)
        if member is None:
            raise SystemExit(f"{REC20_MEMBER} not found in {rec20_tgz}")
        units = rec20_from_js(member.read().decode("utf-8"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name"])
    writer.writerows(units)
    write_gz(UNITS.name, out.getvalue())
    for path in sorted(DATA_DIR.iterdir()):
        print(f"{path.stat().st_size:>10,}  {path.name}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Rebuild opencen's shipped reference data.")
    parser.add_argument("--shared", type=Path, required=True)
    parser.add_argument("--pyunlocode-wheel", type=Path, required=True)
    parser.add_argument("--rec20-tgz", type=Path, required=True)
    args = parser.parse_args()
    build(args.shared, args.pyunlocode_wheel, args.rec20_tgz)


if __name__ == "__main__":
    main()
