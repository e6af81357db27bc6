"""Risk profiles and watch lists: rules with positioned errors, tests over history, activation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from opencen.audit.models import AuditEvent
from opencen.core.permissions import Role
from opencen.targeting import services
from opencen.targeting.models import RiskProfile, TargetingSettings
from tests.conftest import Cast
from tests.factories import UserFactory
from tests.targeting.conftest import declaration
from tests.targeting.test_api import URL, errors, post

PROFILE = {"name": "Phones", "expression": 'hs startswith "8517"', "lane": "red", "weight": 1}


def test_a_bad_rule_is_refused_with_its_position(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    response = post(client, "/profiles", {**PROFILE, "expression": "valeu > 10"})
    error = response.json()["errors"][0]
    assert response.status_code == 422 and error["field"] == "expression"
    assert error["reason"] == "column 1: unknown column 'valeu'; did you mean 'value'?"
    assert (error["start"], error["end"]) == (0, 1)
    response = post(client, "/profiles", {**PROFILE, "expression": 'origin in list "nowhere"'})
    error = response.json()["errors"][0]
    assert error["start"] == 15 and "unknown list 'nowhere'" in error["reason"]
    found = errors(post(client, "/profiles/check", {"expression": 'hs startswith "85" and'}))
    assert found["expression"].startswith("column 23:")
    ok = post(client, "/profiles/check", {"expression": "unit_value < 0.5 * median_unit_value"})
    assert ok.json() == {"ok": True, "columns": ["median_unit_value", "unit_value"], "lists": []}
    assert RiskProfile.objects.count() == 0


def test_profiles_start_inactive_and_every_change_is_audited(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    created = post(client, "/profiles", PROFILE)
    assert created.status_code == 201
    profile = created.json()
    assert profile["is_active"] is False
    assert "name" in errors(post(client, "/profiles", PROFILE))
    changed = client.put(
        f"{URL}/profiles/{profile['id']}",
        {**PROFILE, "weight": 3, "valid_from": "2026-01-01", "valid_until": "2025-01-01"},
        content_type="application/json",
    )
    assert "valid_until" in errors(changed)
    changed = client.put(
        f"{URL}/profiles/{profile['id']}", {**PROFILE, "weight": 3}, content_type="application/json"
    )
    assert changed.json()["weight"] == 3.0
    post(client, f"/profiles/{profile['id']}/activate", {})
    post(client, f"/profiles/{profile['id']}/deactivate", {})
    tags = list(
        AuditEvent.objects.filter(object_id=profile["id"])
        .order_by("seq")
        .values_list("tag", flat=True)
    )
    assert tags == [
        "targeting.profile.created",
        "targeting.profile.updated",
        "targeting.profile.activated",
        "targeting.profile.deactivated",
    ]
    assert TargetingSettings.objects.get(owner=cast.fr).profiles_revision == 2


def test_changing_an_active_profile_changes_scoring_at_once(login, cast: Cast) -> None:
    services.check_update_settings(cast.actor(cast.fr_targeting), {"random_share": 0.0})
    client = login(cast.fr_targeting)
    profile = post(client, "/profiles", PROFILE).json()
    post(client, f"/profiles/{profile['id']}/activate", {})
    assert post(client, "/declarations", declaration()).json()["lane"] == "red"
    client.put(
        f"{URL}/profiles/{profile['id']}",
        {**PROFILE, "lane": "yellow"},
        content_type="application/json",
    )
    assert post(client, "/declarations", declaration(declaration_id="2")).json()["lane"] == "yellow"
    client.put(
        f"{URL}/profiles/{profile['id']}",
        {**PROFILE, "valid_until": "2020-12-31"},
        content_type="application/json",
    )
    assert post(client, "/declarations", declaration(declaration_id="3")).json()["lane"] == "green"


def test_watch_lists_feed_rules(login, cast: Cast) -> None:
    services.check_update_settings(cast.actor(cast.fr_targeting), {"random_share": 0.0})
    client = login(cast.fr_targeting)
    bad = post(
        client, "/lists", {"name": "origins", "kind": "country", "values": ["CN", "china", ""]}
    )
    assert set(errors(bad)) == {"values[1]"}
    made = post(
        client, "/lists", {"name": "origins", "kind": "country", "values": ["CN", " VN", "CN"]}
    )
    assert made.status_code == 201 and made.json()["values"] == ["CN", "VN"]
    rule = {**PROFILE, "expression": 'origin in list "origins"', "lane": "yellow"}
    profile = post(client, "/profiles", rule).json()
    post(client, f"/profiles/{profile['id']}/activate", {})
    assert post(client, "/declarations", declaration(origin="VN")).json()["lane"] == "yellow"
    renamed = client.put(
        f"{URL}/lists/{made.json()['id']}",
        {"name": "other", "kind": "country", "values": ["VN"]},
        content_type="application/json",
    )
    assert "name" in errors(renamed)
    client.put(
        f"{URL}/lists/{made.json()['id']}",
        {"name": "origins", "kind": "country", "values": ["BR"]},
        content_type="application/json",
    )
    second = post(client, "/declarations", declaration(declaration_id="2", origin="VN"))
    assert second.json()["lane"] == "green"


def _control_history(client: Client, cast: Cast, items: list[dict[str, Any]]) -> None:
    """Submit declarations that all land in the red lane as random control draws, then record
    their results: a history whose hit rates are known exactly."""
    services.check_update_settings(
        cast.actor(cast.fr_targeting),
        {"red_share": 1.0, "yellow_share": 0.0, "random_share": 1.0},
    )
    for item in items:
        values = {k: v for k, v in item.items() if k not in ("result", "revenue")}
        body = post(client, "/declarations", declaration(**values)).json()
        assert body["selected_by"] == "control", body
        if item.get("result") is not None:
            outcome = {"result": item["result"], "revenue": item.get("revenue")}
            assert post(client, f"/declarations/{body['id']}/result", outcome).status_code == 200


def hand_built(client: Client, cast: Cast) -> None:
    """Twenty declarations: ten phones from CN (four examined, three frauds worth 100 each),
    ten shoes (five examined, one fraud worth 40), all random control draws."""
    phones = [{"declaration_id": f"P{i}", "hs": "8517130000"} for i in range(10)]
    for i, outcome in enumerate([1, 1, 2, 0]):
        phones[i].update(result=outcome, revenue="100" if outcome else None)
    shoes = [{"declaration_id": f"S{i}", "hs": "6403990000", "origin": "VN"} for i in range(10)]
    for i, outcome in enumerate([1, 0, 0, 0, 0]):
        shoes[i].update(result=outcome, revenue="40" if outcome else None)
    _control_history(client, cast, phones + shoes)


def test_testing_a_profile_over_the_history(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    hand_built(client, cast)
    profile = post(client, "/profiles", PROFILE).json()
    response = post(client, f"/profiles/{profile['id']}/test", {})
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["declarations"] == 20 and report["hits"] == 10
    assert (report["examined_hits"], report["frauds"]) == (4, 3)
    assert report["hit_rate"] == pytest.approx(0.75)
    assert report["control_examined"] == 9
    assert report["control_hit_rate"] == pytest.approx(4 / 9)
    assert report["lift"] == pytest.approx(0.75 / (4 / 9))
    assert report["revenue"] == pytest.approx(300.0)
    assert sum(m["hits"] for m in report["months"]) == 10
    stored = RiskProfile.objects.get(pk=profile["id"])
    assert stored.last_test["hits"] == 10 and stored.tested_at is not None
    assert AuditEvent.objects.filter(tag="targeting.profile.tested").count() == 1
    unit_value = {**PROFILE, "name": "cheap", "expression": "unit_value > 100"}
    cheap = post(client, "/profiles", unit_value).json()
    assert post(client, f"/profiles/{cheap['id']}/test", {}).json()["hits"] == 20
    period = post(
        client,
        f"/profiles/{profile['id']}/test",
        {"date_from": "2020-01-01", "date_to": "2020-12-31"},
    )
    assert period.json()["declarations"] == 0 and period.json()["hit_rate"] is None


def test_another_administrations_profiles_and_lists_are_not_found(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    profile = post(client, "/profiles", PROFILE).json()
    watch = post(client, "/lists", {"name": "x", "kind": "other", "values": ["a"]}).json()
    be = Client()
    be.force_login(
        UserFactory(email="t@be.test", organisation=cast.be, role=Role.TARGETING_OFFICER),
        backend="opencen.accounts.backends.EmailBackend",
    )
    assert be.get(f"{URL}/profiles/{profile['id']}").status_code == 404
    assert post(be, f"/profiles/{profile['id']}/activate", {}).status_code == 404
    assert post(be, f"/profiles/{profile['id']}/test", {}).status_code == 404
    assert be.get(f"{URL}/lists/{watch['id']}").status_code == 404
    assert be.get(f"{URL}/profiles").json() == []
    assert post(be, "/profiles", PROFILE).status_code == 201  # names are per administration
