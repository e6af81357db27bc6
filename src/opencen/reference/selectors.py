"""Reads of the reference tables: look-ups by code and ranked autocomplete.

Reference data is not shareable: every logged-in user may read all of it, so these functions
take no actor (views and API handlers check ``reference:data:view`` first).  Searches rank exact
code matches first, then codes and names that start with the query, then names that contain it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from opencen.core.errors import NotFound
from opencen.reference.models import (
    CitesSpecies,
    Country,
    Currency,
    HsCode,
    HsLevel,
    Place,
    ReferenceDataset,
    Unit,
    WcoRegion,
)
from opencen.reference.validation import normalise_hs

# Place function filter value -> boolean field.
PLACE_FUNCTIONS = {
    "seaport": "is_seaport",
    "rail": "is_rail",
    "road": "is_road",
    "airport": "is_airport",
    "postal": "is_postal",
    "multimodal": "is_multimodal",
    "fixed_transport": "is_fixed_transport",
    "inland_port": "is_inland_port",
    "border_crossing": "is_border_crossing",
}


def _clean(q: str | None) -> str:
    return " ".join((q or "").split())[:100]


def _ranked(qs: QuerySet[Any], code_field: str, q: str, name_fields: tuple[str, ...]) -> Any:
    """Filter on code prefix or name substring and rank the matches."""
    code_q = q.upper().replace(" ", "")
    condition = Q(**{f"{code_field}__istartswith": code_q})
    for name in name_fields:
        condition |= Q(**{f"{name}__icontains": q})
    whens = [
        When(**{f"{code_field}__iexact": code_q}, then=Value(0)),
        When(**{f"{code_field}__istartswith": code_q}, then=Value(1)),
        When(**{f"{name_fields[0]}__istartswith": q}, then=Value(2)),
    ]
    return qs.filter(condition).annotate(
        match_rank=Case(*whens, default=Value(3), output_field=IntegerField())
    )


# --- countries, currencies, regions ----------------------------------------------------------


def search_countries(q: str | None = None, region: str | None = None) -> QuerySet[Country]:
    qs = Country.objects.select_related("wco_region")
    if region:
        qs = qs.filter(wco_region__code=region.upper())
    q = _clean(q)
    if not q:
        return qs.order_by("name")
    return _ranked(qs, "code", q, ("name",)).order_by("match_rank", "name")


def get_country(code: str) -> Country:
    country = Country.objects.select_related("wco_region").filter(code=code.upper()).first()
    if country is None:
        raise NotFound
    return country


def search_currencies(q: str | None = None) -> QuerySet[Currency]:
    q = _clean(q)
    if not q:
        return Currency.objects.order_by("code")
    return _ranked(Currency.objects.all(), "code", q, ("name",)).order_by("match_rank", "code")


def get_currency(code: str) -> Currency:
    currency = Currency.objects.filter(code=code.upper()).first()
    if currency is None:
        raise NotFound
    return currency


def regions() -> QuerySet[WcoRegion]:
    return WcoRegion.objects.annotate(member_count=Count("countries")).order_by("name")


def get_region(code: str) -> WcoRegion:
    region = regions().filter(code=code.upper()).first()
    if region is None:
        raise NotFound
    return region


def region_members(region: WcoRegion) -> QuerySet[Country]:
    return region.countries.order_by("name")


# --- HS ----------------------------------------------------------------------------------------


def search_hs(
    q: str | None = None, level: str | None = None, parent: str | None = None
) -> QuerySet[HsCode]:
    """HS nodes: by code prefix (``8517``, ``8517.6``) or words of the description."""
    qs = HsCode.objects.all()
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=normalise_hs(parent))
    q = _clean(q)
    if not q:
        return qs.order_by("code")
    digits = normalise_hs(q)
    if digits.isdigit():
        return qs.filter(code__startswith=digits).order_by("code")
    return _ranked(qs, "code", q, ("description",)).order_by("match_rank", "code")


def get_hs(code: str) -> HsCode:
    node = HsCode.objects.select_related("parent").filter(code=normalise_hs(code)).first()
    if node is None:
        raise NotFound
    return node


def hs_ancestors(node: HsCode) -> list[HsCode]:
    """From the section down to the node's parent."""
    chain: list[HsCode] = []
    current = node.parent
    while current is not None:
        chain.append(current)
        current = current.parent
    return list(reversed(chain))


def hs_children(node: HsCode) -> QuerySet[HsCode]:
    return node.children.order_by("code")


