"""Routes: the most frequent departure -> transit -> destination chains, emerging routes, flows.

A case's chain is its route legs in order: the departure country, the transit countries and the
destination country (``?`` where the case does not say).  Cases without any route leg are not
counted here.  A route is *emerging* when it has at least ``MIN_EMERGING`` cases in the period
and at most a third as many (``EMERGING_RATIO``) in the period of the same length just before.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from opencen.analytics.filters import AnalyticsFilter
from opencen.analytics.geo import centroids
from opencen.analytics.scope import Scope
from opencen.analytics.selectors import base
from opencen.analytics.selectors.base import Column, Source, Table
from opencen.analytics.selectors.labels import country_names, country_numeric, transport_label
from opencen.analytics.store import Snapshot
from opencen.seizures.models import RouteLeg

MIN_EMERGING = 3
EMERGING_RATIO = 3
MAX_EMERGING = 50
MAX_FLOWS = 60
CHAIN = ["departure", "transit", "destination"]
Chain = tuple[str, str, str]  # departure, transit ("BE>NL"), destination
Split = Counter[tuple[Chain, str]]  # (chain, transport) -> cases


class _Source:
    """Chain totals, and the transport split of chosen chains, from one source."""

    def totals(self, flt: AnalyticsFilter) -> pl.DataFrame:
        """``departure, transit, destination, n``: cases per chain."""
        raise NotImplementedError

    def split(self, flt: AnalyticsFilter, chains: list[Chain]) -> Split:
        raise NotImplementedError


class _Facts(_Source):
    def __init__(self, snap: Snapshot, scope: Scope) -> None:
        self.snap, self.scope = snap, scope

    def _routed(self, flt: AnalyticsFilter) -> pl.LazyFrame:
        return base.case_facts(self.snap, self.scope, flt).filter(
            pl.any_horizontal(pl.col(c) != "" for c in CHAIN)
        )

    def totals(self, flt: AnalyticsFilter) -> pl.DataFrame:
        totals = self._routed(flt).group_by("chain").agg(n=pl.len()).collect()
        parts = pl.col("chain").cast(pl.String).str.split_exact("|", 2)
        return totals.select(parts.struct.rename_fields(CHAIN).alias("c"), "n").unnest("c")

    def split(self, flt: AnalyticsFilter, chains: list[Chain]) -> Split:
        if not chains:
            return Counter()
        wanted = set(chains)
        keys = {"|".join(c): c for c in chains}
        rows = (
            self._routed(flt)
            .filter(pl.col("chain").is_in(list(keys)))
            .group_by("chain", "transport")
            .len()
            .collect()
            .iter_rows()
        )
        return Counter({(keys[chain], m): n for chain, m, n in rows if keys.get(chain) in wanted})


class _Cases(_Source):
    """Straight from the route legs of the cases ``visible_to`` returns (slow at scale)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.memo: dict[str, Split] = {}

    def _all(self, flt: AnalyticsFilter) -> Split:
        key = flt.cache_part()
        if key not in self.memo:
            cases = base.cases(self.scope, flt)
            transport = dict(cases.values_list("id", "transport"))
            legs: dict[uuid.UUID, list[tuple[int, str, str]]] = defaultdict(list)
            for case_id, position, role, country in RouteLeg.objects.filter(
                case__in=cases.values("id")
            ).values_list("case_id", "position", "role", "country_id"):
                legs[case_id].append((position, role, country))
            counts: Split = Counter()
            for owner_case, case_legs in legs.items():
                case_legs.sort()
                departure = next((c for _p, r, c in case_legs if r == "departure"), "")
                destination = next((c for _p, r, c in case_legs if r == "destination"), "")
                transit = ">".join(c for _p, r, c in case_legs if r == "transit")
                counts[((departure, transit, destination), transport[owner_case])] += 1
            self.memo[key] = counts
        return self.memo[key]

    def totals(self, flt: AnalyticsFilter) -> pl.DataFrame:
        totals: Counter[Chain] = Counter()
        for (chain, _transport), n in self._all(flt).items():
            totals[chain] += n
        return pl.DataFrame(
            [(*c, n) for c, n in totals.items()],
            schema={**dict.fromkeys(CHAIN, pl.String), "n": pl.UInt32},
            orient="row",
        )

    def split(self, flt: AnalyticsFilter, chains: list[Chain]) -> Split:
        wanted = set(chains)
        return Counter({k: n for k, n in self._all(flt).items() if k[0] in wanted})


def chain_label(chain: Chain, names: dict[str, str]) -> str:
    departure, transit, destination = chain
    steps = [names.get(departure, departure) or "?"]
    steps += [names.get(c, c) for c in transit.split(">") if c]
    steps.append(names.get(destination, destination) or "?")
    return " → ".join(steps)


def _countries(chains: list[Chain]) -> set[str]:
    found: set[str] = set()
    for departure, transit, destination in chains:
        found |= {departure, destination, *transit.split(">")}
    return {c for c in found if c}


