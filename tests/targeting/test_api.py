"""Submitting declarations through the API: one, a batch, files; results; who sees what."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from opencen.audit.models import AuditEvent
from opencen.core.permissions import Role
from opencen.targeting import services
from opencen.targeting.models import Batch, Declaration, TargetingSettings
from tests.conftest import Cast
from tests.factories import UserFactory
from tests.targeting.conftest import declaration, synthetic

URL = "/api/targeting"


def post(client: Client, path: str, data: Any) -> Any:
    return client.post(f"{URL}{path}", data, content_type="application/json")


def errors(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["reason"] for e in response.json()["errors"]}


def no_control(cast: Cast) -> None:
    """Switch the random control off, so lanes are deterministic."""
    services.check_update_settings(cast.actor(cast.fr_targeting), {"random_share": 0.0})


def test_one_declaration_is_scored_and_stored_without_a_model(login, cast: Cast) -> None:
    no_control(cast)
    response = post(login(cast.fr_targeting), "/declarations", declaration())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["declaration_id"] == "FR-D-1"
    assert body["lane"] == "green" and body["selected_by"] == ""
    assert body["score"] is None and body["explanation"] == [] and body["model_version"] is None
    assert any("no active model" in note for note in body["notes"])
    stored = Declaration.objects.get(pk=body["id"])
    assert stored.owner_id == cast.fr.id and stored.value == pytest.approx(15000)
    assert stored.selected_at is not None
    assert AuditEvent.objects.filter(
        tag="targeting.declaration.scored", object_id=body["id"]
    ).exists()


def test_an_active_profile_forces_its_lane_and_is_named_in_the_answer(login, cast: Cast) -> None:
    no_control(cast)
    client = login(cast.fr_targeting)
    profile = post(
        client,
        "/profiles",
        {"name": "Phones from CN", "expression": 'hs startswith "8517" and origin = "CN"',
         "lane": "red", "weight": 2},
    ).json()  # fmt: skip
    assert post(client, f"/profiles/{profile['id']}/activate", {}).status_code == 200
    body = post(client, "/declarations", declaration()).json()
    assert body["lane"] == "red" and body["selected_by"] == "profile"
    assert body["matched_profiles"] == [
        {"id": profile["id"], "name": "Phones from CN", "lane": "red", "weight": 2.0}
    ]
    other = post(client, "/declarations", declaration(declaration_id="FR-D-2", origin="VN"))
    assert other.json()["lane"] == "green" and other.json()["matched_profiles"] == []


def test_bad_and_repeated_declarations_are_refused_with_the_field(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    found = errors(post(client, "/declarations", declaration(hs="85A7", origin="China")))
    assert set(found) == {"hs", "origin"}
    found = errors(post(client, "/declarations", declaration(value="-3", date="2026-02-30")))
    assert set(found) == {"value", "date"}
    assert post(client, "/declarations", declaration()).status_code == 201
    assert "declaration_id" in errors(post(client, "/declarations", declaration()))
    assert Declaration.objects.count() == 1


def test_a_batch_is_scored_whole_with_items_in_order(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    items = [declaration(declaration_id=f"B-{i}") for i in range(3)]
    response = post(client, "/declarations/batch", items)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total"] == 3 and body["status"] == "done"
    assert [d["declaration_id"] for d in body["declarations"]] == ["B-0", "B-1", "B-2"]
    assert sum(body["lanes"].values()) == 3
    assert AuditEvent.objects.filter(tag="targeting.batch.stored", object_id=body["id"]).exists()


def test_a_bad_batch_names_the_item_and_stores_nothing(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    post(client, "/declarations", declaration(declaration_id="OLD"))
    items = [
        declaration(declaration_id="N-0"),
        declaration(declaration_id="OLD"),
        declaration(declaration_id="N-0"),
        declaration(declaration_id="N-3", hs="12"),
    ]
    found = errors(post(client, "/declarations/batch", items))
    assert "[3].hs" in found
    items[3]["hs"] = "1201"
    found = errors(post(client, "/declarations/batch", items))
    assert set(found) == {"[1].declaration_id", "[2].declaration_id"}
    assert Declaration.objects.count() == 1 and Batch.objects.count() == 0


def test_a_large_batch_meets_the_budgets_exactly(login, cast: Cast) -> None:
    """400 declarations, 5% red and 5% yellow, 10% control: 2 control draws per lane, and
    without a model the model's share of each budget stays unused."""
    client = login(cast.fr_targeting)
    body = post(
        client, "/declarations/batch", [declaration(declaration_id=f"L-{i}") for i in range(400)]
    ).json()
    assert body["lanes"] == {"red": 2, "yellow": 2, "blue": 0, "green": 396}
    chosen = Declaration.objects.exclude(lane="green")
    assert {d.selected_by for d in chosen} == {"control"}
    assert body["notes"]


