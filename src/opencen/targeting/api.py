"""Targeting API."""

from ninja import Router

router = Router(tags=["targeting"])
