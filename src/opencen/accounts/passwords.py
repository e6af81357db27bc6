"""Password strength rule added to Django's validators (length, common, numeric, similarity)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_CLASSES = 3


class CharacterClassValidator:
    """Require at least three of: lower-case, upper-case, digits, other characters."""

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < MIN_CLASSES:
            raise ValidationError(
                _(
                    "Use at least three of: lower-case letters, upper-case letters, digits, "
                    "other characters."
                ),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must mix at least three of: lower-case letters, upper-case letters, "
            "digits, other characters."
        )
