"""Organisations of the network, their users and roles, API tokens and closed user groups."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencen.core.models import BaseModel
from opencen.core.permissions import ROLE_LABELS, Role


class OrganisationKind(models.TextChoices):
    CUSTOMS = "customs", _("Customs administration")
    RILO = "rilo", _("Regional Intelligence Liaison Office")
    SECRETARIAT = "secretariat", _("Secretariat")
    RIGHTS_HOLDER = "rights_holder", _("Rights holder")
    OBSERVER = "observer", _("Observer")


# Which roles a user may hold in each kind of organisation.
ROLES_BY_KIND: dict[str, frozenset[Role]] = {
    OrganisationKind.CUSTOMS: frozenset(
        {Role.OFFICER, Role.ANALYST, Role.TARGETING_OFFICER, Role.IPR_OFFICER, Role.ORG_ADMIN}
    ),
    OrganisationKind.RILO: frozenset({Role.ANALYST, Role.ORG_ADMIN}),
    OrganisationKind.SECRETARIAT: frozenset({Role.SECRETARIAT_ADMIN, Role.ANALYST}),
    OrganisationKind.RIGHTS_HOLDER: frozenset({Role.RIGHTS_HOLDER_USER, Role.ORG_ADMIN}),
    OrganisationKind.OBSERVER: frozenset({Role.OBSERVER}),
}


class Organisation(BaseModel):
    """A member of the network.

    A customs administration has a country (ISO 3166 alpha-2) and the WCO region that country
    belongs to; a RILO has the region it covers; the secretariat, rights holders and observers
    have no region.  ``region`` drives the ``region`` distribution level.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=2, blank=True, default="")
    region = models.ForeignKey(
        "reference.WcoRegion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("WCO region"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~Q(kind="customs") | ~Q(country=""),
                name="customs_organisation_has_country",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def allowed_roles(self) -> frozenset[Role]:
        return ROLES_BY_KIND.get(self.kind, frozenset())


class UserManager(BaseUserManager["User"]):
    """Users are identified by their e-mail address, stored lower-cased."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("users need an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A person who logs in by e-mail, belongs to one organisation and holds one role there.

    Django's own permission tables are not used: what a user may do comes from their role through
    ``opencen.core.permissions``.  ``totp_secret`` is stored encrypted (see accounts.mfa).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", verbose_name=_("organisation")
    )
    role = models.CharField(
        _("role"), max_length=32, choices=[(r.value, ROLE_LABELS[r]) for r in Role]
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    inactivity_warned_at = models.DateTimeField(null=True, blank=True)
    deactivated_reason = models.CharField(max_length=200, blank=True, default="")
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    totp_secret = models.TextField(blank=True, default="")
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    totp_last_step = models.BigIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering: ClassVar = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def has_second_factor(self) -> bool:
        return self.totp_confirmed_at is not None

    def is_locked(self, now: Any = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


class ApiToken(BaseModel):
    """A personal API token: shown once, stored as a SHA-256 digest, scoped, expiring, revocable.

    The token is ``ocn_<prefix>_<secret>``; ``prefix`` finds the row, the digest of the whole
    token proves it.  ``scopes`` narrow the owner's role permissions, never widen them.
    Every use is an :class:`ApiTokenUse` row; ``last_used_at`` and ``use_count`` summarise
    them and are refreshed at most once a minute (``services.TOKEN_USE_EVERY``).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    use_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def is_usable(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class ApiTokenUse(models.Model):
    """One authenticated request made with a token: when, from where, what."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)

    class Meta:
        ordering: ClassVar = ["-at"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} at {self.at:%Y-%m-%d %H:%M:%S}"


class ClosedUserGroup(BaseModel):
    """A closed user group (CUG): a named audience for records shared beyond the organisation.

    The owner organisation manages it.  With ``hidden_membership``, members see the group and
    their own membership but not who else belongs; the owner always sees the members.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True, default="")
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="owned_groups", verbose_name=_("owner")
    )
    hidden_membership = models.BooleanField(_("hidden membership"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMembership(BaseModel):
    """One member of a closed user group: a whole organisation or one user, never both."""

    group = models.ForeignKey(ClosedUserGroup, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(user__isnull=True))
                | (Q(organisation__isnull=True) & Q(user__isnull=False)),
                name="membership_is_organisation_xor_user",
            ),
            models.UniqueConstraint(
                fields=["group", "organisation"],
                condition=Q(organisation__isnull=False),
                name="unique_group_organisation",
            ),
            models.UniqueConstraint(
                fields=["group", "user"], condition=Q(user__isnull=False), name="unique_group_user"
            ),
        ]
