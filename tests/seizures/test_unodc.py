"""The UNODC Individual Drug Seizures importer: mapping tables, the README's figures, import,
re-import, refusal of bad rows.

``data/unodc-sample.csv`` is 300 rows cut byte for byte from the real file (UNODC's data, used
as a test fixture as its README allows), chosen to cover every seizing country, TRANSPORT,
DRUG_UNIT, ROUTING, HIDING_PLACE and INSTALLATION value, every substance and form mapped, and
the file's oddities (a blank amount, scientific notation, float noise, a field on two lines).
"""

from __future__ import annotations

import csv
import io
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError

from opencen.accounts.models import Organisation
from opencen.audit.models import AuditEvent
from opencen.core.privacy import find_personal_data
from opencen.reference.models import Country, Unit
from opencen.seizures import services, unodc
from opencen.seizures.areas import DRUG_FORMS, DRUG_SUBSTANCES
from opencen.seizures.models import Case, GoodsLine, RouteLeg
from tests.conftest import Cast

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SAMPLE = HERE / "data" / "unodc-sample.csv"
FULL = ROOT.parent / "shared" / "data" / "seizures" / "unodc-ids-drug-seizures-2011-2016.zip"
DOC = ROOT / "docs" / "seizures-unodc.md"

# The 102 COUNTRY values of the 2011-2016 file and the ISO code each must map to.
COUNTRIES_2011_2016 = {
    "Afghanistan": "AF", "Algeria": "DZ", "Andorra": "AD", "Armenia": "AM", "Austria": "AT",
    "Azerbaijan": "AZ", "Bangladesh": "BD", "Belgium": "BE", "Benin": "BJ",
    "Bolivia, Plurinational State of": "BO", "Bosnia and Herzegovina": "BA", "Brazil": "BR",
    "Bulgaria": "BG", "Cambodia": "KH", "Canada": "CA", "Chile": "CL", "China": "CN",
    "Colombia": "CO", "Croatia": "HR", "Cuba": "CU", "Cyprus": "CY", "Czech Republic": "CZ",
    "Czechia": "CZ", "Côte d'Ivoire": "CI", "Denmark": "DK", "Dominican Republic": "DO",
    "Ecuador": "EC", "Egypt": "EG", "El Salvador": "SV", "Finland": "FI", "France": "FR",
    "Georgia": "GE", "Germany": "DE", "Ghana": "GH", "Greece": "GR", "Guatemala": "GT",
    "Hungary": "HU", "Iceland": "IS", "India": "IN", "Indonesia": "ID",
    "Iran, Islamic Republic of": "IR", "Iraq (Kurdistan Region)": "IQ", "Ireland": "IE",
    "Italy": "IT", "Japan": "JP", "Kazakhstan": "KZ", "Kenya": "KE", "Korea, Republic of": "KR",
    "Kyrgyzstan": "KG", "Lao Peoples Democratic Republic": "LA", "Latvia": "LV",
    "Libyan Arab Jamahiriya": "LY", "Lithuania": "LT", "Luxembourg": "LU",
    "Macau, SAR of China": "MO", "Macedonia, the former Yugoslav Republic of": "MK",
    "Malaysia": "MY", "Malta": "MT", "Martinique": "MQ", "Mauritius": "MU", "Mexico": "MX",
    "Moldova, Republic of": "MD", "Monaco": "MC", "Montenegro": "ME", "Morocco": "MA",
    "Mozambique": "MZ", "Myanmar": "MM", "Netherlands": "NL", "New Zealand": "NZ",
    "Nigeria": "NG", "Pakistan": "PK", "Paraguay": "PY", "Peru": "PE", "Philippines": "PH",
    "Poland": "PL", "Portugal": "PT", "Romania": "RO", "Russian Federation": "RU",
    "Serbia": "RS", "Sierra Leone": "SL", "Slovakia": "SK", "Slovenia": "SI",
    "South Africa": "ZA", "Spain": "ES", "Sudan": "SD", "Swaziland": "SZ", "Sweden": "SE",
    "Switzerland": "CH", "Syrian Arab Republic": "SY", "Tajikistan": "TJ",
    "Tanzania, United Republic of": "TZ", "Thailand": "TH", "Trinidad and Tobago": "TT",
    "Turkmenistan": "TM", "Ukraine": "UA", "United Arab Emirates": "AE",
    "United Kingdom": "GB", "United States": "US", "Uruguay": "UY", "Uzbekistan": "UZ",
    "Venezuela, Bolivarian Republic of": "VE", "Zambia": "ZM",
}  # fmt: skip


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=unodc.COLUMNS, delimiter=";", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