def _top(
    totals: dict[Chain, int], split: Split, top: list[Chain], label: Callable[[Chain], str]
) -> Table:
    rank = {chain: i + 1 for i, chain in enumerate(top)}
    rows: list[dict[str, Any]] = [
        {
            "rank": rank[chain],
            "route": label(chain),
            "departure": chain[0],
            "transit": chain[1],
            "destination": chain[2],
            "transport": transport_label(transport),
            "cases": n,
            "route_cases": totals[chain],
            "share": base.pct(n, totals[chain]),
        }
        for (chain, transport), n in split.items()
        if chain in rank
    ]
    rows.sort(key=lambda r: (r["rank"], -r["cases"], r["transport"]))
    return Table(
        "routes",
        _("Most frequent routes"),
        [
            Column("rank", _("Rank"), "int"),
            Column("route", _("Route")),
            Column("transport", _("Means of transport")),
            Column("cases", _("Cases"), "int"),
            Column("route_cases", _("Cases on the route"), "int"),
            Column("share", _("Share of the route (%)"), "pct"),
        ],
        rows,
    )


def _emerging_chains(now: pl.DataFrame, before: pl.DataFrame) -> list[tuple[Chain, int, int]]:
    frequent = now.filter(pl.col("n") >= MIN_EMERGING)
    joined = frequent.join(before.rename({"n": "before"}), on=CHAIN, how="left").with_columns(
        before=pl.col("before").fill_null(0)
    )
    rising = (
        joined.filter(pl.col("before") * EMERGING_RATIO <= pl.col("n"))
        .with_columns(growth=pl.col("n").cast(pl.Int64) - pl.col("before").cast(pl.Int64))
        .sort(["growth", *CHAIN], descending=[True, False, False, False])
        .head(MAX_EMERGING)
    )
    return [((d, t, a), n, b) for d, t, a, n, b, _g in rising.iter_rows()]


def _emerging(candidates: list[tuple[Chain, int, int]], label: Callable[[Chain], str]) -> Table:
    rows: list[dict[str, Any]] = [
        {"route": label(chain), "cases": n, "before": before, "growth": n - before}
        for chain, n, before in candidates
    ]
    rows.sort(key=lambda r: (-r["growth"], r["route"]))
    return Table(
        "emerging",
        _("Emerging routes"),
        [
            Column("route", _("Route")),
            Column("cases", _("Cases in the period"), "int"),
            Column("before", _("Cases in the period before"), "int"),
            Column("growth", _("Increase"), "int"),
        ],
        rows,
        note=_(
            "Routes with at least %(n)d cases in the period and at most a third as many in the "
            "period of the same length just before."
        )
        % {"n": MIN_EMERGING},
    )


def _legs(totals: pl.DataFrame) -> list[tuple[str, str, int]]:
    """Country-to-country legs of every chain (the most travelled first)."""
    stops = totals.with_columns(
        stops=pl.concat_list(
            pl.col("departure"), pl.col("transit").str.split(">"), pl.col("destination")
        ).list.eval(pl.element().filter(pl.element() != ""))
    ).filter(pl.col("stops").list.len() > 1)
    legs = (
        stops.select(
            "n",
            a=pl.col("stops").list.slice(0, pl.col("stops").list.len() - 1),
            b=pl.col("stops").list.slice(1),
        )
        .explode("a", "b")
        .filter(pl.col("a") != pl.col("b"))
    )
    ranked = (
        legs.group_by("a", "b")
        .agg(pl.col("n").sum())
        .sort(["n", "a", "b"], descending=[True, False, False])
        .head(MAX_FLOWS)
    )
    return [(a, b, n) for a, b, n in ranked.iter_rows()]


def _flows(legs: list[tuple[str, str, int]], names: dict[str, str]) -> Table:
    """The legs with the countries' centres for the map."""
    numeric = country_numeric({c for a, b, _n in legs for c in (a, b)})
    centres = centroids()
    rows, unmapped = [], 0
    for a, b, n in legs:
        start, end = centres.get(numeric.get(a, "")), centres.get(numeric.get(b, ""))
        row = {
            "from": names.get(a, a),
            "to": names.get(b, b),
            "from_code": a,
            "to_code": b,
            "cases": n,
        }
        if start and end:
            row.update(lon=start[0], lat=start[1], lon2=end[0], lat2=end[1])
        else:
            unmapped += 1
        rows.append(row)
    return Table(
        "flows",
        _("Flows between countries"),
        [
            Column("from", _("From")),
            Column("to", _("To")),
            Column("cases", _("Cases"), "int"),
        ],
        rows,
        note=_("%(n)d flows have a country without a shape on the map.") % {"n": unmapped}
        if unmapped
        else "",
    )


def routes(scope: Scope, flt: AnalyticsFilter, source: Source = "facts") -> list[Table]:
    """Top routes by transport mode, emerging routes, and the flows for the map."""
    snap = base.snapshot_of(source)
    reader: _Source = _Facts(snap, scope) if snap is not None else _Cases(scope)
    totals = reader.totals(flt)
    ranked = totals.sort(["n", *CHAIN], descending=[True, False, False, False]).head(flt.top)
    top = [(d, t, a) for d, t, a, _n in ranked.iter_rows()]
    top_totals = {(d, t, a): n for d, t, a, n in ranked.iter_rows()}
    candidates: list[tuple[Chain, int, int]] = []
    if totals.filter(pl.col("n") >= MIN_EMERGING).height:
        candidates = _emerging_chains(totals, reader.totals(flt.previous()))
    legs = _legs(totals)
    codes = _countries(top + [c for c, _n, _b in candidates])
    codes |= {c for a, b, _n in legs for c in (a, b)}
    names = country_names(codes)

    def label(chain: Chain) -> str:
        return chain_label(chain, names)

    return [
        _top(top_totals, reader.split(flt, top), top, label),
        _emerging(candidates, label),
        _flows(legs, names),
    ]
