"""Reading the file: stream the rows of the zip or its CSV and map each one to a ``CaseIn``
(one drugs goods line, a route from the departure to the destination country), or to the
(row, column, reason) problems that stop it from being one."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from opencen.core.errors import field_path
from opencen.core.models import Distribution
from opencen.seizures.choices import CaseKind, Detection, RouteRole
from opencen.seizures.importing import RowError
from opencen.seizures.inputs import CaseIn
from opencen.seizures.unodc.mapping import (
    country_code,
    map_concealment,
    map_location_type,
    map_routing,
    map_substance,
    map_transport,
)
from opencen.seizures.unodc.units import (
    UNITS,
    UnitMap,
    map_form,
    map_unit,
    parse_amount,
    scale_quantity,
)

REF_PREFIX = "UNODC-IDS-"
CSV_NAME = "drug-trafficking-unodc.csv"
COLUMNS = (
    "REGION", "SUBREGION", "COUNTRY", "ADMINISTRATIVE_DIVISION", "PLACE", "SEIZURE_DATE",
    "DRUG_NAME", "AMOUNT", "DRUG_UNIT", "HIDING_PLACE", "INSTALLATION", "TRANSPORT",
    "PRODUCING_COUNTRY", "DEPARTURE_COUNTRY", "DESTINATION_COUNTRY", "ROUTING",
)  # fmt: skip


def chunk_size() -> int:
    """Rows per batch of queries and per progress call: ``opencen.seizures.unodc.CHUNK``, read
    when called, so that setting it on the package (as a test does) applies everywhere."""
    from opencen.seizures import unodc

    return unodc.CHUNK


# --- Rows to cases ----------------------------------------------------------------------------


@dataclass(slots=True)
class MappedRow:
    """One data row of the file (``row`` 1 = the first after the header) and its case, or the
    problems that stop it from being one.  The source values the figures count are kept."""

    row: int
    case: CaseIn | None
    errors: list[RowError]
    country_name: str
    transport: str
    drug_unit: str


class UnodcFileError(ValueError):
    """The file cannot be read as the UNODC IDS extract (not a zip/CSV, columns missing)."""


def _text(row: dict[str, Any], column: str) -> str:
    value = row.get(column)
    return value.strip() if isinstance(value, str) else ""


# The personal-data gate reads these capitalised chemical names as a person's name ("Ethyl
# Ketone") or a postal box ("CP 47"); the description writes them the way it accepts.
GATE_SAFE_SPELLINGS = {
    "Methyl Ethyl Ketone": "Methyl ethyl ketone",
    "Acetone/Ethyl Ether": "Acetone/ethyl ether",
    "CP 47": "CP-47",
}


def _description(
    drug_name: str, unit: UnitMap, drug_unit: str, amount: Decimal | None, producing: str | None
) -> str:
    """DRUG_NAME, with notes for what the line's other fields cannot say."""
    notes = []
    if producing:
        notes.append(f"producing country: {producing}")
    if amount is None:
        notes.append("no amount reported")
    if not drug_unit:
        notes.append("no unit reported")
    elif not unit.exact or drug_unit not in UNITS:
        notes.append(f"unit reported: {drug_unit}")
    text = GATE_SAFE_SPELLINGS.get(drug_name, drug_name) or "drug not named"
    return f"{text} ({'; '.join(notes)})"[:500] if notes else text[:500]


def map_row(
    number: int, row: dict[str, Any], *, distribution: Distribution = Distribution.ORGANISATION
) -> MappedRow:
    """One row of the file as a case (see the module and docs for every rule)."""
    mapped = MappedRow(
        number, None, [], _text(row, "COUNTRY"), _text(row, "TRANSPORT"), _text(row, "DRUG_UNIT")
    )
    date, country, amount = _checked_row(number, row, mapped.errors)
    if mapped.errors or date is None or country is None:
        return mapped
    drug_name, drug_unit = _text(row, "DRUG_NAME"), mapped.drug_unit
    substance, _listed = map_substance(drug_name)
    unit = map_unit(drug_unit)
    quantity, code = scale_quantity((amount or Decimal(0)) * unit.factor, unit.code)
    installation, hiding = _text(row, "INSTALLATION"), _text(row, "HIDING_PLACE")
    direction, procedure = map_routing(_text(row, "ROUTING"))
    route = [
        {"role": role, "country": code_}
        for role, column in ((RouteRole.DEPARTURE, "DEPARTURE_COUNTRY"),
                             (RouteRole.DESTINATION, "DESTINATION_COUNTRY"))
        if (code_ := country_code(_text(row, column)))
    ]  # fmt: skip
    line = {
        "commodity_area": "drugs",
        "description": _description(drug_name, unit, drug_unit, amount,
                                    country_code(_text(row, "PRODUCING_COUNTRY"))),
        "quantity": quantity,
        "unit": code,
        "details": {"substance": substance, "form": map_form(drug_name, drug_unit, substance)},
    }  # fmt: skip
    try:
        mapped.case = CaseIn.model_validate({
            "external_ref": f"{REF_PREFIX}{number}", "kind": CaseKind.SEIZURE, "date": date,
            "country": country, "procedure": procedure,
            "location_type": map_location_type(installation), "direction": direction,
            "detection": Detection.OTHER,
            "transport": map_transport(mapped.transport, installation, hiding),
            "concealment": map_concealment(hiding), "distribution": distribution,
            "goods": [line], "route": route,
        })  # fmt: skip
    except ValidationError as exc:  # a safety net: the checks above should leave nothing
        mapped.errors += [
            RowError(number, source_column(route, field_path(e["loc"])), e["msg"])
            for e in exc.errors()
        ]
    return mapped


