"""API shapes of the analysis views and bulletins."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from opencen.core.models import Distribution

ViewKey = Literal["trends", "routes", "modus", "hotspots", "significant", "quality"]


class AnalysisQuery(Schema):
    """The filters and options of a view (all optional; see ``docs/analytics.md``)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field("", alias="from", description="first month, YYYY-MM")
    to: str = Field("", description="last month, YYYY-MM (included)")
    region: str = Field("", description="WCO region code")
    country: str = Field("", description="ISO 3166-1 alpha-2 of the seizing country")
    area: str = Field("", description="commodity area")
    chapter: str = Field("", description="HS chapter, two digits")
    transport: str = ""
    detection: str = ""
    grain: str = Field("", description="trends: month, quarter or year")
    split: str = Field("", description="trends: area, region or country")
    metric: str = Field(
        "", description="trends: cases, quantity or value; hotspots: cases or quantity"
    )
    unit: str = Field("", description="KGM, LTR or H87 (default: the area's natural unit)")
    currency: str = Field("", description="ISO 4217 (default: the most used)")
    top: int | None = Field(None, description="routes, significant cases: how many")

    def as_query(self) -> dict[str, str]:
        data = self.model_dump(by_alias=True)
        return {k: str(v) for k, v in data.items() if v not in ("", None)}


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class TableOut(Schema):
    key: str
    title: str
    note: str
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]


class AnalysisOut(Schema):
    view: str
    title: str
    query: dict[str, str] = Field(description="the explicit filters: a permanent query string")
    data_version: int
    tables: list[TableOut]
    charts: dict[str, dict[str, Any]] = Field(description="Vega-Lite specifications by table")


class SectionIn(Schema):
    view: ViewKey
    commentary: str = Field("", max_length=10_000)


class ReportIn(Schema):
    """A bulletin to generate: period and filters (a view query), sections, commentary."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., min_length=1, max_length=200)
    query: dict[str, str] = Field(
        default_factory=dict, description="filters, as in the views' query strings"
    )
    introduction: str = Field("", max_length=10_000)
    sections: list[SectionIn] = Field(..., min_length=1, max_length=6)
    distribution: Distribution = Distribution.ORGANISATION
    groups: list[uuid.UUID] = Field(default_factory=list)


class ReportOut(Schema):
    id: uuid.UUID
    title: str
    owner: str
    distribution: str
    query: dict[str, Any]
    sections: list[dict[str, Any]]
    status: str
    progress: int
    message: str
    scope_note: str
    created_at: dt.datetime
    generated_at: dt.datetime | None
    pdf_url: str | None
    html_url: str | None
