"""Data quality per administration: completeness of the key fields and reporting delay.

A field is *complete* on a case when it is known: a place of seizure, an HS code on every goods
line, a value on every goods line, a route with a departure and a destination, and a transport,
procedure, location type and direction other than ``unknown``.  The delay is the days between
the date of seizure and the entry of the case; a case entered more than ``LATE_DAYS`` after is
late.  Completeness is the mean of the fields' shares.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any, cast

import polars as pl
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencen.accounts.models import Organisation
from opencen.analytics.facts import LATE_DAYS
from opencen.analytics.filters import AnalyticsFilter
from opencen.analytics.scope import Scope
from opencen.analytics.selectors import base
from opencen.analytics.selectors.base import Column, Source, Table
from opencen.analytics.store import Snapshot
from opencen.seizures.models import GoodsLine, RouteLeg

# Measure -> label of the field it checks.
FIELDS = {
    "no_place": gettext_lazy("Place"),
    "no_hs_code": gettext_lazy("HS code"),
    "no_value": gettext_lazy("Value"),
    "no_route": gettext_lazy("Route"),
    "unknown_transport": gettext_lazy("Transport"),
    "unknown_procedure": gettext_lazy("Procedure"),
    "unknown_location": gettext_lazy("Location type"),
    "unknown_direction": gettext_lazy("Direction"),
}
COUNTS = [
    "cases",
    "drafts",
    "validated",
    "delay_days",
    "delay_0_7",
    "delay_8_30",
    "delay_31_90",
    "delay_over_90",
    *FIELDS,
]
Totals = dict[str, dict[str, int]]


def _fact_totals(snap: Snapshot, scope: Scope, flt: AnalyticsFilter) -> Totals:
    delay = pl.col("delay")
    rows = (
        base.case_facts(snap, scope, flt)
        .group_by("owner_id")
        .agg(
            pl.len().alias("cases"),
            pl.col("draft").sum().alias("drafts"),
            pl.col("validated").sum().alias("validated"),
            delay.sum().alias("delay_days"),
            (delay <= 7).sum().alias("delay_0_7"),
            ((delay > 7) & (delay <= LATE_DAYS)).sum().alias("delay_8_30"),
            ((delay > LATE_DAYS) & (delay <= 90)).sum().alias("delay_31_90"),
            (delay > 90).sum().alias("delay_over_90"),
            *(pl.col(flag).sum().alias(flag) for flag in FIELDS),
        )
        .collect()
        .to_dicts()
    )
    return {r["owner_id"]: {k: int(r[k] or 0) for k in COUNTS} for r in rows}


def _direct_totals(scope: Scope, flt: AnalyticsFilter) -> Totals:
    goods = GoodsLine.objects.filter(case=OuterRef("pk"))
    legs = RouteLeg.objects.filter(case=OuterRef("pk"))
    qs = base.cases(scope, flt).annotate(
        _no_hs=Exists(goods.filter(hs_chapter="")),
        _no_value=Exists(goods.filter(value=None)),
        _dep=Exists(legs.filter(role="departure")),
        _dest=Exists(legs.filter(role="destination")),
    )
    flags = {
        "no_place": Q(place=None),
        "no_hs_code": Q(_no_hs=True),
        "no_value": Q(_no_value=True),
        "no_route": Q(_dep=False) | Q(_dest=False),
        "unknown_transport": Q(transport="unknown"),
        "unknown_procedure": Q(procedure="unknown"),
        "unknown_location": Q(location_type="unknown"),
        "unknown_direction": Q(direction="unknown"),
        "drafts": Q(status="draft"),
        "validated": Q(status="validated"),
    }
    totals: Totals = {}
    for row in qs.values("owner_id").annotate(
        cases=Count("id"), **{k: Count("id", filter=q) for k, q in flags.items()}
    ):
        values = cast(dict[str, Any], row)
        totals[values["owner_id"].hex] = {k: values[k] for k in ["cases", *flags]}
    delays: dict[str, list[int]] = defaultdict(list)
    for owner_id, date, created in qs.values_list("owner_id", "date", "created_at"):
        entered = created.astimezone(dt.UTC).date()
        delays[owner_id.hex].append(max((entered - date).days, 0))
    for owner, days in delays.items():
        totals[owner].update(
            delay_days=sum(days),
            delay_0_7=sum(d <= 7 for d in days),
            delay_8_30=sum(7 < d <= LATE_DAYS for d in days),
            delay_31_90=sum(LATE_DAYS < d <= 90 for d in days),
            delay_over_90=sum(d > 90 for d in days),
        )
    return totals


def _median_band(t: dict[str, int]) -> str:
    """The delay band holding the median case."""
    half, seen = t["cases"] / 2, 0
    for key, label in (
        ("delay_0_7", "0-7"),
        ("delay_8_30", "8-30"),
        ("delay_31_90", "31-90"),
        ("delay_over_90", "> 90"),
    ):
        seen += t[key]
        if seen >= half:
            return label
    return ""


def _row(name: str, t: dict[str, int]) -> dict[str, Any]:
    n = t["cases"]
    row: dict[str, Any] = {"administration": name, "cases": n}
    shares = []
    for key in FIELDS:
        share = base.pct(n - t[key], n)
        row[key] = share
        shares.append(share or 0.0)
    row["completeness"] = round(sum(shares) / len(shares), 1) if n else None
    row["validated"] = base.pct(t["validated"], n)
    row["drafts"] = t["drafts"]
    row["mean_delay"] = round(t["delay_days"] / n, 1) if n else None
    row["median_band"] = _median_band(t)
    row["late"] = base.pct(t["delay_31_90"] + t["delay_over_90"], n)
    return row


def quality(scope: Scope, flt: AnalyticsFilter, source: Source = "facts") -> list[Table]:
    """One row per administration whose cases the scope may see."""
    snap = base.snapshot_of(source)
    totals = _fact_totals(snap, scope, flt) if snap else _direct_totals(scope, flt)
    names = dict(
        Organisation.objects.filter(id__in=[uuid.UUID(o) for o in totals]).values_list("id", "name")
    )
    rows = [_row(names.get(uuid.UUID(o), o), t) for o, t in totals.items()]
    rows.sort(key=lambda r: (r["completeness"] or 0, r["administration"]))
    columns = [
        Column("administration", _("Administration")),
        Column("cases", _("Cases"), "int"),
        Column("completeness", _("Completeness (%)"), "pct"),
        *[
            Column(k, _("%(field)s known (%%)") % {"field": label}, "pct")
            for k, label in FIELDS.items()
        ],
        Column("validated", _("Validated (%)"), "pct"),
        Column("drafts", _("Drafts"), "int"),
        Column("mean_delay", _("Mean delay (days)"), "num"),
        Column("median_band", _("Median delay (days)")),
        Column("late", _("Entered after %(n)d days (%%)") % {"n": LATE_DAYS}, "pct"),
    ]
    return [
        Table("quality", _("Completeness and reporting delay per administration"), columns, rows)
    ]
