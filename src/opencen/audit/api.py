"""Audit API: browse events (auditors) and verify the chain (secretariat)."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import LimitOffsetPagination, paginate

from opencen.audit.chain import verify_chain
from opencen.audit.schemas import AuditEventOut, EventQuery, VerificationOut
from opencen.audit.selectors import EventFilter, events_visible_to
from opencen.audit.services import record_event
from opencen.audit.tags import EventTag
from opencen.core.http import actor_of, require
from opencen.core.permissions import Perm

router = Router(tags=["audit"])


@router.get("/events", response=list[AuditEventOut], summary="Audit events you may see")
@paginate(LimitOffsetPagination)
def list_events(request: HttpRequest, filters: Query[EventQuery]) -> object:
    flt = EventFilter(
        tag=filters.tag,
        actor=filters.actor,
        object_id=filters.object_id,
        organisation_id=str(filters.organisation_id or ""),
        since=filters.since,
        until=filters.until,
    )
    return events_visible_to(actor_of(request), flt)


@router.get("/verify", response=VerificationOut, summary="Verify the whole hash chain")
def verify(request: HttpRequest) -> object:
    actor = require(request, Perm.AUDIT_EVENT_VIEW_ALL)
    result = verify_chain()
    record_event(
        actor,
        EventTag.AUDIT_CHAIN_VERIFIED,
        changes={"ok": result.ok, "checked": result.checked, "broken_seq": result.broken_seq},
    )
    return result
