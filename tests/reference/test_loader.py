"""Loading the shipped tables: counts, idempotence, region ownership."""

from __future__ import annotations

import pytest

from opencen.audit.models import AuditEvent
from opencen.audit.tags import EventTag
from opencen.reference import datafiles
from opencen.reference.loader import WCO_REGIONS, load_all, shipped_places
from opencen.reference.models import (
    Country,
    HsCode,
    HsLevel,
    ReferenceDataset,
    Unit,
    WcoRegion,
)
from opencen.reference.services import check_move_country
from tests.reference.conftest import QUICK_TABLES


@pytest.mark.django_db
def test_full_hs_2022_has_the_published_counts() -> None:
    load_all(only=["hs"])
    counts = {level: HsCode.objects.filter(level=level).count() for level in HsLevel}
    assert counts == {
        HsLevel.SECTION: 21,
        HsLevel.CHAPTER: 96,
        HsLevel.HEADING: 1228,
        HsLevel.SUBHEADING: 5612,
    }
    # Comtrade's pseudo-codes are not HS codes; chapter 77 is reserved
    assert not HsCode.objects.filter(code__in=["TOTAL", "99", "9999", "999999", "77"]).exists()
    smartphones = HsCode.objects.get(code="851713")
    assert smartphones.parent_id == "8517"
    assert smartphones.parent.parent_id == "85"
    assert smartphones.parent.parent.parent_id == "XVI"
    assert smartphones.section == "XVI"
    assert HsCode.objects.filter(code__in=["2404", "240411", "8524", "8549"]).count() == 4
    assert HsCode.objects.get(code="I").description.startswith("Live animals")


@pytest.mark.django_db
def test_loading_twice_duplicates_nothing_and_repairs_drift() -> None:
    first = load_all(only=QUICK_TABLES)
    totals = {m: m.objects.count() for m in (Country, HsCode, Unit, WcoRegion)}
    assert first.results["countries"].created == 250  # 249 ISO 3166-1 + XK Kosovo

    second = load_all(only=QUICK_TABLES)
    assert all(r.skipped for r in second.results.values())

    HsCode.objects.filter(code="851713").update(description="tampered")
    forced = load_all(only=QUICK_TABLES, force=True)
    assert forced.results["hs"].updated == 1
    assert forced.results["hs"].created == 0
    assert forced.results["countries"].unchanged == 250
    assert HsCode.objects.get(code="851713").description.startswith("Telephone sets")
    assert {m: m.objects.count() for m in totals} == totals
    assert set(ReferenceDataset.objects.values_list("key", flat=True)) == set(QUICK_TABLES)
    assert AuditEvent.objects.filter(tag=EventTag.REFERENCE_DATA_LOADED).count() == 3


@pytest.mark.django_db
def test_wco_regions_and_members() -> None:
    report = load_all(only=["countries", "wco"])
    assert WcoRegion.objects.count() == 6
    assert set(WcoRegion.objects.values_list("code", flat=True)) == set(WCO_REGIONS)
    # 184 listed members, less the European Union (a customs union, not a country)
    assert Country.objects.filter(wco_region__isnull=False).count() == 183
    assert Country.objects.get(code="FR").wco_region.code == "EUR"
    assert Country.objects.get(code="KE").wco_region.code == "ESA"
    assert Country.objects.get(code="XK").wco_region.code == "EUR"  # not Serbia
    assert Country.objects.get(code="RS").wco_region.code == "EUR"
    assert Country.objects.get(code="CW").wco_region.code == "AMC"  # Netherlands Antilles
    notes = "\n".join(report.results["wco"].notes)
    assert "European Union" in notes
    assert "Netherlands Antilles" in notes


@pytest.mark.django_db
def test_reload_keeps_the_secretariats_region_edits(cast) -> None:
    load_all(only=["countries", "wco"])
    check_move_country(cast.actor(cast.sec_admin), "KE", "EUR")
    load_all(only=["countries", "wco"], force=True)
    assert Country.objects.get(code="KE").wco_region.code == "EUR"
    cast.ke.refresh_from_db()
    assert cast.ke.region.code == "EUR"

    load_all(only=["wco"], reset_regions=True)
    assert Country.objects.get(code="KE").wco_region.code == "ESA"
    cast.ke.refresh_from_db()
    assert cast.ke.region.code == "ESA"


@pytest.mark.django_db
def test_common_units() -> None:
    load_all(only=["units"])
    kilogram = Unit.objects.get(code="KGM")
    assert (kilogram.name, kilogram.symbol, kilogram.is_common) == ("kilogram", "kg", True)
    assert Unit.objects.count() > 1700
    assert Unit.objects.filter(code="H87", is_common=True).exists()


def test_shipped_unlocode_files_read_cleanly() -> None:
    batches = shipped_places()
    codes = {row.code: row for rows, _edition in batches for row in rows}
    assert [edition for _rows, edition in batches] == ["2023-1", "2024-2", "2024-2"]
    assert len(codes) > 115_000
    assert min(codes)[:2] == "AD" and max(codes)[:2] == "ZW"
    assert codes["NLRTM"].flags()["is_seaport"]
    assert codes["CNSGH"].flags()["is_seaport"]  # Shanghai: from Part 1, missing from shared/
    assert codes["DEFRA"].flags()["is_airport"]


def test_shipped_files_stay_small() -> None:
    total = sum(p.stat().st_size for p in datafiles.DATA_DIR.iterdir())
    assert total < 5_000_000
    assert (datafiles.DATA_DIR / "NOTICE.md").exists()
