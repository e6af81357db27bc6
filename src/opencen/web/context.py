"""Template context: the navigation a user sees, built from their permissions."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opencen.core.actors import Actor
from opencen.core.permissions import Perm

# (url name, label, permission needed or None for every logged-in user)
NAV_ITEMS = [
    ("web:home", _("Home"), None),
    ("seizures:list", _("Cases"), Perm.SEIZURE_CASE_VIEW),
    ("analytics:index", _("Analytics"), Perm.ANALYTICS_VIEW),
    ("reference:index", _("Reference data"), Perm.REFERENCE_DATA_VIEW),
    ("accounts:groups", _("Groups"), None),
    ("accounts:organisations", _("Organisations"), None),
    ("accounts:users", _("Users"), Perm.ACCOUNTS_USER_MANAGE),
    ("targeting:queue", _("Targeting"), Perm.TARGETING_VIEW),
    ("audit:events", _("Audit log"), Perm.AUDIT_EVENT_VIEW),
    ("accounts:account", _("My account"), None),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    actor = getattr(request, "actor", None)
    if not isinstance(actor, Actor):
        return {"nav_items": [], "actor": None}
    items = []
    for name, label, perm in NAV_ITEMS:
        if (
            perm is None
            or actor.can(perm)
            or (perm == Perm.AUDIT_EVENT_VIEW and actor.can(Perm.AUDIT_EVENT_VIEW_ALL))
        ):
            url = reverse(name)
            items.append(
                {
                    "url": url,
                    "label": label,
                    "active": request.path.startswith(url) if url != "/" else request.path == "/",
                }
            )
    return {"nav_items": items, "actor": actor}
