"""The figures of the data's README, counted from the mapped rows without the database."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from opencen.seizures.unodc.reader import MappedRow
from opencen.seizures.unodc.units import KG_PER_UNIT


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
