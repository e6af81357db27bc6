"""Reference data API (lookups and autocomplete)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["reference"])
