"""Declarations and their lanes, risk profiles and watch lists, model versions, settings.

Targeting data is national: every row belongs to one customs administration (``owner``) and is
never shared, so every read filters on the actor's organisation (see ``selectors``) and another
organisation's row answers 404.  Writes go through ``services``, ``profiles`` and ``training``,
which record the audit trail.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opencen.core.models import BaseModel
from opencen.targeting.choices import (
    BatchStatus,
    Lane,
    ListKind,
    ModelStatus,
    Result,
    SelectedBy,
    Source,
)


class TargetingSettings(BaseModel):
    """One administration's selection policy, active model and cache revisions.

    Invariants: one row per organisation (created on first use); ``active_model`` belongs to
    the same organisation and is ready; the lane shares add up to at most 1.
    ``profiles_revision`` changes whenever a profile or watch list does and
    ``history_revision`` whenever an examination result is stored, so scoring processes know
    when their cached engine is stale.
    """

    owner = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    red_share = models.FloatField(_("red lane budget (share of declarations)"), default=0.05)
    yellow_share = models.FloatField(_("yellow lane budget (share of declarations)"), default=0.05)
    blue_share = models.FloatField(_("blue lane budget (share of declarations)"), default=0.0)
    random_share = models.FloatField(_("random control share of each lane"), default=0.1)
    aeo_factor = models.FloatField(_("priority factor for AEO parties"), default=0.5)
    active_model = models.ForeignKey(
        "targeting.ModelVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("active model"),
    )
    profiles_revision = models.PositiveIntegerField(default=0)
    history_revision = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"targeting settings of {self.owner_id}"


class Batch(BaseModel):
    """A set of declarations that arrived together (API batch, CSV or Parquet file, demo).

    ``lanes`` counts the declarations per lane once scored; ``file`` keeps the validated
    declarations of a large upload until the background task has scored them.
    """

    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("administration"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    filename = models.CharField(_("file"), max_length=255, blank=True, default="")
    history = models.BooleanField(_("history with results"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("declarations"), default=0)
    lanes = models.JSONField(default=dict, blank=True)
    notes = models.JSONField(default=list, blank=True)
    file = models.FileField(upload_to="targeting/batches/%Y/%m/", blank=True)
    message = models.CharField(max_length=500, blank=True, default="")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name_plural = "batches"

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.filename} ({self.total})"


class Declaration(BaseModel):
    """One declaration (goods item) with its risk assessment and examination result.

    The declaration columns mirror the engine schema (``opencen.engine.schema.COLUMNS``;
    ``reference`` is its ``declaration_id``).  Invariants: ``reference`` is unique per owner;
    a scored declaration has ``lane`` and ``selected_at``; ``explanation`` lists the top
    feature contributions (``[{"feature", "contribution"}]``) and ``matched_profiles`` the ids
    of the profiles that matched at scoring time; ``result`` is null until an examination result
    is recorded, then ``result_date`` is set and is never before ``date``.
    """

    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("administration"),
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="declarations"
    )
    reference = models.CharField(_("declaration number"), max_length=64)
    date = models.DateField(_("acceptance date"))
    office = models.CharField(_("customs office"), max_length=32)
    procedure = models.CharField(_("procedure"), max_length=16, blank=True, default="")
    transport_mode = models.CharField(_("transport mode"), max_length=16, blank=True, default="")
    declarant = models.CharField(_("declarant"), max_length=64)
    importer = models.CharField(_("importer"), max_length=64)
    seller = models.CharField(_("seller / consignor"), max_length=64, blank=True, default="")
    courier = models.CharField(_("courier"), max_length=64, blank=True, default="")
    hs = models.CharField(_("HS code"), max_length=10)
    origin = models.CharField(_("origin"), max_length=2)
    departure = models.CharField(_("departure"), max_length=2, blank=True, default="")
    tax_rate = models.FloatField(_("duty rate (%)"), null=True, blank=True)
    tax_type = models.CharField(_("duty rate type"), max_length=16, blank=True, default="")
    net_mass = models.FloatField(_("net mass (kg)"))
    value = models.DecimalField(_("customs value"), max_digits=20, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    declarant_aeo = models.BooleanField(_("declarant is AEO"), null=True, blank=True)
    importer_aeo = models.BooleanField(_("importer is AEO"), null=True, blank=True)
    seller_aeo = models.BooleanField(_("seller is AEO"), null=True, blank=True)
    description = models.TextField(_("description of the goods"), blank=True, default="")

    score = models.FloatField(_("risk score"), null=True, blank=True)
    probability = models.FloatField(_("calibrated probability"), null=True, blank=True)
    priority = models.FloatField(_("priority"), null=True, blank=True)
    lane = models.CharField(_("lane"), max_length=8, choices=Lane.choices, blank=True, default="")
    selected_by = models.CharField(
        _("selected by"), max_length=8, choices=SelectedBy.choices, blank=True, default=""
    )
    explanation = models.JSONField(_("explanation"), default=list, blank=True)
    matched_profiles = models.JSONField(_("matched profiles"), default=list, blank=True)
    model_version = models.ForeignKey(
        "targeting.ModelVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("model version"),
    )
    selected_at = models.DateTimeField(_("selected at"), null=True, blank=True)

    result = models.SmallIntegerField(
        _("examination result"), choices=Result.choices, null=True, blank=True
    )
    revenue = models.DecimalField(
        _("additional revenue"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    result_date = models.DateField(_("result date"), null=True, blank=True)
    result_note = models.CharField(_("note"), max_length=500, blank=True, default="")
    examined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    examined_at = models.DateTimeField(_("result recorded at"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-date", "-created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["owner", "reference"], name="targeting_declaration_reference_per_owner"
            ),
            models.CheckConstraint(
                condition=Q(result__isnull=True) | Q(result_date__gte=models.F("date")),
                name="targeting_result_not_before_declaration",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["owner", "lane", "result"], name="targeting_queue"),
            models.Index(fields=["owner", "date"], name="targeting_owner_date"),
            models.Index(fields=["owner", "result"], name="targeting_examined"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_examined(self) -> bool:
        return self.result is not None


class WatchList(BaseModel):
    """A named list of values that profiles use as ``list "name"`` (parties, HS codes...).

    Invariant: ``name`` is unique per owner; ``values`` is a list of distinct non-empty strings.
    """

    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("administration"),
    )
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=10, choices=ListKind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True, default="")
    values = models.JSONField(_("values"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["owner", "name"], name="targeting_list_name_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class RiskProfile(BaseModel):
    """An analyst's risk profile: a rule in the profile language, lane, weight, validity.

    Invariants: ``name`` is unique per owner; ``expression`` compiled without error against
    the owner's watch lists when it was last saved; only active profiles score declarations,
    from ``valid_from`` to ``valid_until`` (inclusive, declaration dates).  ``last_test`` keeps
    the figures of the latest test over the stored history.
    """

    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("administration"),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, default="")
    expression = models.TextField(_("rule"))
    lane = models.CharField(_("target lane"), max_length=8, choices=Lane.choices)
    weight = models.FloatField(_("weight"), default=1.0)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    last_test = models.JSONField(default=dict, blank=True)
    tested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-is_active", "-weight", "name"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["owner", "name"], name="targeting_profile_name_per_owner"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ModelVersion(BaseModel):
    """A risk model trained on the owner's examined history, with its data window and metrics.

    Invariants: ``number`` counts the owner's versions from 1; a ready version has ``blob``
    (the engine's JSON document, ``RiskModel.to_bytes``), ``metrics`` (ranking report on the
    time-based validation window) and ``score_quantiles`` (101 quantiles of its scores on
    recent declarations, used to select single declarations against the lane budgets).
    """

    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("administration"),
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=ModelStatus.choices, default=ModelStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    window_from = models.DateField(_("history from"), null=True, blank=True)
    window_until = models.DateField(_("history until"), null=True, blank=True)
    trained_from = models.DateField(_("trained from"), null=True, blank=True)
    trained_until = models.DateField(_("trained until"), null=True, blank=True)
    examined = models.PositiveIntegerField(_("examined declarations"), default=0)
    fraud_rate = models.FloatField(_("fraud rate"), null=True, blank=True)
    metrics = models.JSONField(_("validation metrics"), default=dict, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    score_quantiles = models.JSONField(default=list, blank=True)
    blob = models.BinaryField(null=True, blank=True, editable=False)
    error = models.CharField(max_length=500, blank=True, default="")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["owner", "number"], name="targeting_model_number_per_owner"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.number}"