# --- Mapping tables (no database) -------------------------------------------------------------


def test_the_102_seizing_countries_of_the_file_map_to_their_iso_codes() -> None:
    assert len(COUNTRIES_2011_2016) == 102
    assert {name: unodc.country_code(name) for name in COUNTRIES_2011_2016} == COUNTRIES_2011_2016
    # Czechia was renamed in 2016: two names, one country.
    assert len(set(COUNTRIES_2011_2016.values())) == 101


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Bolivia (Plurinational State of)", "BO"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Venezuela (Bolivarian Republic of)", "VE"),
        ("China, Hong Kong SAR", "HK"),
        ("China, Macao SAR", "MO"),
        ("Hong Kong", "HK"),
        ("Taiwan, Province of China", "TW"),
        ("Kosovo under UNSCR 1244", "XK"),
        ("Turkey", "TR"),
        ("Aland Islands", "AX"),
        ("Congo, the Democratic Republic of the", "CD"),
        ("Korea, Democratic People's Republic of", "KP"),
        ("United Kingdom (England and Wales)", "GB"),
        ("Iraq (Central Iraq)", "IQ"),
        ("  colombia ", "CO"),
    ],
)
def test_un_style_names_and_aliases(name: str, code: str) -> None:
    assert unodc.country_code(name) == code


@pytest.mark.parametrize(
    "name", ["", "Unknown", "Other", "Multiple Countries", "Netherlands Antilles", "Atlantis"]
)
def test_names_of_no_country_give_none(name: str) -> None:
    assert unodc.country_code(name) is None


def test_every_country_name_of_the_sample_maps() -> None:
    rows = sample_rows()
    assert {r["COUNTRY"] for r in rows} == set(COUNTRIES_2011_2016)
    route_names = {
        r[c]
        for r in rows
        for c in ("PRODUCING_COUNTRY", "DEPARTURE_COUNTRY", "DESTINATION_COUNTRY")
    }
    unmapped = {n for n in route_names if unodc.country_code(n) is None}
    assert unmapped <= {"", "Unknown", "Other", "Multiple Countries", "Netherlands Antilles"}


@pytest.mark.parametrize(
    ("transport", "installation", "hiding", "expected"),
    [
        ("Commercial air", "", "", "air_passenger"),
        ("Commercial air", "Air Cargo", "", "air_cargo"),
        ("Private air", "", "Freight", "air_cargo"),
        ("Air", "Airport", "Swallowed", "air_passenger"),
        ("Commercial sea", "Seaport", "", "sea_bulk"),
        ("Commercial sea", "Port Facilities", "Container", "sea_container"),
        ("Private sea", "", "", "sea_bulk"),
        ("River", "", "", "sea_bulk"),
        ("Land", "", "", "road"),
        ("Private road", "", "", "road"),
        ("Commercial road", "", "", "road"),
        ("Rail", "", "", "rail"),
        ("Pedestrian", "", "", "pedestrian"),
        ("Mail", "Post Office", "", "postal"),
        ("Mail", "Courier / Delivery service", "", "express_courier"),
        ("Other", "", "", "unknown"),
        ("Unknown", "", "", "unknown"),
        ("None", "", "", "unknown"),
        ("", "Airport", "", "unknown"),
        ("Hovercraft", "", "", "unknown"),
    ],
)
def test_transport(transport: str, installation: str, hiding: str, expected: str) -> None:
    assert unodc.map_transport(transport, installation, hiding) == expected


