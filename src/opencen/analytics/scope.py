"""Whose cases an analysis counts: the access policy, applied to the facts.

``Scope`` is what ``core.models.ShareableQuerySet.visible_to`` reads from an actor
(organisation, kind, region, closed user groups), plus an optional *audience* restriction for
bulletins.  ``Scope.fact_filter()`` is the same predicate as ``visible_to`` expressed on the
facts' access dimensions (``owner_id``, ``distribution``, ``share_set_id``, and ``draft``: the
cases' manager keeps drafts with their owner), and ``Scope.case_q()`` the audience restriction
on the case table for the direct queries.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl
from django.db.models import Exists, OuterRef, Q

from opencen.accounts.models import Organisation
from opencen.analytics.models import ShareSetGroup
from opencen.core.actors import Actor
from opencen.core.models import NETWORK_KINDS, Distribution


@dataclass(frozen=True)
class Scope:
    """The actor whose view of the cases is used, and the audience a bulletin is for.

    ``audience`` is ``""`` (the actor's own view) or a distribution level: ``network`` keeps
    network-wide cases only, ``region`` adds the region-wide cases of ``audience_region``,
    ``organisation`` is the actor's organisation's view without the groups a single user
    belongs to (``org_group_ids`` replaces ``actor.group_ids``), ``groups`` keeps the cases
    shared with every one of ``audience_groups`` (and network-wide cases if
    ``audience_network``).
    """

    actor: Actor
    audience: str = ""
    audience_region: uuid.UUID | None = None
    audience_groups: frozenset[uuid.UUID] = field(default_factory=frozenset)
    audience_network: bool = False
    org_group_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)

    @property
    def group_ids(self) -> frozenset[uuid.UUID]:
        if self.audience == Distribution.ORGANISATION:
            return self.org_group_ids
        return self.actor.group_ids

    def signature(self) -> str:
        """A short stable digest of everything the predicate depends on (for cache keys)."""
        a = self.actor
        parts = [
            str(a.organisation_id),
            a.organisation_kind,
            str(a.region_id or ""),
            ",".join(sorted(str(g) for g in self.group_ids)),
            self.audience,
            str(self.audience_region or ""),
            ",".join(sorted(str(g) for g in self.audience_groups)),
            str(self.audience_network),
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]

    def fact_filter(self) -> pl.Expr:
        """Facts whose cases this scope may count: ``visible_to`` on the fact dimensions.

        Built once per scope (it reads the region's members and the groups' share sets)."""
        cached: pl.Expr | None = self.__dict__.get("_fact_filter")
        if cached is None:
            cached = self._fact_filter()
            self.__dict__["_fact_filter"] = cached  # a memo; the scope stays immutable
        return cached

    def _fact_filter(self) -> pl.Expr:
        actor = self.actor
        owner, distribution = pl.col("owner_id"), pl.col("distribution")
        shared = pl.lit(False)
        if actor.organisation_kind in NETWORK_KINDS:
            shared = shared | (distribution == Distribution.NETWORK)
            if actor.is_secretariat:
                shared = shared | (distribution == Distribution.REGION)
            elif actor.region_id is not None:
                shared = shared | (
                    (distribution == Distribution.REGION)
                    & owner.is_in(_region_members(actor.region_id))
                )
        if self.group_ids:
            shared = shared | (
                (distribution == Distribution.GROUPS)
                & pl.col("share_set_id").is_in(_share_sets(self.group_ids))
            )
        # A draft stays with its owner, whatever its distribution.
        visible = (owner == actor.organisation_id.hex) | (~pl.col("draft") & shared)
        return visible & self._audience_filter()

    def _audience_filter(self) -> pl.Expr:
        """What every reader of the audience sees (drafts never leave their owner)."""
        if self.audience in ("", Distribution.ORGANISATION):
            return pl.lit(True)
        distribution = pl.col("distribution")
        network = distribution == Distribution.NETWORK
        if self.audience == Distribution.NETWORK:
            audience = network
        elif self.audience == Distribution.REGION:
            members = _region_members(self.audience_region) if self.audience_region else []
            audience = network | (
                (distribution == Distribution.REGION) & pl.col("owner_id").is_in(members)
            )
        else:
            audience = distribution == Distribution.GROUPS
            for group_id in self.audience_groups:
                audience = audience & pl.col("share_set_id").is_in(_share_sets({group_id}))
            if self.audience_network:
                audience = audience | network
        return audience & ~pl.col("draft")

    def case_q(self) -> Q:
        """The audience restriction on ``seizures.Case`` (the actor's visibility comes from
        ``visible_to``); used by the direct queries."""
        if self.audience in ("", Distribution.ORGANISATION):
            return Q()
        not_draft = ~Q(status="draft")
        network = Q(distribution=Distribution.NETWORK)
        if self.audience == Distribution.NETWORK:
            return network & not_draft
        if self.audience == Distribution.REGION:
            return (
                network | Q(distribution=Distribution.REGION, owner__region_id=self.audience_region)
            ) & not_draft
        from opencen.seizures.models import Case

        through = Case.groups.through
        shared = Q(distribution=Distribution.GROUPS)
        for group_id in self.audience_groups:
            shared &= Q(
                Exists(through.objects.filter(case_id=OuterRef("pk"), closedusergroup_id=group_id))
            )
        return ((network | shared) if self.audience_network else shared) & not_draft

    def case_actor(self) -> Actor:
        """The actor to hand to ``visible_to`` for the direct queries."""
        if self.audience == Distribution.ORGANISATION:
            from dataclasses import replace

            return replace(self.actor, group_ids=self.org_group_ids)
        return self.actor


def _region_members(region_id: uuid.UUID) -> list[str]:
    """Organisations of a region now (hex ids, as in the facts)."""
    return [
        i.hex for i in Organisation.objects.filter(region_id=region_id).values_list("id", flat=True)
    ]


def _share_sets(group_ids: Iterable[uuid.UUID]) -> list[int]:
    return list(
        ShareSetGroup.objects.filter(group_id__in=list(group_ids))
        .values_list("share_set_id", flat=True)
        .distinct()
    )


def scope_of(actor: Actor) -> Scope:
    """The actor's own view: everything ``Case.objects.visible_to(actor)`` returns."""
    return Scope(actor)
