"""The permission registry: every permission, every role, and which role holds what.

Permissions are named ``<scope>:<resource>:<action>`` and kept in alphabetical order, so the
whole surface can be listed, documented (docs/permissions.md, checked by a test) and walked by the
permission-matrix test.  Apps add their permissions here, not in their own modules.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise


class Perm(StrEnum):
    """Every permission of the platform, alphabetised."""

    ACCOUNTS_GROUP_CREATE = "accounts:group:create"
    ACCOUNTS_ORGANISATION_MANAGE = "accounts:organisation:manage"
    ACCOUNTS_TOKEN_CREATE = "accounts:token:create"
    ACCOUNTS_USER_MANAGE = "accounts:user:manage"
    ANALYTICS_REPORT_CREATE = "analytics:report:create"
    ANALYTICS_VIEW = "analytics:view:read"
    AUDIT_EVENT_VIEW = "audit:event:view"
    AUDIT_EVENT_VIEW_ALL = "audit:event:view_all"
    REFERENCE_DATA_IMPORT = "reference:data:import"
    REFERENCE_DATA_VIEW = "reference:data:view"
    REFERENCE_REGION_EDIT = "reference:region:edit"
    SEIZURE_CASE_CREATE = "seizure:case:create"
    SEIZURE_CASE_EXPORT = "seizure:case:export"
    SEIZURE_CASE_IMPORT = "seizure:case:import"
    SEIZURE_CASE_VALIDATE = "seizure:case:validate"
    SEIZURE_CASE_VIEW = "seizure:case:view"
    TARGETING_DECLARATION_SUBMIT = "targeting:declaration:submit"
    TARGETING_MODEL_MANAGE = "targeting:model:manage"
    TARGETING_PROFILE_MANAGE = "targeting:profile:manage"
    TARGETING_RESULT_RECORD = "targeting:result:record"
    TARGETING_VIEW = "targeting:queue:view"


class Role(StrEnum):
    """A user's role inside their organisation."""

    OFFICER = "officer"
    ANALYST = "analyst"
    TARGETING_OFFICER = "targeting_officer"
    IPR_OFFICER = "ipr_officer"
    ORG_ADMIN = "org_admin"
    SECRETARIAT_ADMIN = "secretariat_admin"
    RIGHTS_HOLDER_USER = "rights_holder_user"
    OBSERVER = "observer"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS: dict[Role, StrPromise] = {
    Role.OFFICER: _("Customs officer"),
    Role.ANALYST: _("Analyst"),
    Role.TARGETING_OFFICER: _("Targeting officer"),
    Role.IPR_OFFICER: _("IPR officer"),
    Role.ORG_ADMIN: _("Organisation admin / national contact point"),
    Role.SECRETARIAT_ADMIN: _("Secretariat admin"),
    Role.RIGHTS_HOLDER_USER: _("Rights-holder user"),
    Role.OBSERVER: _("Observer"),
}

