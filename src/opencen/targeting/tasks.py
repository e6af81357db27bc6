"""Background work of targeting: training a model version, scoring a large uploaded file."""

from __future__ import annotations

import logging

import polars as pl
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from opencen.accounts.actors import actor_for
from opencen.core.actors import Actor
from opencen.targeting import training
from opencen.targeting.choices import BatchStatus
from opencen.targeting.models import Batch, ModelVersion
from opencen.targeting.services import store_batch

logger = logging.getLogger(__name__)


def _actor(user: object) -> Actor | None:
    from opencen.accounts.models import User

    return actor_for(user, via="task") if isinstance(user, User) else None


@task()
def train_version(version_id: str) -> str:
    """Train a queued model version; returns its final status."""
    version = ModelVersion.objects.select_related("created_by__organisation").get(pk=version_id)
    return str(training.train_version(version.pk, _actor(version.created_by)).status)


@task()
def score_batch(batch_id: str) -> str:
    """Score and store the declarations of a large upload (validated before it was queued)."""
    batch = Batch.objects.select_related("created_by__organisation").get(pk=batch_id)
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    try:
        with batch.file.open("rb") as stream:
            frame = pl.read_parquet(stream)
        store_batch(_actor(batch.created_by), batch, frame)
    except Exception:
        logger.exception("scoring batch %s failed", batch_id)
        Batch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED,
            finished_at=timezone.now(),
            message=_("Scoring stopped on an internal error; nothing was stored."),
        )
        return str(BatchStatus.FAILED)
    batch.file.delete(save=False)
    Batch.objects.filter(pk=batch.pk).update(file="")
    return str(BatchStatus.DONE)
