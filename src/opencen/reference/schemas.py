"""API shapes for the reference tables."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

PlaceFunction = Literal[
    "seaport",
    "rail",
    "road",
    "airport",
    "postal",
    "multimodal",
    "fixed_transport",
    "inland_port",
    "border_crossing",
]
HsLevelName = Literal["section", "chapter", "heading", "subheading"]
Appendix = Literal["I", "II", "III", "NC"]


class RegionBrief(Schema):
    code: str
    name: str


class CountryOut(Schema):
    code: str
    alpha3: str
    numeric: str
    name: str
    region: RegionBrief | None = Field(None, alias="wco_region")


class CountryBrief(Schema):
    code: str
    name: str


class RegionOut(Schema):
    code: str
    name: str
    rilo_name: str
    member_count: int


class RegionDetailOut(RegionOut):
    members: list[CountryBrief]

    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        return list(obj.countries.order_by("name"))


class RegionPatch(Schema):
    name: str | None = Field(None, description="New name of the region")
    rilo_name: str | None = Field(None, description="The RILO that covers the region")


class MemberIn(Schema):
    country: str = Field(..., description="ISO 3166-1 alpha-2 code of the country to move here")


class MoveOut(Schema):
    country: CountryOut
    old_region: RegionBrief | None
    new_region: RegionBrief | None
    organisations_moved: int


class CurrencyOut(Schema):
    code: str
    numeric: str
    name: str


class HsOut(Schema):
    code: str
    level: str
    description: str
    section: str
    parent: str | None = Field(None, alias="parent_id")


class HsDetailOut(HsOut):
    ancestors: list[HsOut]
    children: list[HsOut]

    @staticmethod
    def resolve_ancestors(obj: Any) -> list[Any]:
        from opencen.reference.selectors import hs_ancestors

        return hs_ancestors(obj)

    @staticmethod
    def resolve_children(obj: Any) -> list[Any]:
        return list(obj.children.order_by("code"))


class PlaceOut(Schema):
    code: str
    country: str = Field(..., alias="country_id")
    name: str
    name_ascii: str
    subdivision: str
    status: str
    iata: str
    functions: list[str] = Field(..., description="seaport, rail, road, airport, postal, ...")
    function_code: str = Field(..., description="The raw UN/LOCODE classifier, e.g. 1234----")
    latitude: float | None
    longitude: float | None
    edition: str

    @staticmethod
    def resolve_functions(obj: Any) -> list[str]:
        from opencen.reference.selectors import place_functions

        return place_functions(obj)

    @staticmethod
    def resolve_function_code(obj: Any) -> str:
        return str(obj.functions)


class CitesOut(Schema):
    taxon_id: str
    scientific_name: str
    rank: str
    kingdom: str
    family: str
    appendix: str
    common_names: list[str]
    synonyms: str

    @staticmethod
    def resolve_common_names(obj: Any) -> list[str]:
        return [n for n in str(obj.common_names).splitlines() if n]


class UnitOut(Schema):
    code: str
    name: str
    symbol: str
    quantity: str
    is_common: bool


class SearchOut(Schema):
    q: str
    countries: list[CountryOut]
    regions: list[RegionOut]
    currencies: list[CurrencyOut]
    hs: list[HsOut]
    places: list[PlaceOut]
    cites: list[CitesOut]
    units: list[UnitOut]


class DatasetOut(Schema):
    key: str
    edition: str
    source: str
    licence: str
    origin: str
    rows: int
    loaded_at: dt.datetime


class LookupError404(Schema):
    detail: str = Field(..., description="Why the code is unknown")
