"""Reading reference data files: UN/LOCODE releases, CITES exports, the shipped HS and unit lists.

Pure functions over text: nothing here touches the database, so each reader is tested on a few
lines.  Readers return typed rows and collect problems line by line (``RowProblem``); callers
decide whether a problem refuses the whole file (structure) or only drops a value (a malformed
coordinate in an official release is reported, the row is kept without it).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# --- text ------------------------------------------------------------------------------------


def decode(raw: bytes) -> str:
    """Text of a data file: UTF-8 (with or without BOM) when it decodes, else Latin-1.

    UNECE published UN/LOCODE CSV files in Latin-1 up to 2024-2 and in UTF-8 since; both are
    accepted without asking.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


@dataclass(frozen=True)
class RowProblem:
    """One problem in an input file: where (file and line) and what."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}, line {self.line}: {self.reason}"


# --- UN/LOCODE -------------------------------------------------------------------------------

UNECE_COLUMNS = (
    "Change",
    "Country",
    "Location",
    "Name",
    "NameWoDiacritics",
    "Subdivision",
    "Function",
    "Status",
    "Date",
    "IATA",
    "Coordinates",
    "Remarks",
)
_LOCATION_RE = re.compile(r"^[A-Z0-9]{3}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_DMS_RE = re.compile(r"^(\d{2})(\d{2})([NS])\s+(\d{3})(\d{2})([EW])$")
_DECIMAL_RE = re.compile(r"^(\d{1,2}(?:\.\d+)?)([NS])\s+(\d{1,3}(?:\.\d+)?)([EW])$")
_EDITION_RE = re.compile(r"(20\d\d-[12])")

# Function classifier characters -> Place boolean field.
FUNCTION_FLAGS = {
    "1": "is_seaport",
    "2": "is_rail",
    "3": "is_road",
    "4": "is_airport",
    "5": "is_postal",
    "6": "is_multimodal",
    "7": "is_fixed_transport",
    "8": "is_inland_port",
    "B": "is_border_crossing",
}


@dataclass
class PlaceRow:
    """One UN/LOCODE location as read from a release file."""

    code: str
    country: str
    name: str
    name_ascii: str
    subdivision: str
    functions: str
    status: str
    iata: str
    latitude: float | None
    longitude: float | None
    change: str = ""
    other_names: list[str] = field(default_factory=list)

    def flags(self) -> dict[str, bool]:
        """The ``is_*`` booleans of ``Place`` derived from the function classifier."""
        return {name: char in self.functions for char, name in FUNCTION_FLAGS.items()}


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``4230N 00131E`` (degrees and minutes) or ``26.8128N 89.1903E`` -> (lat, lon), else None."""
    text = text.strip()
    if not text:
        return None
    match = _DMS_RE.match(text)
    if match:
        lat_d, lat_m, ns, lon_d, lon_m, ew = match.groups()
        if int(lat_m) >= 60 or int(lon_m) >= 60:
            return None
        lat = int(lat_d) + int(lat_m) / 60
        lon = int(lon_d) + int(lon_m) / 60
    else:
        match = _DECIMAL_RE.match(text)
        if not match:
            return None
        lat_s, ns, lon_s, ew = match.groups()
        lat, lon = float(lat_s), float(lon_s)
    if lat > 90 or lon > 180:
        return None
    return (round(-lat if ns == "S" else lat, 5), round(-lon if ew == "W" else lon, 5))


def edition_from_name(name: str) -> str:
    """The UN/LOCODE edition named in a release file name (``2024-2 UNLOCODE ...``), or ''."""
    match = _EDITION_RE.search(Path(name).name)
    return match.group(1) if match else ""


