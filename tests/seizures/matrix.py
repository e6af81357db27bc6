"""The case pages' rows of the permission matrix (``tests/test_permission_matrix.py`` merges them).

The world holds one case owned by France and shared with the whole network: every member of a
network organisation (customs, RILO, secretariat) reads it, rights holders and observers get 404;
only France may open its edit page, other recorders get 403.
"""

from __future__ import annotations

from collections.abc import Callable

from opencen.accounts.models import User
from opencen.core.models import NETWORK_KINDS, Distribution
from opencen.core.permissions import Perm
from tests.conftest import Cast

Rule = Callable[[Cast, User], int]


def everyone(cast: Cast, user: User) -> int:
    return 200


def recorders(cast: Cast, user: User) -> int:
    return 200 if cast.actor(user).can(Perm.SEIZURE_CASE_CREATE) else 403


def network_case_readers(cast: Cast, user: User) -> int:
    """The world's case is shared with the network: outside it, it does not exist."""
    return 200 if cast.actor(user).organisation_kind in NETWORK_KINDS else 404


def network_case_editors(cast: Cast, user: User) -> int:
    """Only the owner changes a case; others who can record cases see a 403."""
    actor = cast.actor(user)
    if not actor.can(Perm.SEIZURE_CASE_CREATE):
        return 403
    return 200 if actor.organisation_id == cast.fr.id else 403


def network_case(cast: Cast) -> str:
    """A French drugs case shared with the network, recorded through the service."""
    from opencen.reference.models import Unit
    from opencen.seizures import services
    from opencen.seizures.inputs import CaseIn

    Unit.objects.get_or_create(code="KGM", defaults={"name": "kilogram", "is_common": True})
    data = CaseIn.model_validate(
        {
            "date": "2026-01-15",
            "country": "FR",
            "procedure": "import",
            "location_type": "seaport",
            "direction": "inbound",
            "detection": "dog",
            "transport": "sea_container",
            "concealment": "in_cargo",
            "distribution": Distribution.NETWORK,
            "goods": [
                {
                    "commodity_area": "drugs",
                    "quantity": "12",
                    "unit": "KGM",
                    "details": {"substance": "cocaine", "form": "powder"},
                }
            ],
        }
    )
    return str(services.check_create_case(cast.actor(cast.fr_officer), data, submit=True).pk)


PAGES: dict[str, Rule] = {
    "seizures:list": everyone,
    "seizures:create": recorders,
    "seizures:area_fields": recorders,
    "seizures:detail": network_case_readers,
    "seizures:edit": network_case_editors,
}
POST_ONLY = {"seizures:submit", "seizures:validate", "seizures:withdraw"}
API_READS: dict[str, Rule] = {}
API_WRITES: set[tuple[str, str]] = set()
WORLD_KWARGS: dict[str, Callable[[Cast], str]] = {"case_id": network_case}
