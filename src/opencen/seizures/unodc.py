"""The UNODC Individual Drug Seizures (IDS) file, 2011-2016: read, map to cases, count, import.

The file (``drug-trafficking-unodc.csv``, ``;``-separated, usually inside a zip) has one
reported seizure per row.  ``read_mapped`` streams it and maps every row to one ``CaseIn``
(one drugs goods line, a route from the departure to the destination country); rows that
cannot be mapped carry their (row, column, reason) problems instead.  ``Figures`` counts the
mapped rows the way the data's README does, without the database, and ``check_import_unodc``
validates everything with the ordinary services and then stores it in one transaction, or
nothing.  The mapping is documented, table by table, in ``docs/seizures-unodc.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

import pycountry
from django.db import transaction
from pydantic import ValidationError

from opencen.audit.services import record_event, record_events
from opencen.audit.tags import EventTag
from opencen.core.actors import Actor
from opencen.core.errors import Forbidden, InvalidInput, field_path
from opencen.core.models import Distribution
from opencen.core.permissions import Perm
from opencen.seizures import services
from opencen.seizures.choices import (
    CaseKind,
    Concealment,
    Detection,
    Direction,
    LocationType,
    Procedure,
    RouteRole,
    Status,
    Transport,
)
from opencen.seizures.importing import RowError
from opencen.seizures.inputs import CaseIn
from opencen.seizures.validation import ResolvedCase

REF_PREFIX = "UNODC-IDS-"
CSV_NAME = "drug-trafficking-unodc.csv"
COLUMNS = (
    "REGION", "SUBREGION", "COUNTRY", "ADMINISTRATIVE_DIVISION", "PLACE", "SEIZURE_DATE",
    "DRUG_NAME", "AMOUNT", "DRUG_UNIT", "HIDING_PLACE", "INSTALLATION", "TRANSPORT",
    "PRODUCING_COUNTRY", "DEPARTURE_COUNTRY", "DESTINATION_COUNTRY", "ROUTING",
)  # fmt: skip
CHUNK = 10_000

# --- Countries --------------------------------------------------------------------------------

# UNODC / UN names that pycountry does not know, or knows under another spelling.  Keys are
# compared case-insensitively.  Both the spellings of this file and the UN M49 ones.
COUNTRY_ALIASES: dict[str, str] = {
    "Aland Islands": "AX",
    "Bolivia (Plurinational State of)": "BO",
    "China, Hong Kong SAR": "HK",
    "China, Macao SAR": "MO",
    "Czech Republic": "CZ",
    "Democratic Republic of the Congo": "CD",
    "Eswatini": "SZ",
    "Iran (Islamic Republic of)": "IR",
    "Iraq (Central Iraq)": "IQ",
    "Iraq (Kurdistan Region)": "IQ",
    "Kosovo": "XK",
    "Kosovo under UNSCR 1244": "XK",
    "Lao Peoples Democratic Republic": "LA",
    "Lao People's Democratic Republic": "LA",
    "Libyan Arab Jamahiriya": "LY",
    "Macau, SAR of China": "MO",
    "Macedonia, the former Yugoslav Republic of": "MK",
    "Micronesia (Federated States of)": "FM",
    "Republic of Korea": "KR",
    "Republic of Moldova": "MD",
    "State of Palestine": "PS",
    "Swaziland": "SZ",
    "The former Yugoslav Republic of Macedonia": "MK",
    "Turkey": "TR",
    "Türkiye": "TR",
    "United Kingdom (England and Wales)": "GB",
    "United Kingdom (Northern Ireland)": "GB",
    "United Kingdom (Scotland)": "GB",
    "United Republic of Tanzania": "TZ",
    "Venezuela (Bolivarian Republic of)": "VE",
}
# Route values that name no country: no leg is recorded for them.
NO_COUNTRY = frozenset({"", "unknown", "other", "multiple countries", "none"})
_ALIASES = {name.casefold(): code for name, code in COUNTRY_ALIASES.items()}


def country_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a UNODC country name, or None when it names none.

    The alias table first, then pycountry's exact lookup (name, official or common name);
    never a fuzzy match.  Withdrawn codes (e.g. "Netherlands Antilles") give None.
    """
    key = name.strip()
    if key.casefold() in NO_COUNTRY:
        return None
    if key.casefold() in _ALIASES:
        return _ALIASES[key.casefold()]
    try:
        found = pycountry.countries.lookup(key)
    except LookupError:
        return None
    return str(found.alpha_2)


# --- Vocabularies -----------------------------------------------------------------------------

