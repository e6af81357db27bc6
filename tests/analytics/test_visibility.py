"""Need to know in every figure: the roll-ups answer exactly what ``visible_to`` allows.

Every view, as every member of the cast, under several filters, gives the same tables from the
roll-ups as from ``search_cases`` over ``Case.objects.visible_to`` (the reference).  And the
organisation-only cases of another administration (the French heroin case, 50 kg; the Kenyan
cocaine case, 30 kg) never reach another reader's chart, table, CSV or API answer; changes of
distribution, group membership and region take effect at once.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from django.core.cache import cache
from django.test import Client

from opencen.accounts import services as accounts
from opencen.analytics import rollups
from opencen.analytics.scope import Scope, scope_of
from opencen.analytics.selectors import VIEWS
from opencen.reference.services import check_move_country
from opencen.seizures import services
from opencen.seizures.inputs import CaseIn
from tests.analytics.conftest import PERIOD, YEAR, Dataset
from tests.analytics.helpers import column, tables

pytestmark = pytest.mark.usefixtures("refdata")

FILTERS = [
    PERIOD,
    replace(YEAR, area="drugs", split="country"),
    replace(PERIOD, chapter="12", metric="quantity", split="area"),
    replace(YEAR, region="EUR", grain="quarter", metric="value"),
    replace(PERIOD, transport="air_passenger", split="region"),
    replace(YEAR, detection="dog", area="environment"),
]


def _same(a: Scope, view: str) -> list[str]:
    problems = []
    for flt in FILTERS:
        fast = VIEWS[view].analysis(a, flt, "facts")
        slow = VIEWS[view].analysis(a, flt, "cases")
        for f, s in zip(fast, slow, strict=True):
            if f.rows != s.rows:
                problems.append(f"{view}/{f.key} {flt.to_query()}")
    return problems


def test_rollups_answer_exactly_what_visible_to_allows(dataset: Dataset) -> None:
    rollups.sync()
    problems = []
    for who, user in dataset.cast.people().items():
        for view in VIEWS:
            problems += [f"{who}: {p}" for p in _same(scope_of(dataset.cast.actor(user)), view)]
    assert problems == []


def test_readers_outside_the_network_see_only_their_own(dataset: Dataset) -> None:
    for user in (dataset.cast.brand_user, dataset.cast.ngo_observer):
        trend = tables(dataset.cast, user, "trends", PERIOD)["trends"]
        assert trend.rows == []


def _everything(client: Client, view: str) -> str:
    """Page (its results block: the filter lists name every country), every CSV and the API
    answer of a view, as one text."""
    query = "from=2026-01&to=2026-03"
    page = client.get(f"/analytics/{view}/?{query}", HTTP_HX_REQUEST="true")
    parts = [page.content.decode()]
    api = client.get(f"/api/analytics/{view}?{query}").json()
    parts.append(json.dumps(api))
    for table in api["tables"]:
        parts.append(
            client.get(f"/analytics/{view}/csv/?{query}&dataset={table['key']}").content.decode()
        )
    return "\n".join(parts)


@pytest.mark.parametrize("who", ["rilo_analyst", "be_officer", "ke_officer", "sec_analyst"])
def test_another_organisations_private_case_never_shows(
    dataset: Dataset, login: object, who: str
) -> None:
    client = login(getattr(dataset.cast, who))  # type: ignore[operator]
    heroin = dataset.cases[3]  # French, organisation only: 50 kg of heroin at Paris-CDG
    for view in VIEWS:
        text = _everything(client, view)
        assert heroin.reference not in text
        assert "Paris-Charles de Gaulle" not in text
        assert "Ecuador" not in text  # its route
    significant = client.get("/api/analytics/significant?from=2026-01&to=2026-03").json()
    quantities = [r["quantity"] for r in significant["tables"][0]["rows"]]
    assert 50.0 not in quantities


def test_the_french_analyst_sees_neither_kenyan_private_nor_african_region_cases(
    dataset: Dataset, login: object
) -> None:
    client = login(dataset.cast.fr_analyst)  # type: ignore[operator]
    for view in VIEWS:
        text = _everything(client, view)
        assert dataset.cases[6].reference not in text  # Kenya, organisation only
        assert dataset.cases[5].reference not in text  # Kenya, region (Africa)
        assert "Viet Nam" not in text and "Mombasa" not in text


def test_a_case_made_private_leaves_the_figures_at_once(dataset: Dataset) -> None:
    cast = dataset.cast
    assert column(tables(cast, cast.rilo_analyst, "trends", PERIOD)["trends"], "value") == [2, 1, 0]
    case = dataset.cases[1]
    payload = {**dataset.payloads[1], "distribution": "organisation"}
    services.check_update_case(cast.actor(cast.fr_officer), case.pk, CaseIn.model_validate(payload))
    assert column(tables(cast, cast.rilo_analyst, "trends", PERIOD)["trends"], "value") == [1, 1, 0]
    assert column(tables(cast, cast.fr_analyst, "trends", PERIOD)["trends"], "value") == [2, 2, 1]


def test_group_membership_decides_who_counts_a_shared_case(dataset: Dataset) -> None:
    cast = dataset.cast
    assert column(tables(cast, cast.ke_officer, "trends", PERIOD)["trends"], "value") == [1, 2, 2]
    membership = dataset.group.memberships.get(organisation=cast.ke)
    accounts.do_remove_member(cast.actor(cast.fr_admin), dataset.group.id, membership.id)
    assert column(tables(cast, cast.ke_officer, "trends", PERIOD)["trends"], "value") == [1, 2, 1]


def test_moving_a_country_to_another_region_moves_its_region_cases(
    dataset: Dataset, login: object
) -> None:
    cache.clear()
    client = login(dataset.cast.fr_analyst)  # type: ignore[operator]
    url = "/api/analytics/trends?from=2026-01&to=2026-03"
    before = [r["value"] for r in client.get(url).json()["tables"][0]["rows"]]
    assert before == [2, 2, 1]
    check_move_country(dataset.cast.actor(dataset.cast.sec_admin), "BE", "ESA")
    after = [r["value"] for r in client.get(url).json()["tables"][0]["rows"]]
    assert after == [1, 2, 1]  # Belgium's region case left Europe with Belgium


def test_withdrawn_and_edited_cases_update_the_rollups(dataset: Dataset) -> None:
    cast = dataset.cast
    services.do_withdraw_case(cast.actor(cast.fr_officer), dataset.cases[2].pk, reason="Error")
    assert column(tables(cast, cast.fr_analyst, "trends", PERIOD)["trends"], "value") == [2, 1, 1]
    case = dataset.cases[3]
    payload = {**dataset.payloads[3], "date": "2026-03-20"}
    services.check_update_case(cast.actor(cast.fr_officer), case.pk, CaseIn.model_validate(payload))
    assert column(tables(cast, cast.fr_analyst, "trends", PERIOD)["trends"], "value") == [2, 0, 2]
    incremental = {
        t.key: t.rows
        for t in VIEWS["trends"].analysis(scope_of(cast.actor(cast.fr_analyst)), YEAR, "facts")
    }
    rollups.rebuild()
    rebuilt = {
        t.key: t.rows
        for t in VIEWS["trends"].analysis(scope_of(cast.actor(cast.fr_analyst)), YEAR, "facts")
    }
    assert incremental == rebuilt
