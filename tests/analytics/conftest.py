"""A small hand-built enforcement database whose figures every analytics test knows by heart.

Ten cases recorded through the real services (so the audit log drives the roll-ups):

==  =====  ============  ===========  ========================================================
#   owner  distribution  date         what
==  =====  ============  ===========  ========================================================
1   FR     network       2026-01-10   100 kg cocaine (HS 1211), sea container, risk profile,
                                      mixed, Le Havre, CO > BE > FR, 3,000,000 EUR
2   FR     network       2026-02-05   10,000 cigarettes (HS 2402), road, scanner, vehicle,
                                      BE > FR
3   FR     organisation  2026-02-20   50 kg heroin (HS 1211), air passenger, dog, body,
                                      Paris-CDG, EC > FR
4   BE     region        2026-01-15   2,000 g MDMA (HS 3004) + 500 fake bags (HS 4202),
                                      express courier, routine, mail item, NL > BE, 800 EUR
5   KE     region        2026-02-11   1,200 kg ivory (HS 0507), sea container, dog, false
                                      compartment, Mombasa, KE > VN
6   KE     organisation  2026-03-02   30 kg cocaine (HS 1211), air cargo, intelligence
7   KE     network       2025-03-10   10 kg cocaine (HS 1211), air cargo, intelligence,
                                      CO > KE
8   FR     groups        2026-03-05   5 kg cocaine (HS 1211), air passenger, dog, body,
                                      shared with "Cocaine desk" (owner FR, member KE)
9   BE     network       2026-01-20   withdrawn: never counted
10  BE     network       2026-02-25   7 kg cocaine, a draft: only Belgium counts it
==  =====  ============  ===========  ========================================================

Every case but the draft is submitted.  Who sees what (``VISIBLE``): the French analyst
1 2 3 4 7 8; the Belgian officer 1 2 4 7 10; the Kenyan officer 1 2 5 6 7 8; the RILO
Western Europe analyst 1 2 4 7; the secretariat 1 2 4 5 7.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from opencen.accounts import services as accounts
from opencen.accounts.models import ClosedUserGroup
from opencen.analytics.filters import AnalyticsFilter
from opencen.seizures import services
from opencen.seizures.inputs import CaseIn
from opencen.seizures.models import Case
from tests.conftest import Cast

PERIOD = AnalyticsFilter(dt.date(2026, 1, 1), dt.date(2026, 3, 1))
YEAR = AnalyticsFilter(dt.date(2025, 1, 1), dt.date(2026, 3, 1))


def case(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "procedure": "import",
        "location_type": "seaport",
        "direction": "inbound",
        "detection": "risk_profile",
        "transport": "sea_container",
        "concealment": "mixed",
        "goods": [],
        "route": [],
    }
    data.update(fields)
    return data


def drugs(kg: str, substance: str = "cocaine", **extra: Any) -> dict[str, Any]:
    return {
        "commodity_area": "drugs",
        "hs_code": "1211",
        "quantity": kg,
        "unit": "KGM",
        "details": {"substance": substance, "form": "powder"},
        **extra,
    }


def legs(*countries: str) -> list[dict[str, str]]:
    roles = ["departure"] + ["transit"] * (len(countries) - 2) + ["destination"]
    return [{"role": r, "country": c} for r, c in zip(roles, countries, strict=True)]


@dataclass
class Dataset:
    cast: Cast
    group: ClosedUserGroup
    cases: dict[int, Case] = field(default_factory=dict)
    payloads: dict[int, dict[str, Any]] = field(default_factory=dict)

    def ids(self, *numbers: int) -> set[str]:
        return {str(self.cases[n].pk) for n in numbers}


VISIBLE = {
    "fr_analyst": {1, 2, 3, 4, 7, 8},
    "be_officer": {1, 2, 4, 7, 10},
    "ke_officer": {1, 2, 5, 6, 7, 8},
    "rilo_analyst": {1, 2, 4, 7},
    "sec_analyst": {1, 2, 4, 5, 7},
}


def build_dataset(cast: Cast) -> Dataset:
    fr, be, ke = (cast.actor(u) for u in (cast.fr_officer, cast.be_officer, cast.ke_officer))
    group = accounts.check_create_group(cast.actor(cast.fr_admin), name="Cocaine desk")
    accounts.check_add_member(cast.actor(cast.fr_admin), group.id, organisation_id=cast.ke.id)
    fr = cast.actor(cast.fr_officer)
    ds = Dataset(cast, group)
    specs: dict[int, tuple[Any, dict[str, Any]]] = {
        1: (
            fr,
            case(
                date="2026-01-10",
                country="FR",
                place="FRLEH",
                distribution="network",
                goods=[drugs("100", value="3000000", currency="EUR")],
                route=legs("CO", "BE", "FR"),
            ),
        ),
        2: (
            fr,
            case(
                date="2026-02-05",
                country="FR",
                distribution="network",
                transport="road",
                detection="scanner",
                concealment="vehicle",
                location_type="land_border",
                goods=[
                    {
                        "commodity_area": "tobacco",
                        "hs_code": "2402",
                        "quantity": "10000",
                        "unit": "H87",
                        "details": {"product": "cigarettes", "brand": "Marlboro"},
                    }
                ],
                route=legs("BE", "FR"),
            ),
        ),
        3: (
            fr,
            case(
                date="2026-02-20",
                country="FR",
                place="FRCDG",
                transport="air_passenger",
                detection="dog",
                concealment="body",
                location_type="airport",
                goods=[drugs("50", "heroin")],
                route=legs("EC", "FR"),
            ),
        ),
        4: (
            be,
            case(
                date="2026-01-15",
                country="BE",
                distribution="region",
                transport="express_courier",
                detection="routine",
                concealment="mail_item",
                location_type="express_hub",
                goods=[
                    drugs("2000", "mdma", hs_code="3004", unit="GRM"),
                    {
                        "commodity_area": "ipr",
                        "hs_code": "4202",
                        "quantity": "500",
                        "unit": "H87",
                        "value": "800",
                        "currency": "EUR",
                        "details": {
                            "right_type": "trademark",
                            "brand": "Luxor",
                            "product_type": "bags",
                        },
                    },
                ],
                route=legs("NL", "BE"),
            ),
        ),
        5: (
            ke,
            case(
                date="2026-02-11",
                country="KE",
                place="KEMBA",
                distribution="region",
                procedure="export",
                direction="outbound",
                detection="dog",
                concealment="false_compartment",
                goods=[
                    {
                        "commodity_area": "environment",
                        "hs_code": "0507",
                        "quantity": "1200",
                        "unit": "KGM",
                        "details": {
                            "subtype": "cites",
                            "species": "Loxodonta africana",
                            "appendix": "I",
                            "specimen": "ivory",
                        },
                    }
                ],
                route=legs("KE", "VN"),
            ),
        ),
        6: (
            ke,
            case(
                date="2026-03-02",
                country="KE",
                transport="air_cargo",
                detection="intelligence",
                location_type="airport",
                goods=[drugs("30")],
            ),
        ),
        7: (
            ke,
            case(
                date="2025-03-10",
                country="KE",
                distribution="network",
                transport="air_cargo",
                detection="intelligence",
                location_type="airport",
                goods=[drugs("10")],
                route=legs("CO", "KE"),
            ),
        ),
        8: (
            fr,
            case(
                date="2026-03-05",
                country="FR",
                distribution="groups",
                groups=[str(group.id)],
                transport="air_passenger",
                detection="dog",
                concealment="body",
                location_type="airport",
                goods=[drugs("5")],
            ),
        ),
        9: (
            be,
            case(date="2026-01-20", country="BE", distribution="network", goods=[drugs("999")]),
        ),
        10: (be, case(date="2026-02-25", country="BE", distribution="network", goods=[drugs("7")])),
    }
    for number, (actor, data) in specs.items():
        data["external_ref"] = f"DS-{number}"
        ds.payloads[number] = data
        ds.cases[number] = services.check_create_case(
            actor, CaseIn.model_validate(data), submit=number != 10
        )
    services.do_withdraw_case(be, ds.cases[9].pk, reason="Entered twice")
    return ds


@pytest.fixture
def dataset(cast: Cast, refdata: None) -> Dataset:
    return build_dataset(cast)
