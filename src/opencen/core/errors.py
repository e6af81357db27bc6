"""Errors that services raise and every entry path (page, API, command) answers clearly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One refused value: which field, and why, in words an officer can act on."""

    field: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "reason": self.reason}


class InvalidInput(Exception):
    """Input refused; nothing was stored.  Carries every field error found, not just the first."""

    def __init__(self, errors: list[FieldError] | FieldError) -> None:
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        super().__init__("; ".join(f"{e.field}: {e.reason}" for e in self.errors))

    @classmethod
    def one(cls, field: str, reason: str) -> InvalidInput:
        return cls(FieldError(field, reason))


class NotFound(Exception):
    """The object does not exist, or the actor may not know that it does (always answered 404)."""


class Forbidden(Exception):
    """The actor may see the object or page but lacks the permission for this act."""