def test_every_transport_value_of_the_readme_is_in_the_table() -> None:
    assert set(unodc.README_BY_TRANSPORT) <= set(unodc.TRANSPORTS)


@pytest.mark.parametrize(
    ("hiding", "expected"),
    [
        ("Swallowed", "body"), ("Inserted", "body"), ("Body", "body"), ("Underwear", "body"),
        ("Baggage", "baggage"), ("Handbag", "baggage"), ("Postal", "mail_item"),
        ("Package", "mail_item"), ("Car Parts", "vehicle"), ("Transport Vehicle", "vehicle"),
        ("Container", "container_structure"), ("Freight", "in_cargo"), ("Food", "mixed"),
        ("Residence", "other"), ("Plastic bags", "other"), ("", "other"), ("Unknown", "other"),
    ],
)  # fmt: skip
def test_concealment(hiding: str, expected: str) -> None:
    assert unodc.map_concealment(hiding) == expected


@pytest.mark.parametrize(
    ("installation", "expected"),
    [
        ("Airport", "airport"), ("Air Cargo", "airport"), ("Seaport", "seaport"),
        ("Port Facilities", "seaport"), ("Post Office", "postal_centre"),
        ("Courier / Delivery service", "express_hub"), ("Frontier", "land_border"),
        ("Street", "inland"), ("Flat/Apartment", "inland"), ("Customs facilities", "inland"),
        ("International Waters", "unknown"), ("Other", "unknown"), ("Unknown", "unknown"),
        ("", "unknown"),
    ],
)  # fmt: skip
def test_location_type(installation: str, expected: str) -> None:
    assert unodc.map_location_type(installation) == expected


@pytest.mark.parametrize(
    ("routing", "direction", "procedure"),
    [
        ("Border - inbound", "inbound", "import"),
        ("Border - outbound", "outbound", "export"),
        ("Border - transit/free trade zone", "in_transit", "transit"),
        ("National territory/domestic seizure", "domestic", "unknown"),
        ("International waters/unclaimed territory", "unknown", "unknown"),
        ("Other", "unknown", "unknown"),
        ("", "unknown", "unknown"),
    ],
)
def test_routing(routing: str, direction: str, procedure: str) -> None:
    assert unodc.map_routing(routing) == (direction, procedure)


@pytest.mark.parametrize(
    ("name", "substance"),
    [
        ("Cocaine HCL", "cocaine"), ("Cocaine Base", "cocaine"), ("Coca paste", "cocaine"),
        ("Crack", "crack"), ("Coca leaf", "other"), ("Poppy straw", "other"),
        ("Heroin", "heroin"), ("Opium", "opium"), ("Morphine", "morphine"),
        ("Edible cannabis", "cannabis_herb"), ("Methamphetamine", "methamphetamine"),
        ("Amphetamine", "amphetamine"), ("Captagon", "captagon"), ("Ecstasy", "mdma"),
        ("Ketamine", "ketamine"), ("3-Methylfentanyl", "fentanyl"), ("Tramadol", "tramadol"),
        ("Buprenorphine", "other_opioid"), ("Khat", "khat"), ("LSD", "lsd"),
        ("JWH-018", "nps"), ("Synthetic Cannabinoid", "nps"), ("Mephedrone", "nps"),
        ("Ephedrine", "precursor"), ("Pseudoephedrine", "precursor"), ("GBL", "precursor"),
        ("GHB", "other"), ("Diazepam", "other"), ("Unknown", "other"),
        ("cocaine hcl", "cocaine"),
    ],
)  # fmt: skip
def test_substance_table(name: str, substance: str) -> None:
    assert unodc.map_substance(name) == (substance, True)


@pytest.mark.parametrize(
    ("name", "substance"),
    [
        ("Cocaine sulphate", "cocaine"), ("Cannabis resin", "cannabis_resin"),
        ("Hashish", "cannabis_resin"), ("Cannabis herb", "cannabis_herb"),
        ("Acetylfentanyl", "fentanyl"), ("5F-MDMB-PINACA", "nps"), ("Ecstasy-type", "mdma"),
        ("Something new", "other"),
    ],
)  # fmt: skip
def test_names_not_in_the_table_go_through_the_patterns(name: str, substance: str) -> None:
    assert unodc.map_substance(name) == (substance, False)


