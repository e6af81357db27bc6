"""API tokens: shown once, stored hashed, scoped, expiring, revocable, every use recorded."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone

from opencen.accounts import services
from opencen.accounts.models import ApiToken, ApiTokenUse
from opencen.core.errors import Forbidden, InvalidInput
from opencen.core.permissions import Perm
from tests.conftest import Cast


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_is_created_once_and_stored_as_a_digest(login, cast: Cast) -> None:
    client = login(cast.fr_officer)
    response = client.post(
        "/api/accounts/tokens",
        {"name": "etl", "scopes": ["reference:data:view"], "days": 30},
        content_type="application/json",
    )
    assert response.status_code == 201
    raw = response.json()["token"]
    stored = ApiToken.objects.get()
    assert raw not in (stored.digest, stored.prefix)
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    listed = client.get("/api/accounts/tokens").json()
    assert "token" not in listed[0]


def test_token_authenticates_and_each_use_is_recorded(cast: Cast) -> None:
    _token, raw = services.check_create_token(
        cast.actor(cast.fr_officer), name="etl", scopes=["reference:data:view"], days=30
    )
    client = Client()
    me = client.get("/api/accounts/me", **_bearer(raw))
    assert me.status_code == 200
    assert me.json()["email"] == cast.fr_officer.email
    assert me.json()["via"] == "token"
    client.get("/api/accounts/me", **_bearer(raw))
    assert ApiTokenUse.objects.count() == 2
    use = ApiTokenUse.objects.first()
    assert use is not None and use.path == "/api/accounts/me" and use.method == "GET"


def test_token_last_use_is_refreshed_at_most_once_a_minute(cast: Cast) -> None:
    """Every use is recorded; the token's last use and use count are written once a minute
    (and the user's last-seen time every few minutes), not by every request."""
    _token, raw = services.check_create_token(
        cast.actor(cast.fr_officer), name="etl", scopes=["reference:data:view"], days=30
    )
    client = Client()
    before = timezone.now()
    client.get("/api/accounts/me", **_bearer(raw))
    token = ApiToken.objects.get()
    first_use = token.last_used_at
    assert first_use is not None and first_use >= before and token.use_count == 1
    seen = type(cast.fr_officer).objects.get(pk=cast.fr_officer.pk).last_seen_at
    assert seen is not None and seen >= before

    for _ in range(3):  # within the minute: recorded, not summarised yet
        assert client.get("/api/accounts/me", **_bearer(raw)).status_code == 200
    token.refresh_from_db()
    assert (token.last_used_at, token.use_count) == (first_use, 1)
    assert ApiTokenUse.objects.count() == 4
    assert type(cast.fr_officer).objects.get(pk=cast.fr_officer.pk).last_seen_at == seen

    # a minute later (everything moved a minute back) the next use brings the summary up to
    # date: every use recorded since the last refresh counted, none twice
    earlier = services.TOKEN_USE_EVERY + dt.timedelta(seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=F("last_used_at") - earlier)
    ApiTokenUse.objects.update(at=F("at") - earlier)
    client.get("/api/accounts/me", **_bearer(raw))
    token.refresh_from_db()
    assert token.use_count == 5 and token.last_used_at is not None
    assert token.last_used_at > first_use


def test_token_scope_narrows_permissions(cast: Cast) -> None:
    _token, raw = services.check_create_token(
        cast.actor(cast.fr_admin), name="read only", scopes=["reference:data:view"], days=30
    )
    client = Client()
    assert client.get("/api/accounts/me", **_bearer(raw)).json()["permissions"] == [
        "reference:data:view"
    ]
    # The admin may manage users, but this token may not.
    assert client.get("/api/accounts/users", **_bearer(raw)).status_code == 403


def test_scopes_cannot_exceed_the_role(cast: Cast) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.check_create_token(
            cast.actor(cast.fr_officer), name="x", scopes=[Perm.ACCOUNTS_USER_MANAGE], days=30
        )
    assert refused.value.errors[0].field == "scopes"


def test_expired_token_is_refused(cast: Cast) -> None:
    token, raw = services.check_create_token(
        cast.actor(cast.fr_officer), name="etl", scopes=["reference:data:view"], days=1
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    response = Client().get("/api/accounts/me", **_bearer(raw))
    assert response.status_code == 401
    assert "token" in response.json()["detail"]


def test_revoked_token_is_refused(login, cast: Cast) -> None:
    token, raw = services.check_create_token(
        cast.actor(cast.fr_officer), name="etl", scopes=["reference:data:view"], days=30
    )
    client = login(cast.fr_officer)
    assert client.post(f"/api/accounts/tokens/{token.pk}/revoke").status_code == 200
    assert Client().get("/api/accounts/me", **_bearer(raw)).status_code == 401


def test_someone_elses_token_cannot_be_revoked(login, cast: Cast) -> None:
    token, _raw = services.check_create_token(
        cast.actor(cast.fr_officer), name="etl", scopes=["reference:data:view"], days=30
    )
    response = login(cast.ke_officer).post(f"/api/accounts/tokens/{token.pk}/revoke")
    assert response.status_code == 404


def test_deactivating_a_user_revokes_their_tokens(cast: Cast) -> None:
    _token, raw = services.check_create_token(
        cast.actor(cast.fr_officer), name="etl", scopes=["reference:data:view"], days=30
    )
    services.do_deactivate_user(cast.actor(cast.fr_admin), cast.fr_officer.pk)
    assert Client().get("/api/accounts/me", **_bearer(raw)).status_code == 401


def test_tokens_cannot_create_tokens(cast: Cast) -> None:
    _token, raw = services.check_create_token(
        cast.actor(cast.fr_officer), name="etl", scopes=["accounts:token:create"], days=30
    )
    response = Client().post(
        "/api/accounts/tokens",
        {"name": "x", "scopes": ["reference:data:view"]},
        content_type="application/json",
        **_bearer(raw),
    )
    assert response.status_code == 403
    with pytest.raises(Forbidden):
        from opencen.accounts.services import authenticate_token

        actor = authenticate_token(raw, ip=None, method="GET", path="/")
        assert actor is not None
        services.check_create_token(actor, name="y", scopes=["reference:data:view"], days=1)


def test_malformed_and_unknown_tokens_are_refused(cast: Cast) -> None:
    for raw in ("garbage", "ocn_deadbeef_nope", "ocn__", ""):
        assert Client().get("/api/accounts/me", **_bearer(raw)).status_code == 401


def test_bad_token_input_names_the_field(login, cast: Cast) -> None:
    client = login(cast.fr_officer)
    response = client.post(
        "/api/accounts/tokens",
        {"name": "x", "scopes": ["nope:nope:nope"], "days": 9999},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"scopes", "days"}
    response = client.post("/api/accounts/tokens", {"scopes": []}, content_type="application/json")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"name"}
    response = client.post("/api/accounts/tokens", "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_concurrent_refreshes_count_each_use_once(cast: Cast) -> None:
    """Two requests that both read the token before either refreshed it: one refresh wins."""
    token, _raw = services.check_create_token(
        cast.actor(cast.fr_officer), name="etl", scopes=["reference:data:view"], days=30
    )
    now = timezone.now()
    ApiTokenUse.objects.create(token=token, at=now, method="GET", path="/a")
    ApiTokenUse.objects.create(token=token, at=now, method="GET", path="/b")
    stale = ApiToken.objects.get(pk=token.pk)  # both requests loaded this (never used)
    services._refresh_token_use(stale, now)
    services._refresh_token_use(stale, now)
    token.refresh_from_db()
    assert (token.use_count, token.last_used_at) == (2, now)
