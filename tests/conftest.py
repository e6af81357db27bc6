"""The cast: a fixed set of organisations and people every test can use by name.

Two customs administrations in the same WCO region (France, Belgium), one in another region
(Kenya), the RILO of the first region, the secretariat, a rights holder and an observer NGO.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db.backends.signals import connection_created
from django.test import Client

from opencen.accounts.actors import actor_for
from opencen.accounts.models import Organisation, OrganisationKind, User
from opencen.core.actors import Actor
from opencen.core.permissions import Role
from opencen.reference.models import WcoRegion
from tests.factories import CountryFactory, OrganisationFactory, UserFactory, WcoRegionFactory


def _allow_test_flush(sender: object, connection: object, **kwargs: object) -> None:
    """Let the test runner empty the audit table between transactional tests on PostgreSQL.

    The append-only trigger refuses TRUNCATE unless ``opencen.audit_maintenance`` is on; the
    trigger test switches it off again to prove the refusal.
    """
    if getattr(connection, "vendor", "") == "postgresql":
        with connection.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute("SET opencen.audit_maintenance = 'on'")


connection_created.connect(_allow_test_flush)

# A few places and CITES species the stories use (the full UN/LOCODE load is tested on its own).
PLACES = [
    ("FRLEH", "FR", "Le Havre", {"is_seaport": True}),
    ("FRCDG", "FR", "Paris-Charles de Gaulle Apt", {"is_airport": True}),
    ("BEANR", "BE", "Antwerpen", {"is_seaport": True}),
    ("NLRTM", "NL", "Rotterdam", {"is_seaport": True}),
    ("KEMBA", "KE", "Mombasa", {"is_seaport": True}),
    ("KENBO", "KE", "Nairobi", {"is_airport": True}),
    ("COCTG", "CO", "Cartagena", {"is_seaport": True}),
    ("ECGYE", "EC", "Guayaquil", {"is_seaport": True}),
]
SPECIES = [
    ("1", "Loxodonta africana", "I", "Elephantidae"),
    ("2", "Manis javanica", "I", "Manidae"),
    ("3", "Pterocarpus santalinus", "II", "Fabaceae"),
]


HS_CHAPTERS = (
    "03",
    "05",
    "06",
    "12",
    "22",
    "24",
    "30",
    "42",
    "44",
    "49",
    "61",
    "64",
    "71",
    "85",
    "93",
    "97",
)


@pytest.fixture
def refdata(db: None) -> None:
    """Countries, currencies, WCO regions and units as shipped; HS 2022 for the chapters the
    stories use; a few places and CITES species.  (The full loads are tested on their own.)"""
    from opencen.reference import loader
    from opencen.reference.models import CitesSpecies, HsCode, Place

    loader.load_countries()
    loader.load_currencies()
    loader.load_wco(reset_regions=True)
    loader.load_units()
    rows = loader.hs_rows()
    wanted = {c: r for c, r in rows.items() if not c[0].isdigit() or c[:2] in HS_CHAPTERS}
    for code in sorted(wanted, key=lambda c: (c[0].isdigit(), len(c), c)):
        row = wanted[code]
        HsCode.objects.get_or_create(
            code=code,
            defaults={
                k: v
                for k, v in row.items()
                if k in {"level", "description", "parent_id", "section"}
            },
        )
    for code, country, name, functions in PLACES:
        Place.objects.get_or_create(
            code=code,
            defaults={"country_id": country, "name": name, "name_ascii": name, **functions},
        )
    for taxon_id, name, appendix, family in SPECIES:
        CitesSpecies.objects.get_or_create(
            taxon_id=taxon_id,
            defaults={"scientific_name": name, "appendix": appendix, "family": family},
        )


@dataclass
class Cast:
    europe: WcoRegion
    africa: WcoRegion
    fr: Organisation
    be: Organisation
    ke: Organisation
    rilo: Organisation
    secretariat: Organisation
    brand: Organisation
    ngo: Organisation
    fr_officer: User
    fr_analyst: User
    fr_targeting: User
    fr_ipr: User
    fr_admin: User
    be_officer: User
    ke_officer: User
    rilo_analyst: User
    rilo_admin: User
    sec_admin: User
    sec_analyst: User
    brand_user: User
    ngo_observer: User

    def actor(self, user: User) -> Actor:
        return actor_for(User.objects.get(pk=user.pk))

    def people(self) -> dict[str, User]:
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


@pytest.fixture
def cast(db: None) -> Cast:
    europe = WcoRegionFactory(code="EUR", name="Europe")
    africa = WcoRegionFactory(code="ESA", name="East and Southern Africa")
    CountryFactory(code="FR", alpha3="FRA", name="France", wco_region=europe)
    CountryFactory(code="BE", alpha3="BEL", name="Belgium", wco_region=europe)
    CountryFactory(code="KE", alpha3="KEN", name="Kenya", wco_region=africa)
    customs = OrganisationKind.CUSTOMS
    fr = OrganisationFactory(
        name="French Customs", short_name="FR", kind=customs, country="FR", region=europe
    )
    be = OrganisationFactory(
        name="Belgian Customs", short_name="BE", kind=customs, country="BE", region=europe
    )
    ke = OrganisationFactory(
        name="Kenyan Customs", short_name="KE", kind=customs, country="KE", region=africa
    )
    rilo = OrganisationFactory(
        name="RILO Western Europe",
        short_name="RILO-WE",
        kind=OrganisationKind.RILO,
        country="",
        region=europe,
    )
    secretariat = OrganisationFactory(
        name="Secretariat", short_name="SEC", kind=OrganisationKind.SECRETARIAT, country=""
    )
    brand = OrganisationFactory(
        name="Luxor Brands", short_name="LUXOR", kind=OrganisationKind.RIGHTS_HOLDER, country=""
    )
    ngo = OrganisationFactory(
        name="WildWatch", short_name="NGO", kind=OrganisationKind.OBSERVER, country=""
    )

    def person(email: str, org: Organisation, role: Role) -> User:
        return UserFactory(email=email, organisation=org, role=role)

    return Cast(
        europe=europe,
        africa=africa,
        fr=fr,
        be=be,
        ke=ke,
        rilo=rilo,
        secretariat=secretariat,
        brand=brand,
        ngo=ngo,
        fr_officer=person("officer@fr.test", fr, Role.OFFICER),
        fr_analyst=person("analyst@fr.test", fr, Role.ANALYST),
        fr_targeting=person("targeting@fr.test", fr, Role.TARGETING_OFFICER),
        fr_ipr=person("ipr@fr.test", fr, Role.IPR_OFFICER),
        fr_admin=person("admin@fr.test", fr, Role.ORG_ADMIN),
        be_officer=person("officer@be.test", be, Role.OFFICER),
        ke_officer=person("officer@ke.test", ke, Role.OFFICER),
        rilo_analyst=person("analyst@rilo.test", rilo, Role.ANALYST),
        rilo_admin=person("admin@rilo.test", rilo, Role.ORG_ADMIN),
        sec_admin=person("admin@sec.test", secretariat, Role.SECRETARIAT_ADMIN),
        sec_analyst=person("analyst@sec.test", secretariat, Role.ANALYST),
        brand_user=person("user@brand.test", brand, Role.RIGHTS_HOLDER_USER),
        ngo_observer=person("observer@ngo.test", ngo, Role.OBSERVER),
    )


@pytest.fixture
def login(client: Client):
    """``login(user)`` logs the test client in (both factors passed) and returns it."""

    def _login(user: User) -> Client:
        client.force_login(user, backend="opencen.accounts.backends.EmailBackend")
        return client

    return _login
