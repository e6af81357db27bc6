"""Cases (seizures and offences) with their goods, route and non-nominal offenders.

There is deliberately no field for a person: offenders are counted by nationality, gender and
age band.  Free text passes the personal-data gate before it is stored (see services).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opencen.core.models import BaseModel, ShareableModel, ShareableQuerySet
from opencen.seizures.areas import AREA_CHOICES

if TYPE_CHECKING:
    from opencen.core.actors import Actor
from opencen.seizures.choices import (
    AgeBand,
    CaseKind,
    Concealment,
    Detection,
    Direction,
    Gender,
    LocationType,
    Procedure,
    RouteRole,
    Status,
    Transport,
)


class CaseQuerySet(ShareableQuerySet):
    """Cases follow the shared policy, except that a draft stays with its owner until it is
    submitted, whatever its distribution level."""

    def visible_to(self, actor: Actor | None, action: str = "view") -> Self:
        qs = super().visible_to(actor, action)
        if actor is None or action != "view":
            return qs
        return qs.filter(Q(owner_id=actor.organisation_id) | ~Q(status=Status.DRAFT))


class Case(ShareableModel):
    """A seizure or an offence reported by one administration.

    Invariants: ``reference`` is unique and never reused; ``external_ref`` is unique per owner
    (it is how re-imports find what is already there); ``region`` is the WCO region of
    ``country`` at entry, kept for filtering; ``search_text``, ``goods_areas`` and
    ``goods_chapters`` are rebuilt by the services on every write.  Changes go through
    ``seizures.services`` only, which records the audit trail.
    """

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    external_ref = models.CharField(_("external reference"), max_length=64, blank=True, default="")
    kind = models.CharField(
        _("kind"), max_length=10, choices=CaseKind.choices, default=CaseKind.SEIZURE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    date = models.DateField(_("date of seizure"), db_index=True)
    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    region = models.ForeignKey(
        "reference.WcoRegion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("WCO region"),
    )
    place = models.ForeignKey(
        "reference.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place (UN/LOCODE)"),
    )
    procedure = models.CharField(_("customs procedure"), max_length=14, choices=Procedure.choices)
    location_type = models.CharField(
        _("location type"), max_length=14, choices=LocationType.choices
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    detection = models.CharField(
        _("detection method"), max_length=14, choices=Detection.choices, db_index=True
    )
    risk_profile = models.CharField(
        _("risk profile that fired"), max_length=120, blank=True, default=""
    )
    transport = models.CharField(
        _("means of transport"), max_length=16, choices=Transport.choices, db_index=True
    )
    concealment = models.CharField(
        _("concealment method"), max_length=20, choices=Concealment.choices, db_index=True
    )
    vessel_imo = models.CharField(_("vessel IMO number"), max_length=7, blank=True, default="")
    flight_number = models.CharField(_("flight number"), max_length=8, blank=True, default="")
    container_number = models.CharField(
        _("container number"), max_length=11, blank=True, default=""
    )
    summary = models.TextField(_("summary"), blank=True, default="")
    search_text = models.TextField(editable=False, default="")
    # The commodity areas and HS chapters of the case's goods lines, sorted: a copy kept on the
    # case row so that searches combine them with other filters through indexes (GIN on
    # PostgreSQL, migration 0007).  Written with the goods, by the services.
    goods_areas = models.JSONField(editable=False, default=list)
    goods_chapters = models.JSONField(editable=False, default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_reason = models.CharField(max_length=300, blank=True, default="")

    objects = CaseQuerySet.as_manager()  # type: ignore[misc]  # narrows the shared manager

    class Meta:
        ordering: ClassVar = ["-date", "-created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["owner", "external_ref"],
                condition=~Q(external_ref=""),
                name="case_external_ref_unique_per_owner",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["country", "date"]),
            models.Index(fields=["region", "date"]),
            models.Index(fields=["owner", "date"]),
        ]

    def __str__(self) -> str:
        return self.reference


class GoodsLine(BaseModel):
    """What was seized: one commodity with its HS code, quantity, value and area details."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goods")
    line_no = models.PositiveSmallIntegerField()
    commodity_area = models.CharField(
        _("commodity area"), max_length=12, choices=AREA_CHOICES, db_index=True
    )
    hs_code = models.ForeignKey(
        "reference.HsCode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("HS code"),
    )
    hs_chapter = models.CharField(max_length=2, blank=True, default="", db_index=True)
    description = models.CharField(_("description"), max_length=500, blank=True, default="")
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=3)
    unit = models.ForeignKey(
        "reference.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    value = models.DecimalField(
        _("estimated value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    currency = models.ForeignKey(
        "reference.Currency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("currency"),
    )
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering: ClassVar = ["case", "line_no"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "line_no"], name="goods_line_no_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="goods_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.line_no} {self.commodity_area}"


class RouteLeg(models.Model):
    """One country (and optionally a place) on the route, in order from departure."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="route")
    position = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=12, choices=RouteRole.choices)
    country = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey(
        "reference.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["case", "position"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "position"], name="route_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.role} {self.country_id}"


class OffenderGroup(models.Model):
    """Non-nominal offenders: how many people of one nationality, gender and age band."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="offenders")
    nationality = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gender = models.CharField(max_length=8, choices=Gender.choices, default=Gender.UNKNOWN)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(count__gte=1), name="offender_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.count} × {self.nationality_id or '?'} {self.gender} {self.age_band}"


class CaseCounter(models.Model):
    """The last reference number given per owner and year; its row lock serialises numbering."""

    owner = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["owner", "year"], name="case_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.year}: {self.last}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Checking")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


class ImportJob(BaseModel):
    """One uploaded file and what became of it.

    Visible to the uploader's organisation.  ``errors`` holds the (row, column, reason) list of
    a rejected file; a file is imported whole or not at all, so ``created_count`` is either the
    number of new cases or zero.
    """

    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(max_length=255)
    fmt = models.CharField(max_length=8)
    file = models.FileField(upload_to="imports/%Y/%m/")
    submit = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    cases_total = models.PositiveIntegerField(default=0)
    cases_checked = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500, blank=True, default="")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.DONE, ImportStatus.REJECTED):
            return 100
        return int(100 * self.cases_checked / self.cases_total) if self.cases_total else 0
