"""The demo cast: a believable network, built twice without duplicates, logins printed."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from opencen.accounts.demo import build_demo_cast
from opencen.accounts.models import Organisation, User
from opencen.core.permissions import Role
from opencen.reference.models import Place


@pytest.fixture
def reference(refdata: None) -> None:
    """Reference data with the WCO regions as shipped."""


def test_demo_network_spans_every_region_and_role(reference: None) -> None:
    logins = build_demo_cast()
    customs = Organisation.objects.filter(kind="customs")
    assert 18 <= customs.count() <= 25
    assert customs.values("region").distinct().count() == 6
    assert Organisation.objects.filter(kind="rilo").count() == 6
    assert Organisation.objects.filter(kind="secretariat").count() == 1
    assert Organisation.objects.filter(kind="rights_holder").count() == 2
    assert Organisation.objects.filter(kind="observer").count() == 1
    assert {login.role for login in logins} == {r.value for r in Role}
    admins = User.objects.filter(role__in=[Role.ORG_ADMIN, Role.SECRETARIAT_ADMIN])
    assert all(u.has_second_factor for u in admins)


def test_building_twice_changes_nothing(reference: None) -> None:
    build_demo_cast()
    users, orgs = User.objects.count(), Organisation.objects.count()
    build_demo_cast()
    assert (User.objects.count(), Organisation.objects.count()) == (users, orgs)


def test_demo_command_prints_logins(reference: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert Place.objects.exists()  # so the demo does not load the whole of UN/LOCODE
    call_command("demo")
    out = capsys.readouterr().out
    assert "Demo-opencen-2026" in out
    assert "admin@wco-sec.example" in out
    assert "TOTP key" in out


def test_demo_refuses_production(reference: None, settings) -> None:
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo")
