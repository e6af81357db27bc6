"""The case pages, as the cast uses them: list and search, entry form, case page, its acts."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from opencen.accounts import services as accounts
from opencen.accounts.models import User
from opencen.audit.models import AuditEvent
from opencen.seizures import selectors, services
from opencen.seizures.inputs import CaseIn
from opencen.seizures.models import Case
from tests.conftest import Cast
from tests.seizures.payloads import COCAINE_IN_BANANAS, IVORY_AT_MOMBASA, payload

pytestmark = pytest.mark.usefixtures("refdata")
Login = Callable[[User], Client]


def record(
    cast: Cast,
    user: User,
    base: dict[str, Any] = COCAINE_IN_BANANAS,
    *,
    submit: bool = False,
    **changes: Any,
) -> Case:
    """A case recorded through the service, as ``user``."""
    data = CaseIn.model_validate(payload(base, **changes))
    return services.check_create_case(cast.actor(user), data, submit=submit)


def management(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def cocaine_form(**overrides: str) -> dict[str, str]:
    """The cocaine seizure as the entry form posts it (field names as the page renders them)."""
    data = {
        "date": "2026-03-14",
        "kind": "seizure",
        "country": "FR",
        "place": "FRLEH",
        "procedure": "import",
        "location_type": "seaport",
        "direction": "inbound",
        "external_ref": "LEH-2026-0042",
        "detection": "risk_profile",
        "risk_profile": "Reefer containers from the Caribbean coast",
        "transport": "sea_container",
        "concealment": "mixed",
        "vessel_imo": "9321483",
        "flight_number": "",
        "container_number": "CSQU3054383",
        "summary": "Cocaine bricks hidden among boxes of bananas in a reefer container.",
        "distribution": "network",
        **management("goods", 1),
        "goods-0-commodity_area": "drugs",
        "goods-0-hs_code": "1211",
        "goods-0-description": "Cocaine bricks",
        "goods-0-quantity": "412.5",
        "goods-0-unit": "KGM",
        "goods-0-value": "12000000",
        "goods-0-currency": "EUR",
        "goods-0-detail_substance": "cocaine",
        "goods-0-detail_form": "powder",
        **management("route", 3),
        "route-0-role": "departure",
        "route-0-country": "CO",
        "route-0-place": "COCTG",
        "route-1-role": "transit",
        "route-1-country": "BE",
        "route-1-place": "",
        "route-2-role": "destination",
        "route-2-country": "FR",
        "route-2-place": "FRLEH",
        **management("offenders", 2),
        "offenders-0-nationality": "CO",
        "offenders-0-gender": "male",
        "offenders-0-age_band": "25_34",
        "offenders-0-count": "2",
        # A row the officer added and left as it was: ignored.
        "offenders-1-nationality": "",
        "offenders-1-gender": "unknown",
        "offenders-1-age_band": "unknown",
        "offenders-1-count": "",
        "action": "draft",
    }
    data.update(overrides)
    return data


def refs(response: Any) -> set[str]:
    return set(re.findall(r"\b[A-Z]{2}-\d{4}-\d{6}\b", response.content.decode()))


# --- the list ----------------------------------------------------------------------------------


@pytest.fixture
def three_cases(cast: Cast) -> dict[str, Case]:
    """France's cocaine (network draft) and cigarettes (organisation only), Kenya's ivory
    (network, validated)."""
    cocaine = record(cast, cast.fr_officer, distribution="network")
    cigarettes = record(
        cast,
        cast.fr_officer,
        external_ref="CDG-1",
        date="2025-06-01",
        place="FRCDG",
        location_type="airport",
        transport="air_cargo",
        concealment="baggage",
        vessel_imo="",
        container_number="",
        detection="dog",
        risk_profile="",
        summary="Cigarettes in suitcases.",
        route=[],
        offenders=[],
        goods=[
            {
                "commodity_area": "tobacco",
                "hs_code": "2402",
                "quantity": "60000",
                "unit": "H87",
                "details": {"product": "cigarettes", "brand": "Marlboro"},
            }
        ],
        submit=True,
    )
    # Validated, so that other organisations see it (drafts stay with their owner).
    ivory = record(cast, cast.ke_officer, IVORY_AT_MOMBASA, distribution="network", submit=True)
    ivory = services.do_validate_case(cast.actor(cast.sec_admin), ivory.pk)
    return {"cocaine": cocaine, "cigarettes": cigarettes, "ivory": ivory}


def test_the_list_shows_what_each_officer_may_see(
    login: Login,
    cast: Cast,
    three_cases: dict[str, Case],
) -> None:
    fr = refs(login(cast.fr_officer).get("/cases/"))
    assert fr == {c.reference for c in three_cases.values()}
    assert Client().get("/cases/").status_code == 302
    # France's cocaine is a draft: it stays with France until submitted.
    assert refs(login(cast.be_officer).get("/cases/")) == {three_cases["ivory"].reference}


def test_the_list_shows_the_columns(
    login: Login,
    cast: Cast,
    three_cases: dict[str, Case],
) -> None:
    page = login(cast.fr_officer).get("/cases/").content.decode()
    assert "Le Havre" in page and "Drugs" in page and "412.5" in page
    assert "Sea container" in page and "Submitted" in page and "Kenya" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("commodity_area=environment", {"ivory"}),
        ("country=fr", {"cocaine", "cigarettes"}),
        ("region=ESA", {"ivory"}),
        ("hs_chapter=24", {"cigarettes"}),
        ("hs_chapter=5", {"ivory"}),
        ("transport=air_cargo", {"cigarettes"}),
        ("concealment=false_compartment", {"ivory"}),
        ("detection=risk_profile", {"cocaine"}),
        ("status=submitted", {"cigarettes"}),
        ("date_from=2025-10-01&date_to=2025-12-31", {"ivory"}),
        ("q=bananas", {"cocaine"}),
        ("q=marlb", {"cigarettes"}),
        ("q=ivory+tusks", {"ivory"}),
        ("q=bananas&status=submitted", set()),
        ("date_from=not-a-date", {"cocaine", "cigarettes", "ivory"}),
    ],
)
def test_filters_and_full_text(
    login: Login,
    cast: Cast,
    three_cases: dict[str, Case],
    query: str,
    expected: set[str],
) -> None:
    response = login(cast.fr_officer).get(f"/cases/?{query}")
    assert response.status_code == 200
    assert refs(response) == {three_cases[name].reference for name in expected}


def test_a_case_keeps_its_goods_areas_and_chapters_and_search_ties_them_to_one_line(
    cast: Cast,
) -> None:
    cocaine = COCAINE_IN_BANANAS["goods"][0]
    cigarettes = {
        "commodity_area": "tobacco",
        "hs_code": "2402",
        "description": "Cigarettes",
        "quantity": "2000",
        "unit": "H87",
        "details": {"product": "cigarettes", "brand": "Marlboro"},
    }
    case = record(cast, cast.fr_officer, goods=[cocaine, cigarettes, {**cocaine, "hs_code": ""}])
    case.refresh_from_db()
    assert (case.goods_areas, case.goods_chapters) == (["drugs", "tobacco"], ["12", "24"])
    officer = cast.actor(cast.fr_officer)

    def found(**filters: str) -> bool:
        return selectors.search_cases(officer, selectors.CaseFilter(**filters)).exists()

    assert found(commodity_area="tobacco") and found(hs_chapter="24")
    assert found(commodity_area="tobacco", hs_chapter="24")
    assert not found(commodity_area="drugs", hs_chapter="24")  # not on the same line
    services.check_update_case(officer, case.pk, CaseIn.model_validate(payload(goods=[cigarettes])))
    case.refresh_from_db()
    assert (case.goods_areas, case.goods_chapters) == (["tobacco"], ["24"])
    assert not found(commodity_area="drugs")


def test_counts_stop_at_the_cap_on_the_page_and_in_the_api(
    login: Login,
    cast: Cast,
    three_cases: dict[str, Case],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = login(cast.fr_officer)
    exact = client.get("/api/seizures/cases?limit=2").json()
    assert (exact["count"], exact["count_exact"], len(exact["items"])) == (3, True, 2)
    assert "3 cases" in client.get("/cases/").content.decode()
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    capped = client.get("/api/seizures/cases?limit=2&offset=2").json()
    assert (capped["count"], capped["count_exact"], len(capped["items"])) == (2, False, 1)
    page = client.get("/cases/")
    assert "More than 2 cases" in page.content.decode() and len(refs(page)) == 3
    assert client.get("/api/seizures/cases?country=KE").json()["count_exact"] is True


def test_a_page_past_the_cap_leaves_the_planner_as_it_found_it(
    cast: Cast, three_cases: dict[str, Case]
) -> None:
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the planner settings are PostgreSQL's")
    qs = selectors.search_cases(cast.actor(cast.fr_officer), selectors.CaseFilter())
    with transaction.atomic(), connection.cursor() as cursor:  # as a caller's transaction
        assert len(selectors.page_rows(qs, 0, 2, many=True)) == 2
        cursor.execute("SHOW enable_seqscan")
        seqscan = cursor.fetchone()
        cursor.execute("SHOW enable_bitmapscan")
        assert (seqscan, cursor.fetchone()) == (("on",), ("on",))


def test_htmx_gets_the_results_only_and_links_keep_the_filters(
    login: Login,
    cast: Cast,
    three_cases: dict[str, Case],
) -> None:
    client = login(cast.fr_officer)
    response = client.get("/cases/?country=FR", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.startswith('<div id="case-results">') and "<html" not in body
    assert response["HX-Push-Url"] == "/cases/?country=FR"
    assert refs(response) == {three_cases["cocaine"].reference, three_cases["cigarettes"].reference}
    full = client.get(
        "/cases/?country=FR", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    ).content.decode()
    assert "<html" in full
    assert 'hx-push-url="true"' in full


def test_pages_of_results_keep_the_query(login: Login, cast: Cast) -> None:
    datas = [CaseIn.model_validate(payload(external_ref=f"bulk-{i}")) for i in range(27)]
    services.check_create_cases(cast.actor(cast.fr_officer), datas)
    client = login(cast.fr_officer)
    first = client.get("/cases/?commodity_area=drugs").content.decode()
    assert "?commodity_area=drugs&amp;page=2" in first
    second = client.get("/cases/?commodity_area=drugs&page=2")
    assert len(refs(second)) == 2


def test_export_and_import_links_follow_the_permissions(login: Login, cast: Cast) -> None:
    try:
        reverse("seizures:export")
        exists = True
    except NoReverseMatch:
        exists = False
    analyst = login(cast.fr_analyst).get("/cases/?country=FR").content.decode()
    assert ("country=FR&amp;format=csv" in analyst) is exists
    officer = login(cast.fr_officer).get("/cases/?country=FR").content.decode()
    assert "format=csv" not in officer


# --- the entry form ----------------------------------------------------------------------------


def test_the_form_starts_with_sensible_defaults(login: Login, cast: Cast) -> None:
    page = login(cast.fr_officer).get("/cases/new/").content.decode()
    assert 'name="country" value="FR"' in page
    assert 'data-ac="hs"' in page and 'data-ac="places"' in page
    assert 'name="goods-TOTAL_FORMS" value="1"' in page
    assert 'name="route-TOTAL_FORMS" value="2"' in page
    assert "goods-__prefix__-commodity_area" in page  # the row template for "Add a line"
    assert 'value="submit"' in page


def test_the_form_records_a_case(login: Login, cast: Cast) -> None:
    response = login(cast.fr_officer).post("/cases/new/", cocaine_form())
    assert response.status_code == 302, response.context and response.context["entry"].case.errors
    case = Case.objects.get()
    assert response["Location"] == reverse("seizures:detail", args=[case.pk])
    assert case.status == "draft" and case.distribution == "network"
    line = case.goods.get()
    assert line.details == {"substance": "cocaine", "form": "powder"}
    assert line.hs_code_id == "1211" and str(line.quantity) == "412.500"
    assert [(leg.role, leg.country_id, leg.place_id) for leg in case.route.all()] == [
        ("departure", "CO", "COCTG"),
        ("transit", "BE", None),
        ("destination", "FR", "FRLEH"),
    ]
    assert [(o.nationality_id, o.count) for o in case.offenders.all()] == [("CO", 2)]


def test_save_and_submit(login: Login, cast: Cast) -> None:
    login(cast.fr_officer).post("/cases/new/", cocaine_form(action="submit"))
    assert Case.objects.get().status == "submitted"


def test_bad_codes_are_shown_next_to_their_fields_and_nothing_is_lost(
    login: Login,
    cast: Cast,
) -> None:
    data = cocaine_form(
        **{
            "country": "XX",
            "place": "ZZZZZ",
            "goods-0-hs_code": "9999",
            "goods-0-detail_substance": "",
            "route-1-country": "QQ",
            "container_number": "CSQU3054384",
            "offenders-0-nationality": "ZZ",
        }
    )
    response = login(cast.fr_officer).post("/cases/new/", data)
    assert response.status_code == 200
    entry = response.context["entry"]
    assert set(entry.case.errors) >= {"country", "place", "container_number"}
    assert set(entry.goods.forms[0].errors) == {"hs_code", "detail_substance"}
    assert set(entry.route.forms[1].errors) == {"country"}
    assert set(entry.offenders.forms[0].errors) == {"nationality"}
    page = response.content.decode()
    for kept in (
        'value="ZZZZZ"',
        'value="9999"',
        'value="QQ"',
        'value="412.5"',
        "bananas in a reefer container",
        'value="cocaine"',
        'value="Reefer containers from the Caribbean coast"',
    ):
        assert kept in page, kept
    assert 'aria-invalid="true"' in page and "The case was not saved" in page
    assert not Case.objects.exists()


def test_type_errors_are_caught_before_the_service(login: Login, cast: Cast) -> None:
    data = cocaine_form(**{"date": "14/13/2026", "goods-0-quantity": "lots", "procedure": ""})
    response = login(cast.fr_officer).post("/cases/new/", data)
    entry = response.context["entry"]
    assert {"date", "procedure"} <= set(entry.case.errors)
    assert "quantity" in entry.goods.forms[0].errors
    assert 'value="lots"' in response.content.decode()


def test_personal_data_is_highlighted_with_the_reason(login: Login, cast: Cast) -> None:
    summary = "Courier John Smith, passport 12AB34567, carried the bricks."
    response = login(cast.fr_officer).post("/cases/new/", cocaine_form(summary=summary))
    assert response.status_code == 200
    form = response.context["entry"].case
    assert any("Personal data" in message for message in form.errors["summary"])
    marked = [text for text, is_marked in form.highlights["summary"] if is_marked]
    assert any("John Smith" in text for text in marked)
    assert "".join(text for text, _marked in form.highlights["summary"]) == summary
    page = response.content.decode()
    assert re.search(r"<mark>[^<]*John Smith[^<]*</mark>", page)
    assert not Case.objects.exists()


def test_personal_data_in_a_goods_line_lands_on_its_line(login: Login, cast: Cast) -> None:
    data = cocaine_form(**{"goods-0-description": "Bricks carried by Mr John Smith"})
    entry = login(cast.fr_officer).post("/cases/new/", data).context["entry"]
    assert "description" in entry.goods.forms[0].errors
    assert entry.goods.forms[0].highlights["description"]


def test_errors_land_on_the_right_row_after_a_blank_one(login: Login, cast: Cast) -> None:
    data = cocaine_form(**management("goods", 2))
    for key in [k for k in data if k.startswith("goods-0-")]:
        data[key.replace("goods-0-", "goods-1-")] = data.pop(key)
    data["goods-1-hs_code"] = "9999"
    entry = login(cast.fr_officer).post("/cases/new/", data).context["entry"]
    assert entry.goods.forms[0].errors == {}
    assert set(entry.goods.forms[1].errors) == {"hs_code"}


def test_a_seizure_needs_goods_and_a_filled_line_needs_its_area_and_quantity(
    login: Login,
    cast: Cast,
) -> None:
    client = login(cast.fr_officer)
    data = cocaine_form(**{"goods-0-commodity_area": "", "goods-0-quantity": ""})
    entry = client.post("/cases/new/", data).context["entry"]
    assert {"commodity_area", "quantity"} <= set(entry.goods.forms[0].errors)
    blank = {k: "" if k.startswith("goods-0-") else v for k, v in cocaine_form().items()}
    entry = client.post("/cases/new/", blank).context["entry"]
    assert entry.section_errors["goods"] == ["a seizure needs at least one goods line"]


def test_area_fields_come_from_the_registry(login: Login, cast: Cast) -> None:
    client = login(cast.fr_officer)
    url = reverse("seizures:area_fields")
    environment = client.get(url, {"goods-3-commodity_area": "environment"}).content.decode()
    for name in ("subtype", "species", "appendix", "specimen", "basel_code", "substance"):
        assert f'name="goods-3-detail_{name}"' in environment
    assert 'data-show-if="detail_subtype" data-show-values="cites"' in environment
    assert 'data-ac="cites"' in environment
    # Switching from drugs to environment: "substance" means something else there, so the
    # previous area's values are not carried over.
    switched = client.get(
        url, {"goods-0-commodity_area": "environment", "goods-0-detail_substance": "cocaine"}
    ).content.decode()
    assert 'name="goods-0-detail_substance"' in switched and "cocaine" not in switched
    drugs = client.get(url, {"goods-0-commodity_area": "drugs"}).content.decode()
    assert 'value="captagon"' in drugs and 'value="tablet"' in drugs
    assert "detail_" not in client.get(url, {"goods-0-commodity_area": "other"}).content.decode()
    assert client.get(url).content.strip() == b""


def test_area_specific_fields_are_checked(login: Login, cast: Cast) -> None:
    data = cocaine_form(
        **{
            "goods-0-commodity_area": "environment",
            "goods-0-hs_code": "0507",
            "goods-0-detail_subtype": "cites",
            "goods-0-detail_species": "Unicornus magicus",
        }
    )
    entry = login(cast.fr_officer).post("/cases/new/", data).context["entry"]
    errors = entry.goods.forms[0].errors
    assert {"detail_species", "detail_appendix", "detail_specimen"} <= set(errors)
    data.update(
        {
            "goods-0-detail_species": "loxodonta africana",
            "goods-0-detail_appendix": "I",
            "goods-0-detail_specimen": "ivory",
        }
    )
    response = login(cast.fr_officer).post("/cases/new/", data)
    assert response.status_code == 302
    assert Case.objects.get().goods.get().details["species"] == "Loxodonta africana"


def test_groups_offered_are_the_officers_own(login: Login, cast: Cast) -> None:
    mine = accounts.check_create_group(cast.actor(cast.fr_admin), name="Channel drugs")
    accounts.check_create_group(cast.actor(cast.be_officer), name="Belgian only")
    client = login(cast.fr_officer)
    page = client.get("/cases/new/").content.decode()
    assert "Channel drugs" in page and "Belgian only" not in page
    response = client.post("/cases/new/", cocaine_form(distribution="groups", groups=str(mine.pk)))
    assert response.status_code == 302
    assert list(Case.objects.get().groups.all()) == [mine]


def test_the_form_is_for_recorders_only(login: Login, cast: Cast) -> None:
    assert login(cast.ngo_observer).get("/cases/new/").status_code == 403
    assert Client().get("/cases/new/").status_code == 302


# --- edit ----------------------------------------------------------------------------------------


def test_edit_shows_the_case_and_saves_changes(login: Login, cast: Cast) -> None:
    case = record(cast, cast.fr_officer)
    client = login(cast.fr_analyst)
    page = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert 'value="FRLEH"' in page and 'value="412.5"' in page
    assert '<option value="cocaine" selected>' in page
    assert 'name="route-TOTAL_FORMS" value="3"' in page
    data = cocaine_form(**{"goods-0-quantity": "450", "action": "submit"})
    response = client.post(f"/cases/{case.pk}/edit/", data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "submitted" and str(case.goods.get().quantity) == "450.000"
    updated = AuditEvent.objects.get(tag="seizures.case.updated", object_id=str(case.pk))
    assert "goods" in updated.changes


def test_edit_errors_keep_the_input(login: Login, cast: Cast) -> None:
    case = record(cast, cast.fr_officer)
    response = login(cast.fr_officer).post(
        f"/cases/{case.pk}/edit/", cocaine_form(vessel_imo="9321484")
    )
    assert response.status_code == 200
    assert "vessel_imo" in response.context["entry"].case.errors
    assert 'value="9321484"' in response.content.decode()


def test_who_may_edit(login: Login, cast: Cast) -> None:
    shared = record(cast, cast.fr_officer, distribution="network", submit=True)
    hidden = record(cast, cast.fr_officer, external_ref="hidden")
    assert login(cast.be_officer).get(f"/cases/{shared.pk}/edit/").status_code == 403
    assert login(cast.be_officer).get(f"/cases/{hidden.pk}/edit/").status_code == 404
    services.do_withdraw_case(cast.actor(cast.fr_officer), hidden.pk, reason="entered twice")
    response = login(cast.fr_officer).get(f"/cases/{hidden.pk}/edit/")
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/{hidden.pk}/")


# --- the case page -------------------------------------------------------------------------------


def test_the_case_page_shows_everything_and_the_history(login: Login, cast: Cast) -> None:
    case = record(cast, cast.fr_officer, distribution="network")
    services.check_update_case(
        cast.actor(cast.fr_officer),
        case.pk,
        CaseIn.model_validate(
            payload(distribution="network", summary="Cocaine in bananas, re-weighed.")
        ),
    )
    services.do_submit_case(cast.actor(cast.fr_officer), case.pk)
    page = login(cast.fr_analyst).get(f"/cases/{case.pk}/").content.decode()
    for shown in (
        case.reference,
        "Le Havre (FRLEH)",
        "Substance: <strong>Cocaine</strong>",
        "Form: <strong>Powder</strong>",
        "Cartagena",
        "Colombia",
        "25-34",
        "CSQU3054383",
        "Recorded",
        "Changed",
        "Submitted for validation",
        "re-weighed",
        "officer@fr.test",
        "French Customs",
    ):
        assert shown in page, shown
    assert page.index(">Recorded") < page.index(">Changed") < page.index(">Submitted for")
    assert "<strong>Status</strong>: <ins>Draft</ins>" in page


def test_the_pages_render_in_french(login: Login, cast: Cast) -> None:
    case = record(cast, cast.fr_officer)
    client = login(cast.fr_officer)
    client.cookies["django_language"] = "fr"
    for url in ("/cases/", "/cases/new/", f"/cases/{case.pk}/", f"/cases/{case.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="fr"' in response.content.decode()


def test_other_organisations_see_no_email_and_their_reading_is_recorded(
    login: Login,
    cast: Cast,
) -> None:
    case = record(cast, cast.fr_officer, distribution="network", submit=True)
    page = login(cast.be_officer).get(f"/cases/{case.pk}/").content.decode()
    assert case.reference in page and "officer@fr.test" not in page
    assert "Read once by another organisation" not in page
    assert AuditEvent.objects.filter(
        tag="seizures.case.viewed", object_id=str(case.pk), organisation_name="Belgian Customs"
    ).exists()
    own = login(cast.fr_officer).get(f"/cases/{case.pk}/").content.decode()
    assert "Read once by another organisation" in own and "officer@be.test" in own


def test_a_hidden_case_is_not_found(login: Login, cast: Cast) -> None:
    case = record(cast, cast.fr_officer)  # organisation only
    assert login(cast.ke_officer).get(f"/cases/{case.pk}/").status_code == 404
    assert login(cast.be_officer).get(f"/cases/{case.pk}/").status_code == 404
    assert login(cast.fr_targeting).get(f"/cases/{case.pk}/").status_code == 200
    assert (
        login(cast.ke_officer).get("/cases/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )


# --- submit, validate, withdraw ------------------------------------------------------------------


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_submit_is_for_the_owner_of_a_draft(login: Login, cast: Cast) -> None:
    case = record(cast, cast.fr_officer, distribution="network")
    page = login(cast.fr_officer).get(f"/cases/{case.pk}/").content.decode()
    assert reverse("seizures:submit", args=[case.pk]) in page
    assert (
        reverse("seizures:submit", args=[case.pk])
        not in login(cast.be_officer).get(f"/cases/{case.pk}/").content.decode()
    )
    assert login(cast.be_officer).post(f"/cases/{case.pk}/submit/").status_code == 404
    client = login(cast.fr_officer)
    assert client.get(f"/cases/{case.pk}/submit/").status_code == 405
    response = client.post(f"/cases/{case.pk}/submit/", follow=True)
    assert "Case submitted for validation." in messages_of(response)
    case.refresh_from_db()
    assert case.status == "submitted"
    again = client.post(f"/cases/{case.pk}/submit/", follow=True)
    assert "only a draft can be submitted" in messages_of(again)


def test_validate_is_for_the_contact_point_and_the_rilo(login: Login, cast: Cast) -> None:
    case = record(cast, cast.fr_officer, distribution="network", submit=True)
    assert login(cast.fr_officer).post(f"/cases/{case.pk}/validate/").status_code == 403
    assert login(cast.ke_officer).post(f"/cases/{case.pk}/validate/").status_code == 403
    page = login(cast.rilo_analyst).get(f"/cases/{case.pk}/").content.decode()
    assert reverse("seizures:validate", args=[case.pk]) in page
    response = login(cast.rilo_analyst).post(f"/cases/{case.pk}/validate/", follow=True)
    assert "Case validated." in messages_of(response)
    case.refresh_from_db()
    assert case.status == "validated" and case.validated_by_organisation_id == cast.rilo.pk
    assert "Validated by RILO Western Europe" in response.content.decode()


def test_withdraw_needs_a_reason_and_the_owner(login: Login, cast: Cast) -> None:
    case = record(cast, cast.fr_officer, distribution="network")
    assert (
        login(cast.be_officer).post(f"/cases/{case.pk}/withdraw/", {"reason": "x"}).status_code
        == 404
    )
    client = login(cast.fr_officer)
    response = client.post(f"/cases/{case.pk}/withdraw/", {"reason": " "}, follow=True)
    assert "say why the case is withdrawn" in messages_of(response)
    named = "Duplicate of the case entered by Mr John Smith"
    response = client.post(f"/cases/{case.pk}/withdraw/", {"reason": named}, follow=True)
    assert any("Personal data is not allowed here" in m for m in messages_of(response))
    case.refresh_from_db()
    assert case.status != "withdrawn" and "Smith" not in case.withdrawn_reason
    response = client.post(f"/cases/{case.pk}/withdraw/", {"reason": "Recorded twice"}, follow=True)
    assert "Case withdrawn." in messages_of(response)
    case.refresh_from_db()
    assert case.status == "withdrawn"
    assert "Recorded twice" in response.content.decode()


def test_a_validated_case_is_withdrawn_by_its_validator_only(login: Login, cast: Cast) -> None:
    case = record(cast, cast.fr_officer, distribution="network", submit=True)
    services.do_validate_case(cast.actor(cast.fr_admin), case.pk)
    officer = login(cast.fr_officer)
    assert (
        reverse("seizures:withdraw", args=[case.pk])
        not in officer.get(f"/cases/{case.pk}/").content.decode()
    )
    assert officer.post(f"/cases/{case.pk}/withdraw/", {"reason": "x"}).status_code == 403
    admin = login(cast.fr_admin)
    assert admin.post(f"/cases/{case.pk}/withdraw/", {"reason": "Duplicate"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "withdrawn"
