"""API shapes for accounts."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema


class OrganisationOut(Schema):
    id: uuid.UUID
    name: str
    short_name: str
    kind: str
    country: str
    region: str | None = Field(None, alias="region.code")


class OrganisationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    short_name: str = Field(..., min_length=1, max_length=40)
    kind: str = Field(..., description="customs, rilo, secretariat, rights_holder or observer")
    country: str = Field("", description="ISO 3166 alpha-2, for a customs administration")
    region: str = Field("", description="WCO region code, for a RILO")


class OrganisationUpdateIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    short_name: str = Field(..., min_length=1, max_length=40)
    is_active: bool = True


class MeOut(Schema):
    id: uuid.UUID
    email: str
    full_name: str
    role: str
    organisation: OrganisationOut
    permissions: list[str]
    groups: list[uuid.UUID]
    second_factor: bool
    via: str


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    scopes: list[str] = Field(..., min_length=1)
    days: int = Field(90, ge=1)


class TokenOut(Schema):
    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    use_count: int


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="The token itself. Shown this once; store it now.")


class CugIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    description: str = ""
    hidden_membership: bool = False


class CugOut(Schema):
    id: uuid.UUID
    name: str
    description: str
    owner: str = Field(..., alias="owner.name")
    hidden_membership: bool


class CugMemberIn(Schema):
    organisation_id: uuid.UUID | None = None
    user_email: str = ""


class CugMemberOut(Schema):
    id: uuid.UUID
    organisation: str | None
    user: str | None
    added_at: dt.datetime


class UserIn(Schema):
    email: str
    full_name: str
    role: str
    password: str


class UserOut(Schema):
    id: uuid.UUID
    email: str
    full_name: str
    role: str
    organisation: str = Field(..., alias="organisation.name")
    is_active: bool
    second_factor: bool = Field(..., alias="has_second_factor")
    last_seen_at: dt.datetime | None
    locked_until: dt.datetime | None
