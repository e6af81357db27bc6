"""Hashing and verifying the audit chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from opencen.audit.models import GENESIS_HASH, AuditEvent, AuditHead


def canonical_json(value: Any) -> bytes:
    """Stable JSON: sorted keys, no spaces, UTF-8; what is hashed must not depend on dict order."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def change_digest(changes: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(changes)).hexdigest()


def _utc_iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_hash(event: AuditEvent) -> str:
    """The seal of one event: SHA-256 over every column but ``hash`` itself."""
    payload = {
        "seq": event.seq,
        "at": _utc_iso(event.at),
        "actor_id": str(event.actor_id) if event.actor_id else "",
        "actor_email": event.actor_email,
        "organisation_id": str(event.organisation_id) if event.organisation_id else "",
        "organisation_name": event.organisation_name,
        "via": event.via,
        "ip": event.ip or "",
        "tag": event.tag,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "change_digest": event.change_digest,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(canonical_json(payload)).hexdigest()


@dataclass(frozen=True)
class Verification:
    """The outcome of checking the chain; ``broken_seq`` names the first bad link."""

    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_events(events: Iterable[AuditEvent], head: AuditHead | None) -> Verification:
    """Walk events in ``seq`` order and report the first one that is missing, moved or altered."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for event in events:
        if event.seq != expected_seq:
            return Verification(
                False,
                checked,
                expected_seq,
                f"event #{expected_seq} is missing (next present is #{event.seq})",
            )
        if event.prev_hash != prev_hash:
            return Verification(
                False,
                checked,
                event.seq,
                f"event #{event.seq} does not link to event #{event.seq - 1} "
                "(removed, reordered or altered)",
            )
        if change_digest(event.changes) != event.change_digest:
            return Verification(
                False, checked, event.seq, f"event #{event.seq}: its change was altered"
            )
        if event_hash(event) != event.hash:
            return Verification(False, checked, event.seq, f"event #{event.seq} was altered")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    if head is not None and (head.seq != checked or head.hash != prev_hash):
        return Verification(
            False,
            checked,
            checked + 1,
            f"the log ends at #{checked} but its head records #{head.seq}: "
            "events were removed from the end",
        )
    return Verification(True, checked)


def verify_chain() -> Verification:
    """Check the whole stored chain (streams rows; memory does not grow with the log)."""
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
    return verify_events(events, AuditHead.objects.filter(pk=1).first())