def test_substances_and_forms_are_the_drugs_areas_codes() -> None:
    substances = {code for code, _label in DRUG_SUBSTANCES}
    forms = {code for code, _label in DRUG_FORMS}
    assert set(unodc.SUBSTANCES) <= substances
    assert {code for _pattern, code in unodc.SUBSTANCE_PATTERNS} <= substances
    assert set(unodc.FORM_BY_UNIT.values()) | set(unodc.FORM_BY_NAME.values()) <= forms
    assert set(unodc.COUNT_FORMS.values()) <= forms
    listed = [name.casefold() for names in unodc.SUBSTANCES.values() for name in names]
    duplicates = {n for n in listed if listed.count(n) > 1}
    assert duplicates == {"non-specified sedatives and tranquilizers"}  # two spellings in file


@pytest.mark.parametrize(
    ("name", "unit", "form"),
    [
        ("Ecstasy", "Tablet", "tablet"), ("Ecstasy", "Unit", "tablet"),
        ("Ecstasy", "Gram", "powder"), ("Cocaine", "Kilogram", "powder"),
        ("Coca paste", "Kilogram", "paste"), ("Coca paste", "Gallons (US, liquid)", "liquid"),
        ("Opium", "Kilogram", "resin"), ("Opium Poppy", "Acres", "plant"),
        ("Khat", "Kilogram", "plant"), ("LSD", "Blotting paper", "blotter"),
        ("LSD", "Unit", "blotter"), ("25I-NBOMe", "Stamp", "blotter"),
        ("GHB", "Kilogram", "liquid"), ("Crack", "Gram", "other"),
        ("Benzodiazepine", "Unit", "other"), ("Heroin", "", "other"),
    ],
)  # fmt: skip
def test_form(name: str, unit: str, form: str) -> None:
    substance, _listed = unodc.map_substance(name)
    assert unodc.map_form(name, unit, substance) == form


@pytest.mark.parametrize(
    ("unit", "code", "factor", "exact"),
    [
        ("Kilogram", "KGM", 1, True), ("Gram", "GRM", 1, True), ("Milligram", "MGM", 1, True),
        ("Microgram", "MC", 1, True), ("Ton", "TNE", 1, True), ("Litre", "LTR", 1, True),
        ("Millilitre", "MLT", 1, True), ("Cc", "MLT", 1, True),
        ("Cubic Centimeter", "MLT", 1, True), ("Gallons (US, liquid)", "GLL", 1, True),
        ("Gallons (UK)", "GLI", 1, True), ("Acres", "ACR", 1, True),
        ("Hectars", "MTK", 10_000, True), ("Unit", "H87", 1, True), ("Piece", "H87", 1, True),
        ("Hundred of units", "H87", 100, True), ("Thousand of tablets", "H87", 1000, False),
        ("Tablet", "H87", 1, False), ("Capsule", "H87", 1, False), ("Dose", "H87", 1, False),
        ("Bottles", "H87", 1, False), ("", "H87", 1, False), ("Bushel", "H87", 1, False),
    ],
)  # fmt: skip
def test_unit(unit: str, code: str, factor: int, exact: bool) -> None:
    assert unodc.map_unit(unit) == unodc.UnitMap(code, Decimal(factor), exact)


@pytest.mark.parametrize(
    ("amount", "code", "quantity", "unit"),
    [
        ("12.5", "KGM", "12.500", "KGM"),
        ("0.30000000000000004", "KGM", "0.300", "KGM"),
        ("7.497999999999999", "KGM", "7.498", "KGM"),
        ("0.74427", "KGM", "744.270", "GRM"),
        ("1e-05", "KGM", "0.010", "GRM"),
        ("1e-07", "KGM", "0.100", "MGM"),
        ("1.4000000000000001e-05", "KGM", "0.014", "GRM"),
        ("0.0005", "LTR", "0.500", "MLT"),
        ("927611728.0", "H87", "927611728.000", "H87"),
        ("0.0004", "ACR", "0.000", "ACR"),
        ("0", "GRM", "0.000", "GRM"),
        ("3,5", "KGM", "3.500", "KGM"),
        ("99999999999999", "KGM", "99999999999999.000", "KGM"),
        ("0.123456789012345678", "KGM", "123456789.012", "MC"),
    ],
)
def test_quantities_keep_every_digit_the_source_gives(
    amount: str, code: str, quantity: str, unit: str
) -> None:
    parsed = unodc.parse_amount(amount)
    assert parsed is not None
    assert unodc.scale_quantity(parsed, code) == (Decimal(quantity), unit)


