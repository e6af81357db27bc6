"""The demo cast: a believable network to explore and to test against.

Twenty customs administrations across the six WCO regions, one RILO per region, the
secretariat, two rights holders and an observer NGO, with a user for every role.  Building it
twice changes nothing.  Never run in production (the command refuses).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from opencen.accounts import mfa
from opencen.accounts.models import (
    ClosedUserGroup,
    GroupMembership,
    Organisation,
    OrganisationKind,
    User,
)
from opencen.audit.services import record_event
from opencen.audit.tags import EventTag
from opencen.core.permissions import Role, requires_second_factor
from opencen.reference.models import Country, WcoRegion

DEMO_PASSWORD = "Demo-opencen-2026"  # noqa: S105 - printed to the person running the demo
DOMAIN = "example"

# Country code -> administration name.  Spread over the six WCO regions.
CUSTOMS = {
    "FR": "Direction générale des douanes et droits indirects",
    "NL": "Netherlands Customs",
    "ES": "Agencia Tributaria - Aduanas",
    "PL": "National Revenue Administration of Poland",
    "JP": "Japan Customs",
    "AU": "Australian Border Force",
    "TH": "Thai Customs Department",
    "IN": "Central Board of Indirect Taxes and Customs",
    "US": "U.S. Customs and Border Protection",
    "BR": "Receita Federal do Brasil",
    "CO": "DIAN Colombia",
    "MX": "Agencia Nacional de Aduanas de México",
    "KE": "Kenya Revenue Authority - Customs",
    "ZA": "South African Revenue Service - Customs",
    "NG": "Nigeria Customs Service",
    "SN": "Direction générale des douanes du Sénégal",
    "CI": "Direction générale des douanes de Côte d'Ivoire",
    "MA": "Administration des douanes et impôts indirects du Maroc",
    "EG": "Egyptian Customs Authority",
    "AE": "UAE Federal Authority for Identity, Citizenship, Customs and Port Security",
}
# Administrations whose users cover every customs role; the others get an officer and an admin.
FULL_STAFF = {"FR", "KE", "BR", "TH"}
CUSTOMS_ROLES = [
    Role.OFFICER,
    Role.ANALYST,
    Role.TARGETING_OFFICER,
    Role.IPR_OFFICER,
    Role.ORG_ADMIN,
]
RIGHTS_HOLDERS = {
    "luxor": "Luxor Fashion Group (demo rights holder)",
    "voltix": "Voltix Electronics (demo rights holder)",
}


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    organisation: str
    totp_secret: str


def _user(org: Organisation, role: Role, email: str, name: str) -> tuple[User, str]:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name, role=role, organisation=org
        )
    secret = ""
    if requires_second_factor(role):
        if not user.totp_secret:
            user.totp_secret = mfa.seal(mfa.new_secret())
            user.totp_confirmed_at = timezone.now()
            user.save(update_fields=["totp_secret", "totp_confirmed_at"])
        secret = mfa.unseal(user.totp_secret)
    return user, secret


def _org(short_name: str, **fields: object) -> Organisation:
    org, _ = Organisation.objects.get_or_create(short_name=short_name, defaults=fields)
    return org


@transaction.atomic
def build_demo_cast() -> list[DemoLogin]:
    """Create (or find) the demo organisations and users; return one login per user."""
    logins: list[DemoLogin] = []

    def add(org: Organisation, role: Role, local: str, name: str) -> None:
        email = f"{local}@{org.short_name.lower()}.{DOMAIN}"
        _u, secret = _user(org, role, email, name)
        logins.append(DemoLogin(email, role.value, org.short_name, secret))

    secretariat = _org("WCO-SEC", name="WCO Secretariat (demo)", kind=OrganisationKind.SECRETARIAT)
    add(secretariat, Role.SECRETARIAT_ADMIN, "admin", "Secretariat Administrator")
    add(secretariat, Role.ANALYST, "analyst", "Secretariat Analyst")

    for region in WcoRegion.objects.order_by("name"):
        rilo = _org(
            f"RILO-{region.code}",
            name=f"RILO {region.name}",
            kind=OrganisationKind.RILO,
            region=region,
        )
        add(rilo, Role.ANALYST, "analyst", f"Analyst, RILO {region.name}")
        add(rilo, Role.ORG_ADMIN, "admin", f"Administrator, RILO {region.name}")

    for code, name in CUSTOMS.items():
        country = Country.objects.get(code=code)
        org = _org(
            f"{code}-CUSTOMS",
            name=name,
            kind=OrganisationKind.CUSTOMS,
            country=code,
            region=country.wco_region,
        )
        roles = CUSTOMS_ROLES if code in FULL_STAFF else [Role.OFFICER, Role.ORG_ADMIN]
        for role in roles:
            local = role.value.replace("_", "-")
            add(org, role, local, f"{role.label} ({country.name})")

    for key, name in RIGHTS_HOLDERS.items():
        org = _org(f"RH-{key.upper()}", name=name, kind=OrganisationKind.RIGHTS_HOLDER)
        add(org, Role.RIGHTS_HOLDER_USER, "brand-protection", f"Brand protection, {name}")
    ngo = _org(
        "NGO-WILDWATCH",
        name="WildWatch Trade Monitoring (demo observer)",
        kind=OrganisationKind.OBSERVER,
    )
    add(ngo, Role.OBSERVER, "observer", "Observer, WildWatch")

    group, created = ClosedUserGroup.objects.get_or_create(
        name="Operation Silver Wave (demo)",
        defaults={
            "owner": Organisation.objects.get(short_name="FR-CUSTOMS"),
            "description": "Joint operation on counterfeit goods in sea containers.",
            "hidden_membership": False,
        },
    )
    if created:
        for short in ("FR-CUSTOMS", "NL-CUSTOMS", "ES-CUSTOMS", "MA-CUSTOMS"):
            GroupMembership.objects.create(
                group=group, organisation=Organisation.objects.get(short_name=short)
            )
        GroupMembership.objects.create(
            group=group, user=User.objects.get(email="brand-protection@rh-luxor.example")
        )
        record_event(
            None,
            EventTag.ACCOUNTS_GROUP_CREATED,
            obj=group,
            changes={"name": group.name, "demo": True},
        )
    return logins
