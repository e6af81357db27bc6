"""Bulletins: generated in the background, stored, shared by distribution level, downloadable;
figures counted over what every reader of the audience may see; the PDF read back with pypdf."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from opencen.analytics import events, services
from opencen.analytics.models import Report, ReportStatus
from opencen.analytics.schemas import ReportIn
from opencen.audit.models import AuditEvent
from opencen.core.errors import Forbidden, InvalidInput
from tests.analytics.conftest import Dataset

pytestmark = pytest.mark.usefixtures("refdata")

QUERY = {"from": "2026-01", "to": "2026-03"}


def _report(dataset: Dataset, user: Any, distribution: str, **extra: Any) -> Report:
    data = ReportIn.model_validate(
        {
            "title": "Cocaine in Western Europe, Q1 2026",
            "query": QUERY,
            "introduction": "Seizures reported by the region's administrations.",
            "sections": [
                {"view": "trends", "commentary": "Steady at sea; rising at airports."},
                {"view": "significant", "commentary": "Le Havre leads by quantity."},
                {"view": "routes", "commentary": ""},
            ],
            "distribution": distribution,
            **extra,
        }
    )
    report = services.check_create_report(dataset.cast.actor(user), data)
    report.refresh_from_db()
    return report


def _pdf_text(report: Report) -> str:
    with report.pdf.open("rb") as stream:
        reader = PdfReader(io.BytesIO(stream.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_network_bulletin_counts_only_network_cases(dataset: Dataset) -> None:
    report = _report(dataset, dataset.cast.rilo_analyst, "network")
    assert report.status == ReportStatus.DONE, report.message
    assert report.progress == 100 and report.generated_at is not None
    text = _pdf_text(report)
    assert "Cocaine in Western Europe, Q1 2026" in text
    assert "Distribution: Network (all customs members)" in text
    assert "Steady at sea; rising at airports." in text
    assert "Le Havre leads by quantity." in text
    assert "Period: 2026-01 to 2026-03" in text
    assert "only cases shared with the whole network" in text
    assert dataset.cases[1].reference in text  # network, 100 kg at Le Havre
    assert dataset.cases[4].reference not in text  # Belgian, region only
    assert dataset.cases[3].reference not in text  # French, organisation only
    assert "Colombia → Belgium → France" in text
    assert "Netherlands → Belgium" not in text  # the Belgian region case's route
    reader = PdfReader(io.BytesIO(report.pdf.open("rb").read()))
    assert len(reader.pages) >= 4  # title page, then one page per section at least
    assert "<svg" in report.html and "Steady at sea" in report.html


def test_an_organisation_bulletin_counts_what_the_organisation_sees(dataset: Dataset) -> None:
    report = _report(dataset, dataset.cast.rilo_analyst, "organisation")
    text = _pdf_text(report)
    assert dataset.cases[4].reference in text  # the RILO sees Belgium's region case
    assert dataset.cases[3].reference not in text


def test_a_region_bulletin_leaves_out_the_authors_private_cases(dataset: Dataset) -> None:
    report = _report(dataset, dataset.cast.fr_analyst, "region")
    text = _pdf_text(report)
    assert dataset.cases[4].reference in text  # Belgium, region
    assert dataset.cases[1].reference in text  # France, network
    assert dataset.cases[3].reference not in text  # France, organisation only
    assert dataset.cases[8].reference not in text  # France, shared with a group
    assert dataset.cases[5].reference not in text  # Kenya, region: another region


def test_bulletins_are_shared_like_every_record(dataset: Dataset, login: Any) -> None:
    network = _report(dataset, dataset.cast.rilo_analyst, "network")
    private = _report(dataset, dataset.cast.rilo_analyst, "organisation")
    kenya = login(dataset.cast.ke_officer)
    listed = {r["id"] for r in kenya.get("/api/analytics/reports").json()}
    assert str(network.pk) in listed and str(private.pk) not in listed
    assert kenya.get(f"/analytics/reports/{private.pk}/").status_code == 404
    assert kenya.get(f"/analytics/reports/{private.pk}/pdf/").status_code == 404
    response = kenya.get(f"/analytics/reports/{network.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    downloads = AuditEvent.objects.filter(
        tag=str(events.REPORT_DOWNLOADED), object_id=str(network.pk)
    )
    assert downloads.count() == 1
    assert kenya.get(f"/api/analytics/reports/{network.pk}").json()["status"] == "done"
    page = kenya.get(f"/analytics/reports/{network.pk}/")
    assert "Steady at sea" in page.content.decode()


def test_the_page_creates_a_bulletin_and_shows_its_progress(dataset: Dataset, login: Any) -> None:
    client = login(dataset.cast.rilo_analyst)
    form = client.get("/analytics/reports/new/?from=2026-01&to=2026-03&area=drugs")
    assert form.status_code == 200
    response = client.post(
        "/analytics/reports/new/",
        {
            "title": "Drugs, first quarter",
            "from": "2026-01",
            "to": "2026-03",
            "area": "drugs",
            "introduction": "",
            "distribution": "organisation",
            "include_trends": "on",
            "commentary_trends": "Three cases.",
            "include_hotspots": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    report = Report.objects.get(title="Drugs, first quarter")
    assert report.query["area"] == "drugs"
    assert [s["view"] for s in report.sections] == ["trends", "hotspots"]
    status = client.get(f"/analytics/reports/{report.pk}/status/")
    assert b"Download PDF" in status.content
    assert AuditEvent.objects.filter(tag=str(events.REPORT_CREATED)).count() == 1
    assert AuditEvent.objects.filter(tag=str(events.REPORT_GENERATED)).count() == 1


def test_personal_data_in_the_commentary_is_refused(dataset: Dataset, login: Any) -> None:
    actor = dataset.cast.actor(dataset.cast.rilo_analyst)
    data = ReportIn.model_validate(
        {
            "title": "Bulletin",
            "query": QUERY,
            "sections": [
                {"view": "trends", "commentary": "Call the courier on +33 6 12 34 56 78."}
            ],
        }
    )
    with pytest.raises(InvalidInput) as refused:
        services.check_create_report(actor, data)
    assert refused.value.errors[0].field == "sections[0].commentary"
    assert Report.objects.count() == 0
    client = login(dataset.cast.rilo_analyst)
    response = client.post(
        "/analytics/reports/new/",
        {
            "title": "Bulletin",
            "from": "2026-01",
            "to": "2026-03",
            "distribution": "organisation",
            "include_trends": "on",
            "commentary_trends": "Write to mule@example.org",
        },
    )
    assert response.status_code == 200
    assert "Personal data is not allowed here" in response.content.decode()


def test_refusals_name_the_field(dataset: Dataset) -> None:
    officer = dataset.cast.actor(dataset.cast.fr_officer)
    data = ReportIn.model_validate({"title": "x", "sections": [{"view": "trends"}]})
    with pytest.raises(Forbidden):
        services.check_create_report(officer, data)
    analyst = dataset.cast.actor(dataset.cast.rilo_analyst)
    bad = ReportIn.model_validate(
        {
            "title": "x",
            "query": {"from": "2026-13", "region": "XX"},
            "sections": [{"view": "trends"}, {"view": "trends"}],
            "distribution": "groups",
            "groups": [],
        }
    )
    with pytest.raises(InvalidInput) as refused:
        services.check_create_report(analyst, bad)
    fields = {e.field for e in refused.value.errors}
    assert fields == {"query.from", "query.region", "sections", "groups"}


def test_the_api_generates_a_bulletin(dataset: Dataset, login: Any) -> None:
    client = login(dataset.cast.sec_analyst)
    response = client.post(
        "/api/analytics/reports",
        {
            "title": "Network overview",
            "query": QUERY,
            "distribution": "network",
            "sections": [{"view": "hotspots"}, {"view": "quality"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "done" and body["pdf_url"]
    pdf = client.get(body["pdf_url"])
    assert pdf.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Network overview" in text and "Data quality" in text
    assert (
        client.post(
            "/api/analytics/reports",
            {"title": "x", "sections": []},
            content_type="application/json",
        ).status_code
        == 422
    )
