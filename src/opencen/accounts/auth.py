"""API authentication: bearer tokens and the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from opencen.accounts.middleware import client_ip
from opencen.accounts.services import authenticate_token
from opencen.core.actors import Actor


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ocn_…``: a personal token, narrowed to its scopes."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        actor = authenticate_token(
            token, ip=client_ip(request), method=request.method or "", path=request.path
        )
        if actor is not None:
            request.actor = actor  # type: ignore[attr-defined]
        return actor


class ActorSessionAuth(SessionAuth):
    """A logged-in browser session (both factors passed); CSRF is checked on writes."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return getattr(request, "actor", None)
