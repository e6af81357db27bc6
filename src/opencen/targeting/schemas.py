"""API shapes of targeting: declarations in (the engine schema), assessments and the rest out."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from opencen.targeting.labels import feature_label

LaneName = Literal["red", "yellow", "blue", "green"]
ResultName = Literal["no_fraud", "fraud", "critical"]
RESULT_NAMES: dict[int, ResultName] = {0: "no_fraud", 1: "fraud", 2: "critical"}
RESULT_CODES: dict[str, int] = {name: code for code, name in RESULT_NAMES.items()}

_ID = Field(min_length=1, max_length=64)
_COUNTRY = r"^[A-Z]{2}$"


class DeclarationIn(Schema):
    """One declaration in the engine's schema (see docs/engine.md, "Input schema")."""

    model_config = ConfigDict(str_strip_whitespace=True)

    declaration_id: str = Field(min_length=1, max_length=64, description="declaration number")
    date: dt.date = Field(description="acceptance date")
    office: str = Field(min_length=1, max_length=32)
    procedure: str | None = Field(None, max_length=16)
    transport_mode: str | None = Field(None, max_length=16)
    declarant: str = _ID
    importer: str = _ID
    seller: str | None = Field(None, max_length=64)
    courier: str | None = Field(None, max_length=64)
    hs: str = Field(pattern=r"^[0-9]{4,10}$", description="HS code, 4 to 10 digits")
    origin: str = Field(pattern=_COUNTRY, description="ISO 3166 alpha-2")
    departure: str | None = Field(None, pattern=_COUNTRY)
    tax_rate: float | None = Field(None, ge=0, allow_inf_nan=False, description="percent")
    tax_type: str | None = Field(None, max_length=16)
    net_mass: float = Field(ge=0, allow_inf_nan=False, description="kilograms")
    value: Decimal = Field(ge=0, allow_inf_nan=False, max_digits=20, decimal_places=2)
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    declarant_aeo: bool | None = None
    importer_aeo: bool | None = None
    seller_aeo: bool | None = None
    description: str | None = Field(None, max_length=2000)

    def to_row(self) -> dict[str, Any]:
        """The canonical engine row (blank optional strings are missing values)."""
        row = self.model_dump()
        for name, value in row.items():
            if value == "":
                row[name] = None
        row["value"] = float(self.value)
        return row


class ExplanationItemOut(Schema):
    feature: str
    label: str
    contribution: float = Field(description="log-odds; positive raises the risk")


class MatchedProfileOut(Schema):
    id: str
    name: str
    lane: str
    weight: float


class DeclarationOut(Schema):
    id: uuid.UUID
    declaration_id: str
    date: dt.date
    office: str
    procedure: str
    transport_mode: str
    declarant: str
    importer: str
    seller: str
    courier: str
    hs: str
    origin: str
    departure: str
    tax_rate: float | None
    tax_type: str
    net_mass: float
    value: Decimal
    currency: str
    declarant_aeo: bool | None
    importer_aeo: bool | None
    seller_aeo: bool | None
    description: str
    lane: str = Field(description="red, yellow, blue, green; blank for imported history")
    selected_by: str = Field(description="control, profile, model or blank")
    score: float | None
    probability: float | None
    priority: float | None
    explanation: list[ExplanationItemOut]
    matched_profiles: list[MatchedProfileOut]
    model_version: int | None
    selected_at: dt.datetime | None
    result: ResultName | None
    revenue: Decimal | None
    result_date: dt.date | None


class ScoredOut(DeclarationOut):
    notes: list[str] = Field(description="e.g. that no model was active")


class DeclarationBatchItemOut(Schema):
    id: uuid.UUID
    declaration_id: str
    lane: str
    selected_by: str
    score: float | None


class DeclarationBatchOut(Schema):
    id: uuid.UUID
    source: str
    filename: str
    history: bool
    status: str
    total: int
    lanes: dict[str, int]
    notes: list[str]
    message: str
    created_at: dt.datetime
    finished_at: dt.datetime | None


class DeclarationBatchScoredOut(DeclarationBatchOut):
    declarations: list[DeclarationBatchItemOut]


class UploadRowErrorOut(Schema):
    row: int | None = Field(description="1 = the first data row; null: the whole file or column")
    field: str
    reason: str


