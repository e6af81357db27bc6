"""The audit log: one row per event, each sealed with the hash of the one before it."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """An event in the append-only, hash-chained log.

    Invariants: ``seq`` runs 1, 2, 3, ... without gaps; ``prev_hash`` is the ``hash`` of event
    ``seq - 1`` (``GENESIS_HASH`` for the first); ``hash`` seals every other column (see
    ``audit.chain.event_hash``).  Rows are never updated or deleted: on PostgreSQL a trigger
    refuses it.  Who and which organisation are copied, not linked, so the log outlives them.
    """

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(_("when"), db_index=True)
    actor_id = models.UUIDField(null=True, blank=True, db_index=True)
    actor_email = models.CharField(_("who"), max_length=254, blank=True, default="")
    organisation_id = models.UUIDField(null=True, blank=True, db_index=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True, default="")
    via = models.CharField(_("via"), max_length=16, default="session")
    ip = models.GenericIPAddressField(_("from"), null=True, blank=True)
    tag = models.CharField(_("event"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True, default="")
    object_id = models.CharField(_("object"), max_length=64, blank=True, default="", db_index=True)
    changes = models.JSONField(_("change"), default=dict, blank=True)
    change_digest = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering: ClassVar = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.tag}"


class AuditHead(models.Model):
    """The latest sequence number and hash; its row lock serialises appends.

    Holding the head lets ``audit verify`` notice events cut from the end of the chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"head #{self.seq}"
