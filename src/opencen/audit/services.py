"""Recording audit events.  Every ``do_*`` service of every app calls ``record_event``."""

from __future__ import annotations

import json
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from opencen.audit.chain import canonical_json, change_digest, event_hash
from opencen.audit.models import AuditEvent, AuditHead
from opencen.audit.tags import EventTag
from opencen.core.actors import Actor


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
    # Normalise to plain JSON first, so the digest matches what the database gives back.
    changes = json.loads(canonical_json(changes or {}))
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.seq + 1,
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
            prev_hash=head.hash,
        )
        event.hash = event_hash(event)
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event