TRANSPORTS: dict[str, Transport] = {
    "Commercial air": Transport.AIR_PASSENGER,
    "Private air": Transport.AIR_PASSENGER,
    "Air": Transport.AIR_PASSENGER,
    "Commercial sea": Transport.SEA_BULK,
    "Private sea": Transport.SEA_BULK,
    "River": Transport.SEA_BULK,
    "Land": Transport.ROAD,
    "Commercial road": Transport.ROAD,
    "Private road": Transport.ROAD,
    "Rail": Transport.RAIL,
    "Pedestrian": Transport.PEDESTRIAN,
    "Mail": Transport.POSTAL,
    "Other": Transport.UNKNOWN,
    "Unknown": Transport.UNKNOWN,
    "None": Transport.UNKNOWN,
    "": Transport.UNKNOWN,
}
AIR = frozenset({Transport.AIR_PASSENGER})
SEA = frozenset({Transport.SEA_BULK})

CONCEALMENTS: dict[str, Concealment] = {
    **dict.fromkeys(("Body", "Swallowed", "Inserted", "Underwear", "Outerwear", "Clothes",
                     "Shoes"), Concealment.BODY),
    **dict.fromkeys(("Baggage", "Handbag", "Backpack", "Carry"), Concealment.BAGGAGE),
    **dict.fromkeys(("Postal", "Package"), Concealment.MAIL_ITEM),
    **dict.fromkeys(("Car Parts", "Transport Vehicle", "Bike", "Vessel"), Concealment.VEHICLE),
    "Container": Concealment.CONTAINER_STRUCTURE,
    "Freight": Concealment.IN_CARGO,
    **dict.fromkeys(("Cosmetics", "Food", "Beverages", "Electrical Parts", "Appliances",
                     "Furniture", "Toys", "Art items", "Gifts", "Office supplies"),
                    Concealment.MIXED),
}  # fmt: skip

LOCATION_TYPES: dict[str, LocationType] = {
    **dict.fromkeys(("Airport", "Air Cargo", "Plane"), LocationType.AIRPORT),
    **dict.fromkeys(("Seaport", "Port Facilities", "Riverport"), LocationType.SEAPORT),
    **dict.fromkeys(("Post Office", "Postal Parcel"), LocationType.POSTAL_CENTRE),
    "Courier / Delivery service": LocationType.EXPRESS_HUB,
    "Frontier": LocationType.LAND_BORDER,
    # No location type fits an interdiction at sea, and "Other" names no kind of place.
    **dict.fromkeys(("International Waters", "Territorial Waters", "Maritime Zone", "Boat",
                     "Vessel", "Underwater Site", "Unknown", "Other", ""), LocationType.UNKNOWN),
}  # fmt: skip

ROUTINGS: dict[str, tuple[Direction, Procedure]] = {
    "Border - inbound": (Direction.INBOUND, Procedure.IMPORT),
    "Border - outbound": (Direction.OUTBOUND, Procedure.EXPORT),
    "Border - transit/free trade zone": (Direction.IN_TRANSIT, Procedure.TRANSIT),
    "National territory/domestic seizure": (Direction.DOMESTIC, Procedure.UNKNOWN),
}


def map_transport(transport: str, installation: str = "", hiding_place: str = "") -> Transport:
    """TRANSPORT to opencen's means of transport, refined by where it was found.

    Air goes to air cargo when INSTALLATION is "Air Cargo" or HIDING_PLACE "Freight"; sea to
    sea container when INSTALLATION or HIDING_PLACE is "Container"; mail to express courier
    when INSTALLATION is "Courier / Delivery service".  Unlisted values are unknown.
    """
    mapped = TRANSPORTS.get(transport.strip(), Transport.UNKNOWN)
    if mapped in AIR and (installation == "Air Cargo" or hiding_place == "Freight"):
        return Transport.AIR_CARGO
    if mapped in SEA and "Container" in (installation, hiding_place):
        return Transport.SEA_CONTAINER
    if mapped == Transport.POSTAL and installation == "Courier / Delivery service":
        return Transport.EXPRESS_COURIER
    return mapped


def map_concealment(hiding_place: str) -> Concealment:
    """HIDING_PLACE to a concealment method; anything unlisted (and blank) is "other"."""
    return CONCEALMENTS.get(hiding_place.strip(), Concealment.OTHER)


def map_location_type(installation: str) -> LocationType:
    """INSTALLATION to a location type; any other named place on land is inland."""
    return LOCATION_TYPES.get(installation.strip(), LocationType.INLAND)


def map_routing(routing: str) -> tuple[Direction, Procedure]:
    """ROUTING to (direction, customs procedure); blank and anything else are unknown."""
    return ROUTINGS.get(routing.strip(), (Direction.UNKNOWN, Procedure.UNKNOWN))


# --- Substances -------------------------------------------------------------------------------

