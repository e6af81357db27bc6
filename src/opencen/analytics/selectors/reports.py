"""Scoped reads of bulletins: every list and page starts from ``Report.objects.visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from opencen.analytics.models import Report
from opencen.core.actors import Actor
from opencen.core.errors import NotFound


def reports_visible_to(actor: Actor | None) -> QuerySet[Report]:
    return Report.objects.visible_to(actor).select_related("owner", "created_by")


def access_report(actor: Actor | None, report_id: Any) -> Report:
    """A bulletin the actor may see; ``NotFound`` otherwise, whatever the reason."""
    try:
        return reports_visible_to(actor).get(pk=report_id)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise NotFound from None
