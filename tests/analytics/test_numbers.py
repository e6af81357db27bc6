"""Each view's figures on the hand-built dataset (see ``conftest.py``), worked out by hand."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import replace

import pytest

from opencen.analytics.filters import AnalyticsFilter
from opencen.analytics.selectors.trends import _break, shape
from opencen.reference.models import Place
from tests.analytics.conftest import PERIOD, YEAR, Dataset
from tests.analytics.helpers import column, rows, tables

pytestmark = pytest.mark.usefixtures("refdata")
routes_module = importlib.import_module("opencen.analytics.selectors.routes")


def test_trends_cases_per_month_with_comparisons(dataset: Dataset) -> None:
    trend = tables(dataset.cast, dataset.cast.fr_analyst, "trends", PERIOD)["trends"]
    assert rows(
        trend, "period", "value", "previous", "change_previous", "year_before", "change_year"
    ) == [
        ("2026-01", 2, 0, None, 0, None),
        ("2026-02", 2, 2, 0.0, 0, None),
        ("2026-03", 1, 2, -50.0, 1, 0.0),  # March 2025: the Kenyan network case
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("rilo_analyst", [2, 1, 0]),  # 1 and 4 in January, 2 in February
        ("ke_officer", [1, 2, 2]),  # 1; 2 and 5; 6 and 8 (the group case)
        ("sec_analyst", [2, 2, 0]),  # network and every region, no organisation or group case
        ("be_officer", [2, 2, 0]),  # and its own draft (10) in February
    ],
)
def test_trends_count_only_visible_cases(dataset: Dataset, who: str, expected: list[int]) -> None:
    trend = tables(dataset.cast, getattr(dataset.cast, who), "trends", PERIOD)["trends"]
    assert column(trend, "value") == expected


def test_trends_split_by_area_counts_a_case_in_each_of_its_areas(dataset: Dataset) -> None:
    trend = tables(dataset.cast, dataset.cast.fr_analyst, "trends", PERIOD, split="area")
    got = {(r["series"], r["period"]): r["value"] for r in trend["trends"].rows if r["value"]}
    assert got == {
        ("Drugs", "2026-01"): 2,
        ("Drugs", "2026-02"): 1,
        ("Drugs", "2026-03"): 1,
        ("IPR, health and safety", "2026-01"): 1,
        ("Tobacco and excise goods", "2026-02"): 1,
    }


def test_trends_quantity_in_the_natural_unit(dataset: Dataset) -> None:
    kg = tables(dataset.cast, dataset.cast.fr_analyst, "trends", PERIOD, metric="quantity")
    assert rows(kg["trends"], "period", "value", "unit") == [
        ("2026-01", 102.0, "kg"),
        ("2026-02", 50.0, "kg"),
        ("2026-03", 5.0, "kg"),
    ]
    per_area = tables(
        dataset.cast, dataset.cast.fr_analyst, "trends", PERIOD, metric="quantity", split="area"
    )["trends"]
    totals = {}
    for r in per_area.rows:
        totals[r["series"]] = totals.get(r["series"], 0) + r["value"]
    assert totals == {
        "Drugs (kg)": 157.0,
        "Tobacco and excise goods (pieces)": 10000.0,
        "IPR, health and safety (pieces)": 500.0,
    }


def test_trends_value_in_the_most_used_currency(dataset: Dataset) -> None:
    value = tables(dataset.cast, dataset.cast.fr_analyst, "trends", PERIOD, metric="value")
    assert rows(value["trends"], "period", "value", "unit") == [
        ("2026-01", 3000800.0, "EUR"),
        ("2026-02", 0.0, "EUR"),
        ("2026-03", 0.0, "EUR"),
    ]


def test_trends_by_quarter_and_year(dataset: Dataset) -> None:
    quarters = tables(dataset.cast, dataset.cast.fr_analyst, "trends", YEAR, grain="quarter")
    assert rows(quarters["trends"], "period", "value") == [
        ("2025-Q1", 1),
        ("2025-Q2", 0),
        ("2025-Q3", 0),
        ("2025-Q4", 0),
        ("2026-Q1", 5),
    ]
    years = tables(dataset.cast, dataset.cast.fr_analyst, "trends", YEAR, grain="year")
    assert rows(years["trends"], "period", "value", "change_previous") == [
        ("2025", 1, None),
        ("2026", 5, 400.0),
    ]


def test_a_break_from_recent_history_is_flagged() -> None:
    assert _break(30, [3, 4, 2, 5, 3, 4], counts=True) == "up"
    assert _break(6, [3, 4, 2, 5, 3, 4], counts=True) == ""
    assert _break(0, [40, 38, 45, 41, 39, 44], counts=True) == "down"
    assert _break(5, [0, 0, 0, 0, 102, 50], counts=False) == ""  # too little history
    assert _break(5000, [10, 12, 9, 11, 10, 12], counts=False) == "up"


def test_the_start_of_the_data_is_not_a_break() -> None:
    """Months before the selection's first seizure are unknown, not zero; a series that appears
    later in the data is a break."""
    months = [dt.date(2024, m, 1) for m in range(1, 13)]
    raw = [(m, "drugs", "KGM", 40.0) for m in months[3:]]  # the data begins in April
    raw += [(m, "weapons", "H87", 1.0) for m in months[3:10]]
    raw += [(months[10], "weapons", "H87", 30.0)]  # a surge after seven quiet months
    flt = AnalyticsFilter(months[0], months[-1], split="area")
    table = shape(raw, flt, months[0], "", "")
    assert table.extra["breaks"] == ["Weapons and explosives"]
    flagged = [(r["key"], r["start"]) for r in table.rows if r["break"]]
    assert flagged == [("weapons", "2024-11-01")]


def test_routes_chains_transport_and_flows(dataset: Dataset) -> None:
    result = tables(dataset.cast, dataset.cast.fr_analyst, "routes", PERIOD)
    assert sorted(rows(result["routes"], "route", "transport", "cases")) == [
        ("Belgium → France", "Road", 1),
        ("Colombia → Belgium → France", "Sea container", 1),
        ("Ecuador → France", "Air passenger", 1),
        ("Netherlands → Belgium", "Express courier", 1),
    ]
    assert rows(result["flows"], "from", "to", "cases")[0] == ("Belgium", "France", 2)
    assert {r["from"] for r in result["flows"].rows} == {
        "Belgium",
        "Colombia",
        "Ecuador",
        "Netherlands",
    }
    assert all("lon" in r for r in result["flows"].rows)  # every country has a shape


def test_emerging_routes_compare_with_the_period_before(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes_module, "MIN_EMERGING", 1)
    march_2025 = AnalyticsFilter(dt.date(2025, 3, 1), dt.date(2025, 3, 1))
    result = tables(dataset.cast, dataset.cast.ke_officer, "routes", march_2025)
    assert rows(result["emerging"], "route", "cases", "before") == [("Colombia → Kenya", 1, 0)]
    # A year later the route has no case: not emerging.
    later = tables(dataset.cast, dataset.cast.ke_officer, "routes", PERIOD)
    assert "Colombia → Kenya" not in column(later["emerging"], "route")


def test_modus_operandi_concealment_by_transport_and_area(dataset: Dataset) -> None:
    result = tables(dataset.cast, dataset.cast.fr_analyst, "modus", PERIOD)
    assert sorted(
        rows(result["concealment"], "area_code", "concealment", "transport", "cases")
    ) == sorted(
        [
            ("", "On or in the body", "Air passenger", 2),
            ("", "Mail or courier item", "Express courier", 1),
            ("", "Mixed with legitimate goods", "Sea container", 1),
            ("", "Vehicle (tank, panels, tyres)", "Road", 1),
            ("drugs", "On or in the body", "Air passenger", 2),
            ("drugs", "Mail or courier item", "Express courier", 1),
            ("drugs", "Mixed with legitimate goods", "Sea container", 1),
            ("ipr", "Mail or courier item", "Express courier", 1),
            ("tobacco", "Vehicle (tank, panels, tyres)", "Road", 1),
        ]
    )


def test_modus_operandi_what_each_detection_method_finds(dataset: Dataset) -> None:
    detection = tables(dataset.cast, dataset.cast.fr_analyst, "modus", PERIOD)["detection"]
    drugs = {
        r["detection"]: (r["cases"], r["cases_share"], r["quantity"], r["quantity_share"])
        for r in detection.rows
        if r["area_code"] == "drugs"
    }
    assert drugs == {
        "Detector dog": (2, 50.0, 55.0, 35.0),
        "Risk profile": (1, 25.0, 100.0, 63.7),
        "Routine control": (1, 25.0, 2.0, 1.3),
    }
    everything = {r["detection"]: r["cases_share"] for r in detection.rows if r["area_code"] == ""}
    assert everything == {
        "Detector dog": 40.0,
        "Risk profile": 20.0,
        "Routine control": 20.0,
        "Scanner / X-ray": 20.0,
    }


def test_hotspots_countries_and_places(dataset: Dataset) -> None:
    Place.objects.filter(code="FRLEH").update(latitude=49.49, longitude=0.11)
    result = tables(dataset.cast, dataset.cast.fr_analyst, "hotspots", PERIOD)
    assert rows(result["countries"], "country", "id", "cases", "quantity") == [
        ("France", "250", 4, 155.0),
        ("Belgium", "056", 1, 2.0),
    ]
    assert sorted(rows(result["places"], "code", "cases", "lat")) == [
        ("FRCDG", 1, None),
        ("FRLEH", 1, 49.49),
    ]
    secretariat = tables(dataset.cast, dataset.cast.sec_analyst, "hotspots", PERIOD)
    assert rows(secretariat["countries"], "code", "cases", "quantity") == [
        ("FR", 2, 100.0),
        ("KE", 1, 1200.0),
        ("BE", 1, 2.0),
    ]


def test_significant_cases_are_the_largest_per_area(dataset: Dataset) -> None:
    result = tables(dataset.cast, dataset.cast.fr_analyst, "significant", PERIOD)["significant"]
    assert rows(result, "area_code", "rank", "reference", "quantity", "unit") == [
        ("drugs", 1, dataset.cases[1].reference, 100.0, "kg"),
        ("drugs", 2, dataset.cases[3].reference, 50.0, "kg"),
        ("drugs", 3, dataset.cases[8].reference, 5.0, "kg"),
        ("drugs", 4, dataset.cases[4].reference, 2.0, "kg"),
        ("tobacco", 1, dataset.cases[2].reference, 10000.0, "pieces"),
        ("ipr", 1, dataset.cases[4].reference, 500.0, "pieces"),
    ]
    assert result.rows[0]["url"] == f"/cases/{dataset.cases[1].pk}/"
    top_two = tables(
        dataset.cast, dataset.cast.fr_analyst, "significant", PERIOD, area="drugs", top=2
    )["significant"]
    assert column(top_two, "quantity") == [100.0, 50.0]


def test_data_quality_per_administration(dataset: Dataset) -> None:
    result = tables(dataset.cast, dataset.cast.fr_analyst, "quality", PERIOD)["quality"]
    by_name = {r["administration"]: r for r in result.rows}
    assert set(by_name) == {"French Customs", "Belgian Customs"}
    fr = by_name["French Customs"]
    assert (fr["cases"], fr["no_place"], fr["no_hs_code"], fr["no_value"], fr["no_route"]) == (
        4,
        50.0,
        100.0,
        25.0,
        75.0,
    )
    assert fr["late"] == 100.0 and fr["median_band"] == "> 90"
    be = by_name["Belgian Customs"]
    assert (be["cases"], be["no_place"], be["no_value"], be["no_route"]) == (1, 0.0, 0.0, 100.0)


def test_filters_narrow_every_figure(dataset: Dataset) -> None:
    cast = dataset.cast
    by = {
        "country": ("BE", [1, 0, 0]),
        "region": ("EUR", [2, 2, 1]),
        "area": ("tobacco", [0, 1, 0]),
        "chapter": ("30", [1, 0, 0]),
        "transport": ("air_passenger", [0, 1, 1]),
        "detection": ("dog", [0, 1, 1]),
    }
    for name, (value, expected) in by.items():
        trend = tables(cast, cast.fr_analyst, "trends", replace(PERIOD, **{name: value}))
        assert column(trend["trends"], "value") == expected, name