# Every DRUG_NAME of the 2011-2016 file, by opencen substance.  Names are compared
# case-insensitively; a name not listed goes through SUBSTANCE_PATTERNS, then "other".
SUBSTANCES: dict[str, tuple[str, ...]] = {
    "cocaine": ("Cocaine", "Cocaine Base", "Cocaine HCL", "Coca paste", "Liquid cocaine"),
    "crack": ("Crack",),
    "heroin": ("Heroin", "Heroin Base"),
    "opium": ("Opium",),
    "morphine": ("Morphine", "Substitol (slow release Morphine)"),
    "cannabis_herb": ("Edible cannabis",),
    "cannabis_oil": ("THC",),
    "methamphetamine": ("Methamphetamine", "Liquid methamphetamine", "Yava"),
    "amphetamine": ("Amphetamine", "Amphetamine-Ketamine Mix", "ATS"),
    "captagon": ("Captagon",),
    "mdma": ("Ecstasy", "MDA", "MDEA", "MMDA", "MBDB", "MDMA & Mephedrone"),
    "ketamine": ("Ketamine",),
    "fentanyl": ("Fentanyl", "Phentanyl", "3-Methylfentanyl", "Alpha-Methylfentanyl",
                 "Carfentanil"),
    "tramadol": ("Tramadol",),
    "other_opioid": (
        "Acetylated Opium", "Opiates", "Other opioids", "Pharmaceutical Opioids",
        "Extract from Opium poppy", "6-Monoacetylmorphine", "6-Monoacetylcodeine",
        "6-Desoxycodeine", "Desomorphine", "Codeine", "Codidol", "Phensydyl", "Buprenorphine",
        "Methadone", "Oxycodone", "Hydrocodone", "Hydromorphone", "Promedol", "Tilidate",
        "Tapentadol", "Pentazocine", "Butorphanol", "Dextropropoxyphene", "Dextropoxyphene",
        "Spasmo proxyvon", "Diphenoxylate", "MPPP", "Levomethorphan",
    ),
    "khat": ("Khat",),
    "lsd": ("LSD",),
    "nps": (
        # synthetic cannabinoids, by code name and by the chemical names of national lists
        "Synthetic Cannabinoid", "JWH-018", "JWH-073", "JWH-081", "JWH-122", "JWH-167",
        "JWH-200", "JWH-203", "JWH-250", "AM-2201", "UR-144", "XLR-11", "HU-210", "CP 47",
        "CP-55", "RCS-4", "BB-22", "PB-22", "5F-PB-22", "FUB-PB-22", "FUB-144", "FUBIMINA",
        "NM-2201", "THJ-018", "THJ-2201", "SDB-006", "MMB(N)-BZ-F", "AB-CHMINACA",
        "AB-FUBINACA", "AB-PINACA", "ADB-CHMINACA", "ADBICA", "5F-AB-PINACA", "5F-ADB",
        "5F-AKB48", "5F-AMB", "5F-APINACA", "5F-APINACA, 5F-AKB-48", "5F-CUMYL-PINACA",
        "CUMYL-5F-PINACA", "MDMB-CHMCZCA", "MDMB-CHMICA", "3-Naphthoylindole",
        "3- (Naphthalene-1-ilocos methyl) -1-pentyl-1H-indazole and its derivatives",
        "3-butenoyl-1-methylindole [1- (1-methyl-1H-indol-3-yl) butan-1-one] and derivatives",
        "1 benzyl N (quinolin 8 yl) 1H indazole 3 carboxamide",
        "N-(1-carbamoil-2-methylpropil)-1-pentil-1n-indazole-3-carboxamyde and its derivates",
        "N-(1-carbamoil-2-methylpropyl)-1-(pentil)-1n-indole-3-carboxamide",
        "N-(1-carbamoil-2-methylpropyl)-1-(phenylmethyl)-1n-indazole-3-carboxamide and its "
        "derivaties",
        "N-(adamantan-1-yl)-1-pentil-1N-indazole-3-carboxamyde and its derivates",
        "N-(adamantan-1-yl)-1-pentil-1N-indole-3-carboxamyde",
        "N-(naphtalene-1-yl)-1H-indole-3-carboxamide", "N-Adamant-yl-indole",
        "Naphtalene-1-yl-benzyl-1H-indole-3-carboxylate",
        "Naphtalene-1-yl-pentil-1H-indole-3-carboxylate",
        "naphthalen-1-yl-1-benzyl-1H-indole-3-carboxylate and its deriviatives",
        "Quinoline-8-yl-1-pentil-1N-indazole-3-carboxylate",
        "Quinoline-8-yl-1-pentil-1N-indole-3-carboxylate",
        "Quinoline", "Methyl ether", "Methylester", "Methanone",
        # synthetic cathinones
        "Cathinone", "Methcathinone", "Ephedrone", "N-Methylephedrone", "Mephedrone", "4-MEC",
        "MDPV", "Methylone", "Alpha-pvp", "4-CMC", "4-Chloromethcathinone", "CHLORMETHCATHINON",
        "4-Bromomethcathinone", "4-fluoromethcathinone", "Pentedrone", "Buphedrone", "Butylone",
        "Butilona", "Ethylone", "Dimetilona", "Ephylone", "bk_MDEA", "Pyrovalerone", "4-MePPP",
        "Isoethcathinone", "β-Keto-Methylbenzodioxolylpentanamine", "4-CI-α-PVP", "2-MMC",
        # phenethylamines, tryptamines, piperazines, aminoindanes and other designer drugs
        "2C-B", "2C-E", "2C-H", "25B-NBOMe", "25C-NBOMe", "25I-NBOMe", "DOB", "DOC",
        'STP ("DOM")', "Phenethylamines", "2-Fluoromethamphetamine", "3 fluoromethamphetamine",
        "4-Fluoromethamphetamine", "4-Fluoroamphetamine", "para-Methoxyamphetamine",
        "para-Methoxy-N-methylamphetamine", "Dimethylamphetamine", "5-APB", "6-MAPB",
        "Benzofuran", "2-Aminoindane", "MDAI", "Methiopropamine", "Thiopropamine",
        "Methoxetamine", "Eticyclidine", "Ethylphenidate", "Desoxypipradol",
        "Methylhexanamine", "Piperazines", "Benzylpiperazine", "TFMPP", "mCPP",
        "Phenylpiperazine", "Tryptamines", "Alpha-Methyltryptamine", "4-HO-DiPT", "5-MeO-DALT",
        "5-MeO-MIPT", "5-MeO-DMT", "4-HYDROXYTRYPTAMINE", "5-hydroxy-N-methyltryptamine",
        "O-Acetylpsilocin", "Phenazepam", "MDPA", "Dimethocaine",
        # plant-based NPS and the catch-alls
        "Kratom", "Mitragynine", "Salvinorin", "Lactuca virosa", "Leonotis leonurus",
        "Turnera diffusa", "Plant-based substances", "Non-specified NPS", "Synthetics",
    ),
    "precursor": (
        "Ephedrine", "Pseudoephedrine", "Acetic Anhydride", "Acetone/Ethyl Ether",
        "Ammonium chloride", "Ammonia Sprit", "Hydrochloric Acid", "Sulphuric Acid",
        "Sodium Carbonate", "Sodium hydroxide", "Potassium Permanganate", "Iodine",
        "Hypophosphorous Acid", "Phosphorous Acid", "Toluene", "Methyl Ethyl Ketone", "MDP2P",
        "PMK-glycidate", "Phenylacetone", "Phenyl-2-nitropropene", "APAA", "Piperidine",
        "Pyrrolidine", "Cyclohexanone", "Dimethylamine", "GBL",
        "1-phenethyl-4-hydroxypiperidine", "Non-specified precursors", "Other precursors",
    ),
    "other": (
        # raw plant material: not counted as the drug extracted from it
        "Coca leaf", "Coca Plant", "Coca Seeds", "Opium Poppy", "Poppy straw", "Pavots",
        "Poppy Seeds",
        # classic hallucinogens and dissociatives without a code of their own
        "Hallucinogens", "Psilocybin (mushrooms)", "Mescaline", "Dimethyltryptamine (DMT)",
        "Ayahuasca", "Phencyclidine",
        # sedatives, tranquillisers and other medicines (generic and brand names)
        "Alprazolam (Xanax)", "Benzodiazepine", "Bromazepam", "Brotizolam", "Clobazam",
        "Clonazepam", "Clorazepate", "Diazepam", "Ethyl loflazepate", "Flunitrazepam",
        "Lorazepam", "Lormetazepam", "Medazepam", "Nimetazepam", "Nitrazepam", "Oxazepam",
        "Prazepam", "Tetrazepam", "Tofisopam", "Zolpidem", "Zopiclone", "Zopalet",
        "Non-specified Sedatives and Tranquilizers", "Non-specified sedatives and Tranquilizers",
        "Barbiturates", "Amobarbital", "Phenobarbital", "Methaqualone", "GHB", "GHB/GBL",
        "GABA", "Kitil", "Colina", "Roche", "Zirexa", "Parkedil", "Parkenal", "Novazine",
        "Nozepane", "Orzepam", "Lozenal", "Praxiten", "Somnubene", "Soulperane", "Halbiridol",
        "Largactile", "LIOREZAL", "Lysanxia", "Anxiolit", "Seresta (Oxazepam)",
        "Equinil (Meprobamates)", "TRANKXENEK", "ANAFRANIL (CLOMIPRAMINE)",
        "BUSPAR (CHYDRATE DE BUSPIRONE)", "Elavil (Amitriptyline)", "Ludiomil (Maprotiline)",
        "Sinequan (Doxepine)", "Tofranil (Imipramine)", "Carbamazepine", "Chlorpromazine",
        "Valproic acid", "Tianeptine", "Pregabalin", "Amantadine", "Taren",
        "Non-specified pharmaceuticals", "Cough sirups", "Dextromethorphan",
        # stimulants without a code of their own
        "Modafinil", "Methylphenidate", "Retalin Tablets", "Phentermine", "Phendimetrazine",
        "Amfepramone Hydrochloride", "Benzphetamine", "Fenfluramine", "Pipradrol", "Caffeine",
        "Non-specified stimulants",
        # everything else
        "Anabolic steroids", "METHANDROSTENOLONE", "Alcohol", "Fuelite", "Tabacco",
        "Methylsulfonylmethane", "Acyl", "Karcidone", "Pinix", "Multiple drugs",
        "Controlled Drug Mix", "Non-specified psychotropic substances", "Unknown", "Other",
    ),
}  # fmt: skip
_SUBSTANCE_OF = {name.casefold(): code for code, names in SUBSTANCES.items() for name in names}
# For names the table does not list (other extracts of the IDS): first match wins.
SUBSTANCE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), code)
    for pattern, code in (
        (r"fentanyl", "fentanyl"),
        (r"\bcrack\b", "crack"),
        (r"\bcoca (leaf|plant|seed)", "other"),
        (r"cocaine|coca paste", "cocaine"),
        (r"heroin", "heroin"),
        (r"\bmorphine\b", "morphine"),
        (r"\bopium\b", "opium"),
        (r"cannabis resin|hashish", "cannabis_resin"),
        (r"cannabis oil", "cannabis_oil"),
        (r"cannabis plant", "cannabis_plants"),
        (r"cannabinoid|jwh-|pinaca|\bnbome|cathinone", "nps"),
        (r"cannabis|marijuana|marihuana", "cannabis_herb"),
        (r"methamphetamine", "methamphetamine"),
        (r"amphetamine", "amphetamine"),
        (r"\bmdma\b|ecstasy", "mdma"),
        (r"ketamine", "ketamine"),
        (r"tramadol", "tramadol"),
        (r"\bkhat\b", "khat"),
        (r"\blsd\b", "lsd"),
        (r"\bnps\b", "nps"),
        (r"precursor|ephedrine", "precursor"),
        (r"opioid|codeine|methadone", "other_opioid"),
    )
)


