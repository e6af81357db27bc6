"""The enforcement database API's rows of the permission matrix."""

from __future__ import annotations

from collections.abc import Callable

from opencen.accounts.models import User
from opencen.core.permissions import Perm
from opencen.seizures import services
from opencen.seizures.inputs import CaseIn
from opencen.seizures.models import ImportJob
from tests.conftest import Cast
from tests.seizures.payloads import payload

Rule = Callable[[Cast, User], int]
NETWORK_KINDS = {"customs", "rilo", "secretariat"}


def holds(permission: Perm) -> Rule:
    def rule(cast: Cast, user: User) -> int:
        return 200 if cast.actor(user).can(permission) else 403

    return rule


def network_case(cast: Cast, user: User) -> int:
    """A case French Customs shares with the network: network members read it, others 404."""
    return 200 if user.organisation.kind in NETWORK_KINDS else 404


def french_import(cast: Cast, user: User) -> int:
    if not cast.actor(user).can(Perm.SEIZURE_CASE_IMPORT):
        return 403
    return 200 if user.organisation_id == cast.fr.id else 404


def _case(cast: Cast) -> str:
    case = services.check_create_case(
        cast.actor(cast.fr_officer),
        CaseIn.model_validate(payload(external_ref="MATRIX-1", distribution="network")),
        submit=True,
    )
    return str(case.pk)


def _job(cast: Cast) -> str:
    job = ImportJob.objects.create(
        owner=cast.fr, created_by=cast.fr_officer, filename="x.csv", fmt="csv", status="done"
    )
    return str(job.pk)


API_READS: dict[str, Rule] = {
    "/api/seizures/cases": holds(Perm.SEIZURE_CASE_VIEW),
    "/api/seizures/cases/{case_id}": network_case,
    "/api/seizures/export": holds(Perm.SEIZURE_CASE_EXPORT),
    "/api/seizures/templates/{area}": holds(Perm.SEIZURE_CASE_VIEW),
    "/api/seizures/imports/{job_id}": french_import,
}
API_WRITES = {
    ("post", "/api/seizures/cases"),
    ("post", "/api/seizures/cases/bulk"),
    ("put", "/api/seizures/cases/{case_id}"),
    ("post", "/api/seizures/cases/{case_id}/submit"),
    ("post", "/api/seizures/cases/{case_id}/validate"),
    ("post", "/api/seizures/cases/{case_id}/withdraw"),
    ("post", "/api/seizures/imports"),
}
WORLD_KWARGS: dict[str, str | Callable[[Cast], str]] = {
    "case_id": _case,
    "job_id": _job,
    "area": "drugs",
}

# The import and export pages (views_transfer) share the API's rules.
PAGES: dict[str, Rule] = {
    "seizures:export": holds(Perm.SEIZURE_CASE_EXPORT),
    "seizures:import": holds(Perm.SEIZURE_CASE_IMPORT),
    "seizures:import_job": french_import,
    "seizures:import_template": holds(Perm.SEIZURE_CASE_VIEW),
}
WORLD_KWARGS["fmt"] = "csv"
