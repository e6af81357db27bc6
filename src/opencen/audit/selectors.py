"""Scoped reads of the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from opencen.audit.models import AuditEvent
from opencen.core.actors import Actor
from opencen.core.errors import Forbidden
from opencen.core.permissions import Perm


@dataclass(frozen=True)
class EventFilter:
    """Filters of the audit viewer and API; empty values filter nothing."""

    tag: str = ""
    actor: str = ""
    object_id: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    organisation_id: str = ""


def events_visible_to(actor: Actor, flt: EventFilter | None = None) -> QuerySet[AuditEvent]:
    """The whole log for the secretariat's auditors; one organisation's events (by its users,
    or about its users) for that organisation's admin; nothing otherwise."""
    if actor.can(Perm.AUDIT_EVENT_VIEW_ALL):
        qs = AuditEvent.objects.all()
    elif actor.can(Perm.AUDIT_EVENT_VIEW):
        from opencen.accounts.models import User

        own_users = User.objects.filter(organisation_id=actor.organisation_id).values("id")
        own_user_ids = [str(u["id"]) for u in own_users]
        qs = AuditEvent.objects.filter(
            Q(organisation_id=actor.organisation_id)
            | Q(object_type="accounts.user", object_id__in=own_user_ids)
        )
    else:
        raise Forbidden(Perm.AUDIT_EVENT_VIEW)
    flt = flt or EventFilter()
    if flt.tag:
        qs = qs.filter(tag__startswith=flt.tag)
    if flt.actor:
        qs = qs.filter(actor_email__icontains=flt.actor)
    if flt.object_id:
        qs = qs.filter(object_id=flt.object_id)
    if flt.organisation_id:
        qs = qs.filter(organisation_id=flt.organisation_id)
    if flt.since:
        qs = qs.filter(at__date__gte=flt.since)
    if flt.until:
        qs = qs.filter(at__date__lte=flt.until)
    return qs.order_by("-seq")