@pytest.mark.parametrize("text", ["-1", "abc", "nan", "inf", "1.2.3", "1e20"])
def test_amounts_that_are_not_quantities_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"negative|not a number|too large"):
        unodc.parse_amount(text)


def test_a_row_becomes_one_case() -> None:
    row = {
        "COUNTRY": "Bulgaria", "SEIZURE_DATE": "2012-01-21", "DRUG_NAME": "Heroin",
        "AMOUNT": "3.05", "DRUG_UNIT": "Kilogram", "HIDING_PLACE": "Baggage",
        "INSTALLATION": "Bus", "TRANSPORT": "Commercial road", "PRODUCING_COUNTRY": "Afghanistan",
        "DEPARTURE_COUNTRY": "Turkey", "DESTINATION_COUNTRY": "Romania",
        "ROUTING": "Border - inbound", "PLACE": "Kapitan Andreevo\nBCP",
    }  # fmt: skip
    mapped = unodc.map_row(7, row)
    assert mapped.errors == []
    case = mapped.case
    assert case is not None
    assert case.external_ref == "UNODC-IDS-7"
    assert (case.kind, str(case.date), case.country) == ("seizure", "2012-01-21", "BG")
    assert (case.transport, case.concealment, case.location_type) == ("road", "baggage", "inland")
    assert (case.direction, case.procedure, case.detection) == ("inbound", "import", "other")
    assert (case.summary, case.place) == ("", "")  # PLACE is free text: never imported
    assert [(leg.role, leg.country) for leg in case.route] == [
        ("departure", "TR"), ("destination", "RO")]  # fmt: skip
    [line] = case.goods
    assert line.commodity_area == "drugs"
    assert line.description == "Heroin (producing country: AF)"
    assert (line.quantity, line.unit) == (Decimal("3.050"), "KGM")
    assert line.details == {"substance": "heroin", "form": "powder"}


def test_notes_say_what_the_fields_cannot() -> None:
    base = {"COUNTRY": "Switzerland", "SEIZURE_DATE": "2016-04-05", "DRUG_NAME": "Hallucinogens"}
    blank = unodc.map_row(1, {**base, "AMOUNT": "", "DRUG_UNIT": ""}).case
    assert blank is not None
    assert blank.goods[0].description == "Hallucinogens (no amount reported; no unit reported)"
    assert (blank.goods[0].quantity, blank.goods[0].unit) == (Decimal(0), "H87")
    tablets = unodc.map_row(2, {**base, "AMOUNT": "490.0", "DRUG_UNIT": "Tablet"}).case
    assert tablets is not None
    assert tablets.goods[0].description == "Hallucinogens (unit reported: Tablet)"
    assert tablets.route == []


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        ({"SEIZURE_DATE": ""}, "SEIZURE_DATE", "no date of seizure"),
        ({"SEIZURE_DATE": "14/03/2011"}, "SEIZURE_DATE", "not a date"),
        ({"COUNTRY": ""}, "COUNTRY", "no seizing country"),
        ({"COUNTRY": "Atlantis"}, "COUNTRY", "unknown country name 'Atlantis'"),
        ({"AMOUNT": "-2.5"}, "AMOUNT", "negative amount -2.5"),
        ({"AMOUNT": "lots"}, "AMOUNT", "not a number"),
    ],
)
def test_rows_that_cannot_be_mapped_say_where_and_why(
    change: dict[str, str], column: str, reason: str
) -> None:
    row = {**sample_rows()[0], **change}
    mapped = unodc.map_row(12, row)
    assert mapped.case is None
    [error] = mapped.errors
    assert (error.row, error.column) == (12, column)
    assert reason in error.reason


