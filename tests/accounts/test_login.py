"""Logging in through the real pages: password, second factor, lockout, enrolment, sessions."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from opencen.accounts import mfa
from opencen.accounts.models import User
from opencen.audit.models import AuditEvent
from tests.conftest import Cast
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _clear_throttle() -> None:
    cache.clear()


def _password(client: Client, email: str, password: str = PASSWORD):
    return client.post("/login/", {"email": email, "password": password})


def _code_for(user: User, offset: int = 0) -> str:
    user.refresh_from_db()
    secret = mfa.unseal(user.totp_secret)
    return pyotp.TOTP(secret).at(timezone.now().timestamp() + offset)


def test_officer_logs_in_with_password_and_sees_home(client: Client, cast: Cast) -> None:
    response = _password(client, cast.fr_officer.email)
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "French Customs" in home.content.decode()
    assert AuditEvent.objects.filter(tag="accounts.login.succeeded").count() == 1


def test_wrong_password_is_refused_without_saying_which_part(client: Client, cast: Cast) -> None:
    for email in (cast.fr_officer.email, "nobody@nowhere.test"):
        response = _password(client, email, "wrong-password-123")
        assert response.status_code == 200
        assert "E-mail or password is not correct." in response.content.decode()
    assert client.get("/").status_code == 302


def test_account_locks_after_repeated_failures(client: Client, cast: Cast) -> None:
    for _ in range(settings.OPENCEN_LOGIN_MAX_FAILURES):
        _password(client, cast.fr_officer.email, "wrong-password-123")
    cast.fr_officer.refresh_from_db()
    assert cast.fr_officer.is_locked()
    response = _password(client, cast.fr_officer.email)  # the right password, but locked
    assert "locked" in response.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(tag="accounts.login.locked").count() == 1


def test_lock_expires(client: Client, cast: Cast) -> None:
    User.objects.filter(pk=cast.fr_officer.pk).update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert _password(client, cast.fr_officer.email).status_code == 302


def test_admin_unlocks_a_locked_officer(login, cast: Cast) -> None:
    User.objects.filter(pk=cast.fr_officer.pk).update(
        locked_until=timezone.now() + dt.timedelta(hours=1)
    )
    client = login(cast.fr_admin)
    client.post(f"/users/{cast.fr_officer.pk}/unlock/")
    cast.fr_officer.refresh_from_db()
    assert not cast.fr_officer.is_locked()


def test_address_throttling_stops_password_guessing_across_accounts(
    client: Client, cast: Cast, settings
) -> None:
    settings.OPENCEN_IP_MAX_FAILURES = 3
    for i in range(3):
        _password(client, f"guess{i}@fr.test", "wrong-password-123")
    response = _password(client, cast.fr_officer.email)
    assert "Too many failed attempts" in response.content.decode()


def test_admin_needs_the_second_factor(client: Client, cast: Cast) -> None:
    response = _password(client, cast.fr_admin.email)
    assert response["Location"] == "/login/code/"
    assert client.get("/").status_code == 302  # not logged in yet
    response = client.post("/login/code/", {"code": "000000"})
    assert "not correct" in response.content.decode()
    response = client.post("/login/code/", {"code": _code_for(cast.fr_admin)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_code_works_only_once(client: Client, cast: Cast) -> None:
    code = _code_for(cast.fr_admin)
    _password(client, cast.fr_admin.email)
    client.post("/login/code/", {"code": code})
    client.post("/logout/")
    other = Client()
    _password(other, cast.fr_admin.email)
    response = other.post("/login/code/", {"code": code})
    assert "already used" in response.content.decode()
    assert other.get("/").status_code == 302


def test_wrong_codes_lock_the_account_too(client: Client, cast: Cast) -> None:
    _password(client, cast.fr_admin.email)
    for _ in range(settings.OPENCEN_LOGIN_MAX_FAILURES):
        client.post("/login/code/", {"code": "000000"})
    cast.fr_admin.refresh_from_db()
    assert cast.fr_admin.is_locked()


def test_admin_without_second_factor_must_enrol_before_anything_else(
    client: Client, cast: Cast
) -> None:
    User.objects.filter(pk=cast.rilo_admin.pk).update(totp_secret="", totp_confirmed_at=None)
    response = _password(client, cast.rilo_admin.email)
    assert response["Location"] == "/account/second-factor/"
    assert client.get("/")["Location"] == "/account/second-factor/"
    assert client.get("/api/accounts/me").status_code == 403
    page = client.get("/account/second-factor/")
    secret = page.context["secret"]
    assert "<svg" in page.content.decode()
    response = client.post("/account/second-factor/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    cast.rilo_admin.refresh_from_db()
    assert cast.rilo_admin.has_second_factor
    assert mfa.unseal(cast.rilo_admin.totp_secret) == secret
    assert secret not in cast.rilo_admin.totp_secret  # stored encrypted


def test_deactivated_user_cannot_log_in_and_loses_the_session(client: Client, cast: Cast) -> None:
    _password(client, cast.fr_officer.email)
    User.objects.filter(pk=cast.fr_officer.pk).update(is_active=False)
    assert client.get("/").status_code == 302
    response = _password(Client(), cast.fr_officer.email)
    assert "deactivated" in response.content.decode()


def test_sessions_expire(client: Client, cast: Cast) -> None:
    _password(client, cast.fr_officer.email)
    assert client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_logout_ends_the_session(client: Client, cast: Cast) -> None:
    _password(client, cast.fr_officer.email)
    client.post("/logout/")
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(tag="accounts.logout").exists()


def test_open_redirect_is_refused(client: Client, cast: Cast) -> None:
    response = client.post(
        "/login/",
        {"email": cast.fr_officer.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_production_hasher_is_argon2() -> None:
    from opencen import settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
