"""``python -m opencen.core.privacy [--lang fr] < text.txt``: see :func:`cli.main`."""

from __future__ import annotations

from opencen.core.privacy.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
