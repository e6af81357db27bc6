"""Errors that services raise and every entry path (page, API, command) answers clearly."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from opencen.core.privacy import Finding


@dataclass(frozen=True)
class FieldError:
    """One refused value: which field, and why, in words an officer can act on.

    ``start``/``end``/``text`` locate the offending span inside a free-text value (e.g. what the
    personal-data gate found), so the officer can see exactly what to rephrase.
    """

    field: str
    reason: str
    start: int | None = None
    end: int | None = None
    text: str = ""

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"field": self.field, "reason": self.reason}
        if self.start is not None:
            data.update(start=self.start, end=self.end, text=self.text)
        return data


def personal_data_errors(field: str, findings: Iterable[Finding]) -> list[FieldError]:
    """What the personal-data gate found in a field, as errors naming each span and reason."""
    return [
        FieldError(
            field,
            _("Personal data is not allowed here: %(reason)s (“%(text)s”). Rephrase without it.")
            % {"reason": _(finding.reason), "text": finding.text},
            start=finding.start,
            end=finding.end,
            text=finding.text,
        )
        for finding in findings
    ]


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


def field_path(parts: Iterable[object]) -> str:
    """``("goods", 0, "quantity")`` -> ``goods[0].quantity``: how every error names a field."""
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path
