"""The JSON API root: ``/api/``, its OpenAPI document and the error format every endpoint uses.

Errors always answer JSON: ``{"detail": str, "errors": [{"field": str, "reason": str}]}`` for
refused input (422), ``{"detail": str}`` for 401/403/404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from opencen import __version__
from opencen.accounts.api import router as accounts_router
from opencen.accounts.auth import ActorSessionAuth, TokenAuth
from opencen.analytics.api import router as analytics_router
from opencen.audit.api import router as audit_router
from opencen.core.errors import Forbidden, InvalidInput, NotFound, field_path
from opencen.reference.api import router as reference_router
from opencen.seizures.api import router as seizures_router
from opencen.targeting.api import router as targeting_router

api = NinjaAPI(
    title="opencen API",
    version=__version__,
    description=(
        "The JSON API of opencen, an open Customs Enforcement Network. Authenticate with a "
        "personal token (`Authorization: Bearer ocn_…`, created on your account page) or a "
        "browser session. Refused input answers 422 with the field and the reason; a record "
        "you may not see answers 404."
    ),
    auth=[TokenAuth(), ActorSessionAuth()],
    urls_namespace="api",
)


def _field_of(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else parts[1:]  # drop the parameter name
    elif parts and parts[0] in {"query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    return field_path(parts) or "body"


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field_of(e.get("loc", ())), "reason": str(e.get("msg", "invalid value"))}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


@api.exception_handler(InvalidInput)
def _invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    errors = [e.to_dict() for e in exc.errors]
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


@api.exception_handler(NotFound)
@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(Forbidden)
def _forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
    return api.create_response(
        request, {"detail": f"You do not have the permission for this ({exc})."}, status=403
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Authentication required: a valid token or session."}, status=401
    )


api.add_router("/accounts/", accounts_router)
api.add_router("/audit/", audit_router)
api.add_router("/reference/", reference_router)
api.add_router("/seizures/", seizures_router)
api.add_router("/analytics/", analytics_router)
api.add_router("/targeting/", targeting_router)
