"""Per-request account state: the actor, forced second-factor enrolment, last-seen time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

from opencen.accounts.actors import actor_for
from opencen.accounts.models import User
from opencen.core.permissions import requires_second_factor

SEEN_EVERY = dt.timedelta(minutes=5)
ENROL_ALLOWED_PREFIXES = ("/account/second-factor/", "/logout/", "/static/", "/i18n/")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the server saw it (``SECURE_PROXY_SSL_HEADER`` setups put a
    trusted proxy in front; configure the proxy to overwrite REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or None


class AccountStateMiddleware:
    """Attach ``request.actor``; send a user whose role needs a second factor to enrol first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            must_enrol = requires_second_factor(user.role) and not user.has_second_factor
            if must_enrol and not request.path.startswith(ENROL_ALLOWED_PREFIXES):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "Enrol a second factor before using the API."}, status=403
                    )
                return redirect("accounts:enrol")
            request.actor = actor_for(user, ip=client_ip(request))  # type: ignore[attr-defined]
            now = timezone.now()
            if user.last_seen_at is None or now - user.last_seen_at > SEEN_EVERY:
                User.objects.filter(pk=user.pk).update(last_seen_at=now)
        return self.get_response(request)
