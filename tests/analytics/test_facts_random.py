"""A random enforcement database: every view, as every member of the cast, gives the same
figures from the facts as from the case tables, after creations, edits, submissions,
withdrawals and group changes, followed incrementally and rebuilt from scratch alike."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from typing import Any

import pytest

from opencen.accounts import services as accounts
from opencen.analytics import rollups, store
from opencen.analytics.filters import AnalyticsFilter
from opencen.analytics.scope import scope_of
from opencen.analytics.selectors import VIEWS
from opencen.seizures import services
from opencen.seizures.choices import Concealment, Detection, Transport
from opencen.seizures.inputs import CaseIn
from tests.analytics.conftest import case, drugs
from tests.conftest import Cast

pytestmark = pytest.mark.usefixtures("refdata")

SEED = 20260314
COUNTRIES = ["CO", "EC", "BE", "NL", "FR", "KE", "VN", "CO"]
OTHER_LINES = [
    {
        "commodity_area": "tobacco",
        "hs_code": "2402",
        "quantity": "2000",
        "unit": "H87",
        "details": {"product": "cigarettes", "brand": "Pall Mall"},
    },
    {
        "commodity_area": "ipr",
        "hs_code": "6109",
        "quantity": "120",
        "unit": "H87",
        "value": "2400",
        "currency": "EUR",
        "details": {"right_type": "trademark", "brand": "Luxor", "product_type": "clothing"},
    },
    {
        "commodity_area": "drugs",
        "quantity": "250",
        "unit": "GRM",
        "details": {"substance": "heroin", "form": "powder"},
    },
]
# One reader per kind of view of the cases: own organisation, region, another region, RILO,
# secretariat, outside the network.
READERS = ["fr_analyst", "be_officer", "ke_officer", "rilo_analyst", "sec_analyst", "brand_user"]
FILTERS = [
    AnalyticsFilter(dt.date(2025, 1, 1), dt.date(2026, 6, 1)),
    AnalyticsFilter(
        dt.date(2025, 1, 1), dt.date(2026, 6, 1), area="drugs", split="country", metric="quantity"
    ),
    AnalyticsFilter(dt.date(2025, 7, 1), dt.date(2026, 3, 1), chapter="24", split="area"),
    AnalyticsFilter(
        dt.date(2025, 1, 1),
        dt.date(2026, 6, 1),
        region="EUR",
        grain="quarter",
        metric="value",
        top=3,
    ),
]


def _random_case(rng: random.Random, country: str, groups: list[str]) -> dict[str, Any]:
    distribution = rng.choice(["organisation", "region", "network", "network", "groups"])
    lines = [drugs(str(rng.randint(1, 900)), hs_code=rng.choice(["1211", "3004", ""]))]
    lines += rng.sample(OTHER_LINES, rng.randint(0, 2))
    legs = rng.choice([[], ["CO", country], ["EC", "NL", country], [country, "VN"], ["CO"]])
    route = [
        {"role": r, "country": c}
        for r, c in zip(
            ["departure", "transit", "destination"]
            if len(legs) == 3
            else ["departure", "destination"][: len(legs)],
            legs,
            strict=False,
        )
    ]
    return case(
        date=(dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 500))).isoformat(),
        country=country,
        distribution=distribution,
        groups=groups if distribution == "groups" else [],
        transport=rng.choice(list(Transport.values)),
        detection=rng.choice(list(Detection.values)),
        concealment=rng.choice(list(Concealment.values)),
        place=rng.choice(["", "FRLEH"]) if country == "FR" else "",
        goods=lines,
        route=route,
    )


def _compare(cast: Cast) -> list[str]:
    problems = []
    snap = store.current()
    for who in READERS:
        scope = scope_of(cast.actor(getattr(cast, who)))
        for view in VIEWS.values():
            for flt in FILTERS:
                fast = view.analysis(scope, flt, snap)
                slow = view.analysis(scope, flt, "cases")
                problems += [
                    f"{who} {view.key}/{f.key} {flt.to_query()}"
                    for f, s in zip(fast, slow, strict=True)
                    if f.rows != s.rows
                ]
    return problems


def test_the_facts_count_exactly_what_visible_to_allows(cast: Cast) -> None:
    rng = random.Random(SEED)
    group = accounts.check_create_group(cast.actor(cast.fr_admin), name="Random desk")
    accounts.check_add_member(cast.actor(cast.fr_admin), group.id, organisation_id=cast.ke.id)
    authors = {"FR": cast.fr_officer, "BE": cast.be_officer, "KE": cast.ke_officer}
    made = []
    for i in range(45):
        country = rng.choice(list(authors))
        groups = [str(group.id)] if country in ("FR", "KE") else []
        data = _random_case(rng, country, groups)
        if not groups and data["distribution"] == "groups":
            data["distribution"] = "network"
        data["external_ref"] = f"R-{i}"
        actor = cast.actor(authors[country])
        made.append(
            (
                actor,
                data,
                services.check_create_case(
                    actor, CaseIn.model_validate(data), submit=rng.random() < 0.8
                ),
            )
        )
    assert _compare(cast) == []

    # Changes after the first build: edits (date, distribution), withdrawals, a group left.
    for actor, data, created in rng.sample(made, 12):
        if rng.random() < 0.5:
            changed = replace_case(data, rng)
            services.check_update_case(actor, created.pk, CaseIn.model_validate(changed))
        else:
            services.do_withdraw_case(actor, created.pk, reason="Duplicate")
    membership = group.memberships.get(organisation=cast.ke)
    accounts.do_remove_member(cast.actor(cast.fr_admin), group.id, membership.id)
    assert _compare(cast) == []

    incremental = _all_rows(cast)
    rollups.rebuild()
    assert _all_rows(cast) == incremental


def replace_case(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    changed = dict(data)
    changed["date"] = (dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 500))).isoformat()
    if data["distribution"] != "groups":
        changed["distribution"] = rng.choice(["organisation", "region", "network"])
    return changed


def _all_rows(cast: Cast) -> list[Any]:
    snap = store.current()
    scope = scope_of(cast.actor(cast.sec_analyst))
    return [
        t.rows
        for view in VIEWS.values()
        for t in view.analysis(scope, replace(FILTERS[0], split="country"), snap)
    ]