PERM_LABELS: dict[Perm, StrPromise] = {
    Perm.ACCOUNTS_GROUP_CREATE: _("Create closed user groups and manage their members"),
    Perm.ACCOUNTS_ORGANISATION_MANAGE: _("Create and edit organisations of the network"),
    Perm.ACCOUNTS_TOKEN_CREATE: _("Create API tokens for yourself"),
    Perm.ACCOUNTS_USER_MANAGE: _("Create, edit and deactivate users of your organisation"),
    Perm.ANALYTICS_REPORT_CREATE: _("Write and publish analytical bulletins"),
    Perm.ANALYTICS_VIEW: _("Use the analysis views (trends, routes, hotspots...)"),
    Perm.AUDIT_EVENT_VIEW: _("Browse your organisation's audit log"),
    Perm.AUDIT_EVENT_VIEW_ALL: _("Browse the whole network's audit log"),
    Perm.REFERENCE_DATA_IMPORT: _("Import reference data releases (UN/LOCODE, CITES)"),
    Perm.REFERENCE_DATA_VIEW: _("Look up reference data"),
    Perm.REFERENCE_REGION_EDIT: _("Edit WCO regions and their members"),
    Perm.SEIZURE_CASE_CREATE: _("Record seizures and offences for your organisation"),
    Perm.SEIZURE_CASE_EXPORT: _("Export cases you can see (CSV, XLSX, JSON)"),
    Perm.SEIZURE_CASE_IMPORT: _("Import cases from files (CSV, XLSX, JSON lines)"),
    Perm.SEIZURE_CASE_VALIDATE: _("Validate cases (national contact point, RILO)"),
    Perm.SEIZURE_CASE_VIEW: _("Search and read the cases shared with you"),
    Perm.TARGETING_DECLARATION_SUBMIT: _("Submit declarations for risk scoring"),
    Perm.TARGETING_MODEL_MANAGE: _("Train, compare and activate risk models"),
    Perm.TARGETING_PROFILE_MANAGE: _("Write, test and activate risk profiles"),
    Perm.TARGETING_RESULT_RECORD: _("Record examination results"),
    Perm.TARGETING_VIEW: _("See the selection queue and targeting performance"),
}

_EVERYONE = frozenset(
    {Perm.REFERENCE_DATA_VIEW, Perm.ACCOUNTS_TOKEN_CREATE, Perm.SEIZURE_CASE_VIEW}
)
_NETWORK_MEMBER = _EVERYONE | {Perm.ACCOUNTS_GROUP_CREATE, Perm.ANALYTICS_VIEW}
_RECORDER = _NETWORK_MEMBER | {Perm.SEIZURE_CASE_CREATE, Perm.SEIZURE_CASE_IMPORT}
_TARGETING = frozenset(
    {
        Perm.TARGETING_DECLARATION_SUBMIT,
        Perm.TARGETING_MODEL_MANAGE,
        Perm.TARGETING_PROFILE_MANAGE,
        Perm.TARGETING_RESULT_RECORD,
        Perm.TARGETING_VIEW,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.OFFICER: frozenset(_RECORDER),
    Role.ANALYST: frozenset(
        _RECORDER
        | {Perm.SEIZURE_CASE_VALIDATE, Perm.SEIZURE_CASE_EXPORT, Perm.ANALYTICS_REPORT_CREATE}
    ),
    Role.TARGETING_OFFICER: frozenset(_RECORDER | _TARGETING),
    Role.IPR_OFFICER: frozenset(_RECORDER),
    Role.ORG_ADMIN: frozenset(
        _RECORDER
        | {
            Perm.ACCOUNTS_USER_MANAGE,
            Perm.AUDIT_EVENT_VIEW,
            Perm.SEIZURE_CASE_VALIDATE,
            Perm.SEIZURE_CASE_EXPORT,
            Perm.ANALYTICS_REPORT_CREATE,
            Perm.TARGETING_VIEW,
        }
    ),
    Role.SECRETARIAT_ADMIN: frozenset(set(Perm)),
    Role.RIGHTS_HOLDER_USER: frozenset(_EVERYONE),
    Role.OBSERVER: frozenset({Perm.REFERENCE_DATA_VIEW, Perm.SEIZURE_CASE_VIEW}),
}

# Roles whose holders must use a second factor.  Any role that can export also must
# (see ``requires_second_factor``), so adding an export permission to a role turns it on.
ADMIN_ROLES = frozenset({Role.ORG_ADMIN, Role.SECRETARIAT_ADMIN})


def permissions_for(role: Role | str) -> frozenset[Perm]:
    """Return the permissions a role holds (empty for an unknown role)."""
    try:
        return ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return frozenset()


def requires_second_factor(role: Role | str) -> bool:
    """True if users of this role must log in with a second factor."""
    try:
        role = Role(role)
    except ValueError:
        return True
    return role in ADMIN_ROLES or any(p.endswith(":export") for p in permissions_for(role))
