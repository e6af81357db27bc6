"""The reference pages: search, browsing, the secretariat's edits and imports."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from opencen.audit.models import AuditEvent
from opencen.audit.tags import EventTag
from opencen.reference.models import CitesSpecies, Country, Place, WcoRegion
from opencen.reference.services import ImportReport
from tests.reference.conftest import SAMPLE_CITES, SAMPLE_NAME, SAMPLE_UNLOCODE


@pytest.fixture
def officer(cast, login, sample_places: ImportReport) -> Client:
    return login(cast.fr_officer)


def test_anonymous_is_sent_to_log_in(client: Client, sample_places: ImportReport) -> None:
    for path in ("/reference/", "/reference/hs/85/", "/reference/places/NLRTM/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "next=" in response["Location"]


def test_search_page_and_htmx_results(officer: Client) -> None:
    page = officer.get("/reference/", {"q": "rotterdam"})
    assert page.status_code == 200
    assert b"NLRTM" in page.content
    assert b'hx-get="/reference/search/"' in page.content
    partial = officer.get("/reference/search/", {"q": "8517"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert b"<html" not in partial.content
    assert b"/reference/hs/8517/" in partial.content


PAGES = [
    ("/reference/hs/", b"Section XXI"),
    ("/reference/hs/?q=smartphones", b"851713"),
    ("/reference/hs/8517/", b"851713"),
    ("/reference/hs/8517.13/", b"Telephone sets; smartphones"),
    ("/reference/regions/", b"Europe"),
    ("/reference/regions/EUR/", b"France"),
    ("/reference/countries/?q=keny", b"Kenya"),
    ("/reference/countries/NL/", b"Border crossing"),
    ("/reference/places/?country=NL&function=seaport", b"Rotterdam"),
    ("/reference/places/NLRTM/", b"Postal exchange office"),
    ("/reference/currencies/?q=euro", b"EUR"),
    ("/reference/units/?q=kg", b"KGM"),
    ("/reference/cites/", b"CITES species"),
]


def test_pages(officer: Client) -> None:
    for path, expected in PAGES:
        response = officer.get(path)
        assert response.status_code == 200, path
        assert expected in response.content, path


def test_unknown_codes_are_404(officer: Client) -> None:
    assert officer.get("/reference/hs/851799/").status_code == 404
    assert officer.get("/reference/places/NLXXX/").status_code == 404
    assert officer.get("/reference/regions/NOPE/").status_code == 404


def test_only_the_secretariat_edits_regions(cast, login, quick_tables) -> None:
    officer = login(cast.fr_admin)
    page = officer.get("/reference/regions/EUR/")
    assert b"Move a country" not in page.content
    response = officer.post("/reference/regions/EUR/", {"action": "move", "country": "KE"})
    assert response.status_code == 403
    assert Country.objects.get(code="KE").wco_region.code == "ESA"

    admin = login(cast.sec_admin)
    assert b"Move a country" in admin.get("/reference/regions/EUR/").content
    response = admin.post("/reference/regions/EUR/", {"action": "move", "country": "ke"})
    assert response.status_code == 302
    assert Country.objects.get(code="KE").wco_region.code == "EUR"
    cast.ke.refresh_from_db()
    assert cast.ke.region.code == "EUR"

    response = admin.post("/reference/regions/EUR/", {"action": "move", "country": "QQ"})
    assert response.status_code == 200
    assert b"unknown country code QQ" in response.content

    response = admin.post(
        "/reference/regions/EUR/", {"action": "rename", "name": "Europe", "rilo_name": "RILO WE"}
    )
    assert response.status_code == 302
    assert WcoRegion.objects.get(code="EUR").rilo_name == "RILO WE"
    response = admin.post("/reference/regions/EUR/", {"action": "remove", "country": "KE"})
    assert response.status_code == 302
    assert Country.objects.get(code="KE").wco_region is None
    assert AuditEvent.objects.filter(tag=EventTag.REFERENCE_REGION_UPDATED).count() == 4


def test_import_page(cast, login, quick_tables) -> None:
    assert login(cast.fr_admin).get("/reference/import/").status_code == 403
    admin = login(cast.sec_admin)
    assert admin.get("/reference/import/").status_code == 200
    upload = SimpleUploadedFile(SAMPLE_NAME, SAMPLE_UNLOCODE, content_type="text/csv")
    response = admin.post("/reference/import/", {"dataset": "unlocode", "file": upload})
    assert response.status_code == 200
    assert b"7 created" in response.content
    assert Place.objects.filter(code="NLRTM").exists()

    bad = SimpleUploadedFile("species.csv", b"TaxonId,FullName,CurrentListing\n1,Aa,IV\n")
    response = admin.post("/reference/import/", {"dataset": "cites", "file": bad})
    assert b"listing &#x27;IV&#x27; is not I, II, III or NC" in response.content
    good = SimpleUploadedFile("species.csv", SAMPLE_CITES.encode())
    admin.post("/reference/import/", {"dataset": "cites", "file": good})
    assert CitesSpecies.objects.count() == 4
