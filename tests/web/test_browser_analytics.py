"""Through a real browser: the trends page draws its chart, and a filter change redraws it.

Drives what only a browser runs: the vendored Vega-Lite renders the server's specification,
HTMX swaps the results when a filter changes (and writes the permanent link in the address
bar), and the table sorts on a click.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.analytics.conftest import build_dataset
from tests.conftest import Cast

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("refdata")]

CHART = "#panel-trends .chart"


def _sign_in(page: Any, base: str, user: Any) -> None:
    """Reuse a session made by the test client (the login pages have their own tests)."""
    client = Client()
    client.force_login(user, backend="opencen.accounts.backends.EmailBackend")
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


def _chart_values(page: Any) -> list[int]:
    return page.evaluate("() => window.opencenCharts['spec-trends'].data('rows').map(r => r.value)")


def test_the_trends_chart_follows_the_filters(page: Any, live_server: Any, cast: Cast) -> None:
    build_dataset(cast)
    _sign_in(page, live_server.url, cast.fr_analyst)
    page.goto(f"{live_server.url}/analytics/trends/?from=2026-01&to=2026-03")
    page.wait_for_selector(f"{CHART}[data-rendered] svg")
    assert _chart_values(page) == [2, 2, 1]  # cases 1 and 4; 2 and 3; 8
    first = page.get_attribute(CHART, "data-rendered")
    assert page.locator(f"{CHART} svg .mark-line path").count() == 1

    page.select_option("select[name=area]", "tobacco")
    page.wait_for_function(
        "(old) => { const el = document.querySelector('#panel-trends .chart');"
        " return el && el.dataset.rendered && el.dataset.rendered !== old; }",
        arg=first,
    )
    assert _chart_values(page) == [0, 1, 0]  # the cigarettes of February only
    assert "area=tobacco" in page.url  # the address is the permanent link
    assert "area=tobacco" in page.input_value(".permalink-text")

    # The table under the chart sorts on a click.
    page.click("#panel-trends th:nth-child(3) button.sort")
    page.click("#panel-trends th:nth-child(3) button.sort")
    first_row = page.inner_text("#panel-trends tbody tr:first-child td:nth-child(3)")
    assert first_row == "1"

    # The split turns one line into one per commodity area.
    page.select_option("select[name=area]", "")
    page.select_option("select[name=split]", "area")
    page.wait_for_function(
        "() => document.querySelectorAll('#panel-trends .chart svg .mark-line path').length > 1"
    )
    assert page.locator(f"{CHART} svg .mark-line path").count() == 3  # drugs, IPR, tobacco
