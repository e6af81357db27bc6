"""Through a real browser: log in on the real pages and see the home page."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest

from opencen.accounts import mfa
from tests.conftest import Cast
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_officer_logs_in_and_sees_the_home_page(page: Any, live_server: Any, cast: Cast) -> None:
    _log_in(page, live_server.url, cast.fr_officer.email)
    page.wait_for_selector("h1")
    assert "Welcome" in page.inner_text("h1")
    body = page.inner_text("main")
    assert "French Customs" in body
    assert "Customs officer" in body


def test_admin_logs_in_with_the_second_factor(page: Any, live_server: Any, cast: Cast) -> None:
    _log_in(page, live_server.url, cast.fr_admin.email)
    page.wait_for_url("**/login/code/")
    cast.fr_admin.refresh_from_db()
    page.fill("input[name=code]", pyotp.TOTP(mfa.unseal(cast.fr_admin.totp_secret)).now())
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_selector("h1")
    assert "Organisation admin" in page.inner_text("main")


def test_wrong_password_shows_the_reason_on_the_page(
    page: Any, live_server: Any, cast: Cast
) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=email]", cast.fr_officer.email)
    page.fill("input[name=password]", "not-the-password")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "E-mail or password is not correct." in page.inner_text("main")


def test_language_switch_to_french(page: Any, live_server: Any, cast: Cast) -> None:
    _log_in(page, live_server.url, cast.fr_officer.email)
    page.wait_for_selector("h1")
    with page.expect_navigation():
        page.click("button[value=fr]")
    page.wait_for_selector("html[lang=fr]")
    assert "Bienvenue" in page.inner_text("h1")
