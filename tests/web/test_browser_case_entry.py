"""Through a real browser: an officer enters a seizure on the form and finds it on its page.

Drives the parts only a browser runs: the HS and UN/LOCODE autocomplete, the commodity area's
fields swapped in by HTMX, adding and removing rows, and the personal-data refusal shown on the
page with the entered values kept.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from opencen.seizures.models import Case
from tests.conftest import Cast
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("refdata")]


def _log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def _pick(page: Any, selector: str, typed: str, option: str) -> None:
    """Type into an autocomplete field and choose the suggestion that shows ``option``."""
    field = page.locator(selector)
    field.click()
    field.press_sequentially(typed, delay=40)
    page.locator(".ac-list [role=option]", has_text=option).first.click()


def test_officer_enters_a_case_through_the_form(page: Any, live_server: Any, cast: Cast) -> None:
    _log_in(page, live_server.url, cast.fr_officer.email)
    page.goto(f"{live_server.url}/cases/new/")

    # When and where: the country is the officer's; the place comes from UN/LOCODE.
    assert page.input_value("#id_country") == "FR"
    page.fill("#id_date", "2026-03-14")
    _pick(page, "#id_place", "Le Hav", "FRLEH")
    assert page.input_value("#id_place") == "FRLEH"
    page.select_option("#id_procedure", "import")
    page.select_option("#id_location_type", "seaport")
    page.select_option("#id_direction", "inbound")
    # How found: the risk-profile field appears only for that detection method.
    assert page.locator("#id_risk_profile").is_hidden()
    page.select_option("#id_detection", "risk_profile")
    page.fill("#id_risk_profile", "Reefers from the Caribbean coast")
    page.select_option("#id_transport", "sea_container")
    page.select_option("#id_concealment", "mixed")
    page.fill("#id_container_number", "CSQU3054383")

    # Goods: choosing the area brings its own fields; the HS code comes from the autocomplete.
    page.select_option("#id_goods-0-commodity_area", "drugs")
    page.wait_for_selector("#id_goods-0-detail_substance")
    page.select_option("#id_goods-0-detail_substance", "cocaine")
    page.select_option("#id_goods-0-detail_form", "powder")
    _pick(page, "#id_goods-0-hs_code", "coca", "121130")
    assert page.input_value("#id_goods-0-hs_code") == "121130"
    page.fill("#id_goods-0-description", "Cocaine bricks")
    page.fill("#id_goods-0-quantity", "412.5")
    # A second line, added then removed again.
    page.click("text=Add a goods line")
    page.wait_for_selector("#id_goods-1-commodity_area")
    page.locator("fieldset.goods-line").nth(1).locator("[data-remove-row]").click()
    assert page.input_value("input[name=goods-TOTAL_FORMS]") == "1"

    # Route: a transit country goes between departure and destination.
    page.fill("#id_route-0-country", "CO")
    page.fill("#id_route-1-country", "FR")
    page.click("text=Add a transit country")
    assert page.input_value("#id_route-1-role") == "transit"
    assert page.input_value("#id_route-2-role") == "destination"
    assert page.input_value("#id_route-2-country") == "FR"
    page.fill("#id_route-1-country", "BE")

    # Offenders: counted, never named.
    page.click("text=Add a group of offenders")
    page.fill("#id_offenders-0-nationality", "CO")
    page.select_option("#id_offenders-0-gender", "male")
    page.fill("#id_offenders-0-count", "2")

    # A name in the summary is refused, highlighted, and nothing typed is lost.
    page.fill("#id_summary", "Courier John Smith hid the bricks among bananas.")
    with page.expect_navigation():
        page.click("button[value=draft]")
    assert "The case was not saved" in page.inner_text("main")
    assert "John Smith" in page.inner_text(".pd-quote mark")
    assert page.input_value("#id_goods-0-detail_substance") == "cocaine"
    assert page.input_value("#id_goods-0-hs_code") == "121130"
    assert page.input_value("#id_route-1-country") == "BE"
    assert not Case.objects.exists()

    page.fill("#id_summary", "Cocaine bricks hidden among bananas in a reefer container.")
    with page.expect_navigation():
        page.click("button[value=draft]")
    assert re.search(r"/cases/[0-9a-f-]{36}/$", page.url)
    case = Case.objects.get()
    heading = page.inner_text("h1")
    assert case.reference in heading and "Draft" in heading
    main = page.inner_text("main")
    for shown in (
        "Le Havre (FRLEH)",
        "121130",
        "Substance: Cocaine",
        "Belgium",
        "Colombia",
        "Recorded",
        "CSQU3054383",
    ):
        assert shown in main, shown
    assert [leg.role for leg in case.route.all()] == ["departure", "transit", "destination"]
