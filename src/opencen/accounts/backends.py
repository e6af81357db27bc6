"""Authentication backend: e-mail and password; lockout and throttling live in services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest

from opencen.accounts.models import User


class EmailBackend(BaseBackend):
    """Loads users for sessions; refuses inactive ones.  Passwords are checked in services."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        return None  # Login goes through accounts.services.check_password_step, never here.

    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        if user is None or not user.is_active or not user.organisation.is_active:
            return None
        return user
