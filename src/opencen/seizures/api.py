"""Enforcement database API: create, read, update, submit, validate, withdraw, search, bulk."""

import uuid
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from opencen.core.errors import InvalidInput
from opencen.core.http import actor_of, require
from opencen.core.permissions import Perm
from opencen.seizures import blanks, exporting, selectors, services
from opencen.seizures.areas import AREAS
from opencen.seizures.inputs import CaseIn
from opencen.seizures.models import Case
from opencen.seizures.schemas import BulkOut, CaseOut, CaseQuery, ImportJobOut, WithdrawIn
from opencen.seizures.serializers import case_to_dict

router = Router(tags=["seizures"])


def _filter(query: CaseQuery) -> selectors.CaseFilter:
    return selectors.CaseFilter(**query.dict())


def _out(case_id: uuid.UUID, request: HttpRequest) -> dict[str, object]:
    case = selectors.with_children(selectors.cases_visible_to(actor_of(request))).get(pk=case_id)
    return case_to_dict(case)


class CasePagination(LimitOffsetPagination):
    """``limit``/``offset`` pages whose ``count`` stops at ``selectors.COUNT_CAP``."""

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="matching cases, counted up to 1,000 (see count_exact)")
        count_exact: bool = Field(
            description="false when more cases match than count says: narrow the search, "
            "or page on until a page comes back short"
        )

    def paginate_queryset(
        self,
        queryset: Any,
        pagination: LimitOffsetPagination.Input,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        offset, limit = pagination.offset, min(pagination.limit, self.max_limit)
        count, exact = queryset.capped_count()
        items = queryset.page(offset, limit, many=not exact)
        return {"items": items, "count": count, "count_exact": exact}


@router.get("/cases", response=list[CaseOut], summary="Search the cases you may see")
@paginate(CasePagination)
def list_cases(request: HttpRequest, filters: Query[CaseQuery]) -> object:
    actor = require(request, Perm.SEIZURE_CASE_VIEW)
    return _LazyDicts(selectors.with_children(selectors.search_cases(actor, _filter(filters))))


class _LazyDicts:
    """A search for ``CasePagination``: its capped count, and one page serialised."""

    def __init__(self, qs: QuerySet[Case]) -> None:
        self.qs = qs

    def capped_count(self) -> tuple[int, bool]:
        return selectors.capped_count(self.qs)

    def page(self, offset: int, limit: int, *, many: bool) -> list[dict[str, object]]:
        return [case_to_dict(c) for c in selectors.page_rows(self.qs, offset, limit, many=many)]


@router.post(
    "/cases",
    response={201: CaseOut},
    summary="Record a case",
    description="Saved as a draft, or submitted with `?submit=true`. Free text is "
    "checked for personal data; a finding refuses the case with the field and span.",
)
def create_case(request: HttpRequest, payload: CaseIn, submit: bool = False) -> Status[object]:
    actor = require(request, Perm.SEIZURE_CASE_CREATE)
    case = services.check_create_case(actor, payload, submit=submit)
    return Status(201, _out(case.pk, request))


@router.post(
    "/cases/bulk",
    response={201: BulkOut},
    summary="Record many cases, all or none",
    description="Errors name the item: `[3].goods[0].quantity`. With "
    "`skip_existing=true`, cases whose external reference exists are skipped.",
)
def create_cases(
    request: HttpRequest, payload: list[CaseIn], submit: bool = False, skip_existing: bool = False
) -> Status[object]:
    actor = require(request, Perm.SEIZURE_CASE_CREATE)
    cases, skipped = services.check_create_cases(
        actor, payload, submit=submit, skip_existing=skip_existing
    )
    return Status(
        201, {"created": len(cases), "skipped": skipped, "references": [c.reference for c in cases]}
    )


@router.get("/cases/{case_id}", response=CaseOut, summary="One case")
def get_case(request: HttpRequest, case_id: uuid.UUID) -> object:
    actor = require(request, Perm.SEIZURE_CASE_VIEW)
    case = selectors.access_case(actor, case_id)
    services.record_case_view(actor, case)
    return _out(case.pk, request)


@router.put("/cases/{case_id}", response=CaseOut, summary="Replace a draft or submitted case")
def update_case(request: HttpRequest, case_id: uuid.UUID, payload: CaseIn) -> object:
    actor = require(request, Perm.SEIZURE_CASE_CREATE)
    case = services.check_update_case(actor, case_id, payload)
    return _out(case.pk, request)


@router.post("/cases/{case_id}/submit", response=CaseOut, summary="Submit a draft")
def submit_case(request: HttpRequest, case_id: uuid.UUID) -> object:
    case = services.do_submit_case(actor_of(request), case_id)
    return _out(case.pk, request)


@router.post("/cases/{case_id}/validate", response=CaseOut, summary="Validate a submitted case")
def validate_case(request: HttpRequest, case_id: uuid.UUID) -> object:
    case = services.do_validate_case(actor_of(request), case_id)
    return _out(case.pk, request)


@router.post("/cases/{case_id}/withdraw", response=CaseOut, summary="Withdraw a case")
def withdraw_case(request: HttpRequest, case_id: uuid.UUID, payload: WithdrawIn) -> object:
    case = services.do_withdraw_case(actor_of(request), case_id, reason=payload.reason)
    return _out(case.pk, request)


@router.get(
    "/export",
    summary="Export a search as CSV, XLSX or JSON",
    description="Same filters as the case search. Needs `seizure:case:export`; every "
    "export is recorded in the audit log.",
    response={200: None},
    openapi_extra={
        "responses": {
            "200": {
                "description": "the file",
                "content": {
                    "text/csv": {},
                    "application/json": {},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
                },
            }
        }
    },
)
def export_cases(
    request: HttpRequest, filters: Query[CaseQuery], format: Literal["csv", "xlsx", "json"] = "csv"
) -> HttpResponse:
    actor = require(request, Perm.SEIZURE_CASE_EXPORT)
    return exporting.export_response(actor, _filter(filters), format)


@router.get(
    "/templates/{area}",
    summary="Import template of a commodity area",
    response={200: None},
    openapi_extra={
        "responses": {
            "200": {
                "description": "the template",
                "content": {
                    "text/csv": {},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
                },
            }
        }
    },
)
def import_template(
    request: HttpRequest, area: str, format: Literal["csv", "xlsx"] = "csv"
) -> HttpResponse:
    require(request, Perm.SEIZURE_CASE_VIEW)
    if area not in AREAS:
        raise InvalidInput.one("area", f"unknown commodity area; one of: {', '.join(AREAS)}")
    if format == "xlsx":
        response = HttpResponse(
            blanks.template_xlsx(area),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(blanks.template_csv(area), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="opencen-{area}-template.{format}"'
    return response


@router.post(
    "/imports",
    response={202: ImportJobOut},
    summary="Import a file of cases",
    description="CSV or XLSX (the templates' columns) or JSON lines (one case per line "
    "in the shape of POST /cases). The file is imported whole or not at all; the job "
    "reports every rejected value as row, column and reason.",
)
def start_import(
    request: HttpRequest, file: File[UploadedFile], submit: Form[bool] = False
) -> Status[object]:
    actor = require(request, Perm.SEIZURE_CASE_IMPORT)
    return Status(202, services.check_start_import(actor, file, submit=submit))


@router.get("/imports/{job_id}", response=ImportJobOut, summary="An import's progress and result")
def get_import(request: HttpRequest, job_id: uuid.UUID) -> object:
    return selectors.access_import_job(require(request, Perm.SEIZURE_CASE_IMPORT), job_id)
