"""Reference data API: look-ups by code, autocomplete, region edits by the secretariat.

Every endpoint needs a logged-in user (``reference:data:view``); anonymous requests answer 401.
Lists take ``q`` (code prefix or words of the name), are ranked best match first and paginated
with ``limit``/``offset``.  An unknown code answers 404 with the reason in ``detail``.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from opencen.core.errors import InvalidInput
from opencen.core.http import require
from opencen.core.permissions import Perm
from opencen.reference import selectors, services, validation
from opencen.reference.schemas import (
    Appendix,
    CitesOut,
    CountryOut,
    CurrencyOut,
    DatasetOut,
    HsDetailOut,
    HsLevelName,
    HsOut,
    LookupError404,
    MemberIn,
    MoveOut,
    PlaceFunction,
    PlaceOut,
    RegionDetailOut,
    RegionOut,
    RegionPatch,
    SearchOut,
    UnitOut,
)

router = Router(tags=["reference"])
MAX_LIMIT = 200
T = TypeVar("T")


def _view(request: HttpRequest) -> None:
    require(request, Perm.REFERENCE_DATA_VIEW)


def _lookup(check: Callable[[], T]) -> T | Status[dict[str, str]]:
    """Run a ``validation.check_*``; an unknown code answers 404 with its reason."""
    try:
        return check()
    except InvalidInput as exc:
        return Status(404, {"detail": exc.errors[0].reason})


# --- across tables -----------------------------------------------------------------------------


@router.get("/search", response=SearchOut, summary="Search every reference table at once")
def search(request: HttpRequest, q: str = "", limit: int = Query(5, ge=1, le=20)) -> object:
    _view(request)
    return selectors.search_all(q, limit=limit)


@router.get(
    "/datasets",
    response=list[DatasetOut],
    summary="Which edition of each table is loaded, its source and licence",
)
def list_datasets(request: HttpRequest) -> object:
    _view(request)
    return selectors.datasets()


# --- countries, currencies -------------------------------------------------------------------


@router.get("/countries", response=list[CountryOut], summary="Countries (ISO 3166-1)")
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def list_countries(request: HttpRequest, q: str = "", region: str = "") -> object:
    _view(request)
    return selectors.search_countries(q, region=region or None)


@router.get(
    "/countries/{country_code}",
    response={200: CountryOut, 404: LookupError404},
    summary="One country and its WCO region",
)
def get_country(request: HttpRequest, country_code: str) -> object:
    _view(request)
    return _lookup(
        lambda: selectors.get_country(validation.check_country(country_code, "code").code)
    )


@router.get("/currencies", response=list[CurrencyOut], summary="Currencies (ISO 4217)")
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def list_currencies(request: HttpRequest, q: str = "") -> object:
    _view(request)
    return selectors.search_currencies(q)


@router.get(
    "/currencies/{currency_code}",
    response={200: CurrencyOut, 404: LookupError404},
    summary="One currency",
)
def get_currency(request: HttpRequest, currency_code: str) -> object:
    _view(request)
    return _lookup(lambda: validation.check_currency(currency_code, "code"))


# --- WCO regions -------------------------------------------------------------------------------


@router.get("/regions", response=list[RegionOut], summary="The WCO regions")
def list_regions(request: HttpRequest) -> object:
    _view(request)
    return selectors.regions()


@router.get(
    "/regions/{region_code}",
    response={200: RegionDetailOut, 404: LookupError404},
    summary="One WCO region with its member countries",
)
def get_region(request: HttpRequest, region_code: str) -> object:
    _view(request)
    return _lookup(lambda: selectors.get_region(validation.check_region(region_code, "code").code))


@router.patch(
    "/regions/{region_code}",
    response=RegionDetailOut,
    summary="Rename a region or name its RILO (secretariat)",
)
def update_region(request: HttpRequest, region_code: str, payload: RegionPatch) -> object:
    actor = require(request, Perm.REFERENCE_REGION_EDIT)
    region = services.check_update_region(
        actor, region_code, name=payload.name, rilo_name=payload.rilo_name
    )
    return selectors.get_region(region.code)


def _move_out(move: services.CountryMove) -> dict[str, Any]:
    return {
        "country": selectors.get_country(move.country.code),
        "old_region": move.old_region,
        "new_region": move.new_region,
        "organisations_moved": move.organisations,
    }


@router.post(
    "/regions/{region_code}/members",
    response=MoveOut,
    summary="Move a country into this region (secretariat)",
    description="The customs administrations of the country move with it.",
)
def add_member(request: HttpRequest, region_code: str, payload: MemberIn) -> object:
    actor = require(request, Perm.REFERENCE_REGION_EDIT)
    region = validation.check_region(region_code, "code")
    return _move_out(services.check_move_country(actor, payload.country, region.code))


@router.delete(
    "/regions/{region_code}/members/{country_code}",
    response=MoveOut,
    summary="Take a country out of this region (secretariat)",
)
def remove_member(request: HttpRequest, region_code: str, country_code: str) -> object:
    actor = require(request, Perm.REFERENCE_REGION_EDIT)
    region = validation.check_region(region_code, "code")
    row = validation.check_country(country_code, "country")
    if row.wco_region_id != region.pk:
        raise InvalidInput.one(
            "country", _("%(c)s is not a member of %(r)s.") % {"c": row.code, "r": region.code}
        )
    return _move_out(services.check_move_country(actor, row.code, None))


# --- HS ----------------------------------------------------------------------------------------


@router.get("/hs", response=list[HsOut], summary="HS 2022 codes (autocomplete, tree browsing)")
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def list_hs(
    request: HttpRequest, q: str = "", level: HsLevelName | None = None, parent: str = ""
) -> object:
    _view(request)
    return selectors.search_hs(q, level=level, parent=parent or None)


@router.get(
    "/hs/{hs_code}",
    response={200: HsDetailOut, 404: LookupError404},
    summary="One HS node with its ancestors and children",
)
def get_hs(request: HttpRequest, hs_code: str) -> object:
    _view(request)
    return _lookup(lambda: validation.check_hs(hs_code, "code"))


# --- places --------------------------------------------------------------------------------------


@router.get("/places", response=list[PlaceOut], summary="UN/LOCODE places")
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def list_places(
    request: HttpRequest, q: str = "", country: str = "", function: PlaceFunction | None = None
) -> object:
    _view(request)
    if country:
        validation.check_country(country, "country")
    return selectors.search_places(q, country=country or None, function=function)


@router.get(
    "/places/{place_code}",
    response={200: PlaceOut, 404: LookupError404},
    summary="One UN/LOCODE place with its functions and coordinates",
)
def get_place(request: HttpRequest, place_code: str) -> object:
    _view(request)
    return _lookup(lambda: validation.check_place(place_code, "code"))


# --- CITES, units --------------------------------------------------------------------------------


@router.get("/cites", response=list[CitesOut], summary="CITES-listed taxa")
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def list_cites(request: HttpRequest, q: str = "", appendix: Appendix | None = None) -> object:
    _view(request)
    return selectors.search_cites(q, appendix=appendix)


@router.get(
    "/cites/{taxon_id}",
    response={200: CitesOut, 404: LookupError404},
    summary="One CITES taxon by its Species+ taxon id",
)
def get_cites(request: HttpRequest, taxon_id: str) -> object:
    _view(request)
    taxon = selectors.search_cites().filter(taxon_id=taxon_id).first()
    if taxon is None:
        return Status(404, {"detail": f"unknown CITES taxon id {taxon_id}."})
    return taxon


@router.get("/units", response=list[UnitOut], summary="Units of measure (UN/ECE Rec. 20)")
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def list_units(request: HttpRequest, q: str = "", common: bool | None = None) -> object:
    _view(request)
    return selectors.search_units(q, common=common)


@router.get("/units/{unit_code}", response={200: UnitOut, 404: LookupError404}, summary="One unit")
def get_unit(request: HttpRequest, unit_code: str) -> object:
    _view(request)
    return _lookup(lambda: validation.check_unit(unit_code, "code"))