def test_every_description_of_the_sample_passes_the_personal_data_gate() -> None:
    cases = [unodc.map_row(i, row).case for i, row in enumerate(sample_rows(), start=1)]
    descriptions = {c.goods[0].description for c in cases if c is not None}
    assert len(descriptions) > 150
    refused = {d: find_personal_data(d, "en") for d in descriptions}
    assert {d: f for d, f in refused.items() if f} == {}
    for name in unodc.GATE_SAFE_SPELLINGS.values():
        assert find_personal_data(name, "en") == []


def test_the_sample_reads_from_a_zip_too(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "ids.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(SAMPLE, unodc.CSV_NAME)
    from_zip = [m.case for m in unodc.read_mapped(archive)]
    from_csv = [m.case for m in unodc.read_mapped(SAMPLE)]
    assert len(from_zip) == 300
    assert from_zip == from_csv


def test_a_file_without_the_ids_columns_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("external_ref;date\nA-1;2026-01-01\n", encoding="utf-8")
    with pytest.raises(unodc.UnodcFileError, match="no column REGION"):
        list(unodc.read_mapped(other))


def test_limit_reads_the_first_rows_only() -> None:
    mapped = list(unodc.read_mapped(SAMPLE, limit=10))
    assert [m.row for m in mapped] == list(range(1, 11))


# --- The README's figures over the whole file (no database) -----------------------------------


@pytest.mark.skipif(not FULL.exists(), reason=f"the shared UNODC file is not here: {FULL}")
def test_the_full_file_reproduces_every_figure_of_its_readme() -> None:
    started = time.monotonic()
    figures = unodc.Figures()
    descriptions: set[str] = set()
    for mapped in unodc.read_mapped(FULL):
        figures.add(mapped)
        if mapped.case is not None:
            descriptions.add(mapped.case.goods[0].description)
    assert figures.rows == 311_038
    assert figures.bad_rows == 0
    assert dict(figures.by_year) == unodc.README_BY_YEAR
    assert dict(figures.by_transport) == unodc.README_BY_TRANSPORT
    assert len(figures.country_names) == 102
    assert figures.country_names == set(COUNTRIES_2011_2016)
    assert len(figures.country_codes) == 101
    for year, kg in unodc.README_KG_BY_YEAR.items():
        assert abs(figures.kg_by_year[year] - kg) <= 1, year
    assert all(c.ok for c in unodc.compare_with_readme(figures))
    # Every one of the 343 drug names is in the table, and no description is refused.
    with unodc.open_rows(FULL) as rows:
        drug_names = {row["DRUG_NAME"] for _number, row in rows}
    assert len(drug_names) == 343
    assert [n for n in drug_names if not unodc.map_substance(n)[1]] == []
    assert {d: f for d in descriptions if (f := find_personal_data(d, "en"))} == {}
    assert time.monotonic() - started < 60


# --- Into the database ------------------------------------------------------------------------


def polars_counts() -> tuple[dict[int, int], dict[str, int]]:
    """Per year and per opencen transport, computed from the CSV without the importer."""
    df = pl.read_csv(SAMPLE, separator=";", infer_schema=False).fill_null("")
    t, inst, hide = pl.col("TRANSPORT"), pl.col("INSTALLATION"), pl.col("HIDING_PLACE")
    air = t.is_in(["Commercial air", "Private air", "Air"])
    sea = t.is_in(["Commercial sea", "Private sea", "River"])
    transport = (
        pl.when(air & ((inst == "Air Cargo") | (hide == "Freight"))).then(pl.lit("air_cargo"))
        .when(air).then(pl.lit("air_passenger"))
        .when(sea & ((inst == "Container") | (hide == "Container"))).then(pl.lit("sea_container"))
        .when(sea).then(pl.lit("sea_bulk"))
        .when(t.is_in(["Land", "Commercial road", "Private road"])).then(pl.lit("road"))
        .when(t == "Rail").then(pl.lit("rail"))
        .when(t == "Pedestrian").then(pl.lit("pedestrian"))
        .when((t == "Mail") & (inst == "Courier / Delivery service"))
        .then(pl.lit("express_courier"))
        .when(t == "Mail").then(pl.lit("postal"))
        .otherwise(pl.lit("unknown"))
    )  # fmt: skip
    years = df.group_by(pl.col("SEIZURE_DATE").str.slice(0, 4).cast(pl.Int32).alias("y")).len()
    modes = df.group_by(transport.alias("t")).len()
    return dict(years.iter_rows()), dict(modes.iter_rows())


def db_counts(owner: Organisation) -> tuple[dict[int, int], dict[str, int]]:
    cases = Case.objects.filter(owner=owner, external_ref__startswith=unodc.REF_PREFIX)
    years: dict[int, int] = {}
    modes: dict[str, int] = {}
    for date, transport in cases.values_list("date", "transport"):
        years[date.year] = years.get(date.year, 0) + 1
        modes[transport] = modes.get(transport, 0) + 1
    return years, modes


@pytest.mark.usefixtures("refdata")
class TestImport:
    def test_every_code_the_mapping_gives_is_in_the_reference_tables(self) -> None:
        units = set(Unit.objects.values_list("code", flat=True))
        mapped = {u.code for u in unodc.UNITS.values()} | set(unodc.SMALLER.values())
        assert mapped <= units
        countries = set(Country.objects.values_list("code", flat=True))
        assert set(unodc.COUNTRY_ALIASES.values()) <= countries
        assert set(COUNTRIES_2011_2016.values()) <= countries

    def test_the_sample_imports_with_the_counts_polars_finds(self, cast: Cast) -> None:
        out = io.StringIO()
        call_command("seizures", "import-unodc", str(SAMPLE), "--owner", "FR", stdout=out)
        assert "Imported 300 cases into French Customs" in out.getvalue()
        assert "rows" in out.getvalue() and "311,038" in out.getvalue()  # the README's figure
        years, modes = polars_counts()
        assert sum(years.values()) == 300
        assert db_counts(cast.fr) == (years, modes)
        assert GoodsLine.objects.filter(case__owner=cast.fr, commodity_area="drugs").count() == 300
        case = Case.objects.get(owner=cast.fr, external_ref="UNODC-IDS-1")
        assert case.status == "draft" and case.distribution == "organisation"
        assert case.summary == "" and case.place_id is None
        assert RouteLeg.objects.filter(case__owner=cast.fr).exists()

    def test_re_importing_creates_nothing(self, cast: Cast) -> None:
        actor = cast.actor(cast.fr_officer)
        mapped = list(unodc.read_mapped(SAMPLE))
        first = unodc.check_import_unodc(actor, mapped)
        assert (first.created, first.skipped_existing, first.errors) == (300, 0, [])
        again = unodc.check_import_unodc(actor, list(unodc.read_mapped(SAMPLE)))
        assert (again.created, again.skipped_existing, again.errors) == (0, 300, [])
        assert Case.objects.filter(owner=cast.fr).count() == 300
        # Another organisation has its own references: importing there is not a duplicate.
        other = unodc.check_import_unodc(cast.actor(cast.be_officer), mapped[:5])
        assert other.created == 5

    def test_a_bad_row_refuses_the_whole_file(self, cast: Cast, tmp_path: Path) -> None:
        rows = sample_rows()[:20]
        rows[3] = {**rows[3], "SEIZURE_DATE": ""}
        rows[7] = {**rows[7], "AMOUNT": "-4"}
        path = write_csv(tmp_path / "bad.csv", rows)
        out = io.StringIO()
        with pytest.raises(CommandError, match="refused: 2 problem"):
            call_command("seizures", "import-unodc", str(path), "--owner", "FR", stdout=out)
        assert "row 4 SEIZURE_DATE: no date of seizure" in out.getvalue()
        assert "row 8 AMOUNT: negative amount -4" in out.getvalue()
        assert not Case.objects.exists()
        call_command("seizures", "import-unodc", str(path), "--owner", "FR", "--skip-bad",
                     stdout=out)  # fmt: skip
        assert Case.objects.filter(owner=cast.fr).count() == 18
        assert not Case.objects.filter(external_ref__in=["UNODC-IDS-4", "UNODC-IDS-8"]).exists()

    def test_what_the_services_refuse_comes_back_as_row_and_column(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        rows = sample_rows()[:5]
        rows[1] = {**rows[1], "DRUG_NAME": "Heroin, call +33 6 12 34 56 78"}
        rows[2] = {**rows[2], "SEIZURE_DATE": "1985-06-01"}
        mapped = list(unodc.read_mapped(write_csv(tmp_path / "gate.csv", rows)))
        report = unodc.check_import_unodc(cast.actor(cast.fr_officer), mapped)
        assert report.created == 0 and not report.stored
        assert [(e.row, e.column) for e in report.errors] == [(2, "DRUG_NAME"),
                                                              (3, "SEIZURE_DATE")]  # fmt: skip
        assert "Personal data" in report.errors[0].reason
        assert not Case.objects.exists()
        kept = unodc.check_import_unodc(cast.actor(cast.fr_officer), mapped, skip_bad=True)
        assert (kept.created, kept.skipped_bad) == (3, 2)

    def test_a_database_error_while_storing_leaves_nothing(
        self, cast: Cast, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real_store = services._store
        calls: list[int] = []

        def store_then_fail(*args: Any, **kwargs: Any) -> list[Case]:
            calls.append(1)
            if len(calls) == 2:
                raise DatabaseError("disk full")
            return real_store(*args, **kwargs)

        monkeypatch.setattr(unodc, "CHUNK", 100)
        monkeypatch.setattr(services, "_store", store_then_fail)
        with pytest.raises(DatabaseError):
            unodc.check_import_unodc(cast.actor(cast.fr_officer), list(unodc.read_mapped(SAMPLE)))
        assert len(calls) == 2  # the first 100 cases were written, then rolled back
        assert not Case.objects.exists()
        assert not GoodsLine.objects.exists()
        assert not AuditEvent.objects.filter(tag="seizures.case.created").exists()

    def test_check_only_stores_nothing(self, cast: Cast) -> None:
        out = io.StringIO()
        call_command("seizures", "import-unodc", str(SAMPLE), "--owner", "FR", "--check-only",
                     "--limit", "40", "--distribution", "network", stdout=out)  # fmt: skip
        assert "40 would be imported" in out.getvalue()
        assert "--limit 40 reads part only" in out.getvalue()
        assert not Case.objects.exists()

    def test_only_an_organisation_member_who_may_import(self, cast: Cast) -> None:
        with pytest.raises(CommandError, match="no active organisation"):
            call_command("seizures", "import-unodc", str(SAMPLE), "--owner", "NOPE")
        with pytest.raises(CommandError, match="may not import"):
            call_command("seizures", "import-unodc", str(SAMPLE), "--owner", "NGO")
        with pytest.raises(CommandError, match="may not import"):
            call_command("seizures", "import-unodc", str(SAMPLE), "--owner", "FR",
                         "--as", "officer@be.test")  # fmt: skip


# --- Docs -------------------------------------------------------------------------------------


def test_the_docs_list_every_mapping() -> None:
    page = DOC.read_text(encoding="utf-8")
    lines = page.splitlines()

    def row_of(code: str) -> str:
        found = [line for line in lines if line.startswith(f"| `{code}` |")]
        assert found, f"no row for {code} in the substance table"
        return found[0]

    for code, names in unodc.SUBSTANCES.items():
        row = row_of(code)
        missing = [name for name in names if f"`{name}`" not in row]
        assert missing == [], code
    for table in (unodc.TRANSPORTS, unodc.CONCEALMENTS, unodc.LOCATION_TYPES, unodc.ROUTINGS,
                  unodc.UNITS, unodc.COUNTRY_ALIASES):  # fmt: skip
        missing = [key for key in table if key and f"`{key}`" not in page]
        assert missing == []
    assert "opencen seizures import-unodc" in page
