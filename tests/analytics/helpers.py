"""Small helpers the analytics tests share."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from opencen.accounts.models import User
from opencen.analytics.filters import AnalyticsFilter
from opencen.analytics.scope import Scope, scope_of
from opencen.analytics.selectors import VIEWS, Table
from tests.conftest import Cast


def scope(cast: Cast, user: User) -> Scope:
    return scope_of(cast.actor(user))


def tables(
    cast: Cast, user: User, view: str, flt: AnalyticsFilter, **changes: Any
) -> dict[str, Table]:
    """The view's tables as ``user`` sees them, computed from the roll-ups (synced first)."""
    from opencen.analytics import rollups

    rollups.sync()
    result = VIEWS[view].analysis(scope(cast, user), replace(flt, **changes), "facts")
    return {t.key: t for t in result}


def rows(table: Table, *keys: str) -> list[tuple[Any, ...]]:
    return [tuple(r[k] for k in keys) for r in table.rows]


def column(table: Table, key: str) -> list[Any]:
    return [r[key] for r in table.rows]
