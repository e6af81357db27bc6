"""API shapes for cases (input shapes live in ``seizures.inputs``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema


class GoodsLineOut(Schema):
    line_no: int
    commodity_area: str
    hs_code: str
    description: str
    quantity: str
    unit: str
    value: str | None
    currency: str
    details: dict[str, Any]


class RouteLegOut(Schema):
    role: str
    country: str
    place: str


class OffenderOut(Schema):
    nationality: str
    gender: str
    age_band: str
    count: int


class CaseOut(Schema):
    id: uuid.UUID
    reference: str
    external_ref: str
    owner: str
    kind: str
    status: str
    date: dt.date
    country: str
    region: str
    place: str
    procedure: str
    location_type: str
    direction: str
    detection: str
    risk_profile: str
    transport: str
    concealment: str
    vessel_imo: str
    flight_number: str
    container_number: str
    summary: str
    distribution: str
    groups: list[uuid.UUID]
    goods: list[GoodsLineOut]
    route: list[RouteLegOut]
    offenders: list[OffenderOut]
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    submitted_at: dt.datetime | None
    validated_at: dt.datetime | None
    validated_by: str


class CaseQuery(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    country: str = ""
    region: str = ""
    commodity_area: str = ""
    hs_chapter: str = ""
    transport: str = ""
    concealment: str = ""
    detection: str = ""
    status: str = ""
    owner: str = ""
    q: str = Field("", description="full-text search; every word must match, prefixes count")


class WithdrawIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class BulkOut(Schema):
    created: int
    skipped: list[str]
    references: list[str]


class ImportRowErrorOut(Schema):
    row: int
    column: str
    reason: str


class ImportJobOut(Schema):
    id: uuid.UUID
    filename: str
    fmt: str
    status: str
    percent: int
    cases_total: int
    cases_checked: int
    created_count: int
    skipped_count: int
    message: str
    errors: list[ImportRowErrorOut]
    created_at: dt.datetime
    finished_at: dt.datetime | None
