"""Import whole or not at all, with row/column/reason; exports that respect need-to-know."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from opencen.audit.models import AuditEvent
from opencen.core.models import Distribution
from opencen.seizures import blanks, services
from opencen.seizures.flat import columns
from opencen.seizures.importing import import_cases, parse_file
from opencen.seizures.inputs import CaseIn
from opencen.seizures.models import Case, GoodsLine, ImportJob
from tests.conftest import Cast
from tests.seizures.payloads import COCAINE_IN_BANANAS, IVORY_AT_MOMBASA, payload

pytestmark = pytest.mark.usefixtures("refdata")

BASE = {
    "kind": "seizure",
    "date": "2026-02-01",
    "country": "FR",
    "place": "FRLEH",
    "procedure": "import",
    "location_type": "seaport",
    "direction": "inbound",
    "detection": "scanner",
    "transport": "sea_container",
    "concealment": "in_cargo",
    "departure_country": "CO",
    "departure_place": "COCTG",
    "transit_countries": "BE",
    "destination_country": "FR",
    "offenders": "CO:male:25_34:2",
}


def _row(**values: Any) -> dict[str, Any]:
    return {**BASE, **values}


GOOD_ROWS = [
    _row(
        external_ref="A-1",
        commodity_area="drugs",
        hs_code="1211",
        quantity="120",
        unit="KGM",
        detail_substance="cocaine",
        detail_form="powder",
    ),
    _row(
        external_ref="A-1",
        commodity_area="tobacco",
        hs_code="2402",
        quantity="50000",
        unit="H87",
        detail_product="cigarettes",
        detail_brand="Marlboro",
    ),
    _row(
        external_ref="A-2",
        date="2026-02-03",
        commodity_area="ipr",
        hs_code="6403",
        quantity="300",
        detail_right_type="trademark",
        detail_brand="Nike",
        detail_product_type="footwear",
        summary="Counterfeit trainers in a mixed load.",
    ),
]


def _csv(rows: list[dict[str, Any]], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or columns(), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _import(cast: Cast, data: bytes, fmt: str = "csv") -> Any:
    return import_cases(cast.actor(cast.fr_officer), parse_file(io.BytesIO(data), fmt), fmt)


def test_rows_with_one_reference_make_one_case(cast: Cast) -> None:
    report = _import(cast, _csv(GOOD_ROWS))
    assert report.ok, report.errors
    assert report.created == 2
    case = Case.objects.get(external_ref="A-1")
    assert [g.commodity_area for g in case.goods.all()] == ["drugs", "tobacco"]
    assert [leg.role for leg in case.route.all()] == ["departure", "transit", "destination"]
    assert case.offenders.get().count == 2
    assert AuditEvent.objects.filter(tag="seizures.case.created").count() == 2


def test_reimporting_the_same_file_creates_no_duplicates(cast: Cast) -> None:
    _import(cast, _csv(GOOD_ROWS))
    again = _import(cast, _csv(GOOD_ROWS))
    assert (again.created, again.skipped) == (0, 2)
    assert Case.objects.count() == 2


def test_one_bad_value_rejects_the_whole_file_naming_row_and_column(cast: Cast) -> None:
    rows = [
        *GOOD_ROWS,
        _row(
            external_ref="A-3",
            commodity_area="drugs",
            hs_code="999999",
            quantity="1",
            detail_substance="cocaine",
            detail_form="powder",
        ),
        _row(
            external_ref="A-4",
            commodity_area="environment",
            quantity="3",
            detail_subtype="cites",
            departure_country="QQ",
        ),
        _row(
            external_ref="A-5",
            commodity_area="drugs",
            quantity="lots",
            detail_substance="heroin",
            detail_form="powder",
            summary="Given by Mr John Smith, born 12/03/1980.",
        ),
    ]
    report = _import(cast, _csv(rows))
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert (4, "hs_code") in found
    assert (5, "detail_species") in found
    assert (5, "departure_country") in found
    assert (6, "quantity") in found
    assert not Case.objects.exists()


def test_personal_data_in_a_file_is_refused_with_the_row(cast: Cast) -> None:
    rows = [
        _row(
            external_ref="P-1",
            commodity_area="drugs",
            quantity="1",
            detail_substance="heroin",
            detail_form="powder",
            summary="Passenger Jean Dupont, phone +33 6 12 34 56 78, carried it.",
        )
    ]
    report = _import(cast, _csv(rows))
    assert {(e.row, e.column) for e in report.errors} == {(1, "summary")}
    assert not Case.objects.exists()


def test_a_database_error_in_the_middle_leaves_nothing(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    original = GoodsLine.objects.bulk_create

    def failing(objs: Any, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        raise DatabaseError("disk full")

    monkeypatch.setattr(GoodsLine.objects, "bulk_create", failing)
    with pytest.raises(DatabaseError):
        _import(cast, _csv(GOOD_ROWS))
    assert calls["n"] == 1
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(tag="seizures.case.created").exists()
    monkeypatch.setattr(GoodsLine.objects, "bulk_create", original)


def test_unreadable_files_are_refused_clearly(cast: Cast) -> None:
    job = services.check_start_import(
        cast.actor(cast.fr_officer), SimpleUploadedFile("cases.csv", b"a,b\n1,2\n")
    )
    assert job.status == "rejected"
    assert "external_ref" in job.message
    job = services.check_start_import(
        cast.actor(cast.fr_officer), SimpleUploadedFile("cases.xlsx", b"not a workbook")
    )
    assert job.status == "rejected"
    from opencen.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.check_start_import(
            cast.actor(cast.fr_officer), SimpleUploadedFile("cases.pdf", b"%PDF")
        )


def test_xlsx_template_filled_in_imports(cast: Cast) -> None:
    book = load_workbook(io.BytesIO(blanks.template_xlsx("drugs")))
    sheet = book["cases"]
    header = [c.value for c in sheet[1]]
    assert "detail_substance" in header and "detail_brand" not in header
    assert book["instructions"].max_row > 20
    sheet.append([GOOD_ROWS[0].get(h, "") for h in header])
    buffer = io.BytesIO()
    book.save(buffer)
    report = _import(cast, buffer.getvalue(), "xlsx")
    assert report.ok, report.errors
    assert report.created == 1


def test_json_lines_import_reports_lines(cast: Cast) -> None:
    good = json.dumps(payload(external_ref="J-1"))
    bad = json.dumps(payload(external_ref="J-2", country="XX"))
    data = "\n".join([good, "{broken", bad]).encode()
    report = _import(cast, data, "jsonl")
    assert {(e.row, e.column) for e in report.errors} == {(2, "line"), (3, "country")}
    report = _import(cast, good.encode(), "jsonl")
    assert report.created == 1


def test_import_through_the_api(login, cast: Cast) -> None:
    client = login(cast.fr_officer)
    upload = SimpleUploadedFile("cases.csv", _csv(GOOD_ROWS), content_type="text/csv")
    response = client.post("/api/seizures/imports", {"file": upload, "submit": "true"})
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status"] == "done" and job["created_count"] == 2 and job["percent"] == 100
    assert Case.objects.filter(status="submitted").count() == 2
    assert client.get(f"/api/seizures/imports/{job['id']}").json()["status"] == "done"
    # Another organisation cannot see the job.
    assert login(cast.be_officer).get(f"/api/seizures/imports/{job['id']}").status_code == 404
    assert ImportJob.objects.get().created_by == cast.fr_officer


def test_export_respects_visibility_and_is_audited(login, cast: Cast) -> None:
    services.check_create_case(
        cast.actor(cast.fr_officer),
        CaseIn.model_validate(payload(distribution=Distribution.ORGANISATION)),
    )
    services.check_create_case(
        cast.actor(cast.ke_officer), CaseIn.model_validate(IVORY_AT_MOMBASA)
    )  # Kenya's, organisation only
    services.check_create_case(
        cast.actor(cast.ke_officer),
        CaseIn.model_validate(
            payload(IVORY_AT_MOMBASA, external_ref="MBA-8", distribution="network")
        ),
        submit=True,
    )
    client = login(cast.fr_admin)
    response = client.get("/api/seizures/export?format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    refs = {row["external_ref"] for row in csv.DictReader(io.StringIO(text))}
    assert refs == {COCAINE_IN_BANANAS["external_ref"], "MBA-8"}
    event = AuditEvent.objects.get(tag="seizures.case.exported")
    assert event.changes["rows"] == 2 and event.changes["format"] == "csv"
    data = json.loads(b"".join(client.get("/api/seizures/export?format=json").streaming_content))
    assert len(data) == 2
    xlsx = client.get("/api/seizures/export?format=xlsx&country=KE")
    sheet = load_workbook(io.BytesIO(xlsx.content))["cases"]
    assert sheet.max_row == 2
    # Officers may not export.
    assert login(cast.fr_officer).get("/api/seizures/export").status_code == 403


def test_an_export_imports_back(cast: Cast, login) -> None:
    _import(cast, _csv(GOOD_ROWS))
    exported = b"".join(login(cast.fr_admin).get("/api/seizures/export").streaming_content)
    Case.objects.all().delete()
    report = _import(cast, exported)
    assert report.ok, report.errors
    assert report.created == 2


_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.dictionaries(st.sampled_from(columns()), _TEXT, max_size=8), min_size=1, max_size=4
    )
)
def test_random_bad_rows_never_crash_or_import_partially(cast: Cast, rows: list[dict]) -> None:
    before = Case.objects.count()
    data = [{**GOOD_ROWS[0], **row} for row in rows]
    report = _import(cast, _csv(data))
    if not report.ok:
        assert Case.objects.count() == before
        assert all(e.reason for e in report.errors)
    Case.objects.all().delete()


def test_import_page_uploads_and_shows_the_outcome(login, cast: Cast) -> None:
    client = login(cast.fr_officer)
    page = client.get("/cases/import/").content.decode()
    assert "/cases/import/templates/drugs.xlsx" in page
    upload = SimpleUploadedFile("cases.csv", _csv(GOOD_ROWS[:1]), content_type="text/csv")
    response = client.post("/cases/import/", {"file": upload})
    assert response.status_code == 302
    job_page = client.get(response["Location"]).content.decode()
    assert "1 cases imported" in job_page
    bad = SimpleUploadedFile(
        "bad.csv",
        _csv([_row(external_ref="Z", commodity_area="drugs", quantity="x")]),
        content_type="text/csv",
    )
    job_page = client.get(client.post("/cases/import/", {"file": bad})["Location"])
    assert "quantity" in job_page.content.decode()
    refused = client.post("/cases/import/", {"file": SimpleUploadedFile("x.doc", b"x")})
    assert refused.status_code == 200 and "Unsupported file type" in refused.content.decode()


def test_export_page_and_templates(login, cast: Cast) -> None:
    _import(cast, _csv(GOOD_ROWS))
    client = login(cast.fr_admin)
    response = client.get("/cases/export/?format=csv&commodity_area=ipr")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert [r["external_ref"] for r in csv.DictReader(io.StringIO(text))] == ["A-2"]
    assert client.get("/cases/export/?format=pdf").status_code == 400
    template = client.get("/cases/import/templates/environment.csv").content.decode()
    assert "detail_species" in template
    assert client.get("/cases/import/templates/nothing.csv").status_code == 404
