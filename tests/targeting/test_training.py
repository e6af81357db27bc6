"""Model versions: training on examined history in the background, activation, scoring."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from opencen.audit.models import AuditEvent
from opencen.targeting import services, training
from opencen.targeting.models import ModelVersion, TargetingSettings
from opencen.targeting.schemas import DeclarationIn
from tests.conftest import Cast
from tests.targeting.conftest import declaration, store_history, synthetic
from tests.targeting.test_api import URL, errors, post


def test_too_little_history_is_refused(login, cast: Cast) -> None:
    store_history(cast.fr, synthetic(30))
    found = errors(post(login(cast.fr_targeting), "/models", {}))
    assert "30 examined declarations" in found["window_from"]
    assert ModelVersion.objects.count() == 0


def test_training_creates_a_version_with_its_window_and_metrics(login, cast: Cast) -> None:
    store_history(cast.fr, synthetic(800, seed=3))
    client = login(cast.fr_targeting)
    response = post(client, "/models", {"activate": True})
    assert response.status_code == 202, response.content
    version = client.get(f"{URL}/models/{response.json()['id']}").json()  # ran at once in tests
    assert version["status"] == "ready" and version["number"] == 1 and version["is_active"]
    assert version["examined"] == 800
    assert version["trained_from"] < version["trained_until"]
    assert {"p@5%", "r@5%", "auc"} <= set(version["metrics"])
    assert 0.5 < version["metrics"]["auc"] <= 1
    stored = ModelVersion.objects.get(pk=version["id"])
    assert len(stored.score_quantiles) == 101 and stored.blob
    tags = set(AuditEvent.objects.filter(object_id=version["id"]).values_list("tag", flat=True))
    assert tags == {
        "targeting.model.requested",
        "targeting.model.trained",
        "targeting.model.activated",
    }

    body = post(client, "/declarations", declaration()).json()
    assert body["model_version"] == 1 and body["notes"] == []
    assert 0 <= body["score"] <= 1 and body["probability"] is not None
    assert len(body["explanation"]) == 3
    assert all(item["label"] for item in body["explanation"])


def test_a_window_and_activating_another_version(login, cast: Cast) -> None:
    history = synthetic(800, seed=4, days=200)
    store_history(cast.fr, history)
    client = login(cast.fr_targeting)
    first = post(client, "/models", {"activate": True}).json()
    until = str(history["date"].sort()[500])
    second = post(client, "/models", {"window_until": until}).json()
    second = client.get(f"{URL}/models/{second['id']}").json()
    assert second["number"] == 2 and not second["is_active"]
    assert second["trained_until"] <= until and second["examined"] < 800
    assert str(TargetingSettings.objects.get(owner=cast.fr).active_model_id) == first["id"]
    activated = post(client, f"/models/{second['id']}/activate", {})
    assert activated.status_code == 200 and activated.json()["is_active"]
    listed = client.get(f"{URL}/models").json()
    assert [(v["number"], v["is_active"]) for v in listed] == [(2, True), (1, False)]
    assert post(client, "/declarations", declaration()).json()["model_version"] == 2


def test_a_failed_training_is_kept_with_its_reason(
    login, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_history(cast.fr, synthetic(200, seed=5))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("out of memory")

    monkeypatch.setattr(training, "train_model", broken)
    client = login(cast.fr_targeting)
    version = post(client, "/models", {"activate": True}).json()
    version = client.get(f"{URL}/models/{version['id']}").json()
    assert version["status"] == "failed" and "out of memory" in version["error"]
    assert not version["is_active"]
    assert "status" in errors(post(client, f"/models/{version['id']}/activate", {}))


def test_a_rebuilt_scorer_reuses_the_parsed_model(login, cast: Cast) -> None:
    """New results rebuild the scorer (its history), not its model: parsed once per version."""
    store_history(cast.fr, synthetic(300, seed=6))
    client = login(cast.fr_targeting)
    post(client, "/models", {"activate": True})
    first = services.scorer_for(cast.fr.id)
    services.bump(cast.fr.id, history=True)
    second = services.scorer_for(cast.fr.id)
    assert second is not first
    assert second.model is not None and second.model is first.model


def test_results_feed_the_history_the_next_scoring_sees(login, cast: Cast) -> None:
    """A fraud recorded yesterday on an importer raises its past fraud rate for today's
    declarations at once (a result dated today counts from tomorrow)."""
    store_history(cast.fr, synthetic(300, seed=6))
    client = login(cast.fr_targeting)
    post(client, "/models", {"activate": True})
    row = DeclarationIn(**declaration(importer="I-NEW")).to_row()
    before = services.scorer_for(cast.fr.id).index.features_one(row)
    assert before is not None  # today's declarations take the one-row path
    assert before["hist_importer_n"] == 0.0
    two_days_ago = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    body = post(client, "/declarations", declaration(importer="I-NEW", date=two_days_ago)).json()
    outcome = {"result": "fraud", "revenue": "10", "result_date": yesterday}
    post(client, f"/declarations/{body['id']}/result", outcome)
    after = services.scorer_for(cast.fr.id).index.features_one(row)
    assert after is not None and after["hist_importer_n"] == 1.0
    assert after["hist_importer_rate"] > before["hist_importer_rate"]