def _csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(client: Client, name: str, content: bytes, **extra: Any) -> Any:
    return client.post(f"{URL}/uploads", {"file": SimpleUploadedFile(name, content), **extra})


def test_a_good_csv_file_is_stored_and_scored(login, cast: Cast) -> None:
    rows = [declaration(declaration_id=f"C-{i}") for i in range(5)]
    response = upload(login(cast.fr_targeting), "week.csv", _csv(rows))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "csv" and body["filename"] == "week.csv" and body["total"] == 5
    assert Declaration.objects.filter(batch_id=body["id"]).count() == 5


def test_a_bad_csv_file_is_answered_with_row_and_field_and_nothing_is_stored(
    login, cast: Cast
) -> None:
    rows = [declaration(declaration_id=f"C-{i}") for i in range(4)]
    rows[1]["hs"] = "85A7"
    rows[2]["date"] = "2026-02-30"
    rows[3]["net_mass"] = "heavy"
    response = upload(login(cast.fr_targeting), "week.csv", _csv(rows))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    found = {(e["row"], e["field"]) for e in body["errors"]}
    assert found == {(3, "date"), (4, "net_mass")}
    # The engine checks value rules (HS pattern, countries, signs) once every value converts.
    rows[2]["date"], rows[3]["net_mass"] = "2026-02-28", "12"
    rows[0]["origin"] = "fr"
    body = upload(login(cast.fr_targeting), "week.csv", _csv(rows)).json()
    assert {(e["row"], e["field"]) for e in body["errors"]} == {(1, "origin"), (2, "hs")}
    assert Declaration.objects.count() == 0 and Batch.objects.count() == 0


def test_a_file_without_a_required_column_names_the_column(login, cast: Cast) -> None:
    rows = [declaration(declaration_id="C-1")]
    del rows[0]["importer"]
    body = upload(login(cast.fr_targeting), "x.csv", _csv(rows)).json()
    assert body["errors"] == [
        {"row": None, "field": "importer", "reason": "missing required column"}
    ]


