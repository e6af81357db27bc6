"""API shapes for the audit log."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema


class AuditEventOut(Schema):
    seq: int
    at: dt.datetime
    actor_email: str
    organisation_name: str
    via: str
    ip: str | None
    tag: str
    object_type: str
    object_id: str
    changes: dict[str, Any]
    hash: str


class VerificationOut(Schema):
    ok: bool
    checked: int
    broken_seq: int | None
    reason: str


class EventQuery(Schema):
    tag: str = ""
    actor: str = ""
    object_id: str = ""
    organisation_id: uuid.UUID | None = None
    since: dt.date | None = None
    until: dt.date | None = None
