"""Importing official releases: UN/LOCODE parts and CITES checklist exports."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.core.management import call_command

from opencen.audit.models import AuditEvent
from opencen.audit.tags import EventTag
from opencen.core.errors import Forbidden, InvalidInput
from opencen.reference.loader import LoadReport, load_all
from opencen.reference.models import CitesSpecies, DatasetOrigin, Place, ReferenceDataset
from opencen.reference.services import (
    ImportReport,
    check_import_cites,
    check_import_unlocode,
)
from tests.reference.conftest import SAMPLE_CITES, SAMPLE_NAME, SAMPLE_UNLOCODE, SHARED


def test_unlocode_release_import(sample_places: ImportReport) -> None:
    assert sample_places.result.created == 7  # XZ (international waters) has no country row
    assert any("XZ" in note for note in sample_places.warnings)
    assert any("FRZZZ" in w and "coordinates" in w for w in sample_places.warnings)
    rotterdam = Place.objects.get(code="NLRTM")
    assert (rotterdam.latitude, rotterdam.longitude) == (51.91667, 4.5)
    assert rotterdam.is_seaport and rotterdam.is_airport and rotterdam.is_postal
    assert rotterdam.functions == "12345---"
    assert rotterdam.edition == "2024-2"
    assert Place.objects.get(code="FRSET").name == "Sète"
    assert Place.objects.get(code="BEBRU").other_names == "Brussel (Bruxelles)"
    event = AuditEvent.objects.filter(tag=EventTag.REFERENCE_DATA_IMPORTED).get()
    assert event.changes["created"] == 7
    dataset = ReferenceDataset.objects.get(key="unlocode")
    assert (dataset.origin, dataset.edition) == (DatasetOrigin.IMPORTED, "2024-2")


def test_reimport_updates_and_never_duplicates(sample_places: ImportReport) -> None:
    again = check_import_unlocode(None, [(SAMPLE_NAME, SAMPLE_UNLOCODE)])
    assert (again.result.created, again.result.updated, again.result.unchanged) == (0, 0, 7)
    changed = SAMPLE_UNLOCODE.replace(
        b'"RTM","Rotterdam","Rotterdam","ZH","12345---"',
        b'"RTM","Rotterdam","Rotterdam","ZH","1234----"',
    )
    changed = changed.replace(b',"NL","HRL"', b',"NL","HRX"')
    report = check_import_unlocode(None, [(SAMPLE_NAME, changed)])
    assert (report.result.created, report.result.updated) == (1, 1)
    assert report.kept == 1  # NLHRL is no longer in the release but is kept
    assert not Place.objects.get(code="NLRTM").is_postal
    assert Place.objects.count() == 8
    newer = check_import_unlocode(None, [(SAMPLE_NAME, changed)], edition="2025-1")
    assert newer.result.updated == 7  # every place now says which release it comes from
    assert Place.objects.get(code="NLRTM").edition == "2025-1"


def test_a_damaged_release_is_refused_whole(quick_tables: LoadReport) -> None:
    broken = SAMPLE_UNLOCODE + b',"NL","R1"\n,"N1","ABC","X","X",,"1-------","AI",,,,\n'
    with pytest.raises(InvalidInput) as exc:
        check_import_unlocode(None, [(SAMPLE_NAME, broken)])
    reasons = [e.reason for e in exc.value.errors]
    assert reasons == [
        f"{SAMPLE_NAME}, line 14: expected 12 columns",
        f"{SAMPLE_NAME}, line 15: country code 'N1' is not 2 letters",
    ]
    assert {e.field for e in exc.value.errors} == {"file"}
    assert not Place.objects.exists()


def test_load_all_does_not_overwrite_an_imported_release(sample_places: ImportReport) -> None:
    report = load_all(only=["unlocode"])
    assert report.results["unlocode"].skipped
    assert Place.objects.count() == 7


def test_import_needs_the_permission(cast) -> None:
    with pytest.raises(Forbidden):
        check_import_cites(cast.actor(cast.fr_admin), "tiny.csv", SAMPLE_CITES)
    report = check_import_cites(cast.actor(cast.sec_admin), "tiny.csv", SAMPLE_CITES)
    assert report.result.created == 4
    event = AuditEvent.objects.filter(tag=EventTag.REFERENCE_DATA_IMPORTED).get()
    assert event.actor_email == cast.sec_admin.email


@pytest.mark.django_db
def test_cites_import_replaces_the_list() -> None:
    check_import_cites(None, "tiny.csv", SAMPLE_CITES)
    assert CitesSpecies.objects.count() == 4
    smaller = "\n".join(
        line.replace(",SPECIES,I/II,White", ",SPECIES,I,White")
        for line in SAMPLE_CITES.splitlines()
        if not line.startswith("1703,")
    )
    report = check_import_cites(None, "tiny-2.csv", smaller)
    assert (report.result.updated, report.result.deleted) == (1, 1)
    assert CitesSpecies.objects.get(taxon_id="3210").appendix == "I"
    assert not CitesSpecies.objects.filter(taxon_id="1703").exists()
    with pytest.raises(InvalidInput) as exc:
        check_import_cites(None, "bad.csv", "TaxonId,FullName,CurrentListing\n1,Aa,IV\n")
    assert exc.value.errors[0].reason == "bad.csv, line 2: Aa: listing 'IV' is not I, II, III or NC"
    assert CitesSpecies.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.skipif(
    not (SHARED / "cites-species-plus-index-2017-04-21.csv.gz").exists(),
    reason="../shared/data/reference (the 2017 Species+ export) is not present; "
    "it is for development only and never shipped",
)
def test_real_species_plus_export() -> None:
    raw = gzip.decompress((SHARED / "cites-species-plus-index-2017-04-21.csv.gz").read_bytes())
    report = check_import_cites(None, "Index_of_CITES_Species_2017-04-21.csv", raw)
    assert report.result.created == 38079
    elephant = CitesSpecies.objects.get(scientific_name="Loxodonta africana")
    assert (elephant.appendix, elephant.rank, elephant.family) == (
        "I/II",
        "SPECIES",
        "Elephantidae",
    )
    assert CitesSpecies.objects.filter(appendix="I").count() == 1146


def test_commands(quick_tables: LoadReport, tmp_path: Path, capsys) -> None:
    release = tmp_path / SAMPLE_NAME
    release.write_bytes(SAMPLE_UNLOCODE)
    call_command("reference", "import-unlocode", str(release))
    cites = tmp_path / "species.csv"
    cites.write_text(SAMPLE_CITES, encoding="utf-8")
    call_command("reference", "import-cites", str(cites))
    call_command("reference", "load", "--only", "hs")
    call_command("reference", "counts")
    out = capsys.readouterr().out
    assert "UN/LOCODE 2024-2: 7 created" in out
    assert "CITES species from species.csv: 4 created" in out
    assert "hs          already loaded, skipped" in out
    assert "hs subheadings" in out and "5,612" in out
