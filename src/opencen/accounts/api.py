"""Accounts API: who am I, tokens, organisations, closed user groups, users of my organisation."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from opencen.accounts import selectors, services
from opencen.accounts.models import GroupMembership, Organisation, User
from opencen.accounts.schemas import (
    CugIn,
    CugMemberIn,
    CugMemberOut,
    CugOut,
    MeOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationUpdateIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UserIn,
    UserOut,
)
from opencen.core.errors import NotFound
from opencen.core.http import actor_of, require
from opencen.core.permissions import Perm

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, summary="The authenticated user, their role and permissions")
def me(request: HttpRequest) -> dict[str, object]:
    actor = actor_of(request)
    user = User.objects.select_related("organisation__region").get(pk=actor.user_id)
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "organisation": user.organisation,
        "permissions": sorted(actor.perms),
        "groups": sorted(actor.group_ids, key=str),
        "second_factor": user.has_second_factor,
        "via": actor.via,
    }


@router.get("/organisations", response=list[OrganisationOut], summary="Directory of organisations")
@paginate(LimitOffsetPagination)
def list_organisations(request: HttpRequest) -> object:
    actor_of(request)
    return selectors.organisations()


@router.post(
    "/organisations",
    response={201: OrganisationOut},
    summary="Create an organisation (secretariat)",
)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[object]:
    actor = require(request, Perm.ACCOUNTS_ORGANISATION_MANAGE)
    return Status(201, services.check_create_organisation(actor, **payload.dict()))


@router.put(
    "/organisations/{organisation_id}",
    response=OrganisationOut,
    summary="Rename or (de)activate an organisation (secretariat)",
)
def update_organisation(
    request: HttpRequest, organisation_id: uuid.UUID, payload: OrganisationUpdateIn
) -> object:
    actor = require(request, Perm.ACCOUNTS_ORGANISATION_MANAGE)
    return services.check_update_organisation(actor, organisation_id, **payload.dict())


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens")
def list_tokens(request: HttpRequest) -> object:
    return selectors.tokens_of(actor_of(request))


@router.post(
    "/tokens",
    response={201: TokenCreatedOut},
    summary="Create an API token",
    description="The token is returned once. Scopes must be permissions your role holds.",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[object]:
    actor = actor_of(request)
    token, raw = services.check_create_token(
        actor, name=payload.name, scopes=payload.scopes, days=payload.days
    )
    data = TokenOut.from_orm(token).dict()
    data["token"] = raw
    return Status(201, data)


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="Revoke an API token")
def revoke_token(request: HttpRequest, token_id: uuid.UUID) -> object:
    return services.do_revoke_token(actor_of(request), token_id)


@router.get("/groups", response=list[CugOut], summary="Closed user groups you belong to or own")
def list_groups(request: HttpRequest) -> object:
    return selectors.groups_visible_to(actor_of(request))


@router.post("/groups", response={201: CugOut}, summary="Create a closed user group")
def create_group(request: HttpRequest, payload: CugIn) -> Status[object]:
    actor = require(request, Perm.ACCOUNTS_GROUP_CREATE)
    group = services.check_create_group(
        actor,
        name=payload.name,
        description=payload.description,
        hidden_membership=payload.hidden_membership,
    )
    return Status(201, group)


@router.put("/groups/{group_id}", response=CugOut, summary="Change a group you own")
def update_group(request: HttpRequest, group_id: uuid.UUID, payload: CugIn) -> object:
    actor = actor_of(request)
    selectors.access_group(actor, group_id)
    return services.check_update_group(
        actor,
        group_id,
        name=payload.name,
        description=payload.description,
        hidden_membership=payload.hidden_membership,
    )


@router.get("/groups/{group_id}", response=CugOut, summary="One closed user group")
def get_group(request: HttpRequest, group_id: uuid.UUID) -> object:
    return selectors.access_group(actor_of(request), group_id)


def _member_out(m: GroupMembership) -> dict[str, object]:
    return {
        "id": m.id,
        "organisation": m.organisation.name if m.organisation else None,
        "user": m.user.email if m.user else None,
        "added_at": m.created_at,
    }


@router.get(
    "/groups/{group_id}/members",
    response=list[CugMemberOut],
    summary="Members you may see (hidden membership shows only your own)",
)
def list_members(request: HttpRequest, group_id: uuid.UUID) -> object:
    actor = actor_of(request)
    group = selectors.access_group(actor, group_id)
    return [_member_out(m) for m in selectors.visible_members(actor, group)]


@router.post("/groups/{group_id}/members", response={201: CugMemberOut}, summary="Add a member")
def add_member(request: HttpRequest, group_id: uuid.UUID, payload: CugMemberIn) -> Status[object]:
    actor = actor_of(request)
    selectors.access_group(actor, group_id)
    membership = services.check_add_member(
        actor, group_id, organisation_id=payload.organisation_id, user_email=payload.user_email
    )
    return Status(201, _member_out(membership))


@router.delete(
    "/groups/{group_id}/members/{membership_id}", response={204: None}, summary="Remove a member"
)
def remove_member(
    request: HttpRequest, group_id: uuid.UUID, membership_id: uuid.UUID
) -> Status[object]:
    actor = actor_of(request)
    selectors.access_group(actor, group_id)
    services.do_remove_member(actor, group_id, membership_id)
    return Status(204, None)


@router.get("/users", response=list[UserOut], summary="Users you administer")
@paginate(LimitOffsetPagination)
def list_users(request: HttpRequest) -> object:
    return selectors.users_managed_by(require(request, Perm.ACCOUNTS_USER_MANAGE))


@router.post("/users", response={201: UserOut}, summary="Create a user in your organisation")
def create_user(request: HttpRequest, payload: UserIn) -> Status[object]:
    actor = require(request, Perm.ACCOUNTS_USER_MANAGE)
    user = services.check_create_user(
        actor,
        email=payload.email,
        full_name=payload.full_name,
        role=payload.role,
        password=payload.password,
    )
    return Status(201, user)


@router.post("/users/{user_id}/deactivate", response=UserOut, summary="Deactivate a user")
def deactivate_user(request: HttpRequest, user_id: uuid.UUID) -> object:
    actor = require(request, Perm.ACCOUNTS_USER_MANAGE)
    return services.do_deactivate_user(actor, user_id)


@router.post("/users/{user_id}/unlock", response=UserOut, summary="Lift a login lockout")
def unlock_user(request: HttpRequest, user_id: uuid.UUID) -> object:
    actor = require(request, Perm.ACCOUNTS_USER_MANAGE)
    return services.do_unlock_user(actor, user_id)


@router.get(
    "/organisations/{organisation_id}", response=OrganisationOut, summary="One organisation"
)
def get_organisation(request: HttpRequest, organisation_id: uuid.UUID) -> Organisation:
    actor_of(request)
    org = selectors.organisations().filter(pk=organisation_id).first()
    if org is None:
        raise NotFound
    return org