def map_substance(drug_name: str) -> tuple[str, bool]:
    """DRUG_NAME to an opencen substance code, and whether the name is in the table."""
    key = drug_name.strip().casefold()
    if key in _SUBSTANCE_OF:
        return _SUBSTANCE_OF[key], True
    for pattern, code in SUBSTANCE_PATTERNS:
        if pattern.search(key):
            return code, False
    return "other", False


# --- Units, quantities and forms --------------------------------------------------------------


@dataclass(frozen=True)
class UnitMap:
    """How one DRUG_UNIT becomes a Rec. 20 unit: ``quantity = AMOUNT * factor``.  ``exact`` is
    False when the code does not say everything the unit said (a tablet counted as a piece):
    the line's description then repeats the unit as reported."""

    code: str
    factor: Decimal = Decimal(1)
    exact: bool = True


_PIECE = UnitMap("H87", exact=False)
UNITS: dict[str, UnitMap] = {
    "Kilogram": UnitMap("KGM"),
    "Gram": UnitMap("GRM"),
    "Milligram": UnitMap("MGM"),
    "Microgram": UnitMap("MC"),
    "Ton": UnitMap("TNE"),
    "Ounce": UnitMap("ONZ"),
    "100 gram": UnitMap("GRM", Decimal(100)),
    "Litre": UnitMap("LTR"),
    "Millilitre": UnitMap("MLT"),
    "Cc": UnitMap("MLT"),
    "Cubic Centimeter": UnitMap("MLT"),
    "Gallons (US, liquid)": UnitMap("GLL"),
    "Gallons (UK)": UnitMap("GLI"),
    "Acres": UnitMap("ACR"),
    "Hectars": UnitMap("MTK", Decimal(10_000)),
    "Unit": UnitMap("H87"),
    "Piece": UnitMap("H87"),
    "Hundred of units": UnitMap("H87", Decimal(100)),
    "Thousand of tablets": UnitMap("H87", Decimal(1000), exact=False),
    "Thousand of doses": UnitMap("H87", Decimal(1000), exact=False),
    **dict.fromkeys((
        "Tablet", "Pill", "Capsule", "Dose", "Bottles", "Ampoule", "Vials", "Flacons",
        "Injection", "Blotting paper", "Blotter", "Stamp", "Mark", "Trip", "Paper (1/10 gm)",
        "Plants", "Bush", "Joint", "Barette", "Block (350gr)", "Packages", "Viss", "other",
    ), _PIECE),
}  # fmt: skip
# A unit and the next smaller one of the same kind, 1000 times smaller.
SMALLER = {"TNE": "KGM", "KGM": "GRM", "GRM": "MGM", "MGM": "MC", "LTR": "MLT"}
KG_PER_UNIT = {"TNE": Decimal(1000), "KGM": Decimal(1), "GRM": Decimal("0.001"),
               "MGM": Decimal("1e-6"), "MC": Decimal("1e-9")}  # fmt: skip
