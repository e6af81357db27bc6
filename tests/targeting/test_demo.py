"""The demo loader: a year of synthetic declarations through the real scoring path."""

from __future__ import annotations

from opencen.targeting.demo import load_demo_declarations
from opencen.targeting.models import Declaration, ModelVersion, RiskProfile, TargetingSettings
from opencen.targeting.performance import performance
from tests.conftest import Cast


def test_demo_data_has_history_a_model_a_queue_and_figures(cast: Cast) -> None:
    summary = load_demo_declarations(cast.fr, n=4000)
    assert summary.declarations == 4000 and summary.examined > 60
    assert summary.model_version == 1 and summary.profiles == 4
    version = ModelVersion.objects.get(owner=cast.fr)
    assert TargetingSettings.objects.get(owner=cast.fr).active_model_id == version.pk
    assert RiskProfile.objects.filter(owner=cast.fr, is_active=True).count() == 3
    waiting = Declaration.objects.filter(owner=cast.fr, result__isnull=True).exclude(lane="green")
    assert waiting.exists()  # the last two weeks wait in the queue
    assert Declaration.objects.filter(owner=cast.fr, model_version=version).exists()
    figures = performance(cast.fr.id).overall
    assert {"control", "model"} <= set(figures)
    assert load_demo_declarations(cast.fr, n=4000).skipped
