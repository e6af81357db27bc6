"""Who is acting: the user, their organisation, what they may do, and how they came in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from opencen.core.permissions import Perm, Role


@dataclass(frozen=True)
class Actor:
    """An authenticated person acting through the web, the API or a command.

    ``perms`` is already narrowed to an API token's scopes when the actor came in with a token.
    ``group_ids`` are the closed user groups the person belongs to, directly or through their
    organisation; ``region_id`` is the WCO region of their organisation (or the one a RILO covers).
    """

    user_id: uuid.UUID
    email: str
    organisation_id: uuid.UUID
    organisation_name: str
    organisation_kind: str
    region_id: uuid.UUID | None
    role: Role
    perms: frozenset[Perm]
    group_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)
    via: str = "session"
    ip: str | None = None
    token_id: uuid.UUID | None = None

    def can(self, perm: Perm) -> bool:
        """True if this actor holds ``perm``."""
        return perm in self.perms

    @property
    def is_secretariat(self) -> bool:
        return self.organisation_kind == "secretariat"
