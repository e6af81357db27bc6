"""The reference data files shipped in the package: where they are and what they hold.

The files live in ``opencen/reference/data/`` (see ``NOTICE.md`` there for sources and
licences).  They are kept as close to their upstream form as possible, so each can be checked
against its source: the loader, not the files, drops Comtrade's pseudo-codes from HS and maps
WCO member names to ISO codes.  ``benchmarks/reference_build_data.py`` rebuilds them.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class ShippedFile:
    """A shipped file and what the ``ReferenceDataset`` row says about it."""

    name: str
    edition: str
    source: str
    licence: str

    @property
    def path(self) -> Path:
        return DATA_DIR / self.name


HS_NOMENCLATURE = ShippedFile(
    "hs2022-nomenclature.csv.gz",
    "HS 2022",
    "UN Comtrade HS 2022 classification via github.com/datasets/harmonized-system (905e5a0)",
    "ODC-PDDL-1.0",
)
HS_SECTIONS = ShippedFile(
    "hs2022-sections.csv.gz",
    "HS 2022",
    "github.com/datasets/harmonized-system data/sections.csv (905e5a0)",
    "ODC-PDDL-1.0",
)
WCO_MEMBERS = ShippedFile(
    "wco-members-regions-wikipedia-2018.csv",
    "2018",
    "Wikipedia, 'Member states of the World Customs Organization' (2017/2018 revision)",
    "CC BY-SA 3.0",
)
UNLOCODE_FILES = (
    ShippedFile(
        "unlocode-2023-1-part1.csv.gz",
        "2023-1",
        "UNECE UN/LOCODE 2023-1 CodeListPart1 (AD-FR), as redistributed in PyPI pyunlocode 0.1.0",
        "UNECE UN/LOCODE (free of charge)",
    ),
    ShippedFile(
        "unlocode-2024-2-part2.csv.gz",
        "2024-2",
        "UNECE UN/LOCODE 2024-2 CodeListPart2 (GA-NZ)",
        "UNECE UN/LOCODE (free of charge)",
    ),
    ShippedFile(
        "unlocode-2024-2-part3.csv.gz",
        "2024-2",
        "UNECE UN/LOCODE 2024-2 CodeListPart3 (OM-ZW)",
        "UNECE UN/LOCODE (free of charge)",
    ),
)
UNITS = ShippedFile(
    "unece-rec20-units.csv.gz",
    "Rec. 20 (codes in force)",
    "UN/ECE Recommendation 20 code list, list 20/3 of npm un-ece-recommendation 0.1.1",
    "MIT (package); UNECE code list",
)


def read_text(shipped: ShippedFile) -> str:
    """The text of a shipped file (gunzipped when it ends in ``.gz``)."""
    raw = shipped.path.read_bytes()
    if shipped.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return raw.decode("utf-8-sig")
