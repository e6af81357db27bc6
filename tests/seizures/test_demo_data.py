"""The demo cases: every one passes the checks, a second run adds nothing, and the patterns the
analytics are meant to find are there (routes, commodity mix, season, trend, heavy tails)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction

from opencen.accounts.actors import actor_for
from opencen.accounts.demo import CUSTOMS, build_demo_cast
from opencen.accounts.models import User
from opencen.audit.models import AuditEvent
from opencen.core.errors import InvalidInput
from opencen.core.privacy import find_personal_data
from opencen.seizures import demo, selectors, services, validation
from opencen.seizures.choices import Status
from opencen.seizures.inputs import CaseIn
from opencen.seizures.models import Case, GoodsLine, RouteLeg
from opencen.seizures.serializers import case_to_dict

END = dt.date(2025, 12, 31)
SOUTH_AMERICA = {"CO", "EC", "BR", "PE", "PA", "DO", "GF", "SR", "VE", "BO"}
EUROPE = {"NL", "BE", "ES", "FR", "DE", "IT", "PT", "PL", "GB"}
ASIA = {"VN", "CN", "MY", "HK", "KH", "TH", "LA"}


@pytest.fixture
def demo_cast(refdata: None) -> None:
    build_demo_cast()


def _generated(admins: list[str], count: int) -> list[dict[str, Any]]:
    catalogue = demo.Catalogue.from_database()
    return [
        case.payload
        for admin in admins
        for case in demo.generate_cases(admin, catalogue, count=count, end=END, days=3 * 365)
    ]


def _route(payload: dict[str, Any], role: str) -> str:
    return next((leg["country"] for leg in payload["route"] if leg["role"] == role), "")


def test_every_demo_case_passes_the_checks_and_a_second_run_adds_nothing(
    demo_cast: None,
) -> None:
    created = demo.build_demo_cases(years=1, per_admin_per_year=8, today=END)
    expected = sum(round(8 * demo.VOLUME[admin]) for admin in CUSTOMS)
    assert created == expected == Case.objects.count()
    assert set(Case.objects.values_list("owner__short_name", flat=True)) == {
        f"{admin}-CUSTOMS" for admin in CUSTOMS
    }
    assert not Case.objects.exclude(external_ref__startswith="DEMO-").exists()
    statuses = Counter(Case.objects.values_list("status", flat=True))
    assert statuses[Status.VALIDATED] + statuses[Status.SUBMITTED] >= 0.85 * created
    assert statuses[Status.VALIDATED] > statuses[Status.SUBMITTED]
    validated = Case.objects.filter(status=Status.VALIDATED)
    assert not validated.filter(validated_at__isnull=True).exists()
    assert AuditEvent.objects.filter(tag="seizures.case.validated").count() == validated.count()
    assert GoodsLine.objects.count() >= created
    assert RouteLeg.objects.count() >= created
    distributions = Counter(Case.objects.values_list("distribution", flat=True))
    assert distributions["region"] + distributions["network"] > 0.7 * created

    events = AuditEvent.objects.count()
    assert demo.build_demo_cases(years=1, per_admin_per_year=8, today=END) == 0
    assert Case.objects.count() == created
    assert AuditEvent.objects.count() == events


def test_generated_wording_passes_the_personal_data_gate() -> None:
    texts = [name for names in demo.BRANDS.values() for name in names.split("|")]
    for table in (demo.DETAIL_CHOICES, demo.RISK_PROFILES, demo.EXTRAS):
        texts += [text for texts_ in table.values() for text in texts_.split("|")]
    texts += [what for goods in demo.GOODS.values() for what in goods.what]
    assert [t for t in texts if find_personal_data(t)] == []


def test_every_demo_administration_has_cases_to_report() -> None:
    seizers = {admin for scenario in demo.SCENARIOS for admin in demo._seizers(scenario.seized)}
    assert set(CUSTOMS) <= seizers
    assert set(CUSTOMS) == set(demo.PLACES) == set(demo.VOLUME) == set(demo.CURRENCY)


def test_routes_and_commodities_follow_the_regions(refdata: None) -> None:
    cases = _generated(["NL", "ES", "FR", "CO", "MA", "AE", "KE", "NG", "TH", "AU"], 200)
    substance = [(c, c["goods"][0]["details"].get("substance", "")) for c in cases]

    sa_to_europe = [
        s
        for c, s in substance
        if _route(c, "departure") in SOUTH_AMERICA and _route(c, "destination") in EUROPE
    ]
    assert len(sa_to_europe) > 50
    assert Counter(sa_to_europe).most_common(1)[0][0] == "cocaine"
    assert sa_to_europe.count("cocaine") > 0.8 * len(sa_to_europe)

    from_morocco = [
        s
        for c, s in substance
        if _route(c, "departure") == "MA" and c["goods"][0]["commodity_area"] == "drugs"
    ]
    assert Counter(from_morocco).most_common(1)[0][0] == "cannabis_resin"
    emirates = [s for c, s in substance if c["country"] == "AE" and s]
    assert Counter(emirates).most_common(1)[0][0] == "captagon"
    thailand = [s for c, s in substance if c["country"] == "TH" and s]
    assert Counter(thailand).most_common(1)[0][0] == "methamphetamine"

    wildlife = [
        c
        for c in cases
        if c["country"] in ("KE", "NG") and c["goods"][0]["commodity_area"] == "environment"
    ]
    assert wildlife
    assert sum(_route(c, "destination") in ASIA for c in wildlife) > 0.6 * len(wildlife)

    containers = [
        c
        for c in cases
        if _route(c, "departure") in SOUTH_AMERICA
        and c["country"] in EUROPE
        and c["goods"][0]["commodity_area"] == "drugs"
    ]
    assert Counter(c["location_type"] for c in containers).most_common(1)[0][0] == "seaport"


def test_season_trend_and_heavy_tails(refdata: None) -> None:
    cases = _generated(["FR", "NL", "ES", "US", "PL"], 400)

    def per_month(selected: list[dict[str, Any]]) -> Counter[int]:
        return Counter(dt.date.fromisoformat(c["date"]).month for c in selected)

    counterfeit = per_month([c for c in cases if c["goods"][0]["commodity_area"] == "ipr"])
    assert counterfeit[10] + counterfeit[11] + counterfeit[12] > 1.5 * (
        counterfeit[2] + counterfeit[3] + counterfeit[4]
    )
    passengers = per_month([c for c in cases if c["transport"] == "air_passenger"])
    assert passengers[7] + passengers[8] > 1.3 * (passengers[2] + passengers[3])

    cocaine = [
        c
        for c in cases
        if c["goods"][0]["details"].get("substance") == "cocaine"
        and c["transport"] == "sea_container"
    ]
    by_year = Counter(dt.date.fromisoformat(c["date"]).year for c in cocaine)
    assert by_year[END.year] > by_year[END.year - 2]
    kilos = sorted(Decimal(c["goods"][0]["quantity"]) for c in cocaine)
    assert kilos[-1] > 10 * statistics.median(kilos)
    assert all(c["date"] <= END.isoformat() for c in cases)


# The bulk path the demo (and every import) goes through, at the sizes where it changes gear.


def _officer(country: str) -> Any:
    return actor_for(User.objects.get(email=f"officer@{country.lower()}-customs.example"))


def test_screening_shared_with_another_process_gives_the_same_outcome(
    demo_cast: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    payloads = [
        c.payload
        for c in demo.generate_cases(
            "FR", demo.Catalogue.from_database(), count=30, end=END, days=365
        )
    ]
    payloads[7]["summary"] += " Contact the driver on +33 6 12 34 56 78."
    payloads[20]["goods"][0]["description"] = "Parcels for jean.dupont@example.com"
    datas = [CaseIn.model_validate(p) for p in payloads]

    def outcome() -> list[dict[str, object]]:
        try:
            services.validate_cases(_officer("FR"), datas)
        except InvalidInput as exc:
            return [error.to_dict() for error in exc.errors]
        return []

    alone = outcome()
    assert {e["field"] for e in alone} == {"[7].summary", "[20].goods[0].description"}
    started = []
    original = validation._Screening

    def spy(*args: Any) -> Any:
        started.append(args)
        return original(*args)

    monkeypatch.setattr(validation, "PARALLEL_SCREEN_MIN", 1)
    monkeypatch.setattr(validation.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(validation, "_Screening", spy)
    assert outcome() == alone
    assert started  # the texts did go to a child interpreter
    monkeypatch.setattr(validation, "find_personal_data_in_each", _dies_in_a_child)
    assert outcome() == alone  # the children failed: screened here instead
    assert "screening on another process failed" in caplog.text


def _dies_in_a_child(texts: list[str], lang: str) -> list[Any]:
    """Unpickling this in a child imports this module, which needs Django: the child dies."""
    raise AssertionError("never runs")


def test_large_batches_are_copied_into_postgresql_with_the_same_rows(
    demo_cast: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's; other databases always take bulk_create")
    payloads = [
        c.payload
        for c in demo.generate_cases(
            "KE", demo.Catalogue.from_database(), count=12, end=END, days=365
        )
    ]
    resolved, _skipped = services.validate_cases(
        _officer("KE"), [CaseIn.model_validate(p) for p in payloads]
    )
    stored = {}
    for country, threshold in (("KE", 1), ("FR", 10_000)):  # COPY, then bulk_create
        monkeypatch.setattr(services, "COPY_MIN_CASES", threshold)
        with transaction.atomic():
            cases = services._store(_officer(country), resolved, Status.SUBMITTED)
        full = selectors.with_children(Case.objects.filter(pk__in=[c.pk for c in cases]))
        stored[country] = sorted(
            (
                {
                    k: v
                    for k, v in case_to_dict(c).items()
                    if k
                    not in {"id", "reference", "owner", "created_at", "updated_at", "submitted_at"}
                }
                for c in full
            ),
            key=lambda d: str(d["external_ref"]),
        )
    assert stored["KE"] == stored["FR"]
    assert len(stored["KE"]) == 12
    word = payloads[0]["goods"][0]["description"].split()[-1]
    assert selectors.search_cases(_officer("KE"), selectors.CaseFilter(q=word)).exists()