def _checked_row(
    number: int, row: dict[str, Any], problems: list[RowError]
) -> tuple[dt.date | None, str | None, Decimal | None]:
    """The date, seizing country and amount of a row; what is wrong goes into ``problems``."""
    raw_date, country_name = _text(row, "SEIZURE_DATE"), _text(row, "COUNTRY")
    date = country = amount = None
    try:
        date = dt.date.fromisoformat(raw_date)
    except ValueError:
        reason = f"not a date (YYYY-MM-DD): {raw_date!r}" if raw_date else "no date of seizure"
        problems.append(RowError(number, "SEIZURE_DATE", reason))
    country = country_code(country_name)
    if country is None:
        reason = f"unknown country name {country_name!r}" if country_name else "no seizing country"
        problems.append(RowError(number, "COUNTRY", reason))
    try:
        amount = parse_amount(_text(row, "AMOUNT"))
    except ValueError as exc:
        problems.append(RowError(number, "AMOUNT", str(exc)))
    return date, country, amount


@contextmanager
def open_rows(path: Path) -> Iterator[Iterator[tuple[int, dict[str, Any]]]]:
    """The file's data rows as (row number, row), from the zip or from the extracted CSV."""
    path = Path(path)
    with path.open("rb") as raw:
        if zipfile.is_zipfile(raw):
            raw.seek(0)
            with zipfile.ZipFile(raw) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
                if not names:
                    raise UnodcFileError(f"{path.name} holds no CSV file")
                member = CSV_NAME if CSV_NAME in names else names[0]
                with archive.open(member) as stream:
                    yield _rows(stream, path.name)
        else:
            raw.seek(0)
            yield _rows(raw, path.name)


def _rows(stream: IO[bytes], name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text, delimiter=";")
    try:
        header = reader.fieldnames or []
    except UnicodeDecodeError:
        raise UnodcFileError(f"{name} is not UTF-8 text") from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise UnodcFileError(f"{name} is not the UNODC IDS file: no column {', '.join(missing)}")
    return enumerate(reader, start=1)


def read_mapped(
    path: Path,
    *,
    distribution: Distribution = Distribution.ORGANISATION,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[MappedRow]:
    """Stream the file's rows (at most ``limit``) mapped to cases; ``progress(rows)`` every
    ``CHUNK`` rows."""
    chunk = chunk_size()
    with open_rows(path) as rows:
        for number, row in rows:
            if limit is not None and number > limit:
                break
            yield map_row(number, row, distribution=distribution)
            if progress and number % chunk == 0:
                progress(number)


# --- Field paths back to the file's columns ---------------------------------------------------

_GOODS_COLUMNS = {
    "description": "DRUG_NAME", "quantity": "AMOUNT", "unit": "DRUG_UNIT",
    "details.substance": "DRUG_NAME", "details.form": "DRUG_NAME",
}  # fmt: skip
_CASE_COLUMNS = {"date": "SEIZURE_DATE", "country": "COUNTRY", "external_ref": "row"}


def source_column(route: Sequence[Any], path: str) -> str:
    """The file column a field path (``goods[0].description``, ``route[1].country``) comes from;
    ``route`` holds the case's legs (``RouteLegIn`` or their dicts), to tell the two apart."""
    if path.startswith("goods[0]."):
        return _GOODS_COLUMNS.get(path.removeprefix("goods[0]."), path)
    match = re.match(r"route\[(\d+)\]", path)
    if match and int(match[1]) < len(route):
        leg = route[int(match[1])]
        role = leg["role"] if isinstance(leg, dict) else leg.role
        return "DEPARTURE_COUNTRY" if role == RouteRole.DEPARTURE else "DESTINATION_COUNTRY"
    return _CASE_COLUMNS.get(path, path)
