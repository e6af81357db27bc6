"""Building the ``Actor`` that services and selectors receive."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db.models import Q

from opencen.accounts.models import ClosedUserGroup, User
from opencen.core.actors import Actor
from opencen.core.permissions import Perm, Role, permissions_for


def group_ids_of(user: User) -> frozenset[uuid.UUID]:
    """Active closed user groups the user belongs to, directly or through their organisation."""
    ids = (
        ClosedUserGroup.objects.filter(is_active=True)
        .filter(Q(memberships__user=user) | Q(memberships__organisation_id=user.organisation_id))
        .values_list("id", flat=True)
    )
    return frozenset(ids)


def actor_for(
    user: User,
    *,
    via: str = "session",
    ip: str | None = None,
    scopes: Iterable[str] | None = None,
    token_id: uuid.UUID | None = None,
) -> Actor:
    """The actor for ``user``; with ``scopes`` (an API token) the permissions are narrowed."""
    perms = permissions_for(user.role)
    if scopes is not None:
        perms = perms & frozenset(Perm(s) for s in scopes if s in Perm._value2member_map_)
    org = user.organisation
    return Actor(
        user_id=user.id,
        email=user.email,
        organisation_id=org.id,
        organisation_name=org.name,
        organisation_kind=org.kind,
        region_id=org.region_id,
        role=Role(user.role),
        perms=perms,
        group_ids=group_ids_of(user),
        via=via,
        ip=ip,
        token_id=token_id,
    )
