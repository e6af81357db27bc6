"""Base models: UUID keys and timestamps; owner and distribution for shared records."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from opencen.core.actors import Actor

# Organisation kinds that are members of the enforcement network (see accounts.Organisation).
NETWORK_KINDS = frozenset({"customs", "rilo", "secretariat"})


class BaseModel(models.Model):
    """A UUID primary key and UTC creation/update timestamps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Distribution(models.TextChoices):
    """How far a shared record travels beyond its owning organisation."""

    ORGANISATION = "organisation", _("Organisation only")
    REGION = "region", _("Region (RILO area)")
    NETWORK = "network", _("Network (all customs members)")
    GROUPS = "groups", _("Named closed user groups")


class ShareableQuerySet(models.QuerySet[Any]):
    """The one place where need-to-know is enforced for reads and writes of shared records."""

    def visible_to(self, actor: Actor | None, action: str = "view") -> Self:
        """Records ``actor`` may see (``action="view"``) or change (``action="change"``).

        View: the owner organisation always; network members (customs, RILO, secretariat) see
        ``network`` records; members of the owner's WCO region see ``region`` records, and so
        does the secretariat; members of a named closed user group (directly or through their
        organisation) see ``groups`` records shared with it.  Rights holders and observers see
        only their own records and what a group they belong to receives.  Change: the owner
        organisation only.  Anonymous: nothing.
        """
        if actor is None:
            return self.none()
        own = Q(owner_id=actor.organisation_id)
        if action != "view":
            return self.filter(own)
        condition = own
        if actor.organisation_kind in NETWORK_KINDS:
            condition |= Q(distribution=Distribution.NETWORK)
            if actor.is_secretariat:
                condition |= Q(distribution=Distribution.REGION)
            elif actor.region_id is not None:
                condition |= Q(distribution=Distribution.REGION, owner__region_id=actor.region_id)
        if actor.group_ids:
            through = self.model._meta.get_field("groups").remote_field.through
            shared = through.objects.filter(
                **{f"{self.model._meta.model_name}_id": OuterRef("pk")},
                closedusergroup_id__in=actor.group_ids,
            )
            condition |= Q(distribution=Distribution.GROUPS) & Q(Exists(shared))
        return self.filter(condition)


class ShareableModel(BaseModel):
    """A record with an owning organisation and a distribution level.

    Invariant: every read goes through ``Model.objects.visible_to(actor)``; a record the actor
    may not see is answered 404 by every path.  ``groups`` matters only when ``distribution`` is
    ``groups``.
    """

    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    distribution = models.CharField(
        _("distribution"),
        max_length=16,
        choices=Distribution.choices,
        default=Distribution.ORGANISATION,
        db_index=True,
    )
    groups = models.ManyToManyField(
        "accounts.ClosedUserGroup", blank=True, related_name="+", verbose_name=_("groups")
    )

    objects = ShareableQuerySet.as_manager()

    class Meta:
        abstract = True