class UploadErrorsOut(Schema):
    detail: str
    errors: list[UploadRowErrorOut]


class ExaminationResultIn(Schema):
    result: ResultName | int = Field(description="no_fraud, fraud, critical (or 0, 1, 2)")
    revenue: Decimal | None = Field(None, ge=0, max_digits=20, decimal_places=2)
    result_date: dt.date | None = Field(None, description="default: today")
    note: str = Field("", max_length=500)

    @field_validator("result")
    @classmethod
    def _code(cls, value: str | int) -> int:
        code = RESULT_CODES.get(value) if isinstance(value, str) else value
        if code not in RESULT_NAMES:
            raise ValueError("one of no_fraud, fraud, critical (or 0, 1, 2)")
        return code

    def code(self) -> int:
        return int(self.result)


class RiskProfileIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    expression: str = Field(min_length=1, max_length=4000, description="profile language rule")
    lane: LaneName
    weight: float = Field(1.0, gt=0, allow_inf_nan=False)
    description: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class RuleCheckIn(Schema):
    expression: str = Field(min_length=1, max_length=4000)


class RuleCheckOut(Schema):
    ok: bool
    columns: list[str]
    lists: list[str]


class RiskProfileOut(Schema):
    id: uuid.UUID
    name: str
    description: str
    expression: str
    lane: str
    weight: float
    valid_from: dt.date | None
    valid_until: dt.date | None
    is_active: bool
    last_test: dict[str, Any]
    tested_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class TargetingPeriodIn(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class RiskProfileTestMonthOut(Schema):
    month: str
    hits: int
    examined: int
    frauds: int


class RiskProfileTestOut(Schema):
    date_from: dt.date
    date_to: dt.date
    declarations: int = Field(description="stored declarations of the period")
    hits: int = Field(description="declarations the profile would have hit")
    hit_share: float | None
    examined_hits: int
    frauds: int
    hit_rate: float | None = Field(description="frauds / examined hits")
    revenue: float
    control_examined: int
    control_hit_rate: float | None
    lift: float | None = Field(description="hit rate / control hit rate")
    months: list[RiskProfileTestMonthOut]


class TargetingWatchListIn(Schema):
    name: str = Field(min_length=1, max_length=64)
    kind: Literal["party", "hs", "country", "other"]
    values: list[str] = Field(max_length=50_000)
    description: str = Field("", max_length=300)


class TargetingWatchListOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    description: str
    values: list[str]
    updated_at: dt.datetime


class ModelTrainIn(Schema):
    window_from: dt.date | None = Field(None, description="first declaration date used")
    window_until: dt.date | None = Field(None, description="last declaration date used")
    activate: bool = Field(False, description="activate the version once trained")


class ModelVersionOut(Schema):
    id: uuid.UUID
    number: int
    status: str
    is_active: bool
    window_from: dt.date | None
    window_until: dt.date | None
    trained_from: dt.date | None
    trained_until: dt.date | None
    examined: int
    fraud_rate: float | None
    metrics: dict[str, float | None]
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None


class SelectionSettingsIn(Schema):
    red_share: float | None = Field(None, ge=0, le=1)
    yellow_share: float | None = Field(None, ge=0, le=1)
    blue_share: float | None = Field(None, ge=0, le=1)
    random_share: float | None = Field(None, ge=0, le=1)
    aeo_factor: float | None = Field(None, ge=0, allow_inf_nan=False)


class SelectionSettingsOut(Schema):
    red_share: float
    yellow_share: float
    blue_share: float
    random_share: float
    aeo_factor: float
    active_model: int | None
    min_batch: int = Field(description="batches from this size are selected exactly per batch")


class PerformanceGroupOut(Schema):
    group: str = Field(description="control, model or profile:<id>")
    label: str
    examined: int
    hits: int
    hit_rate: float | None
    revenue: float
    lift: float | None


class PerformanceMonthOut(Schema):
    month: str
    groups: list[PerformanceGroupOut]


class PerformanceOut(Schema):
    overall: list[PerformanceGroupOut]
    months: list[PerformanceMonthOut]


def contributions(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored contributions with their label for people."""
    return [{**item, "label": feature_label(item["feature"])} for item in items]
