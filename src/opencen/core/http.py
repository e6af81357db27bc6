"""Helpers views and API handlers share: who is asking, and the permission gate."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from opencen.core.actors import Actor
from opencen.core.errors import Forbidden, NotFound
from opencen.core.permissions import Perm

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def actor_of(request: HttpRequest) -> Actor:
    """The authenticated actor of this request (set by the session middleware or token auth)."""
    actor = getattr(request, "actor", None) or getattr(request, "auth", None)
    if not isinstance(actor, Actor):
        raise Forbidden("not authenticated")
    return actor


def require(request: HttpRequest, perm: Perm) -> Actor:
    """The actor, if they hold ``perm``; otherwise ``Forbidden``."""
    actor = actor_of(request)
    if not actor.can(perm):
        raise Forbidden(perm)
    return actor


def page(perm: Perm | tuple[Perm, ...] | None = None) -> Callable[[ViewFunc], ViewFunc]:
    """Decorate a page view: log-in required, then ``perm`` (any of a tuple) required.

    Anonymous visitors go to the login page; a missing permission answers 403; ``NotFound``
    raised inside the view answers 404, so a hidden record and a missing one look the same.
    """
    needed = (perm,) if isinstance(perm, Perm) else (perm or ())

    def decorate(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            actor = getattr(request, "actor", None)
            if not isinstance(actor, Actor):
                return redirect_to_login(request.get_full_path())
            if needed and not any(actor.can(p) for p in needed):
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                raise Http404 from None
            except Forbidden:
                raise PermissionDenied from None

        return wrapper  # type: ignore[return-value]

    return decorate
