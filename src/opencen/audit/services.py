"""Recording audit events.  Every ``do_*`` service of every app calls ``record_event``."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from opencen.audit.chain import canonical_json, change_digest, event_hash
from opencen.audit.models import AuditEvent, AuditHead
from opencen.audit.tags import EventTag
from opencen.core.actors import Actor
from opencen.core.db import copy_objects

# From this many events in one batch (an import), PostgreSQL gets them through COPY.
COPY_MIN_EVENTS = 500


def _event(
    actor: Actor | None,
    tag: EventTag,
    *,
    object_type: str,
    object_id: str,
    changes: dict[str, Any],
    ip: str | None,
    email: str,
) -> AuditEvent:
    # Normalise to plain JSON first, so the digest matches what the database gives back.
    changes = json.loads(canonical_json(changes))
    return AuditEvent(
        at=timezone.now(),
        actor_id=actor.user_id if actor else None,
        actor_email=actor.email if actor else (email or "system"),
        organisation_id=actor.organisation_id if actor else None,
        organisation_name=actor.organisation_name if actor else "",
        via=actor.via if actor else ("anonymous" if email else "system"),
        ip=ip if ip is not None else (actor.ip if actor else None),
        tag=str(tag),
        object_type=object_type,
        object_id=object_id,
        changes=changes,
        change_digest=change_digest(changes),
    )


def _append(events: list[AuditEvent]) -> None:
    """Chain and insert events after the current head, holding the head's row lock."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        seq, prev = head.seq, head.hash
        for event in events:
            seq += 1
            event.seq, event.prev_hash = seq, prev
            event.hash = prev = event_hash(event)
        if connection.vendor == "postgresql" and len(events) >= COPY_MIN_EVENTS:
            copy_objects(events, AuditEvent)
        else:
            AuditEvent.objects.bulk_create(events, batch_size=2000)
        head.seq, head.hash = seq, prev
        head.save(update_fields=["seq", "hash"])


def record_events(
    actor: Actor | None,
    tag: EventTag,
    objects: list[models.Model],
    changes: list[dict[str, Any]] | None = None,
) -> None:
    """Append one event per object in a single locked batch (bulk imports)."""
    changes = changes or [{} for _ in objects]
    _append(
        [
            _event(
                actor,
                tag,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                changes=change,
                ip=None,
                email="",
            )
            for obj, change in zip(objects, changes, strict=True)
        ]
    )


def record_event(
    actor: Actor | None,
    tag: EventTag,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    changes: dict[str, Any] | None = None,
    ip: str | None = None,
    email: str = "",
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    The head row is locked (``SELECT ... FOR UPDATE``) so concurrent appends take turns and
    the chain stays linear.  ``actor=None`` is the system (a command or background task), or an
    anonymous attempt (``email`` then says who was claimed, e.g. on a failed login).
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    event = _event(
        actor,
        tag,
        object_type=object_type,
        object_id=object_id,
        changes=changes or {},
        ip=ip,
        email=email,
    )
    _append([event])
    return event