def hs_sections() -> list[HsCode]:
    """The 21 sections in their numeric order (I, II, ... XXI)."""
    return sorted(HsCode.objects.filter(level=HsLevel.SECTION), key=lambda n: roman(n.code))


def roman(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for char, nxt in zip(numeral, [*numeral[1:], ""], strict=True):
        value = values.get(char, 0)
        total += -value if nxt and values.get(nxt, 0) > value else value
    return total


# --- places ------------------------------------------------------------------------------------


def search_places(
    q: str | None = None, country: str | None = None, function: str | None = None
) -> QuerySet[Place]:
    """UN/LOCODE places by code (``NLRTM``, ``NL RTM``) or name, in a country, with a function."""
    qs = Place.objects.all()
    if country:
        qs = qs.filter(country_id=country.upper())
    if function:
        qs = qs.filter(**{PLACE_FUNCTIONS[function]: True})
    q = _clean(q)
    if not q:
        return qs.order_by("code")
    compact = re.sub(r"[\s\-]", "", q).upper()
    if len(compact) == 5 and compact.isalnum() and qs.filter(code=compact).exists():
        return qs.filter(code=compact)
    return _ranked(qs, "code", q, ("name", "name_ascii", "other_names")).order_by(
        "match_rank", "code"
    )


def get_place(code: str) -> Place:
    place = (
        Place.objects.select_related("country")
        .filter(code=re.sub(r"[\s\-]", "", code).upper())
        .first()
    )
    if place is None:
        raise NotFound
    return place


def place_functions(place: Place) -> list[str]:
    """The function names of a place, in UN/LOCODE order."""
    return [name for name, attr in PLACE_FUNCTIONS.items() if getattr(place, attr)]


# --- CITES, units ------------------------------------------------------------------------------


def search_cites(q: str | None = None, appendix: str | None = None) -> QuerySet[CitesSpecies]:
    qs = CitesSpecies.objects.all()
    if appendix:
        qs = qs.filter(
            Q(appendix=appendix)
            | Q(appendix__startswith=f"{appendix}/")
            | Q(appendix__contains=f"/{appendix}/")
            | Q(appendix__endswith=f"/{appendix}")
        )
    q = _clean(q)
    if not q:
        return qs.order_by("scientific_name")
    return (
        qs.filter(
            Q(scientific_name__icontains=q)
            | Q(common_names__icontains=q)
            | Q(synonyms__icontains=q)
        )
        .annotate(
            match_rank=Case(
                When(scientific_name__iexact=q, then=Value(0)),
                When(scientific_name__istartswith=q, then=Value(1)),
                When(scientific_name__icontains=q, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("match_rank", "scientific_name")
    )


def get_cites(taxon_id: str) -> CitesSpecies:
    taxon = CitesSpecies.objects.filter(taxon_id=taxon_id).first()
    if taxon is None:
        raise NotFound
    return taxon


def search_units(q: str | None = None, common: bool | None = None) -> QuerySet[Unit]:
    qs = Unit.objects.all()
    if common is not None:
        qs = qs.filter(is_common=common)
    q = _clean(q)
    if not q:
        return qs.order_by("-is_common", "code")
    return _ranked(qs, "code", q, ("name", "symbol")).order_by("match_rank", "-is_common", "code")


def get_unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=code.upper()).first()
    if unit is None:
        raise NotFound
    return unit


# --- across tables -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResults:
    """The best few matches of one query in every table."""

    q: str
    countries: list[Country]
    regions: list[WcoRegion]
    currencies: list[Currency]
    hs: list[HsCode]
    places: list[Place]
    cites: list[CitesSpecies]
    units: list[Unit]

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.countries,
                self.regions,
                self.currencies,
                self.hs,
                self.places,
                self.cites,
                self.units,
            )
        )


def search_all(q: str | None, limit: int = 5) -> SearchResults:
    q = _clean(q)
    if not q:
        return SearchResults(q, [], [], [], [], [], [], [])
    return SearchResults(
        q=q,
        countries=list(search_countries(q)[:limit]),
        regions=list(regions().filter(Q(code__iexact=q) | Q(name__icontains=q))[:limit]),
        currencies=list(search_currencies(q)[:limit]),
        hs=list(search_hs(q)[:limit]),
        places=list(search_places(q)[:limit]),
        cites=list(search_cites(q)[:limit]),
        units=list(search_units(q)[:limit]),
    )


def datasets() -> QuerySet[ReferenceDataset]:
    return ReferenceDataset.objects.order_by("key")
