"""The UNODC vocabularies and what they map to: countries, transports, hiding places,
installations, routing and drug names (table by table in ``docs/seizures-unodc.md``)."""

from __future__ import annotations

import re

import pycountry

from opencen.seizures.choices import Concealment, Direction, LocationType, Procedure, Transport

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