def test_parquet_files_good_and_bad(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    frame = synthetic(20, outcome=False)
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    ok = upload(client, "batch.parquet", buffer.getvalue())
    assert ok.status_code == 201, ok.content
    assert ok.json()["source"] == "parquet" and ok.json()["total"] == 20
    bad = frame.with_columns(
        pl.col("declaration_id") + "-b",
        pl.when(pl.int_range(pl.len()) == 6).then(-1.0).otherwise(pl.col("value")).alias("value"),
    )
    buffer = io.BytesIO()
    bad.write_parquet(buffer)
    refused = upload(client, "batch.parquet", buffer.getvalue())
    assert refused.status_code == 422
    assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [(7, "value")]
    assert Declaration.objects.count() == 20


def test_files_that_cannot_be_read_or_repeat_declarations(login, cast: Cast, settings) -> None:
    client = login(cast.fr_targeting)
    body = upload(client, "notes.docx", b"hello").json()
    assert body["errors"][0]["field"] == "file"
    assert upload(client, "empty.csv", b"").json()["errors"][0]["reason"] == "The file is empty."
    settings.OPENCEN_IMPORT_MAX_MB = 0
    assert "larger than" in upload(client, "a.csv", b"x").json()["errors"][0]["reason"]
    settings.OPENCEN_IMPORT_MAX_MB = 50
    body = upload(client, "x.parquet", b"not parquet at all").json()
    assert body["errors"][0]["field"] == "file" and body["errors"][0]["row"] is None
    rows = [declaration(declaration_id="R-1"), declaration(declaration_id="R-2")]
    assert upload(client, "a.csv", _csv(rows)).status_code == 201
    again = upload(client, "b.csv", _csv([declaration(declaration_id="R-3"), rows[1]]))
    assert [(e["row"], e["field"]) for e in again.json()["errors"]] == [(2, "declaration_id")]


def test_history_files_carry_results_and_are_not_scored(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    rows = [
        {**declaration(declaration_id="H-1", date="2026-01-05"), "result": "fraud",
         "revenue": "120.5", "result_date": "2026-01-09"},
        {**declaration(declaration_id="H-2", date="2026-01-06"), "result": "no_fraud",
         "revenue": "", "result_date": ""},
    ]  # fmt: skip
    response = upload(client, "history.csv", _csv(rows), history="true")
    assert response.status_code == 201, response.content
    first, second = Declaration.objects.order_by("reference")
    assert (first.result, first.lane, str(first.revenue)) == (1, "", "120.50")
    assert second.result == 0 and str(second.result_date) == "2026-01-06"
    assert TargetingSettings.objects.get(owner=cast.fr).history_revision == 1
    rows[0]["result"] = "maybe"
    rows[0]["declaration_id"] = "H-3"
    rows[1]["declaration_id"] = "H-4"
    refused = upload(client, "history.csv", _csv(rows), history="true")
    assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [(1, "result")]


def test_large_files_are_scored_in_the_background(
    login, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "SYNC_ROWS", 3)
    client = login(cast.fr_targeting)
    rows = [declaration(declaration_id=f"BG-{i}") for i in range(6)]
    response = upload(client, "big.csv", _csv(rows))
    assert response.status_code == 202
    batch = client.get(f"{URL}/batches/{response.json()['id']}").json()
    assert batch["status"] == "done" and batch["total"] == 6  # the test backend runs at once
    assert Declaration.objects.count() == 6
    assert not Batch.objects.get(pk=batch["id"]).file


def test_recording_a_result(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    body = post(client, "/declarations", declaration(date="2026-01-10")).json()
    response = post(
        client,
        f"/declarations/{body['id']}/result",
        {"result": "fraud", "revenue": "830.10", "result_date": "2026-01-12", "note": "false HS"},
    )
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["result"] == "fraud" and out["revenue"] == "830.10"
    assert out["result_date"] == "2026-01-12"
    event = AuditEvent.objects.get(tag="targeting.result.recorded", object_id=body["id"])
    assert event.changes["result"] == [None, 1]
    found = errors(
        post(
            client, f"/declarations/{body['id']}/result", {"result": 1, "result_date": "2026-01-01"}
        )
    )
    assert "result_date" in found
    assert "result" in errors(post(client, f"/declarations/{body['id']}/result", {"result": 7}))


def test_another_administrations_declarations_are_not_found(login, cast: Cast) -> None:
    fr = login(cast.fr_targeting)
    body = post(fr, "/declarations", declaration()).json()
    be_targeting = UserFactory(
        email="targeting@be.test", organisation=cast.be, role=Role.TARGETING_OFFICER
    )
    for user in (be_targeting, cast.sec_admin):
        other = Client()
        other.force_login(user, backend="opencen.accounts.backends.EmailBackend")
        assert other.get(f"{URL}/declarations/{body['id']}").status_code == 404
        result = post(other, f"/declarations/{body['id']}/result", {"result": 1})
        assert result.status_code == 404
        assert other.get(f"{URL}/declarations").json()["count"] == 0
        assert other.get(f"{URL}/batches/{body['id']}").status_code == 404
    # The same number may be used by another administration: numbers are per owner.
    be = Client()
    be.force_login(be_targeting, backend="opencen.accounts.backends.EmailBackend")
    assert post(be, "/declarations", declaration()).status_code == 201


def test_only_targeting_roles_submit_and_org_admins_read(login, cast: Cast) -> None:
    assert post(login(cast.fr_officer), "/declarations", declaration()).status_code == 403
    admin = login(cast.fr_admin)
    assert post(admin, "/declarations", declaration()).status_code == 403
    assert admin.get(f"{URL}/declarations").status_code == 200
    assert admin.get(f"{URL}/queue").status_code == 200


def test_the_answer_matches_the_openapi_document(login, cast: Cast) -> None:
    from opencen.api import api
    from tests.openapi import assert_matches_schema

    schema = json.loads(json.dumps(api.get_openapi_schema()))
    body = post(login(cast.fr_targeting), "/declarations", declaration()).json()
    assert_matches_schema(schema, f"{URL}/declarations", "post", 201, body)