MASS_UNITS = frozenset({"KGM", "GRM", "MGM", "MC", "TNE", "ONZ"})
_NOISE = Context(prec=15)  # float64 holds 15 significant digits; beyond is binary noise
_WIDE = Context(prec=60)
_THOUSANDTH = Decimal("0.001")
_MAX_INTEGER = Decimal(10) ** 14  # GoodsLine.quantity: 18 digits, 3 of them decimals

FORM_BY_UNIT: dict[str, str] = {
    **dict.fromkeys(("Tablet", "Pill", "Capsule", "Thousand of tablets"), "tablet"),
    **dict.fromkeys(("Litre", "Millilitre", "Cc", "Cubic Centimeter", "Gallons (US, liquid)",
                     "Gallons (UK)", "Bottles", "Ampoule", "Vials", "Flacons", "Injection"),
                    "liquid"),
    **dict.fromkeys(("Plants", "Bush", "Acres", "Hectars"), "plant"),
    **dict.fromkeys(("Blotting paper", "Blotter", "Stamp", "Mark", "Trip", "Paper (1/10 gm)"),
                    "blotter"),
}  # fmt: skip
FORM_BY_NAME: dict[str, str] = {
    "Coca paste": "paste",
    "Opium": "resin",
    **dict.fromkeys(("Coca leaf", "Coca Plant", "Coca Seeds", "Opium Poppy", "Poppy straw",
                     "Pavots", "Poppy Seeds", "Khat", "Kratom", "Psilocybin (mushrooms)",
                     "Lactuca virosa", "Leonotis leonurus", "Turnera diffusa",
                     "Plant-based substances", "Tabacco"), "plant"),
    **dict.fromkeys(("Liquid cocaine", "Liquid methamphetamine", "Cough sirups", "Alcohol",
                     "Fuelite", "Ayahuasca", "GHB", "GBL", "GHB/GBL", "Acetic Anhydride",
                     "Acetone/Ethyl Ether", "Ammonia Sprit", "Hydrochloric Acid",
                     "Sulphuric Acid", "Phosphorous Acid", "Hypophosphorous Acid", "Toluene",
                     "Methyl Ethyl Ketone", "Extract from Opium poppy"), "liquid"),
    **dict.fromkeys(("Captagon", "Yava", "Retalin Tablets"), "tablet"),
    **dict.fromkeys(("Crack", "Edible cannabis"), "other"),
}  # fmt: skip
_FORM_OF_NAME = {name.casefold(): form for name, form in FORM_BY_NAME.items()}
# Counted without a form-giving unit ("Unit", "Piece", "Dose"...): the usual form if any.
COUNT_FORMS = {"mdma": "tablet", "captagon": "tablet", "lsd": "blotter"}


