"""Scoped reads of accounts data."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from opencen.accounts.models import ApiToken, ClosedUserGroup, GroupMembership, Organisation, User
from opencen.core.actors import Actor
from opencen.core.errors import NotFound
from opencen.core.permissions import Perm


def groups_visible_to(actor: Actor) -> QuerySet[ClosedUserGroup]:
    """Groups the actor's organisation owns or the actor belongs to; all for the secretariat."""
    qs = ClosedUserGroup.objects.select_related("owner")
    if actor.is_secretariat and actor.can(Perm.ACCOUNTS_ORGANISATION_MANAGE):
        return qs
    return qs.filter(Q(owner_id=actor.organisation_id) | Q(id__in=actor.group_ids))


def access_group(actor: Actor, group_id: Any) -> ClosedUserGroup:
    group = groups_visible_to(actor).filter(pk=group_id).first()
    if group is None:
        raise NotFound
    return group


def visible_members(actor: Actor, group: ClosedUserGroup) -> QuerySet[GroupMembership]:
    """Members the actor may see: all for the owner (and secretariat), else with hidden
    membership only the actor's own rows."""
    qs = group.memberships.select_related("organisation", "user__organisation").order_by(
        "created_at"
    )
    if (
        group.owner_id == actor.organisation_id
        or not group.hidden_membership
        or (actor.is_secretariat and actor.can(Perm.ACCOUNTS_ORGANISATION_MANAGE))
    ):
        return qs
    return qs.filter(Q(user_id=actor.user_id) | Q(organisation_id=actor.organisation_id))


def users_managed_by(actor: Actor) -> QuerySet[User]:
    """Users the actor administers: their organisation's; everyone's for the secretariat."""
    if not actor.can(Perm.ACCOUNTS_USER_MANAGE):
        return User.objects.none()
    qs = User.objects.select_related("organisation")
    if actor.can(Perm.ACCOUNTS_ORGANISATION_MANAGE):
        return qs
    return qs.filter(organisation_id=actor.organisation_id)


def tokens_of(actor: Actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=actor.user_id)


def organisations() -> QuerySet[Organisation]:
    """The directory of organisations: every logged-in member may read it."""
    return Organisation.objects.filter(is_active=True).select_related("region")
