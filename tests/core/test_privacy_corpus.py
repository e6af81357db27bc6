"""Measure the personal-data gate on the labelled corpora and hold it to the issue's targets."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "privacy_corpus_bench", ROOT / "benchmarks" / "privacy_corpus.py"
    )
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


bench = _bench()


def test_corpus_shape() -> None:
    rows = bench.load(HERE / "privacy_corpus.jsonl")
    assert len(rows) >= 300
    with_pd = [r for r in rows if r["spans"]]
    assert 0.4 <= len(with_pd) / len(rows) <= 0.6
    assert {r["lang"] for r in rows} == {"en", "fr"}
    for r in rows:
        for sp in r["spans"]:
            assert 0 <= sp["start"] < sp["end"] <= len(r["text"])
            assert r["text"][sp["start"] : sp["end"]].strip() == r["text"][sp["start"] : sp["end"]]


@pytest.mark.parametrize("name", ["privacy_corpus.jsonl", "privacy_corpus_holdout.jsonl"])
def test_targets(name: str) -> None:
    rep = bench.evaluate(bench.load(HERE / name))
    msg = "\n".join(rep.misses + rep.false_alarms)
    assert rep.recall(bench.STRUCTURED) >= 0.99, msg
    assert rep.recall("person_name") >= 0.90, msg
    assert rep.fp_rate <= 0.05, msg