def map_unit(drug_unit: str) -> UnitMap:
    """DRUG_UNIT to its Rec. 20 unit; blank and unknown units count pieces (H87), noted."""
    return UNITS.get(drug_unit.strip(), _PIECE)


def map_form(drug_name: str, drug_unit: str, substance: str) -> str:
    """The form of the drug: from the unit when it says it (tablets, litres, plants,
    blotters), else from the name (coca paste, opium, khat...), else powder for anything
    weighed and the substance's usual counted form (or "other") for anything counted."""
    unit = drug_unit.strip()
    if unit in FORM_BY_UNIT:
        return FORM_BY_UNIT[unit]
    by_name = _FORM_OF_NAME.get(drug_name.strip().casefold())
    if by_name:
        return by_name
    if map_unit(unit).code in MASS_UNITS:
        return "powder"
    return COUNT_FORMS.get(substance, "other")


def parse_amount(text: str) -> Decimal | None:
    """AMOUNT as a Decimal (dot or comma decimals, scientific notation; blank gives None).

    Raises ``ValueError`` for text that is not a finite number, is negative, or is too large
    for a goods line (10^14 and over).
    """
    text = text.strip()
    if not text:
        return None
    try:
        amount = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not a number: {text!r}")
    if amount < 0:
        raise ValueError(f"negative amount {text}")
    if amount >= _MAX_INTEGER:
        raise ValueError(f"amount too large: {text}")
    return amount


