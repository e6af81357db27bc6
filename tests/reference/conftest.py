"""Reference-data fixtures: the quick shipped tables, and a small official-format UN/LOCODE file.

The full UN/LOCODE list (116,000 places) is not loaded in tests that do not need it: they
import ``SAMPLE_UNLOCODE``, a few lines in the raw UNECE layout (Latin-1, no header).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from opencen.reference.loader import LoadReport, load_all
from opencen.reference.services import ImportReport, check_import_unlocode

QUICK_TABLES = ("countries", "currencies", "wco", "hs", "units")
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "reference"

SAMPLE_UNLOCODE = "\n".join(
    [
        ',"BE",,".BELGIUM",,,,,,,,',
        ',"BE","BRU","Bruxelles (Brussel)","Bruxelles (Brussel)","BRU","1234----","AI","1101",,'
        '"5050N 00420E",',
        ',"BE","BRU","Brussel (Bruxelles)","Brussel (Bruxelles)","BRU","1234----","AI","1101",,'
        '"5050N 00420E",',
        ',"FR",,".FRANCE",,,,,,,,',
        ',"FR","PAR","Paris","Paris","75","1234----","AF","0701",,"4852N 00220E",',
        ',"FR","SET","Sète","Sete","34","1-3-----","AI","0701",,"4324N 00342E",',
        ',"FR","ZZZ","Somewhere odd","Somewhere odd",,"--3-----","RL","0701",,"4899N 00220E",',
        ',"KE","MBA","Mombasa","Mombasa","28","1--4----","AI","0001",,"0403S 03940E",',
        ',"NL",,".NETHERLANDS",,,,,,,,',
        '"=","NL",,"Den Haag = \'s-Gravenhage","Den Haag = \'s-Gravenhage",,,,,,,',
        ',"NL","RTM","Rotterdam","Rotterdam","ZH","12345---","AF","0501",,"5155N 00430E",',
        ',"NL","HRL","Heerlen","Heerlen","LI","-------B","RL","0501",,"5053N 00559E",',
        ',"XZ","AAD","Aasgard","Aasgard",,"1-------","RQ","0212",,"6505N 00644E","Country: NO"',
        "",
    ]
).encode("latin-1")
SAMPLE_NAME = "2024-2 UNLOCODE CodeListPart1.csv"

SAMPLE_CITES = "\n".join(
    [
        "TaxonId,Kingdom,Family,FullName,AuthorYear,RankName,CurrentListing,EnglishNames,"
        "FrenchNames,SynonymsWithAuthors",
        '4521,Animalia,Elephantidae,Loxodonta africana,"(Blumenbach, 1797)",SPECIES,I/II,'
        '"African Elephant, African Savannah Elephant",Eléphant africain,'
        '"Loxodonta cyclotis (Matschie, 1900)"',
        "3210,Animalia,Rhinocerotidae,Ceratotherium simum,Burchell 1817,SPECIES,I/II,"
        "White Rhinoceros,,",
        "1703,Animalia,Anguidae,Abronia,Gray 1838,GENUS,I/II,,,",
        "9999,Plantae,Dicksoniaceae,Dicksonia antarctica,Labill.,SPECIES,,,,",
        "",
    ]
)


@pytest.fixture
def quick_tables(db: None) -> LoadReport:
    """Countries, currencies, WCO regions, HS 2022 and units: everything but UN/LOCODE."""
    return load_all(only=QUICK_TABLES)


@pytest.fixture
def sample_places(quick_tables: LoadReport) -> ImportReport:
    return check_import_unlocode(None, [(SAMPLE_NAME, SAMPLE_UNLOCODE)])
