"""Closed user groups and user administration, through services and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from opencen.accounts import services
from opencen.accounts.models import User
from opencen.audit.models import AuditEvent
from opencen.core.errors import Forbidden, InvalidInput, NotFound
from tests.conftest import Cast


def test_group_owner_sees_all_members_hidden_membership_shows_only_your_own(
    login, cast: Cast
) -> None:
    admin = cast.actor(cast.fr_admin)
    group = services.check_create_group(admin, name="Op Tusk", hidden_membership=True)
    services.check_add_member(admin, group.id, organisation_id=cast.ke.id)
    services.check_add_member(admin, group.id, organisation_id=cast.be.id)
    owner_view = login(cast.fr_officer).get(f"/api/accounts/groups/{group.id}/members").json()
    assert {m["organisation"] for m in owner_view} == {
        "French Customs",
        "Kenyan Customs",
        "Belgian Customs",
    }
    member_view = login(cast.ke_officer).get(f"/api/accounts/groups/{group.id}/members").json()
    assert [m["organisation"] for m in member_view] == ["Kenyan Customs"]


def test_non_members_get_404_for_a_group(login, cast: Cast) -> None:
    group = services.check_create_group(cast.actor(cast.fr_admin), name="Op Tusk")
    assert login(cast.ke_officer).get(f"/api/accounts/groups/{group.id}").status_code == 404


def test_only_the_owner_adds_members(cast: Cast) -> None:
    admin = cast.actor(cast.fr_admin)
    group = services.check_create_group(admin, name="Op Tusk")
    services.check_add_member(admin, group.id, organisation_id=cast.ke.id)
    with pytest.raises(Forbidden):
        services.check_add_member(cast.actor(cast.ke_officer), group.id, organisation_id=cast.be.id)
    with pytest.raises(NotFound):
        services.check_add_member(cast.actor(cast.be_officer), group.id, organisation_id=cast.be.id)


def test_member_of_one_user_and_removal(cast: Cast) -> None:
    admin = cast.actor(cast.fr_admin)
    group = services.check_create_group(admin, name="Op Tusk")
    membership = services.check_add_member(admin, group.id, user_email=cast.brand_user.email)
    assert group.id in cast.actor(cast.brand_user).group_ids
    services.do_remove_member(admin, group.id, membership.id)
    assert group.id not in cast.actor(cast.brand_user).group_ids
    tags = list(AuditEvent.objects.values_list("tag", flat=True).order_by("seq"))
    assert tags == [
        "accounts.group.created",
        "accounts.group.member_added",
        "accounts.group.member_removed",
    ]


def test_bad_member_requests_name_the_field(cast: Cast) -> None:
    admin = cast.actor(cast.fr_admin)
    group = services.check_create_group(admin, name="Op Tusk")
    with pytest.raises(InvalidInput) as refused:
        services.check_add_member(admin, group.id, user_email="nobody@nowhere.test")
    assert refused.value.errors[0].field == "user_email"
    with pytest.raises(InvalidInput):
        services.check_add_member(admin, group.id)
    with pytest.raises(InvalidInput) as refused:
        services.check_create_group(admin, name="op tusk")
    assert refused.value.errors[0].field == "name"


def test_admin_creates_a_user_with_a_strong_password_only(login, cast: Cast) -> None:
    client = login(cast.fr_admin)
    weak = client.post(
        "/api/accounts/users",
        {"email": "new@fr.test", "full_name": "N", "role": "officer", "password": "password"},
        content_type="application/json",
    )
    assert weak.status_code == 422
    assert {e["field"] for e in weak.json()["errors"]} == {"password"}
    assert not User.objects.filter(email="new@fr.test").exists()
    ok = client.post(
        "/api/accounts/users",
        {
            "email": "New@FR.test",
            "full_name": "N",
            "role": "officer",
            "password": "Sufficiently-Long-9",
        },
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert User.objects.get(email="new@fr.test").organisation == cast.fr


def test_roles_must_fit_the_organisation_kind(cast: Cast) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.check_create_user(
            cast.actor(cast.rilo_admin),
            email="x@rilo.test",
            full_name="X",
            role="targeting_officer",
            password="Sufficiently-Long-9",
        )
    assert refused.value.errors[0].field == "role"


def test_admin_cannot_manage_another_organisations_users(cast: Cast) -> None:
    with pytest.raises(NotFound):
        services.do_deactivate_user(cast.actor(cast.fr_admin), cast.be_officer.pk)


def test_inactive_accounts_are_warned_then_expired(cast: Cast, settings) -> None:
    now = timezone.now()
    limit = settings.OPENCEN_INACTIVE_DAYS
    User.objects.filter(pk=cast.fr_officer.pk).update(last_seen_at=now - dt.timedelta(limit - 5))
    User.objects.filter(pk=cast.be_officer.pk).update(last_seen_at=now - dt.timedelta(limit + 1))
    User.objects.exclude(pk__in=[cast.fr_officer.pk, cast.be_officer.pk]).update(last_seen_at=now)
    warned, expired = services.expire_inactive_accounts(now=now)
    assert (warned, expired) == (1, 1)
    assert mail.outbox[0].to == [cast.fr_officer.email]
    cast.be_officer.refresh_from_db()
    assert not cast.be_officer.is_active
    assert services.expire_inactive_accounts(now=now) == (0, 0)  # warned once only


def test_secretariat_creates_organisations_with_their_region(cast: Cast) -> None:
    sec = cast.actor(cast.sec_admin)
    be2 = services.check_create_organisation(
        sec, name="Belgian Excise", short_name="BE2", kind="customs", country="be"
    )
    assert be2.region == cast.europe and be2.country == "BE"
    rilo = services.check_create_organisation(
        sec, name="RILO ESA", short_name="RILO-ESA", kind="rilo", region="esa"
    )
    assert rilo.region == cast.africa
    with pytest.raises(InvalidInput) as refused:
        services.check_create_organisation(
            sec, name="X", short_name="X", kind="customs", country="ZZ"
        )
    assert refused.value.errors[0].field == "country"
    with pytest.raises(Forbidden):
        services.check_create_organisation(
            cast.actor(cast.fr_admin), name="Y", short_name="Y", kind="observer"
        )


def test_group_owner_updates_the_group(login, cast: Cast) -> None:
    group = services.check_create_group(cast.actor(cast.fr_admin), name="Op Tusk")
    response = login(cast.fr_officer).put(
        f"/api/accounts/groups/{group.id}",
        {"name": "Op Tusk II", "description": "ivory", "hidden_membership": True},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["hidden_membership"] is True
    event = AuditEvent.objects.get(tag="accounts.group.updated")
    assert event.changes["name"] == ["Op Tusk", "Op Tusk II"]


def test_secretariat_deactivates_an_organisation_and_its_users_lose_access(
    login, cast: Cast
) -> None:
    client = login(cast.sec_admin)
    response = client.put(
        f"/api/accounts/organisations/{cast.be.id}",
        {"name": "Belgian Customs", "short_name": "BE", "is_active": False},
        content_type="application/json",
    )
    assert response.status_code == 200
    be_client = Client()
    be_client.force_login(cast.be_officer, backend="opencen.accounts.backends.EmailBackend")
    assert be_client.get("/api/accounts/me").status_code == 401
    event = AuditEvent.objects.get(tag="accounts.organisation.updated")
    assert event.changes == {"is_active": [True, False]}
    refused = client.put(
        f"/api/accounts/organisations/{cast.fr.id}",
        {"name": "Belgian Customs", "short_name": "FR"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "name"