def scale_quantity(amount: Decimal, code: str) -> tuple[Decimal, str]:
    """Drop the float noise (beyond 15 significant digits), then keep what is left exactly:
    while it needs more than 3 decimals, express it in the next smaller unit (t -> kg -> g ->
    mg -> µg, l -> ml).  Only what no smaller unit can hold is rounded to 3 decimals."""
    value = amount.normalize(_NOISE)
    while (
        code in SMALLER
        and value * 1000 < _MAX_INTEGER
        and value != value.quantize(_THOUSANDTH, context=_WIDE)
    ):
        value, code = value * 1000, SMALLER[code]
    return value.quantize(_THOUSANDTH, rounding=ROUND_HALF_EVEN, context=_WIDE), code


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
            RowError(number, _source_column(route, field_path(e["loc"])), e["msg"])
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
    with open_rows(path) as rows:
        for number, row in rows:
            if limit is not None and number > limit:
                break
            yield map_row(number, row, distribution=distribution)
            if progress and number % CHUNK == 0:
                progress(number)


# --- Figures ----------------------------------------------------------------------------------


@dataclass
class Figures:
    """The README's figures, counted from mapped rows (no database).

    ``by_transport`` counts the TRANSPORT values as written in the file ("" = blank);
    ``kg_by_year`` is the README's "kg + g/1000": rows reported in Kilogram or Gram, from the
    mapped quantity and unit.  ``country_names`` counts COUNTRY as written, ``country_codes``
    the ISO codes they map to.
    """

    rows: int = 0
    bad_rows: int = 0
    by_year: Counter[int] = field(default_factory=Counter)
    by_transport: Counter[str] = field(default_factory=Counter)
    by_transport_mapped: Counter[str] = field(default_factory=Counter)
    country_names: set[str] = field(default_factory=set)
    country_codes: set[str] = field(default_factory=set)
    kg_by_year: defaultdict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def add(self, mapped: MappedRow) -> None:
        """Count one row."""
        self.rows += 1
        case = mapped.case
        if case is None:
            self.bad_rows += 1
            return
        self.by_year[case.date.year] += 1
        self.by_transport[mapped.transport] += 1
        self.by_transport_mapped[str(case.transport)] += 1
        self.country_names.add(mapped.country_name)
        self.country_codes.add(case.country)
        if mapped.drug_unit in ("Kilogram", "Gram"):
            line = case.goods[0]
            self.kg_by_year[case.date.year] += line.quantity * KG_PER_UNIT[line.unit]

    @classmethod
    def of(cls, rows: Iterable[MappedRow]) -> Figures:
        figures = cls()
        for mapped in rows:
            figures.add(mapped)
        return figures


# The figures the data's README gives (shared/data/seizures/README.md).
README_ROWS = 311_038
README_COUNTRIES = 102
README_BY_YEAR = {2011: 28_159, 2012: 29_396, 2013: 27_086, 2014: 123_531, 2015: 55_313,
                  2016: 47_553}  # fmt: skip
README_BY_TRANSPORT = {
    "Commercial air": 19_137, "Land": 8_933, "Private road": 6_933, "Other": 5_942,
    "Commercial road": 3_471, "Unknown": 2_833, "Commercial sea": 1_021, "Mail": 924,
    "None": 534, "Rail": 368, "Private air": 57, "River": 30, "Private sea": 24,
    "Pedestrian": 16, "Air": 6, "": 260_809,
}  # fmt: skip
README_KG_BY_YEAR = {2011: 1_508_524, 2012: 561_233, 2013: 5_322_067, 2014: 634_591,
                     2015: 594_867, 2016: 628_833}  # fmt: skip
KG_TOLERANCE = Decimal(1)  # the README rounds to the kilogram ("≈")


@dataclass(frozen=True)
class Comparison:
    """One README figure next to the one measured."""

    label: str
    readme: int | None
    measured: int | Decimal
    ok: bool


def compare_with_readme(figures: Figures) -> list[Comparison]:
    """Every README figure next to the measured one (``ok`` within 1 kg for the weights)."""
    out = [Comparison("rows", README_ROWS, figures.rows, figures.rows == README_ROWS)]
    for year, count in README_BY_YEAR.items():
        got = figures.by_year.get(year, 0)
        out.append(Comparison(f"rows {year}", count, got, got == count))
    for value, count in README_BY_TRANSPORT.items():
        got = figures.by_transport.get(value, 0)
        out.append(Comparison(f"TRANSPORT {value or '(blank)'}", count, got, got == count))
    names = len(figures.country_names)
    out.append(Comparison("countries (names)", README_COUNTRIES, names, names == README_COUNTRIES))
    out.append(Comparison("countries (ISO codes)", None, len(figures.country_codes), True))
    for year, kg in README_KG_BY_YEAR.items():
        weight = figures.kg_by_year.get(year, Decimal(0))
        out.append(Comparison(f"kg {year}", kg, weight, abs(weight - kg) <= KG_TOLERANCE))
    return out


# --- Import -----------------------------------------------------------------------------------

