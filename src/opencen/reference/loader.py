"""Loading the shipped reference tables (``load_all``), table by table, and the place and
region helpers the official-release imports (``services``) share.

Every table goes through ``sync.sync_table``: read the rows the file gives, compare them with
the rows in the database, insert what is new and update what changed.  Loading twice therefore
creates nothing the second time, and a table whose shipped file is already loaded (same
checksum in ``ReferenceDataset``) is skipped outright, so a second ``load_all`` takes
milliseconds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pycountry
from django.db import models, transaction
from django.utils import timezone

from opencen.audit.services import record_event
from opencen.audit.tags import EventTag
from opencen.core.actors import Actor
from opencen.reference import datafiles
from opencen.reference.models import (
    Country,
    Currency,
    DatasetOrigin,
    HsCode,
    HsLevel,
    Place,
    ReferenceDataset,
    Unit,
    WcoRegion,
)
from opencen.reference.parsing import PlaceRow, read_units, read_unlocode
from opencen.reference.sync import (
    SyncResult,
    checksum_of,
    file_checksum,
    record_dataset,
    sync_table,
)

DATASETS = ("countries", "currencies", "wco", "hs", "units", "unlocode")

# The six WCO regions: code -> name, as the WCO names them.
WCO_REGIONS = {
    "AMC": "South America, North America, Central America and the Caribbean",
    "AP": "Far East, South and South East Asia, Australasia and the Pacific Islands",
    "ESA": "East and Southern Africa",
    "EUR": "Europe",
    "MENA": "North of Africa, Near and Middle East",
    "WCA": "West and Central Africa",
}
WCO_REGION_BY_NAME = {name: code for code, name in WCO_REGIONS.items()}

# Member names (as listed in the 2018 tabulation) that pycountry does not resolve exactly, and
# the one it resolves wrongly with a fuzzy search (Kosovo -> RS).
WCO_NAME_OVERRIDES = {
    "Cape Verde": "CV",
    "Macedonia": "MK",
    "Palestine": "PS",
    "São Tomé and Príncipe": "ST",
    "Congo, Democratic Republic of the": "CD",
    "Congo, Republic of the": "CG",
    "Korea (Republic of)": "KR",
    "Kosovo": "XK",
    "Macau": "MO",
    "Netherlands Antilles": "CW",
    "PR China": "CN",
    "Swaziland": "SZ",
    "Turkey": "TR",
}
WCO_NOTES = {
    "Kosovo": "XK is a user-assigned code (not in ISO 3166-1); added to the country table",
    "Netherlands Antilles": "AN was withdrawn from ISO 3166-1 in 2010; the customs territory "
    "is now Curaçao (CW)",
}
WCO_NOT_COUNTRIES = {
    "European Union": "a customs union, not a country or territory: not a member of a region",
}
# Codes the country table carries beyond pycountry's ISO 3166-1 list.
EXTRA_COUNTRIES = {"XK": ("XKX", "", "Kosovo")}

# The units customs declarations use most (WCO standard units of quantity and companions):
# code -> (symbol, quantity).
COMMON_UNITS = {
    "KGM": ("kg", "mass"),
    "GRM": ("g", "mass"),
    "TNE": ("t", "mass"),
    "CTM": ("carat", "mass"),
    "GFI": ("gi F/S", "mass of fissile isotopes"),
    "KNI": ("kg N", "mass of nitrogen"),
    "KPP": ("kg P2O5", "mass of phosphorus pentoxide"),
    "KPO": ("kg K2O", "mass of potassium oxide"),
    "KPH": ("kg KOH", "mass of potassium hydroxide"),
    "KSH": ("kg NaOH", "mass of sodium hydroxide"),
    "KUR": ("kg U", "mass of uranium"),
    "KSD": ("kg 90 % sdt", "mass of substance 90 % dry"),
    "KMA": ("kg met.am.", "mass of methylamines"),
    "H87": ("u", "number of pieces"),
    "NAR": ("u", "number of articles"),
    "C62": ("1", "number"),
    "PR": ("2u", "number of pairs"),
    "DZN": ("12u", "number of dozens"),
    "MIL": ("1000u", "number of thousands"),
    "NCL": ("ce/el", "number of cells"),
    "LTR": ("l", "volume"),
    "MLT": ("ml", "volume"),
    "LPA": ("l alc. 100 %", "volume of pure alcohol"),
    "MTQ": ("m³", "volume"),
    "MTK": ("m²", "area"),
    "MTR": ("m", "length"),
    "KWH": ("kWh", "energy"),
    "MWH": ("1000 kWh", "energy"),
    "D30": ("TJ", "energy"),
}

HS_PSEUDO_SECTION = "TOTAL"
HS_LEVELS = {"2": HsLevel.CHAPTER, "4": HsLevel.HEADING, "6": HsLevel.SUBHEADING}
PLACE_FIELDS = [
    "country_id",
    "name",
    "name_ascii",
    "subdivision",
    "status",
    "iata",
    "functions",
    "is_seaport",
    "is_rail",
    "is_road",
    "is_airport",
    "is_postal",
    "is_multimodal",
    "is_inland_port",
    "is_fixed_transport",
    "is_border_crossing",
    "latitude",
    "longitude",
    "other_names",
    "edition",
]


@dataclass
class LoadReport:
    """What ``load_all`` did, table by table."""

    results: dict[str, SyncResult] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {key: result.as_dict() for key, result in self.results.items()}


# --- countries, currencies, WCO regions ------------------------------------------------------


def load_countries() -> SyncResult:
    """ISO 3166-1 from pycountry (common names where it has one), plus ``EXTRA_COUNTRIES``."""
    rows: dict[str, dict[str, Any]] = {}
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        rows[country.alpha_2] = {
            "alpha3": country.alpha_3,
            "numeric": country.numeric,
            "name": name[:100],
        }
    for code, (alpha3, numeric, name) in EXTRA_COUNTRIES.items():
        rows[code] = {"alpha3": alpha3, "numeric": numeric, "name": name}
    return sync_table(Country, rows, ["alpha3", "numeric", "name"])


def load_currencies() -> SyncResult:
    """ISO 4217 from pycountry."""
    rows = {c.alpha_3: {"numeric": c.numeric, "name": c.name[:100]} for c in pycountry.currencies}
    return sync_table(Currency, rows, ["numeric", "name"])


@dataclass(frozen=True)
class WcoMember:
    region: str
    name: str
    country: str | None
    note: str


def wco_members() -> list[WcoMember]:
    """The shipped member list, each name mapped to an ISO code (``None`` if it has none).

    Exact pycountry look-ups first, then ``WCO_NAME_OVERRIDES``; no fuzzy matching (it maps
    Kosovo to Serbia).  A mapping that differs from the file's own ISO column is noted.
    """
    members: list[WcoMember] = []
    reader = csv.DictReader(io.StringIO(datafiles.read_text(datafiles.WCO_MEMBERS)))
    for rec in reader:
        name, listed = rec["name_as_listed"].strip(), rec["iso3166_alpha2"].strip()
        region = WCO_REGION_BY_NAME[rec["wco_region"].strip()]
        if name in WCO_NOT_COUNTRIES:
            members.append(WcoMember(region, name, None, WCO_NOT_COUNTRIES[name]))
            continue
        code = WCO_NAME_OVERRIDES.get(name)
        if code is None:
            try:
                code = pycountry.countries.lookup(name).alpha_2
            except LookupError:
                members.append(WcoMember(region, name, None, "no ISO 3166-1 code found"))
                continue
        note = WCO_NOTES.get(name, "")
        if listed and listed != code and not note:
            note = f"listed as {listed}, mapped to {code}"
        elif name in WCO_NAME_OVERRIDES and not note:
            note = f"mapped by hand to {code} (no exact ISO 3166-1 name match)"
        members.append(WcoMember(region, name, code, note))
    return members


def sync_customs_regions(country_codes: Iterable[str]) -> int:
    """Give the customs administrations of these countries their country's WCO region.

    Returns how many organisations changed.  ``accounts.Organisation.region`` of a customs
    administration always follows its country's region.
    """
    from opencen.accounts.models import Organisation, OrganisationKind

    changed = 0
    regions = dict(
        Country.objects.filter(code__in=list(country_codes)).values_list("code", "wco_region_id")
    )
    for code, region_id in regions.items():
        changed += (
            Organisation.objects.filter(kind=OrganisationKind.CUSTOMS, country=code)
            .exclude(region_id=region_id)
            .update(region_id=region_id, updated_at=timezone.now())
        )
    return changed


def load_wco(*, reset_regions: bool) -> SyncResult:
    """Create missing regions; seed their members on the first load (or with ``reset_regions``).

    After the first load the secretariat owns the regions (names and members): reloading does
    not undo its edits unless ``reset_regions`` is given.
    """
    result = SyncResult()
    first_load = not ReferenceDataset.objects.filter(key="wco").exists()
    regions: dict[str, WcoRegion] = {}
    for code, name in WCO_REGIONS.items():
        region = WcoRegion.objects.filter(code=code).first()
        if region is None:
            region = WcoRegion.objects.create(code=code, name=name)
            result.created += 1
        elif reset_regions and region.name != name:
            region.name = name
            region.save(update_fields=["name", "updated_at"])
            result.updated += 1
        regions[code] = region
    members = wco_members()
    for member in members:
        if member.country is None or member.note:
            result.notes.append(f"{member.name}: {member.note}")
    if first_load or reset_regions:
        known = set(Country.objects.values_list("code", flat=True))
        by_region: dict[str, list[str]] = {}
        for member in members:
            if member.country in known:
                by_region.setdefault(member.region, []).append(member.country)
            elif member.country:
                result.notes.append(f"{member.name}: {member.country} is not in the country table")
        for code, countries in by_region.items():
            moved = (
                Country.objects.filter(code__in=countries)
                .exclude(wco_region=regions[code])
                .update(wco_region=regions[code])
            )
            result.updated += moved
        sync_customs_regions(c for cs in by_region.values() for c in cs)
    else:
        result.notes.append("regions already seeded: memberships left as the secretariat set them")
    return result


# --- HS 2022 -------------------------------------------------------------------------------


def hs_rows() -> dict[str, dict[str, Any]]:
    """The HS 2022 tree from the shipped files, without Comtrade's pseudo-codes.

    Sections are keyed by their Roman numeral and are the parents of chapters.  Rows whose
    section is ``TOTAL`` (``TOTAL``, ``99``, ``9999``, ``999999``) are not HS codes.
    """
    rows: dict[str, dict[str, Any]] = {}
    for rec in csv.DictReader(io.StringIO(datafiles.read_text(datafiles.HS_SECTIONS))):
        numeral = rec["section"].strip()
        name = rec["name"].strip()
        rows[numeral] = {
            "level": HsLevel.SECTION,
            "description": name[:1].upper() + name[1:],
            "parent_id": None,
            "section": numeral,
        }
    for rec in csv.DictReader(io.StringIO(datafiles.read_text(datafiles.HS_NOMENCLATURE))):
        section = rec["section"].strip()
        if section == HS_PSEUDO_SECTION or rec["level"].strip() not in HS_LEVELS:
            continue
        code = rec["hscode"].strip()
        level = HS_LEVELS[rec["level"].strip()]
        parent = section if level == HsLevel.CHAPTER else rec["parent"].strip()
        rows[code] = {
            "level": level,
            "description": rec["description"].strip(),
            "parent_id": parent,
            "section": section,
        }
    return rows


def load_hs() -> SyncResult:
    rows = hs_rows()
    missing = {r["parent_id"] for r in rows.values() if r["parent_id"]} - rows.keys()
    if missing:
        raise ValueError(f"HS rows with unknown parents: {sorted(missing)[:5]}")
    return sync_table(
        HsCode, rows, ["level", "description", "parent_id", "section"], delete_missing=True
    )


# --- units -----------------------------------------------------------------------------------


def load_units() -> SyncResult:
    rows: dict[str, dict[str, Any]] = {}
    for unit in read_units(datafiles.read_text(datafiles.UNITS)):
        symbol, quantity = COMMON_UNITS.get(unit.code, ("", ""))
        rows[unit.code] = {
            "name": unit.name[:150],
            "symbol": symbol,
            "quantity": quantity,
            "is_common": unit.code in COMMON_UNITS,
        }
    return sync_table(Unit, rows, ["name", "symbol", "quantity", "is_common"])


# --- UN/LOCODE -------------------------------------------------------------------------------


def place_values(row: PlaceRow, edition: str) -> dict[str, Any]:
    return {
        "country_id": row.country,
        "name": row.name,
        "name_ascii": row.name_ascii,
        "subdivision": row.subdivision,
        "status": row.status,
        "iata": row.iata,
        "functions": row.functions,
        **row.flags(),
        "latitude": row.latitude,
        "longitude": row.longitude,
        "other_names": "\n".join(row.other_names),
        "edition": edition[:10],
    }


def sync_places(batches: Iterable[tuple[list[PlaceRow], str]]) -> SyncResult:
    """Upsert places from (rows, edition) batches.  Places are never deleted (other records
    point at them); a place whose country is not in the country table is left out and noted."""
    known = set(Country.objects.values_list("code", flat=True))
    wanted: dict[str, dict[str, Any]] = {}
    left_out: dict[str, int] = {}
    for rows, edition in batches:
        for row in rows:
            if row.country not in known:
                left_out[row.country] = left_out.get(row.country, 0) + 1
                continue
            wanted[row.code] = place_values(row, edition)
    result = sync_table(Place, wanted, PLACE_FIELDS)
    for country, count in sorted(left_out.items()):
        label = " (installations in international waters)" if country == "XZ" else ""
        result.notes.append(f"{count} places of {country}{label} left out: no such country")
    return result


def shipped_places() -> list[tuple[list[PlaceRow], str]]:
    batches = []
    for shipped in datafiles.UNLOCODE_FILES:
        rows, errors, _warnings = read_unlocode(datafiles.read_text(shipped), shipped.name)
        if errors:
            raise ValueError(f"shipped file {shipped.name} is damaged: {errors[0]}")
        batches.append((rows, shipped.edition))
    return batches


def load_places() -> SyncResult:
    return sync_places(shipped_places())


# --- everything ------------------------------------------------------------------------------


def _shippedchecksum_of(key: str) -> str:
    version = _pycountry_version()
    match key:
        case "countries" | "currencies":
            return checksum_of(key, version)
        case "wco":
            return checksum_of(
                file_checksum(datafiles.WCO_MEMBERS), repr(WCO_REGIONS), repr(WCO_NAME_OVERRIDES)
            )
        case "hs":
            return file_checksum(datafiles.HS_SECTIONS, datafiles.HS_NOMENCLATURE)
        case "units":
            return checksum_of(file_checksum(datafiles.UNITS), repr(COMMON_UNITS))
        case "unlocode":
            return file_checksum(*datafiles.UNLOCODE_FILES)
    raise ValueError(key)


def _pycountry_version() -> str:
    from importlib.metadata import version

    return version("pycountry")


def _describe(key: str) -> tuple[str, str, str]:
    """(edition, source, licence) of a shipped table."""
    match key:
        case "countries":
            return (
                f"pycountry {_pycountry_version()}",
                "ISO 3166-1 via pycountry",
                "LGPL-2.1 (pycountry)",
            )
        case "currencies":
            return (
                f"pycountry {_pycountry_version()}",
                "ISO 4217 via pycountry",
                "LGPL-2.1 (pycountry)",
            )
        case "wco":
            f = datafiles.WCO_MEMBERS
        case "hs":
            f = datafiles.HS_NOMENCLATURE
        case "units":
            f = datafiles.UNITS
        case "unlocode":
            files = datafiles.UNLOCODE_FILES
            return (
                "2023-1 (AD-FR) + 2024-2 (GA-ZW)",
                "; ".join(x.source for x in files),
                files[0].licence,
            )
        case _:
            raise ValueError(key)
    return f.edition, f.source, f.licence


_LOADERS = {
    "countries": lambda reset: load_countries(),
    "currencies": lambda reset: load_currencies(),
    "wco": lambda reset: load_wco(reset_regions=reset),
    "hs": lambda reset: load_hs(),
    "units": lambda reset: load_units(),
    "unlocode": lambda reset: load_places(),
}
_MODELS: dict[str, type[models.Model]] = {
    "countries": Country,
    "currencies": Currency,
    "wco": WcoRegion,
    "hs": HsCode,
    "units": Unit,
    "unlocode": Place,
}


def load_all(
    actor: Actor | None = None,
    *,
    only: Iterable[str] | None = None,
    force: bool = False,
    reset_regions: bool = False,
) -> LoadReport:
    """Load every shipped table (or those named in ``only``), in one transaction.

    Idempotent: a table whose shipped file is already loaded is skipped (``force`` compares it
    row by row all the same and repairs any drift); nothing is ever duplicated.  A table an
    administration imported from a newer official release (``origin=imported``) is not
    overwritten unless ``force``.  Records one ``reference.data.loaded`` event.
    """
    import time

    started = time.monotonic()
    keys = [k for k in DATASETS if only is None or k in set(only)]
    unknown = set(only or ()) - set(DATASETS)
    if unknown:
        raise ValueError(f"unknown reference table(s): {', '.join(sorted(unknown))}")
    report = LoadReport()
    with transaction.atomic():
        current = {d.key: d for d in ReferenceDataset.objects.filter(key__in=keys)}
        for key in keys:
            checksum = _shippedchecksum_of(key)
            dataset = current.get(key)
            if (
                dataset is not None
                and not force
                and not (key == "wco" and reset_regions)
                and (dataset.checksum == checksum or dataset.origin == DatasetOrigin.IMPORTED)
            ):
                report.results[key] = SyncResult(skipped=True)
                continue
            result = _LOADERS[key](reset_regions)
            edition, source, licence = _describe(key)
            record_dataset(
                key,
                edition=edition,
                source=source,
                licence=licence,
                checksum=checksum,
                rows=_MODELS[key]._default_manager.count(),
            )
            report.results[key] = result
        report.seconds = round(time.monotonic() - started, 2)
        record_event(
            actor,
            EventTag.REFERENCE_DATA_LOADED,
            object_type="reference.dataset",
            object_id=",".join(keys),
            changes={**report.as_dict(), "force": force, "seconds": report.seconds},
        )
    return report


def table_counts() -> dict[str, int]:
    """Rows in each reference table (``opencen reference counts``)."""
    from opencen.reference.models import CitesSpecies

    counts = {
        "countries": Country.objects.count(),
        "currencies": Currency.objects.count(),
        "wco regions": WcoRegion.objects.count(),
        "wco members": Country.objects.filter(wco_region__isnull=False).count(),
    }
    for level in HsLevel:
        counts[f"hs {level.value}s"] = HsCode.objects.filter(level=level).count()
    counts["places"] = Place.objects.count()
    counts["places (seaports)"] = Place.objects.filter(is_seaport=True).count()
    counts["places (airports)"] = Place.objects.filter(is_airport=True).count()
    counts["units"] = Unit.objects.count()
    counts["cites species"] = CitesSpecies.objects.count()
    return counts
