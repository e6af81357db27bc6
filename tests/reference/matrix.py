"""The reference app's rows of the permission matrix (``tests/test_permission_matrix.py``).

Every reference page and read endpoint is open to anyone logged in (``reference:data:view``);
the import page needs ``reference:data:import``; the region edits are writes
(``reference:region:edit``, tested in ``test_api.py``).  ``WORLD_KWARGS`` fills the URLs; its
callables receive the cast and load the few reference rows the URLs point at.
"""

from __future__ import annotations

from collections.abc import Callable

from opencen.accounts.models import User
from opencen.core.permissions import Perm
from opencen.reference.loader import load_all
from opencen.reference.models import CitesSpecies, HsCode, Place
from opencen.reference.services import check_import_cites, check_import_unlocode
from tests.conftest import Cast
from tests.reference.conftest import SAMPLE_CITES, SAMPLE_NAME, SAMPLE_UNLOCODE

Rule = Callable[[Cast, User], int]


def holds(permission: Perm) -> Rule:
    def rule(cast: Cast, user: User) -> int:
        return 200 if cast.actor(user).can(permission) else 403

    return rule


view = holds(Perm.REFERENCE_DATA_VIEW)


def _hs(cast: Cast) -> str:
    if not HsCode.objects.exists():
        load_all(only=["hs", "units", "currencies"])
    return "8517"


def _place(cast: Cast) -> str:
    if not Place.objects.filter(code="FRPAR").exists():
        check_import_unlocode(None, [(SAMPLE_NAME, SAMPLE_UNLOCODE)])
    return "FRPAR"


def _taxon(cast: Cast) -> str:
    if not CitesSpecies.objects.filter(taxon_id="4521").exists():
        check_import_cites(None, "tiny.csv", SAMPLE_CITES)
    return "4521"


WORLD_KWARGS: dict[str, str | Callable[[Cast], str]] = {
    "hs_code": _hs,
    "place_code": _place,
    "taxon_id": _taxon,
    "region_code": lambda cast: cast.europe.code,
    "country_code": "FR",
    "currency_code": "EUR",
    "unit_code": "KGM",
}

PAGES: dict[str, Rule] = {
    "reference:index": view,
    "reference:search": view,
    "reference:hs": view,
    "reference:hs_detail": view,
    "reference:regions": view,
    "reference:region": view,
    "reference:countries": view,
    "reference:country": view,
    "reference:places": view,
    "reference:place": view,
    "reference:currencies": view,
    "reference:units": view,
    "reference:cites": view,
    "reference:import": holds(Perm.REFERENCE_DATA_IMPORT),
}

API = "/api/reference"
API_READS: dict[str, Rule] = {
    f"{API}/search": view,
    f"{API}/datasets": view,
    f"{API}/countries": view,
    f"{API}/countries/{{country_code}}": view,
    f"{API}/currencies": view,
    f"{API}/currencies/{{currency_code}}": view,
    f"{API}/regions": view,
    f"{API}/regions/{{region_code}}": view,
    f"{API}/hs": view,
    f"{API}/hs/{{hs_code}}": view,
    f"{API}/places": view,
    f"{API}/places/{{place_code}}": view,
    f"{API}/cites": view,
    f"{API}/cites/{{taxon_id}}": view,
    f"{API}/units": view,
    f"{API}/units/{{unit_code}}": view,
}
API_WRITES: set[tuple[str, str]] = {
    ("patch", f"{API}/regions/{{region_code}}"),
    ("post", f"{API}/regions/{{region_code}}/members"),
    ("delete", f"{API}/regions/{{region_code}}/members/{{country_code}}"),
}
