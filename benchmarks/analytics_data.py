"""A synthetic enforcement database for the analytics benchmark, written with COPY.

Not a benchmark itself: ``analytics_views.py`` calls ``build_world`` and ``load_cases``.  The
data is shaped like a real network's: seizing countries follow a Zipf law (a few countries
report most cases, as Colombia does in the UNODC file), 60% of cases are shared with the
network, 25% with the region, 12% stay with their owner and 3% go to closed user groups;
commodity areas, units, routes through hubs and reporting delays have realistic weights.
Everything is drawn from a seeded generator, so two runs build the same data.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import os
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

SEED = 20261122
FIRST_DAY = dt.date(2016, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
N_COUNTRIES = 120
PLACES_PER_COUNTRY = 4
N_GROUPS = 8

AREAS = {  # area: (weight, chapters, units with weights, median quantity)
    "drugs": (35, ["12", "29", "30", "13"], {"KGM": 0.8, "GRM": 0.15, "H87": 0.05}, 8.0),
    "tobacco": (20, ["24"], {"H87": 0.85, "KGM": 0.15}, 20000.0),
    "ipr": (20, ["61", "62", "64", "42", "85", "91"], {"H87": 1.0}, 300.0),
    "environment": (7, ["05", "03", "44", "06"], {"KGM": 0.7, "H87": 0.3}, 50.0),
    "weapons": (4, ["93"], {"H87": 1.0}, 5.0),
    "currency": (4, ["49", "71"], {"H87": 1.0}, 1.0),
    "revenue": (4, ["22", "27", "87"], {"KGM": 1.0}, 2000.0),
    "strategic": (2, ["84", "85", "28"], {"H87": 1.0}, 10.0),
    "cultural": (1, ["97"], {"H87": 1.0}, 3.0),
    "other": (3, ["39", "94"], {"H87": 1.0}, 100.0),
}
TRANSPORT = {
    "sea_container": 22,
    "sea_bulk": 3,
    "air_cargo": 10,
    "air_passenger": 18,
    "express_courier": 12,
    "postal": 12,
    "road": 15,
    "rail": 3,
    "pedestrian": 2,
    "unknown": 3,
}
DETECTION = {
    "risk_profile": 30,
    "intelligence": 15,
    "random": 8,
    "scanner": 15,
    "dog": 10,
    "routine": 15,
    "tip_off": 4,
    "other": 3,
}
CONCEALMENT = {
    "in_cargo": 15,
    "mixed": 20,
    "false_compartment": 8,
    "container_structure": 5,
    "vehicle": 10,
    "body": 6,
    "baggage": 14,
    "mail_item": 15,
    "not_concealed": 5,
    "other": 2,
}
DISTRIBUTION = {"network": 60, "region": 25, "organisation": 12, "groups": 3}
STATUS = {"validated": 70, "submitted": 15, "draft": 10, "withdrawn": 5}
CURRENCIES = {"": 40, "EUR": 30, "USD": 25, "GBP": 5}
ORIGINS = [
    "CO",
    "EC",
    "PE",
    "BR",
    "BO",
    "MX",
    "AF",
    "PK",
    "IN",
    "CN",
    "TH",
    "MM",
    "NG",
    "MA",
    "TR",
    "IR",
    "VN",
    "KE",
    "ZA",
    "AE",
]
TIMINGS: dict[str, float] = {}
HUBS = ["NL", "BE", "ES", "PA", "AE", "TR", "SG", "HK", "DE", "PT", "ET", "QA"]


@dataclass
class World:
    """The organisations, places and groups the cases refer to."""

    countries: list[str]
    regions: dict[str, str]  # country -> region id (hex)
    customs: dict[str, str]  # country -> organisation id (hex)
    rilos: dict[str, str]  # region id -> organisation id (hex)
    places: dict[str, list[str]]  # country -> UN/LOCODEs
    groups: list[str]  # group ids (hex)
    users: dict[str, Any] = field(default_factory=dict)  # role name -> User


def _weights(spec: dict[str, float]) -> tuple[list[str], np.ndarray]:
    keys = list(spec)
    p = np.array([spec[k] for k in keys], dtype=float)
    return keys, p / p.sum()


def build_world() -> World:
    """Organisations (a customs administration per country, a RILO per region, the
    secretariat), synthetic places near each country's centre, closed user groups and the
    users the benchmark acts as."""
    from django.utils import timezone

    from opencen.accounts.models import (
        ClosedUserGroup,
        GroupMembership,
        Organisation,
        User,
    )
    from opencen.analytics.geo import centroids
    from opencen.reference.models import Country, Place, WcoRegion

    rng = np.random.default_rng(SEED)
    centres = centroids()
    candidates = [
        (c.code, c.wco_region_id, centres[c.numeric.zfill(3)])
        for c in Country.objects.exclude(wco_region=None).order_by("code")
        if c.numeric and c.numeric.zfill(3) in centres
    ]
    preferred = {"FR", "BE", "NL", "DE", "ES", "CO", "KE", "US", "BR", "RU", "CN", "NG"}
    candidates.sort(key=lambda c: (c[0] not in preferred, c[0]))
    chosen = candidates[:N_COUNTRIES]
    countries = [c for c, _r, _xy in chosen]
    order = rng.permutation(len(countries))
    countries = [countries[i] for i in order]
    for must in ("FR", "CO"):  # big reporters, as in real data
        countries.remove(must)
        countries.insert(0, must)
    regions = {c: r.hex for c, r, _xy in chosen}
    secretariat = Organisation.objects.create(
        name="Secretariat", short_name="SEC", kind="secretariat"
    )
    rilos = {}
    for region in WcoRegion.objects.all():
        org = Organisation.objects.create(
            name=f"RILO {region.code}", short_name=f"RILO-{region.code}", kind="rilo", region=region
        )
        rilos[region.id.hex] = org.id.hex
    customs, places = {}, {}
    new_places = []
    for code, region_id, (lon, lat) in chosen:
        org = Organisation.objects.create(
            name=f"Customs {code}",
            short_name=code,
            kind="customs",
            country=code,
            region_id=region_id,
        )
        customs[code] = org.id.hex
        places[code] = [f"{code}Z{i:02d}" for i in range(PLACES_PER_COUNTRY)]
        for i, place in enumerate(places[code]):
            new_places.append(
                Place(
                    code=place,
                    country_id=code,
                    name=f"{code} port {i}",
                    name_ascii=f"{code} port {i}",
                    is_seaport=True,
                    latitude=lat + rng.normal(0, 1.5),
                    longitude=lon + rng.normal(0, 1.5),
                )
            )
    Place.objects.bulk_create(new_places, ignore_conflicts=True)
    groups = []
    for g in range(N_GROUPS):
        owner = customs[countries[g]]
        group = ClosedUserGroup.objects.create(name=f"Desk {g}", owner_id=owner)
        members = {owner, *(customs[countries[int(i)]] for i in rng.integers(0, 40, 6))}
        GroupMembership.objects.bulk_create(
            [GroupMembership(group=group, organisation_id=m) for m in members]
        )
        groups.append(group.id.hex)
    now = timezone.now()
    fr = Organisation.objects.get(short_name="FR")
    users = {
        "customs analyst (FR)": User.objects.create_user(
            "analyst@fr.bench",
            "x",
            full_name="FR analyst",
            organisation=fr,
            role="analyst",
            totp_confirmed_at=now,
        ),
        "RILO analyst": User.objects.create_user(
            "analyst@rilo.bench",
            "x",
            full_name="RILO analyst",
            organisation_id=rilos[fr.region_id.hex],
            role="analyst",
            totp_confirmed_at=now,
        ),
        "secretariat analyst": User.objects.create_user(
            "analyst@sec.bench",
            "x",
            full_name="Secretariat analyst",
            organisation=secretariat,
            role="analyst",
            totp_confirmed_at=now,
        ),
    }
    return World(countries, regions, customs, rilos, places, groups, users)


def _hex_ids(n: int) -> list[str]:
    raw = os.urandom(16 * n).hex()
    return [raw[i : i + 32] for i in range(0, 32 * n, 32)]


def _copy(table: str, frame: pl.DataFrame) -> None:
    from django.db import connection

    buffer = io.StringIO()
    frame.write_csv(buffer, quote_style="non_numeric")
    columns = ", ".join(frame.columns)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # The rows are generated consistent; skip the per-row foreign-key triggers (superuser).
        cursor.execute("SET session_replication_role = replica")
        with cursor.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, HEADER true)"
        ) as copy:
            copy.write(buffer.getvalue())
        cursor.execute("SET session_replication_role = DEFAULT")
    TIMINGS[table] = TIMINGS.get(table, 0.0) + time.perf_counter() - started


def load_cases(world: World, n: int, batch: int = 250_000) -> None:
    """``n`` cases with their goods, route legs and shared groups, in batches."""
    rng = np.random.default_rng(SEED + 1)
    zipf = 1.0 / np.arange(1, len(world.countries) + 1) ** 1.1
    zipf /= zipf.sum()
    for start in range(0, n, batch):
        _batch(world, rng, zipf, start, min(batch, n - start))
    from django.db import connection

    goods_lists = importlib.import_module("opencen.seizures.migrations.0007_goods_areas_chapters")
    with connection.cursor() as cursor:
        cursor.execute(goods_lists.FILL_POSTGRESQL)


def _pick(rng: np.random.Generator, spec: dict[str, float], size: int) -> np.ndarray:
    keys, p = _weights(spec)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=p)]


def _batch(world: World, rng: np.random.Generator, zipf: np.ndarray, offset: int, n: int) -> None:
    span = (LAST_DAY - FIRST_DAY).days
    country_idx = rng.choice(len(world.countries), size=n, p=zipf)
    country = np.array(world.countries, dtype=object)[country_idx]
    days = (rng.random(n) ** 0.75 * span).astype(int)
    dates = [FIRST_DAY + dt.timedelta(days=int(d)) for d in days]
    delay = np.minimum(rng.exponential(25, n).astype(int), 2000)
    created = [
        dt.datetime.combine(d + dt.timedelta(days=int(x)), dt.time(10), dt.UTC).isoformat()
        for d, x in zip(dates, delay, strict=True)
    ]
    rilo = rng.random(n) < 0.06
    owner = [
        world.rilos[world.regions[c]] if r else world.customs[c]
        for c, r in zip(country, rilo, strict=True)
    ]
    distribution = _pick(rng, DISTRIBUTION, n)
    ids = _hex_ids(n)
    has_place = rng.random(n) < 0.6
    place = [
        world.places[c][int(i)] if h else None
        for c, h, i in zip(country, has_place, rng.integers(0, PLACES_PER_COUNTRY, n), strict=True)
    ]
    cases = pl.DataFrame(
        {
            "id": ids,
            "created_at": created,
            "updated_at": created,
            "owner_id": owner,
            "distribution": distribution.tolist(),
            "reference": [f"B-{offset + i:08d}" for i in range(n)],
            "external_ref": [""] * n,
            "kind": ["seizure"] * n,
            "status": _pick(rng, STATUS, n).tolist(),
            "date": [d.isoformat() for d in dates],
            "country_id": country.tolist(),
            "region_id": [world.regions[c] for c in country],
            "place_id": place,
            "procedure": _pick(
                rng, {"import": 60, "export": 20, "transit": 12, "unknown": 8}, n
            ).tolist(),
            "location_type": _pick(
                rng,
                {
                    "seaport": 30,
                    "airport": 35,
                    "land_border": 20,
                    "postal_centre": 10,
                    "unknown": 5,
                },
                n,
            ).tolist(),
            "direction": _pick(rng, {"inbound": 70, "outbound": 20, "unknown": 10}, n).tolist(),
            "detection": _pick(rng, DETECTION, n).tolist(),
            "risk_profile": [""] * n,
            "transport": _pick(rng, TRANSPORT, n).tolist(),
            "concealment": _pick(rng, CONCEALMENT, n).tolist(),
            "vessel_imo": [""] * n,
            "flight_number": [""] * n,
            "container_number": [""] * n,
            "summary": [""] * n,
            "search_text": [""] * n,
            "withdrawn_reason": [""] * n,
            "goods_areas": ["[]"] * n,  # filled from the goods lines in load_cases
            "goods_chapters": ["[]"] * n,
        }
    )
    _copy("seizures_case", cases)
    _goods(rng, ids, created, n)
    _route(rng, ids, country)
    _groups(world, rng, ids, distribution)


def _goods(rng: np.random.Generator, ids: list[str], created: list[str], n: int) -> None:
    lines = rng.choice([1, 2, 3], size=n, p=[0.78, 0.18, 0.04])
    total = int(lines.sum())
    case_of = np.repeat(np.arange(n), lines)
    line_no = np.concatenate([np.arange(1, k + 1) for k in lines])
    area = _pick(rng, {a: w for a, (w, *_rest) in AREAS.items()}, total)
    chapter, unit, quantity = [], [], []
    for a in area:
        _w, chapters, units, median = AREAS[a]
        chapter.append(chapters[int(rng.integers(0, len(chapters)))])
        keys, p = _weights(units)
        u = keys[int(rng.choice(len(keys), p=p))]
        unit.append(u)
        q = median * float(rng.lognormal(0, 1.2)) * (1000 if u == "GRM" else 1)
        quantity.append(round(q, 3))
    no_hs = rng.random(total) < 0.1
    currency = _pick(rng, CURRENCIES, total)
    value = np.round(rng.lognormal(9, 1.5, total), 2)
    goods = pl.DataFrame(
        {
            "id": _hex_ids(total),
            "created_at": [created[i] for i in case_of],
            "updated_at": [created[i] for i in case_of],
            "case_id": [ids[i] for i in case_of],
            "line_no": line_no.tolist(),
            "commodity_area": area.tolist(),
            "hs_code_id": [None if x else c for c, x in zip(chapter, no_hs, strict=True)],
            "hs_chapter": ["" if x else c for c, x in zip(chapter, no_hs, strict=True)],
            "description": [""] * total,
            "quantity": quantity,
            "unit_id": unit,
            "value": [float(v) if c else None for v, c in zip(value, currency, strict=True)],
            "currency_id": [c or None for c in currency],
            "details": ["{}"] * total,
        }
    )
    _copy("seizures_goodsline", goods)


def _route(rng: np.random.Generator, ids: list[str], country: np.ndarray) -> None:
    origin_p = 1.0 / np.arange(1, len(ORIGINS) + 1) ** 0.9
    origin_p /= origin_p.sum()
    rows: dict[str, list[Any]] = {"case_id": [], "position": [], "role": [], "country_id": []}
    has_route = rng.random(len(ids)) < 0.85
    transits = rng.choice([0, 1, 2], size=len(ids), p=[0.55, 0.35, 0.10])
    departures = rng.choice(len(ORIGINS), size=len(ids), p=origin_p)
    hubs = rng.integers(0, len(HUBS), size=(len(ids), 2))
    elsewhere = rng.random(len(ids)) < 0.3
    others = rng.integers(0, len(HUBS), size=len(ids))
    for i, case_id in enumerate(ids):
        if not has_route[i]:
            continue
        destination = HUBS[others[i]] if elsewhere[i] else country[i]
        stops = [("departure", ORIGINS[departures[i]])]
        stops += [("transit", HUBS[hubs[i, k]]) for k in range(transits[i])]
        stops.append(("destination", destination))
        for position, (role, code) in enumerate(stops, start=1):
            rows["case_id"].append(case_id)
            rows["position"].append(position)
            rows["role"].append(role)
            rows["country_id"].append(code)
    _copy("seizures_routeleg", pl.DataFrame(rows))


def _groups(
    world: World, rng: np.random.Generator, ids: list[str], distribution: np.ndarray
) -> None:
    shared = [i for i, d in enumerate(distribution) if d == "groups"]
    rows: dict[str, list[str]] = {"case_id": [], "closedusergroup_id": []}
    for i in shared:
        count = 1 + int(rng.random() < 0.3)
        for g in rng.choice(len(world.groups), size=count, replace=False):
            rows["case_id"].append(ids[i])
            rows["closedusergroup_id"].append(world.groups[int(g)])
    if rows["case_id"]:
        _copy("seizures_case_groups", pl.DataFrame(rows))
