"""The analysis facts (a flattened copy of the enforcement database) and the stored bulletins.

The fact tables are a cache of ``seizures`` (never the source of truth): one row per case and
one per goods line, kept in step by ``analytics.rollups`` and aggregated per query in memory
(``analytics.store``).  To keep need-to-know exact, every fact carries the dimensions the
access policy reads (see ``analytics.scope``):

* ``owner_id`` and ``distribution`` of the case, so ``organisation`` cases stay with
  their owner and ``region`` cases are matched against the owner organisation's *current* WCO
  region at query time (an organisation that changes region moves its cases with it, as in
  ``core.models.ShareableQuerySet``);
* ``share_set``, the exact set of closed user groups a ``groups`` case is shared with, so a
  reader counts the case only if one of their groups is in the set;
* ``draft``, because a draft stays with its owner whatever its distribution
  (``seizures.models.CaseQuerySet``);

so filtering the facts with the actor's predicate selects exactly the cases
``Case.objects.visible_to(actor)`` selects (a test compares both for every member of the cast,
for every view).  Withdrawn cases are left out.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opencen.core.models import ShareableModel


class ShareSet(models.Model):
    """One distinct set of closed user groups some ``groups`` cases are shared with.

    ``key`` is the sorted, comma-joined group ids; rows are only ever added.
    """

    key = models.TextField(unique=True)

    def __str__(self) -> str:
        return f"share set {self.pk}"


class ShareSetGroup(models.Model):
    """Membership of a group in a share set (what the visibility predicate joins on)."""

    share_set = models.ForeignKey(ShareSet, on_delete=models.CASCADE, related_name="members")
    group_id = models.UUIDField(db_index=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["share_set", "group_id"], name="share_set_group_unique")
        ]

    def __str__(self) -> str:
        return f"{self.share_set_id}: {self.group_id}"


class RollupState(models.Model):
    """How far the facts have followed the audit log (a single row, ``id=1``).

    ``synced_seq`` is the last audit event applied; ``version`` changes whenever something an
    analysis may depend on changed (cases, organisations' regions) and ``epoch`` whenever the
    facts are rebuilt: both are part of every cache key.  Its row lock serialises refreshes.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    epoch = models.UUIDField(default=uuid.uuid4)
    synced_seq = models.BigIntegerField(default=0)
    version = models.BigIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"facts at #{self.synced_seq} (v{self.version})"


class RollupMonth(models.Model):
    """The data version at which each month's facts last changed (what process caches of the
    facts compare to reload only the months that changed)."""

    month = models.DateField(primary_key=True)
    version = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.month}: v{self.version}"


class CaseFact(models.Model):
    """One non-withdrawn case, flattened: every dimension the analyses filter or group by.

    Access dimensions: ``owner_id``, ``distribution``, ``share_set`` (the exact set of groups a
    ``groups`` case is shared with) and ``draft`` (a draft stays with its owner).  ``areas`` is
    a bit mask of commodity areas (``facts.AREA_BITS``), ``pairs`` every ``area:chapter`` of
    its goods (``,drugs:12,tobacco:24,``, ``--`` for no HS code), so area and chapter filters
    stay exact at case level.  Quality flags say which key field is unknown.
    """

    case_id = models.UUIDField(unique=True)
    month = models.DateField(db_index=True)
    date = models.DateField()
    owner_id = models.UUIDField()
    distribution = models.CharField(max_length=16)
    share_set = models.ForeignKey(
        ShareSet, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    draft = models.BooleanField(default=False)
    validated = models.BooleanField(default=False)
    region_id = models.UUIDField(null=True, blank=True)
    country_id = models.CharField(max_length=2)
    transport = models.CharField(max_length=16)
    detection = models.CharField(max_length=14)
    concealment = models.CharField(max_length=20)
    place = models.CharField(max_length=5, blank=True, default="")
    areas = models.IntegerField(default=0)
    pairs = models.TextField(default=",")
    departure = models.CharField(max_length=2, blank=True, default="")
    transit = models.CharField(max_length=60, blank=True, default="")
    destination = models.CharField(max_length=2, blank=True, default="")
    delay = models.IntegerField(default=0)
    no_place = models.BooleanField(default=False)
    no_hs_code = models.BooleanField(default=False)
    no_value = models.BooleanField(default=False)
    no_route = models.BooleanField(default=False)
    unknown_transport = models.BooleanField(default=False)
    unknown_procedure = models.BooleanField(default=False)
    unknown_location = models.BooleanField(default=False)
    unknown_direction = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.case_id} {self.month}"


class GoodsFact(models.Model):
    """One goods line of a non-withdrawn case: ``quantity`` converted to ``unit``, the
    normalised unit (mass in KGM, volume in LTR, counts in H87; other units as entered)."""

    case_id = models.UUIDField(db_index=True)
    month = models.DateField(db_index=True)
    area = models.CharField(max_length=12)
    chapter = models.CharField(max_length=2, blank=True, default="")
    unit = models.CharField(max_length=3)
    quantity = models.FloatField()
    value = models.FloatField(null=True)
    currency = models.CharField(max_length=3, blank=True, default="")

    def __str__(self) -> str:
        return f"{self.case_id} {self.area} {self.quantity} {self.unit}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Report(ShareableModel):
    """An analytical bulletin: chosen views over a period and filters, with commentary.

    Shared like every record (owner, distribution, groups).  Its figures are computed once, at
    generation, over the cases its *audience* may see (see ``analytics.scope.audience_q``), so
    sharing a bulletin never reveals counts of cases a reader could not see; the distribution
    is therefore fixed at creation.  ``html`` and ``pdf`` are the generated documents.
    """

    title = models.CharField(_("title"), max_length=200)
    query = models.JSONField(_("filters"), default=dict, blank=True)
    introduction = models.TextField(_("introduction"), blank=True, default="")
    sections = models.JSONField(_("sections"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True, default="")
    scope_note = models.CharField(max_length=300, blank=True, default="")
    html = models.TextField(blank=True, default="")
    pdf = models.FileField(upload_to="analytics/reports/%Y/%m/", blank=True, default="")
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return self.title
