"""Measure the personal-data gate on the labelled corpus and print the figures.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/privacy_corpus.py [--corpus PATH] [--errors]

Prints, per kind, precision and recall (a gold span counts as found when a finding of a
compatible kind overlaps it: passport/identity numbers form one "document" group, IBAN / bank
account / payment card one "bank" group), the recall for any kind (what matters for the gate:
any finding refuses the text), the false-positive rate on clean sentences (fraction of clean
sentences with at least one finding) and the speed in texts per second.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from opencen.core.privacy import Finding, find_personal_data  # noqa: E402

CORPUS = ROOT / "tests" / "core" / "privacy_corpus.jsonl"
STRUCTURED = ("email", "phone", "iban", "passport_number", "id_number", "mrz")
_GROUP = {
    "passport_number": "document",
    "id_number": "document",
    "iban": "bank",
    "bank_account": "bank",
    "payment_card": "bank",
}


def _group(kind: str) -> str:
    return _GROUP.get(kind, kind)


@dataclass
class Report:
    """Figures measured on a corpus."""

    gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    hit: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    hit_any: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    pred: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    pred_ok: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    clean: int = 0
    clean_flagged: int = 0
    sentences: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def recall(self, kinds: tuple[str, ...] | str) -> float:
        """Recall over the given kind(s), compatible kinds counting as found."""
        ks = (kinds,) if isinstance(kinds, str) else kinds
        g = sum(self.gold[k] for k in ks)
        return sum(self.hit[k] for k in ks) / g if g else 1.0

    def recall_any(self) -> float:
        """Recall when any finding overlapping a gold span counts (the gate's behaviour)."""
        g = sum(self.gold.values())
        return sum(self.hit_any.values()) / g if g else 1.0

    def precision(self, kind: str) -> float:
        """Share of findings of this kind that overlap a gold span of a compatible kind."""
        p = self.pred[kind]
        return self.pred_ok[kind] / p if p else 1.0

    @property
    def fp_rate(self) -> float:
        """Fraction of clean sentences with at least one finding."""
        return self.clean_flagged / self.clean if self.clean else 0.0


def load(path: Path = CORPUS) -> list[dict[str, Any]]:
    """Load the JSON-lines corpus."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(rows: list[dict[str, Any]]) -> Report:
    """Run the gate on every sentence and compare with the labelled spans."""
    rep = Report()
    for row in rows:
        text, spans = row["text"], row["spans"]
        found: list[Finding] = find_personal_data(text, row.get("lang", "en"))
        rep.sentences += 1
        if not spans:
            rep.clean += 1
            if found:
                rep.clean_flagged += 1
                rep.false_alarms.append(
                    f"{row['id']}: {text!r} -> {[(f.kind, f.text) for f in found]}"
                )
        for sp in spans:
            kind = sp["kind"]
            rep.gold[kind] += 1
            over = [f for f in found if f.start < sp["end"] and sp["start"] < f.end]
            if over:
                rep.hit_any[kind] += 1
            if any(_group(f.kind) == _group(kind) for f in over):
                rep.hit[kind] += 1
            else:
                rep.misses.append(
                    f"{row['id']} {kind} {text[sp['start'] : sp['end']]!r}: "
                    f"{[(f.kind, f.text) for f in found]}"
                )
        for f in found:
            rep.pred[f.kind] += 1
            if any(
                f.start < sp["end"] and sp["start"] < f.end and _group(sp["kind"]) == _group(f.kind)
                for sp in spans
            ):
                rep.pred_ok[f.kind] += 1
    return rep


def speed(rows: list[dict[str, Any]], seconds: float = 2.0) -> tuple[float, float]:
    """Texts per second on the corpus sentences and on ~1,000-character texts."""
    texts = [r["text"] for r in rows]
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        for t in texts:
            find_personal_data(t)
        n += len(texts)
    short = n / (time.perf_counter() - t0)
    longs = []
    buf = ""
    for t in texts:
        buf += t + " "
        if len(buf) >= 1000:
            longs.append(buf[:1000])
            buf = ""
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        for t in longs:
            find_personal_data(t)
        n += len(longs)
    return short, n / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--errors", action="store_true", help="list misses and false alarms")
    args = ap.parse_args(argv)
    rows = load(args.corpus)
    rep = evaluate(rows)
    en = sum(1 for r in rows if r["lang"] == "en")
    print(
        f"corpus: {rep.sentences} sentences ({en} en, {rep.sentences - en} fr), "
        f"{rep.sentences - rep.clean} with personal data, {rep.clean} clean"
    )
    print(f"{'kind':<16}{'gold':>6}{'found':>7}{'recall':>8}{'pred':>6}{'precision':>11}")
    for kind in sorted(set(rep.gold) | set(rep.pred)):
        print(
            f"{kind:<16}{rep.gold[kind]:>6}{rep.hit[kind]:>7}{rep.recall(kind):>8.3f}"
            f"{rep.pred[kind]:>6}{rep.precision(kind):>11.3f}"
        )
    print(f"recall, structured identifiers ({', '.join(STRUCTURED)}): {rep.recall(STRUCTURED):.3f}")
    print(f"recall, person names: {rep.recall('person_name'):.3f}")
    print(f"recall, any finding on a labelled span: {rep.recall_any():.3f}")
    print(
        f"false positives on clean sentences: {rep.clean_flagged}/{rep.clean} = {rep.fp_rate:.3f}"
    )
    short, long_ = speed(rows)
    print(
        f"speed: {short:,.0f} corpus sentences/s; {long_:,.0f} texts of 1,000 chars/s "
        f"({1000 / long_:.2f} ms each)"
    )
    if args.errors:
        print("\nmisses:")
        print("\n".join(rep.misses) or "  none")
        print("\nfalse alarms on clean sentences:")
        print("\n".join(rep.false_alarms) or "  none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