_GOODS_COLUMNS = {
    "description": "DRUG_NAME", "quantity": "AMOUNT", "unit": "DRUG_UNIT",
    "details.substance": "DRUG_NAME", "details.form": "DRUG_NAME",
}  # fmt: skip
_CASE_COLUMNS = {"date": "SEIZURE_DATE", "country": "COUNTRY", "external_ref": "row"}


def _source_column(route: Sequence[Any], path: str) -> str:
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


@dataclass
class ImportReport:
    """What ``check_import_unodc`` did: ``errors`` lists every refused row (row, column,
    reason); ``created`` is the number of new cases, zero when the file was refused."""

    rows: int = 0
    created: int = 0
    skipped_existing: int = 0
    skipped_bad: int = 0
    errors: list[RowError] = field(default_factory=list)
    stored: bool = False
    check_seconds: float = 0.0
    store_seconds: float = 0.0


def _validate_chunk(
    actor: Actor, part: Sequence[MappedRow], report: ImportReport, *, skip_bad: bool
) -> list[ResolvedCase]:
    datas = [m.case for m in part if m.case is not None]
    rows = [m for m in part if m.case is not None]
    try:
        resolved, skipped = services.validate_cases(actor, datas, skip_existing=True)
    except InvalidInput as exc:
        refused: set[int] = set()
        for error in exc.errors:
            index_text, _sep, path = error.field.partition("].")
            index = int(index_text.lstrip("["))
            refused.add(index)
            mapped = rows[index]
            assert mapped.case is not None
            report.errors.append(
                RowError(mapped.row, _source_column(mapped.case.route, path), error.reason)
            )
        if not skip_bad:
            return []
        report.skipped_bad += len(refused)
        datas = [d for i, d in enumerate(datas) if i not in refused]
        resolved, skipped = services.validate_cases(actor, datas, skip_existing=True)
    report.skipped_existing += len(skipped)
    return resolved


def check_import_unodc(
    actor: Actor,
    mapped: Sequence[MappedRow],
    *,
    submit: bool = False,
    skip_bad: bool = False,
    store: bool = True,
    source: str = "",
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportReport:
    """Import mapped rows into the actor's organisation: all of them, or none.

    Every row is first checked with ``services.validate_cases`` (codes, rules, personal-data
    gate), ``CHUNK`` rows at a time so that each query stays within SQLite's limit on
    parameters; cases whose external reference the organisation already has are skipped, so a
    re-import creates nothing.  Rows that could not be mapped or were refused are reported; with
    ``skip_bad`` they are left out, otherwise nothing is stored.  Then everything is written in
    one transaction (cases, goods, route, one ``seizures.case.created`` event per case and a
    closing ``seizures.import.finished``).  ``store=False`` stops after the checks.
    ``progress(stage, done, total)`` is called after every chunk.
    """
    if not actor.can(Perm.SEIZURE_CASE_IMPORT):
        raise Forbidden(Perm.SEIZURE_CASE_IMPORT)
    report = ImportReport(rows=len(mapped))
    unmapped = [m for m in mapped if m.case is None]
    for m in unmapped:
        report.errors.extend(m.errors)
    if skip_bad:
        report.skipped_bad += len(unmapped)
    resolved: list[ResolvedCase] = []
    started = time.monotonic()
    for start in range(0, len(mapped), CHUNK):
        part = mapped[start : start + CHUNK]
        resolved += _validate_chunk(actor, part, report, skip_bad=skip_bad)
        if progress:
            progress("checked", min(start + CHUNK, len(mapped)), len(mapped))
    report.errors.sort(key=lambda e: (e.row, e.column))
    report.check_seconds = time.monotonic() - started
    if (report.errors and not skip_bad) or not store:
        if report.errors and not skip_bad and store:
            record_event(
                actor,
                EventTag.SEIZURES_IMPORT_REJECTED,
                object_type="seizures.unodc",
                object_id=source,
                changes={"file": source, "rows": report.rows, "errors": len(report.errors)},
            )
        return report
    status = Status.SUBMITTED if submit else Status.DRAFT
    started = time.monotonic()
    with transaction.atomic():
        for start in range(0, len(resolved), CHUNK):
            cases = services._store(actor, resolved[start : start + CHUNK], status)
            record_events(
                actor,
                EventTag.SEIZURES_CASE_CREATED,
                list(cases),
                [
                    {
                        "reference": c.reference,
                        "status": c.status,
                        "bulk": True,
                        "source": "unodc-ids",
                    }
                    for c in cases
                ],
            )
            report.created += len(cases)
            if progress:
                progress("stored", report.created, len(resolved))
        record_event(actor, EventTag.SEIZURES_IMPORT_FINISHED, object_type="seizures.unodc",
                     object_id=source, changes={
                         "file": source, "rows": report.rows, "created": report.created,
                         "skipped_existing": report.skipped_existing,
                         "skipped_bad": report.skipped_bad})  # fmt: skip
    report.stored = True
    report.store_seconds = time.monotonic() - started
    return report
