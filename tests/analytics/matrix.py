"""The analytics app's rows of the permission matrix (``tests/test_permission_matrix.py``).

Every analysis page and read endpoint needs ``analytics:view:read`` (network members); the new
bulletin page and the bulletin write need ``analytics:report:create``.  The bulletin the URLs
point at is shared with the network, so every holder of the view permission may open it; a
bulletin a reader may not see answers 404 (tested in ``test_reports.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from opencen.accounts.models import User
from opencen.analytics import services
from opencen.analytics.schemas import ReportIn
from opencen.core.permissions import Perm
from tests.conftest import Cast

Rule = Callable[[Cast, User], int]


def holds(permission: Perm) -> Rule:
    def rule(cast: Cast, user: User) -> int:
        return 200 if cast.actor(user).can(permission) else 403

    return rule


view = holds(Perm.ANALYTICS_VIEW)


def _report(cast: Cast) -> str:
    report = services.check_create_report(
        cast.actor(cast.rilo_analyst),
        ReportIn.model_validate(
            {
                "title": "Matrix bulletin",
                "query": {"from": "2026-01", "to": "2026-03"},
                "sections": [{"view": "trends"}],
                "distribution": "network",
            }
        ),
    )
    return str(report.pk)


WORLD_KWARGS: dict[str, str | Callable[[Cast], str]] = {
    "report_id": _report,
    "analysis": "trends",
}

PAGES: dict[str, Rule] = {
    "analytics:index": view,
    "analytics:trends": view,
    "analytics:routes": view,
    "analytics:modus": view,
    "analytics:hotspots": view,
    "analytics:significant": view,
    "analytics:quality": view,
    "analytics:csv": view,
    "analytics:reports": view,
    "analytics:report_create": holds(Perm.ANALYTICS_REPORT_CREATE),
    "analytics:report": view,
    "analytics:report_status": view,
    "analytics:report_pdf": view,
    "analytics:report_html": view,
}

API = "/api/analytics"
API_READS: dict[str, Rule] = {
    f"{API}/reports": view,
    f"{API}/reports/{{report_id}}": view,
    f"{API}/reports/{{report_id}}/pdf": view,
    f"{API}/{{analysis}}": view,
    f"{API}/{{analysis}}/csv": view,
}
API_WRITES: set[tuple[str, str]] = {("post", f"{API}/reports")}
POST_ONLY: set[str] = set()
