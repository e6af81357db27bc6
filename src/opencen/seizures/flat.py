"""The flat, one-row-per-goods-line form of cases: what import files hold and exports write.

Rows sharing an ``external_ref`` make one case; its case-level columns are read from its first
row, and every row with a ``commodity_area`` adds a goods line.  The route is spread over
``departure_*``, ``transit_countries`` and ``destination_*`` columns; offender groups are packed
in one ``offenders`` column (``CO:male:25_34:2; NL:female:unknown:1``).  Exports use the same
columns, so an export can be edited and imported again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from opencen.core.errors import FieldError, field_path
from opencen.seizures.areas import AREAS
from opencen.seizures.inputs import CaseIn
from opencen.seizures.models import Case
from opencen.seizures.serializers import case_to_dict

CASE_COLUMNS = [
    "external_ref",
    "kind",
    "date",
    "country",
    "place",
    "procedure",
    "location_type",
    "direction",
    "detection",
    "risk_profile",
    "transport",
    "concealment",
    "vessel_imo",
    "flight_number",
    "container_number",
    "summary",
    "distribution",
    "departure_country",
    "departure_place",
    "transit_countries",
    "destination_country",
    "destination_place",
    "offenders",
]
LINE_COLUMNS = ["commodity_area", "hs_code", "description", "quantity", "unit", "value", "currency"]
DETAIL_PREFIX = "detail_"
EXPORT_ONLY_COLUMNS = ["reference", "status", "owner", "region"]
_SPLIT = re.compile(r"\s*[;,]\s*")


def detail_columns(area_code: str | None = None) -> list[str]:
    """``detail_<name>`` columns of one area, or of every area (in registry order)."""
    names: list[str] = []
    for area in AREAS.values():
        if area_code in (None, area.code):
            names += [
                f"{DETAIL_PREFIX}{f.name}"
                for f in area.fields
                if f"{DETAIL_PREFIX}{f.name}" not in names
            ]
    return names


def columns(area_code: str | None = None) -> list[str]:
    return CASE_COLUMNS + LINE_COLUMNS + detail_columns(area_code)


@dataclass
class FlatCase:
    """One case assembled from rows, remembering which row and column each input came from."""

    rows: list[int]
    data: CaseIn | None = None
    errors: list[FieldError] = field(default_factory=list)
    line_rows: list[int] = field(default_factory=list)
    route_columns: list[str] = field(default_factory=list)

    def locate(self, path: str) -> tuple[int, str]:
        """Map an input path (``goods[1].details.species``) to (row number, column)."""
        match = re.match(r"goods\[(\d+)\]\.(?:details\.)?(\w+)", path)
        if match and int(match[1]) < len(self.line_rows):
            column = match[2]
            if ".details." in path:
                column = DETAIL_PREFIX + column
            return self.line_rows[int(match[1])], column
        match = re.match(r"route\[(\d+)\]\.(\w+)", path)
        if match and int(match[1]) < len(self.route_columns):
            base = self.route_columns[int(match[1])]
            return self.rows[0], base if match[2] == "country" else base.replace(
                "_country", "_place"
            )
        if path.startswith("offenders"):
            return self.rows[0], "offenders"
        return self.rows[0], path.split(".")[0].split("[")[0] or "external_ref"


def _text(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if type(value) is str:  # CSV and most JSON values: the fast path of a 100,000-row file
        return value.strip()
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value).strip()


def _route(row: dict[str, Any]) -> tuple[list[dict[str, str]], list[str]]:
    legs: list[dict[str, str]] = []
    origins: list[str] = []
    if _text(row, "departure_country"):
        legs.append(
            {
                "role": "departure",
                "country": _text(row, "departure_country"),
                "place": _text(row, "departure_place"),
            }
        )
        origins.append("departure_country")
    for country in _SPLIT.split(_text(row, "transit_countries")):
        if country:
            legs.append({"role": "transit", "country": country})
            origins.append("transit_countries")
    if _text(row, "destination_country"):
        legs.append(
            {
                "role": "destination",
                "country": _text(row, "destination_country"),
                "place": _text(row, "destination_place"),
            }
        )
        origins.append("destination_country")
    return legs, origins


def _offenders(text: str) -> list[dict[str, Any]]:
    groups = []
    for item in _SPLIT.split(text.replace(",", ";")):
        if not item:
            continue
        parts = [p.strip() for p in item.split(":")]
        parts += [""] * (4 - len(parts))
        nationality, gender, age_band, count = parts[:4]
        groups.append(
            {
                "nationality": nationality,
                "gender": gender or "unknown",
                "age_band": age_band or "unknown",
                "count": count or "1",
            }
        )
    return groups


def _line(row: dict[str, Any]) -> dict[str, Any]:
    area = _text(row, "commodity_area")
    details = {
        name[len(DETAIL_PREFIX) :]: value
        for name in detail_columns(area)
        if (value := _text(row, name))
    }
    line: dict[str, Any] = {name: _text(row, name) for name in LINE_COLUMNS}
    line["details"] = details
    if not line["value"]:
        line["value"] = None
    return line


def rows_to_cases(rows: Iterable[tuple[int, dict[str, Any]]]) -> list[FlatCase]:
    """Group numbered rows into cases and parse each into a ``CaseIn`` (or its errors)."""
    grouped: dict[str, FlatCase] = {}
    sources: dict[str, dict[str, Any]] = {}
    lines: dict[str, list[dict[str, Any]]] = {}
    orphans: list[FlatCase] = []
    for number, row in rows:
        ref = _text(row, "external_ref")
        if not ref:
            orphans.append(
                FlatCase(
                    rows=[number],
                    errors=[
                        FieldError(
                            "external_ref", "every row needs the external reference of its case"
                        )
                    ],
                )
            )
            continue
        flat = grouped.setdefault(ref, FlatCase(rows=[]))
        flat.rows.append(number)
        sources.setdefault(ref, row)
        if _text(row, "commodity_area"):
            lines.setdefault(ref, []).append(_line(row))
            flat.line_rows.append(number)
    for ref, flat in grouped.items():
        first = sources[ref]
        route, flat.route_columns = _route(first)
        raw: dict[str, Any] = {
            name: value for name in CASE_COLUMNS[:17] if (value := _text(first, name))
        }
        raw.update(
            route=route, offenders=_offenders(_text(first, "offenders")), goods=lines.get(ref, [])
        )
        try:
            flat.data = CaseIn.model_validate(raw)
        except ValidationError as exc:
            flat.errors = [
                FieldError(field_path(e["loc"]) or "external_ref", e["msg"]) for e in exc.errors()
            ]
    return [*grouped.values(), *orphans]


def case_rows(case: Case) -> Iterator[dict[str, Any]]:
    """The flat rows of one case (at least one, even for an offence without goods)."""
    data = case_to_dict(case)
    legs = data.pop("route")
    departure = next((leg for leg in legs if leg["role"] == "departure"), None)
    destination = next((leg for leg in legs if leg["role"] == "destination"), None)
    base: dict[str, Any] = {
        name: data[name] for name in EXPORT_ONLY_COLUMNS + CASE_COLUMNS if name in data
    }
    base.update(
        {
            "external_ref": case.external_ref or case.reference,
            "departure_country": departure["country"] if departure else "",
            "departure_place": departure["place"] if departure else "",
            "transit_countries": ";".join(
                leg["country"] for leg in legs if leg["role"] == "transit"
            ),
            "destination_country": destination["country"] if destination else "",
            "destination_place": destination["place"] if destination else "",
            "offenders": "; ".join(
                f"{o['nationality']}:{o['gender']}:{o['age_band']}:{o['count']}"
                for o in data["offenders"]
            ),
        }
    )
    if not data["goods"]:
        yield base
    for line in data["goods"]:
        row = dict(base)
        row.update({name: line[name] or "" for name in LINE_COLUMNS})
        row.update({f"{DETAIL_PREFIX}{k}": v for k, v in line["details"].items()})
        yield row
