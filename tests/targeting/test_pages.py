"""The targeting pages, as a targeting officer uses them."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from opencen.targeting import services
from opencen.targeting.models import Declaration, ModelVersion, RiskProfile, TargetingSettings
from tests.conftest import Cast
from tests.targeting.conftest import declaration, store_history, synthetic
from tests.targeting.test_api import post
from tests.targeting.test_profiles import PROFILE, hand_built


def red_profile(client: Client) -> str:
    profile = post(client, "/profiles", PROFILE).json()
    post(client, f"/profiles/{profile['id']}/activate", {})
    return str(profile["id"])


def test_queue_shows_what_to_inspect_by_lane(login, cast: Cast) -> None:
    services.check_update_settings(cast.actor(cast.fr_targeting), {"random_share": 0.0})
    client = login(cast.fr_targeting)
    red_profile(client)
    post(client, "/declarations", declaration(declaration_id="Q-RED"))
    post(client, "/declarations", declaration(declaration_id="Q-GREEN", hs="0101210000"))
    page = client.get("/targeting/").content.decode()
    assert "Q-RED" in page and "Q-GREEN" not in page and "Phones" in page
    partial = client.get("/targeting/?lane=yellow", headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert body.startswith('<div id="queue">') and "Q-RED" not in body


def test_declaration_page_explains_and_records_the_result(login, cast: Cast) -> None:
    services.check_update_settings(cast.actor(cast.fr_targeting), {"random_share": 0.0})
    client = login(cast.fr_targeting)
    red_profile(client)
    body = post(client, "/declarations", declaration(date="2026-01-10")).json()
    url = f"/targeting/declarations/{body['id']}/"
    page = client.get(url).content.decode()
    assert "Phones" in page and "No result yet." in page
    refused = client.post(f"{url}result/", {"result": "1", "result_date": "2026-01-01"})
    assert refused.status_code == 200 and "cannot precede" in refused.content.decode()
    done = client.post(
        f"{url}result/", {"result": "2", "revenue": "99.5", "next": "/targeting/?lane=red"}
    )
    assert done.status_code == 302 and done["Location"] == "/targeting/?lane=red"
    stored = Declaration.objects.get(pk=body["id"])
    assert stored.result == 2 and str(stored.revenue) == "99.50"
    admin = Client()
    admin.force_login(cast.fr_admin, backend="opencen.accounts.backends.EmailBackend")
    assert "Record the result" not in admin.get(url).content.decode()
    assert admin.post(f"{url}result/", {"result": "0"}).status_code == 403


def _csv(rows: list[dict[str, object]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_upload_page_lists_row_and_field_of_a_bad_file(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    rows = [declaration(declaration_id=f"U-{i}") for i in range(3)]
    rows[2]["value"] = "a lot"
    refused = client.post("/targeting/upload/", {"file": SimpleUploadedFile("w.csv", _csv(rows))})
    page = refused.content.decode()
    assert refused.status_code == 422
    assert "<td>3</td><td><code>value</code></td>" in page and "nothing was stored" in page
    rows[2]["value"] = "10"
    done = client.post("/targeting/upload/", {"file": SimpleUploadedFile("w.csv", _csv(rows))})
    assert done.status_code == 302
    batch_page = client.get(done["Location"]).content.decode()
    assert "w.csv" in batch_page and "U-0" in batch_page
    assert Declaration.objects.count() == 3


def test_writing_checking_and_testing_a_profile(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    hand_built(client, cast)
    data = {"name": "Phones", "lane": "red", "weight": "1", "expression": 'hs startwith "8517"'}
    refused = client.post("/targeting/profiles/new/", data)
    assert "column 4:" in refused.content.decode()
    check = client.post("/targeting/profiles/check/", {"expression": 'hs startwith "8517"'})
    assert "<mark>s</mark>" in check.content.decode()
    fine = client.post("/targeting/profiles/check/", {"expression": 'hs startswith "8517"'})
    assert "The rule compiles" in fine.content.decode()
    created = client.post(
        "/targeting/profiles/new/", {**data, "expression": 'hs startswith "8517"'}
    )
    assert created.status_code == 302
    profile = RiskProfile.objects.get(name="Phones")
    tested = client.post(
        f"/targeting/profiles/{profile.pk}/test/", {}, headers={"HX-Request": "true"}
    )
    assert "<strong>10</strong> of 20 declarations" in tested.content.decode()
    assert "75 %" in tested.content.decode()
    client.post(f"/targeting/profiles/{profile.pk}/activate/")
    profile.refresh_from_db()
    assert profile.is_active
    page = client.get(f"/targeting/profiles/{profile.pk}/").content.decode()
    assert "Deactivate" in page and "75 %" in page
    edit = client.get(f"/targeting/profiles/{profile.pk}/edit/").content.decode()
    assert "hs startswith" in edit


def test_watch_list_pages(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    refused = client.post(
        "/targeting/lists/new/", {"name": "bad name!", "kind": "country", "values": "CN"}
    )
    assert "letters, digits" in refused.content.decode()
    made = client.post(
        "/targeting/lists/new/", {"name": "origins", "kind": "country", "values": "CN, VN\nBR"}
    )
    assert made.status_code == 302
    page = client.get("/targeting/profiles/").content.decode()
    assert "origins" in page and '<td class="num">3</td>' in page


def test_models_and_settings_pages(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    assert "No model yet" in client.get("/targeting/models/").content.decode()
    store_history(cast.fr, synthetic(300, seed=9))
    trained = client.post("/targeting/models/train/", {"activate": "on"})
    version = ModelVersion.objects.get()
    assert trained["Location"] == f"/targeting/models/{version.pk}/"
    page = client.get(trained["Location"]).content.decode()
    assert "Model version 1" in page and "auc" in page and "active" in page
    refused = client.post(
        "/targeting/settings/",
        {"red_share": "0.6", "yellow_share": "0.6", "blue_share": "0", "random_share": "0.1",
         "aeo_factor": "0.5"},
    )  # fmt: skip
    assert "add up to more than 1" in refused.content.decode()
    saved = client.post(
        "/targeting/settings/",
        {"red_share": "0.02", "yellow_share": "0.03", "blue_share": "0.01",
         "random_share": "0.2", "aeo_factor": "0.8"},
    )  # fmt: skip
    assert saved.status_code == 302
    row = TargetingSettings.objects.get(owner=cast.fr)
    assert (row.red_share, row.blue_share, row.random_share) == (0.02, 0.01, 0.2)


def test_performance_page(login, cast: Cast) -> None:
    client = login(cast.fr_targeting)
    assert "No examined declaration" in client.get("/targeting/performance/").content.decode()
    hand_built(client, cast)
    page = client.get("/targeting/performance/").content.decode()
    assert "Random control" in page and "44 %" in page
