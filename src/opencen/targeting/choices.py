"""Choices of the targeting app: lanes, who selected, examination results, statuses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Lane(models.TextChoices):
    """Selectivity lanes (the engine's :class:`opencen.engine.selection.Lane`)."""

    RED = "red", _("Red: physical examination")
    YELLOW = "yellow", _("Yellow: documentary check")
    BLUE = "blue", _("Blue: post-clearance audit")
    GREEN = "green", _("Green: release")


INSPECTION_LANES = (Lane.RED, Lane.YELLOW, Lane.BLUE)


class SelectedBy(models.TextChoices):
    """Why a declaration is in an inspection lane (blank: released green by default)."""

    NONE = "", _("not selected")
    CONTROL = "control", _("random control")
    PROFILE = "profile", _("risk profile")
    MODEL = "model", _("risk model")


class Result(models.IntegerChoices):
    """Outcome of an examination (the engine's :class:`opencen.engine.schema.Result`)."""

    NO_FRAUD = 0, _("No fraud")
    FRAUD = 1, _("Fraud")
    CRITICAL = 2, _("Critical (public safety)")


class Source(models.TextChoices):
    """How a batch of declarations arrived."""

    API = "api", _("API")
    CSV = "csv", _("CSV file")
    PARQUET = "parquet", _("Parquet file")
    DEMO = "demo", _("demo data")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("scoring")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ModelStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    TRAINING = "training", _("training")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class ListKind(models.TextChoices):
    """What a watch list holds (a hint for people; rules see strings either way)."""

    PARTY = "party", _("parties (importers, declarants, sellers, couriers)")
    HS = "hs", _("HS codes or prefixes")
    COUNTRY = "country", _("countries (ISO 3166 alpha-2)")
    OTHER = "other", _("other values")