def _unece_records(text: str) -> Iterator[tuple[int, dict[str, str] | None]]:
    """(line number, record) for each CSV line; record is None when the column count is wrong.

    Accepts the raw UNECE layout (12 columns, no header) and the datasets/un-locode
    ``code-list.csv`` layout (a header row, where ``Status`` comes before ``Function``).
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    for number, row in enumerate(reader, start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if number == 1 and "Country" in row and "Location" in row:
            header = [cell.strip() for cell in row]
            continue
        columns = header or list(UNECE_COLUMNS)
        if len(row) < len(columns) - 1 or len(row) > len(columns):
            yield number, None
            continue
        yield number, dict(zip(columns, [c.strip() for c in row], strict=False))


def read_unlocode(
    text: str, source: str
) -> tuple[list[PlaceRow], list[RowProblem], list[RowProblem]]:
    """Read one UN/LOCODE release file.

    Returns (rows, errors, warnings).  Errors are structural (wrong column count, a malformed
    country or location code) and refuse the file; warnings (an unreadable coordinate) keep the
    row without the value.  Country header rows (``.GABON``) and alias rows (``=``) are skipped.
    A code listed twice (bilingual names) gives one row with the other names kept.
    """
    rows: dict[str, PlaceRow] = {}
    errors: list[RowProblem] = []
    warnings: list[RowProblem] = []
    for number, rec in _unece_records(text):
        if rec is None:
            errors.append(RowProblem(source, number, "expected 12 columns"))
            continue
        location = rec.get("Location", "")
        country = rec.get("Country", "").upper()
        if not location or rec.get("Change", "") == "=":
            continue  # country header or reference (alias) entry
        if not _COUNTRY_RE.match(country):
            errors.append(RowProblem(source, number, f"country code {country!r} is not 2 letters"))
            continue
        if not _LOCATION_RE.match(location.upper()):
            errors.append(
                RowProblem(source, number, f"location code {location!r} is not 3 letters or digits")
            )
            continue
        code = country + location.upper()
        name = rec.get("Name", "") or rec.get("NameWoDiacritics", "")
        if not name:
            errors.append(RowProblem(source, number, f"{code} has no name"))
            continue
        if code in rows:
            if name != rows[code].name and name not in rows[code].other_names:
                rows[code].other_names.append(name)
            continue
        coords_text = rec.get("Coordinates", "")
        coords = parse_coordinates(coords_text)
        if coords_text and coords is None:
            warnings.append(
                RowProblem(
                    source, number, f"{code}: unreadable coordinates {coords_text!r} left empty"
                )
            )
        rows[code] = PlaceRow(
            code=code,
            country=country,
            name=name[:150],
            name_ascii=(rec.get("NameWoDiacritics", "") or name)[:150],
            subdivision=rec.get("Subdivision", "")[:6],
            functions=rec.get("Function", "")[:8],
            status=rec.get("Status", "")[:2],
            iata=rec.get("IATA", "")[:3],
            latitude=coords[0] if coords else None,
            longitude=coords[1] if coords else None,
            change=rec.get("Change", ""),
        )
    return list(rows.values()), errors, warnings


def release_members(name: str, raw: bytes) -> list[tuple[str, str]]:
    """(file name, text) of the code-list CSV files in an upload: a release ``.zip``
    (``loc242csv.zip``) gives its ``CodeListPart`` members, a ``.gz`` is decompressed, anything
    else is one CSV file."""
    import gzip

    lower = name.lower()
    if lower.endswith(".zip"):
        members = []
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            for member in sorted(archive.namelist()):
                base = Path(member).name
                squashed = base.lower().replace(" ", "").replace("-", "").replace("_", "")
                if squashed.endswith(".csv") and "codelist" in squashed:
                    members.append((base, decode(archive.read(member))))
        return members
    if lower.endswith(".gz"):
        return [(name[:-3], decode(gzip.decompress(raw)))]
    return [(name, decode(raw))]


def unlocode_texts(paths: Iterable[Path]) -> Iterator[tuple[str, str]]:
    """(source name, text) of each release file named on the command line."""
    for path in paths:
        yield from release_members(path.name, path.read_bytes())


# --- CITES -----------------------------------------------------------------------------------

# Column names in Species+ ("Index of CITES Species") and CITES Checklist CSV exports.
CITES_COLUMNS: dict[str, tuple[str, ...]] = {
    "taxon_id": ("TaxonId", "Id", "Taxon Id", "taxon_id"),
    "scientific_name": ("FullName", "Scientific Name", "ScientificName", "full_name", "Name"),
    "rank": ("RankName", "Rank", "rank"),
    "kingdom": ("Kingdom", "kingdom"),
    "family": ("Family", "family"),
    "appendix": ("CurrentListing", "Listing", "Appendix", "cites_listing", "current_listing"),
    "english": ("EnglishNames", "English names", "English", "english_names"),
    "french": ("FrenchNames", "French names", "French", "french_names"),
    "spanish": ("SpanishNames", "Spanish names", "Spanish", "spanish_names"),
    "synonyms": ("SynonymsWithAuthors", "Synonyms", "synonyms"),
}
CITES_REQUIRED = ("taxon_id", "scientific_name", "appendix")
_LISTING_RE = re.compile(r"^(I|II|III|NC)(/(I|II|III|NC))*$")


@dataclass(frozen=True)
class CitesRow:
    """One taxon of a CITES checklist export."""

    taxon_id: str
    scientific_name: str
    rank: str
    kingdom: str
    family: str
    appendix: str
    common_names: str
    synonyms: str


def _column_map(header: list[str]) -> dict[str, str]:
    present = {h.strip().lstrip("\ufeff"): h for h in header}
    found: dict[str, str] = {}
    for key, names in CITES_COLUMNS.items():
        for name in names:
            if name in present:
                found[key] = present[name]
                break
    return found


def _split_names(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def read_cites(text: str, source: str) -> tuple[list[CitesRow], list[RowProblem]]:
    """Read a Species+ / CITES Checklist CSV export; returns (rows, errors).

    Listings are kept as exported (``I``, ``II``, ``III``, ``I/II``, ``NC``...; empty when the
    export gives none, as Species+ does for a few taxa listed through a higher taxon or by
    population); an unknown listing, a missing name or a repeated taxon id is an error naming
    the line.
    """
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = _column_map(list(reader.fieldnames or []))
    missing = [key for key in CITES_REQUIRED if key not in columns]
    if missing:
        wanted = ", ".join(" or ".join(CITES_COLUMNS[key][:2]) for key in missing)
        return [], [RowProblem(source, 1, f"missing column(s): {wanted}")]
    rows: list[CitesRow] = []
    errors: list[RowProblem] = []
    seen: set[str] = set()

    def get(rec: dict[str, str], key: str) -> str:
        column = columns.get(key)
        return (rec.get(column) or "").strip() if column else ""

    for number, rec in enumerate(reader, start=2):
        taxon_id = get(rec, "taxon_id")
        name = get(rec, "scientific_name")
        listing = get(rec, "appendix").replace(" ", "").upper()
        if not taxon_id or not name:
            errors.append(RowProblem(source, number, "taxon id and scientific name are required"))
            continue
        if taxon_id in seen:
            errors.append(RowProblem(source, number, f"taxon id {taxon_id} is repeated"))
            continue
        seen.add(taxon_id)
        if listing and not _LISTING_RE.match(listing):
            errors.append(
                RowProblem(source, number, f"{name}: listing {listing!r} is not I, II, III or NC")
            )
            continue
        common = [
            *_split_names(get(rec, "english")),
            *_split_names(get(rec, "french")),
            *_split_names(get(rec, "spanish")),
        ]
        rows.append(
            CitesRow(
                taxon_id=taxon_id[:20],
                scientific_name=name[:200],
                rank=get(rec, "rank").upper()[:20],
                kingdom=get(rec, "kingdom")[:40],
                family=get(rec, "family")[:80],
                appendix=listing[:16],
                common_names="\n".join(dict.fromkeys(common)),
                synonyms=get(rec, "synonyms"),
            )
        )
    return rows, errors


# --- units -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str


def read_units(text: str) -> list[UnitRow]:
    """The shipped Recommendation 20 list: a CSV with ``code,name``."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [UnitRow(r["code"].strip(), r["name"].strip()) for r in reader if r.get("code")]
