"""Recording, reading and changing cases through the API, as officers of the cast would."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from opencen.audit.models import AuditEvent
from opencen.seizures.models import Case
from tests.conftest import Cast
from tests.seizures.payloads import COCAINE_IN_BANANAS, IVORY_AT_MOMBASA, payload

pytestmark = pytest.mark.usefixtures("refdata")


def post(client: Client, data: Any, url: str = "/api/seizures/cases") -> Any:
    return client.post(url, data, content_type="application/json")


def errors(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["reason"] for e in response.json()["errors"]}


def test_officer_records_a_cocaine_seizure(login, cast: Cast) -> None:
    response = post(login(cast.fr_officer), COCAINE_IN_BANANAS)
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["reference"].startswith("FR-2026-")
    assert case["status"] == "draft" and case["owner"] == "FR" and case["region"] == "EUR"
    assert case["goods"][0]["details"] == {"substance": "cocaine", "form": "powder"}
    assert [leg["role"] for leg in case["route"]] == ["departure", "transit", "destination"]
    assert case["offenders"] == [
        {"nationality": "CO", "gender": "male", "age_band": "25_34", "count": 2}
    ]
    assert AuditEvent.objects.filter(tag="seizures.case.created", object_id=case["id"]).exists()


def test_references_count_up_per_organisation_and_year(login, cast: Cast) -> None:
    client = login(cast.fr_officer)
    first = post(client, payload(external_ref="a")).json()["reference"]
    second = post(client, payload(external_ref="b")).json()["reference"]
    assert int(second[-6:]) == int(first[-6:]) + 1


def test_species_name_is_normalised_and_area_fields_are_required(login, cast: Cast) -> None:
    client = login(cast.ke_officer)
    ok = post(client, IVORY_AT_MOMBASA)
    assert ok.status_code == 201, ok.content
    assert ok.json()["goods"][0]["details"]["species"] == "Loxodonta africana"
    bad = payload(IVORY_AT_MOMBASA, external_ref="x")
    bad["goods"][0]["details"] = {"subtype": "cites", "species": "Unicornus magicus"}
    found = errors(post(client, bad))
    assert "goods[0].details.species" in found
    assert "goods[0].details.appendix" in found
    assert "goods[0].details.specimen" in found


def test_personal_data_in_free_text_is_refused_with_the_span(login, cast: Cast) -> None:
    client = login(cast.fr_officer)
    bad = payload(summary="Courier John Smith, passport 12AB34567, carried the bricks.")
    response = post(client, bad)
    assert response.status_code == 422
    found = [e for e in response.json()["errors"] if e["field"] == "summary"]
    assert found and all("start" in e and "end" in e for e in found)
    texts = {e["text"] for e in found}
    assert any("John Smith" in t for t in texts)
    assert not Case.objects.exists()


def test_brands_vessels_and_places_pass_the_gate(login, cast: Cast) -> None:
    text = (
        "Counterfeit Hugo Boss and Ralph Lauren shirts found on the MSC Oscar at "
        "Le Havre; 3 Nigerian nationals involved."
    )
    response = post(login(cast.fr_officer), payload(summary=text))
    assert response.status_code == 201, response.content


def test_unknown_codes_are_refused_naming_each_field(login, cast: Cast) -> None:
    bad = payload(country="XX", place="ZZZZZ")
    bad["goods"][0].update(hs_code="999999", unit="PINTS", currency="ECU")
    bad["route"][0]["country"] = "QQ"
    bad["offenders"][0]["nationality"] = "QZ"
    found = errors(post(login(cast.fr_officer), bad))
    assert {
        "country",
        "place",
        "goods[0].hs_code",
        "goods[0].unit",
        "goods[0].currency",
        "route[0].country",
        "offenders[0].nationality",
    } <= set(found)


def test_conveyance_numbers_are_checked(login, cast: Cast) -> None:
    bad = payload(container_number="CSQU3054384", vessel_imo="9321484", flight_number="??")
    found = errors(post(login(cast.fr_officer), bad))
    assert set(found) >= {"container_number", "vessel_imo", "flight_number"}
    assert "ISO 6346" in found["container_number"]


def test_shape_errors_name_the_path(login, cast: Cast) -> None:
    bad = payload(date="14/03/2026", transport="submarine")
    bad["goods"][0]["quantity"] = "-3"
    bad["surprise"] = 1
    found = errors(post(login(cast.fr_officer), bad))
    assert {"date", "transport", "goods[0].quantity", "surprise"} <= set(found)


def test_route_order_and_places_are_checked(login, cast: Cast) -> None:
    bad = payload(
        route=[
            {"role": "destination", "country": "FR"},
            {"role": "departure", "country": "CO", "place": "NLRTM"},
        ]
    )
    found = errors(post(login(cast.fr_officer), bad))
    assert "route" in found and "route[1].place" in found


def test_a_seizure_needs_goods_an_offence_does_not(login, cast: Cast) -> None:
    client = login(cast.fr_officer)
    assert "goods" in errors(post(client, payload(goods=[])))
    response = post(client, payload(goods=[], kind="offence"))
    assert response.status_code == 201


def test_future_dates_are_refused(login, cast: Cast) -> None:
    assert "date" in errors(post(login(cast.fr_officer), payload(date="2999-01-01")))


def test_duplicate_external_reference_is_refused(login, cast: Cast) -> None:
    client = login(cast.fr_officer)
    post(client, COCAINE_IN_BANANAS)
    assert "external_ref" in errors(post(client, COCAINE_IN_BANANAS))
    # Another organisation may use the same reference of its own.
    assert post(login(cast.be_officer), payload(country="BE", place="BEANR")).status_code == 201


def test_observers_and_rights_holders_cannot_record(login, cast: Cast) -> None:
    for user in (cast.ngo_observer, cast.brand_user):
        assert post(login(user), COCAINE_IN_BANANAS).status_code == 403


def test_anonymous_gets_401(cast: Cast) -> None:
    assert post(Client(), COCAINE_IN_BANANAS).status_code == 401


def test_a_draft_stays_with_its_owner_until_submitted(login, cast: Cast) -> None:
    client = login(cast.fr_officer)
    case = post(client, payload(distribution="network")).json()
    assert login(cast.be_officer).get(f"/api/seizures/cases/{case['id']}").status_code == 404
    login(cast.fr_officer).post(f"/api/seizures/cases/{case['id']}/submit")
    assert login(cast.be_officer).get(f"/api/seizures/cases/{case['id']}").status_code == 200
