"""The shape of a case as every entry path submits it (form, API, import, federation).

Pydantic checks types and vocabularies; ``seizures.validation`` then checks codes, rules and
free text.  The API uses these models directly as its request bodies.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from opencen.core.models import Distribution
from opencen.seizures.choices import (
    AgeBand,
    CaseKind,
    Concealment,
    Detection,
    Direction,
    Gender,
    LocationType,
    Procedure,
    RouteRole,
    Transport,
)

MAX_GOODS = 200
MAX_LEGS = 20
MAX_OFFENDER_GROUPS = 100


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class GoodsLineIn(_In):
    """One commodity seized."""

    commodity_area: str = Field(
        ...,
        description="drugs, tobacco, ipr, environment, weapons, "
        "strategic, cultural, currency, revenue or other",
    )
    hs_code: str = Field("", description="HS 2022 chapter, heading or subheading")
    description: str = Field("", max_length=500)
    quantity: Decimal = Field(..., ge=0, max_digits=18, decimal_places=3)
    unit: str = Field("", description="UN/ECE Rec. 20 code; defaults to the area's usual unit")
    value: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    currency: str = Field("", description="ISO 4217, required with a value")
    details: dict[str, Any] = Field(
        default_factory=dict, description="the commodity area's own fields"
    )


class RouteLegIn(_In):
    role: RouteRole
    country: str
    place: str = Field("", description="UN/LOCODE, e.g. NLRTM")


class OffenderIn(_In):
    nationality: str = Field("", description="ISO 3166-1 alpha-2; blank when unknown")
    gender: Gender = Gender.UNKNOWN
    age_band: AgeBand = AgeBand.UNKNOWN
    count: int = Field(1, ge=1, le=10_000)


class CaseIn(_In):
    """A case as entered.  Seizures need at least one goods line."""

    external_ref: str = Field(
        "", max_length=64, description="your own reference; re-imports match on it"
    )
    kind: CaseKind = CaseKind.SEIZURE
    date: dt.date
    country: str = Field(..., description="ISO 3166-1 alpha-2 of the seizing country")
    place: str = Field("", description="UN/LOCODE of the place of seizure")
    procedure: Procedure
    location_type: LocationType
    direction: Direction
    detection: Detection
    risk_profile: str = Field("", max_length=120)
    transport: Transport
    concealment: Concealment
    vessel_imo: str = Field("", max_length=10)
    flight_number: str = Field("", max_length=10)
    container_number: str = Field("", max_length=14)
    summary: str = Field("", max_length=5000)
    distribution: Distribution = Distribution.ORGANISATION
    groups: list[uuid.UUID] = Field(default_factory=list)
    goods: list[GoodsLineIn] = Field(default_factory=list, max_length=MAX_GOODS)
    route: list[RouteLegIn] = Field(default_factory=list, max_length=MAX_LEGS)
    offenders: list[OffenderIn] = Field(default_factory=list, max_length=MAX_OFFENDER_GROUPS)
