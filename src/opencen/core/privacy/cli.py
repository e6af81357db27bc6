"""``python -m opencen.core.privacy`` (and ``opencen privacy-check``): check standard input."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from opencen.core.privacy.gate import find_personal_data


def main(argv: Sequence[str] | None = None) -> int:
    """Read text on stdin, print one JSON object per finding; exit 1 if any, else 0."""
    parser = argparse.ArgumentParser(
        prog="opencen privacy-check",
        description="Check text on standard input for personal data; print findings as JSON lines.",
    )
    parser.add_argument("--lang", default="en", choices=["en", "fr"], help="text language")
    args = parser.parse_args(list(argv) if argv is not None else None)
    text = sys.stdin.read()
    findings = find_personal_data(text, args.lang)
    for f in findings:
        sys.stdout.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
    return 1 if findings else 0
