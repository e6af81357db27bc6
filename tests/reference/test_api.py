"""The reference API: who may read and edit, autocomplete, look-ups, refusals."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from opencen.audit.models import AuditEvent
from opencen.audit.tags import EventTag
from opencen.reference.models import Country, WcoRegion
from opencen.reference.services import ImportReport, check_import_cites
from tests.reference.conftest import SAMPLE_CITES

API = "/api/reference"


@pytest.fixture
def officer(cast, login, sample_places: ImportReport) -> Client:
    return login(cast.fr_officer)


def test_anonymous_gets_401(client: Client, sample_places: ImportReport) -> None:
    for path in ("/countries", "/hs/8517", "/places?q=rtm", "/regions", "/search?q=85"):
        response = client.get(API + path)
        assert response.status_code == 401, path
        assert response.json()["detail"].startswith("Authentication required")


def test_autocomplete(officer: Client) -> None:
    body = officer.get(f"{API}/hs", {"q": "8517.1", "limit": 3}).json()
    assert [item["code"] for item in body["items"]] == ["851711", "851713", "851714"]
    assert body["count"] == 4  # 851711, 851713, 851714, 851718

    body = officer.get(f"{API}/hs", {"q": "smartphones"}).json()
    assert "851713" in [item["code"] for item in body["items"]]

    body = officer.get(f"{API}/countries", {"q": "fra", "limit": 3}).json()
    assert body["items"][0]["code"] == "FR"
    assert body["items"][0]["region"] == {"code": "EUR", "name": "Europe"}

    body = officer.get(f"{API}/places", {"q": "rotter"}).json()
    assert [p["code"] for p in body["items"]] == ["NLRTM"]
    assert body["items"][0]["functions"] == ["seaport", "rail", "road", "airport", "postal"]

    body = officer.get(f"{API}/places", {"country": "NL", "function": "border_crossing"}).json()
    assert [p["code"] for p in body["items"]] == ["NLHRL"]

    body = officer.get(f"{API}/units", {"q": "kilogram", "limit": 1}).json()
    assert body["items"][0]["code"] == "KGM"

    body = officer.get(f"{API}/currencies", {"q": "EUR"}).json()
    assert body["items"][0] == {"code": "EUR", "numeric": "978", "name": "Euro"}

    check_import_cites(None, "tiny.csv", SAMPLE_CITES)
    body = officer.get(f"{API}/cites", {"q": "elephant", "appendix": "II"}).json()
    assert [t["taxon_id"] for t in body["items"]] == ["4521"]

    body = officer.get(f"{API}/search", {"q": "mombasa"}).json()
    assert [p["code"] for p in body["places"]] == ["KEMBA"]


def test_lookups(officer: Client) -> None:
    node = officer.get(f"{API}/hs/8517.13").json()
    assert [a["code"] for a in node["ancestors"]] == ["XVI", "85", "8517"]
    assert node["children"] == []
    heading = officer.get(f"{API}/hs/8517").json()
    assert [c["code"] for c in heading["children"]][:2] == ["851711", "851713"]
    region = officer.get(f"{API}/regions/EUR").json()
    assert "FR" in [m["code"] for m in region["members"]]
    assert region["member_count"] == len(region["members"])
    place = officer.get(f"{API}/places/NLRTM").json()
    assert (place["latitude"], place["function_code"]) == (51.91667, "12345---")
    assert officer.get(f"{API}/datasets").status_code == 200


def test_unknown_codes_answer_404_with_the_reason(officer: Client) -> None:
    response = officer.get(f"{API}/hs/851799")
    assert response.status_code == 404
    assert response.json()["detail"].startswith(
        "unknown HS code 851799: no such subheading in HS 2022"
    )
    response = officer.get(f"{API}/places/NLXXX")
    assert response.status_code == 404
    assert response.json()["detail"] == "unknown UN/LOCODE NLXXX: no such location in NL."
    assert officer.get(f"{API}/countries/QQ").status_code == 404
    assert officer.get(f"{API}/units/KG").status_code == 404
    assert officer.get(f"{API}/regions/NOPE").status_code == 404


def test_bad_filters_answer_422_with_the_field(officer: Client) -> None:
    response = officer.get(f"{API}/hs", {"level": "tariff-line"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "level"
    response = officer.get(f"{API}/places", {"country": "QQ"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "country", "reason": "unknown country code QQ: not in ISO 3166-1."}
    ]


def _patch(client: Client, path: str, data: dict[str, object]) -> object:
    return client.patch(path, data=json.dumps(data), content_type="application/json")


def test_region_edits_need_the_secretariat(cast, login, quick_tables) -> None:
    anonymous = Client()
    assert _patch(anonymous, f"{API}/regions/EUR", {"name": "X"}).status_code == 401
    for person in (cast.fr_admin, cast.rilo_admin, cast.sec_analyst):
        client = login(person)
        assert _patch(client, f"{API}/regions/EUR", {"name": "X"}).status_code == 403
        response = client.post(
            f"{API}/regions/EUR/members", data={"country": "KE"}, content_type="application/json"
        )
        assert response.status_code == 403
    assert WcoRegion.objects.get(code="EUR").name == "Europe"
    assert not AuditEvent.objects.filter(tag=EventTag.REFERENCE_REGION_UPDATED).exists()


def test_secretariat_renames_a_region_and_moves_a_country(cast, login, quick_tables) -> None:
    client = login(cast.sec_admin)
    response = _patch(client, f"{API}/regions/EUR", {"rilo_name": "RILO Western Europe"})
    assert response.status_code == 200
    assert response.json()["rilo_name"] == "RILO Western Europe"
    event = AuditEvent.objects.get(tag=EventTag.REFERENCE_REGION_UPDATED)
    assert event.changes == {"rilo_name": ["", "RILO Western Europe"]}
    assert event.actor_email == cast.sec_admin.email

    response = _patch(client, f"{API}/regions/EUR", {"name": "West and Central Africa"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"

    response = client.post(
        f"{API}/regions/EUR/members", data={"country": "KE"}, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["old_region"]["code"], body["new_region"]["code"]) == ("ESA", "EUR")
    assert body["organisations_moved"] == 1
    cast.ke.refresh_from_db()
    assert cast.ke.region.code == "EUR"
    assert Country.objects.get(code="KE").wco_region.code == "EUR"
    assert AuditEvent.objects.filter(tag=EventTag.REFERENCE_REGION_UPDATED).count() == 3

    response = client.post(
        f"{API}/regions/EUR/members", data={"country": "QQ"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "country"

    response = client.delete(f"{API}/regions/EUR/members/KE")
    assert response.status_code == 200
    cast.ke.refresh_from_db()
    assert cast.ke.region is None
    assert client.delete(f"{API}/regions/EUR/members/KE").status_code == 422
