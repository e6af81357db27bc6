"""Performance figures on a small hand-built history: hits, hit rate, revenue, lift."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from opencen.targeting import services
from opencen.targeting.performance import performance
from tests.conftest import Cast
from tests.targeting.conftest import declaration, store_history, synthetic
from tests.targeting.test_api import URL, post
from tests.targeting.test_profiles import PROFILE, _control_history


def _months() -> tuple[str, str, str]:
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=10)
    return last_month.isoformat(), last_month.strftime("%Y-%m"), today.strftime("%Y-%m")


def build(client: Client, cast: Cast) -> str:
    """The active profile "Phones" (hs 8517...), then twenty control draws: four phones of
    last month examined (fraud, fraud, critical, clean; 100 each found), six phones and ten
    shoes of this month, five shoes examined (one fraud worth 40)."""
    profile = post(client, "/profiles", PROFILE).json()
    post(client, f"/profiles/{profile['id']}/activate", {})
    day, _last, _this = _months()
    phones = [{"declaration_id": f"P{i}", "hs": "8517130000"} for i in range(10)]
    for i, outcome in enumerate([1, 1, 2, 0]):
        phones[i].update(date=day, result=outcome, revenue="100" if outcome else None)
    shoes = [{"declaration_id": f"S{i}", "hs": "6403990000", "origin": "VN"} for i in range(10)]
    for i, outcome in enumerate([1, 0, 0, 0, 0]):
        shoes[i].update(result=outcome, revenue="40" if outcome else None)
    _control_history(client, cast, phones + shoes)
    return str(profile["id"])


def test_performance_overall_and_per_month(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    profile_id = build(client, cast)
    result = performance(cast.fr.id)
    control, phones = result.overall["control"], result.overall[f"profile:{profile_id}"]
    assert (control.examined, control.hits, control.revenue) == (9, 4, 340.0)
    assert control.hit_rate == pytest.approx(4 / 9) and control.lift == pytest.approx(1.0)
    assert (phones.examined, phones.hits, phones.revenue) == (4, 3, 300.0)
    assert phones.hit_rate == pytest.approx(0.75)
    assert phones.lift == pytest.approx(0.75 / (4 / 9))
    assert "model" not in result.overall
    _day, last, this = _months()
    assert result.months[last][f"profile:{profile_id}"].lift == pytest.approx(1.0)
    assert (result.months[this]["control"].examined, result.months[this]["control"].hits) == (5, 1)
    assert f"profile:{profile_id}" not in result.months[this]

    body = client.get(f"{URL}/performance").json()
    assert [g["group"] for g in body["overall"]] == ["control", f"profile:{profile_id}"]
    assert body["overall"][1]["label"] == "Profile: Phones"
    assert [m["month"] for m in body["months"]] == [last, this]
    window = client.get(f"{URL}/performance", {"date_from": timezone.localdate().isoformat()})
    assert window.json()["overall"][0]["examined"] == 5


def test_the_model_group_counts_what_the_model_selected(login, cast: Cast) -> None:
    store_history(cast.fr, synthetic(400, seed=8))
    client = login(cast.fr_targeting)
    post(client, "/models", {"activate": True})
    services.check_update_settings(
        cast.actor(cast.fr_targeting), {"red_share": 1.0, "yellow_share": 0.0, "random_share": 0.0}
    )
    outcomes = [1, 0, 0, 1, 0]
    for i, outcome in enumerate(outcomes):
        body = post(client, "/declarations", declaration(declaration_id=f"M{i}")).json()
        assert (body["lane"], body["selected_by"]) == ("red", "model")
        revenue = "5" if outcome else None
        post(client, f"/declarations/{body['id']}/result", {"result": outcome, "revenue": revenue})
    model = performance(cast.fr.id).overall["model"]
    assert (model.examined, model.hits, model.revenue) == (5, 2, 10.0)
    assert model.lift is None  # no control group in this period: no lift to measure
