"""Need to know: who sees a shared record at each distribution level."""

from __future__ import annotations

import pytest

from opencen.accounts import services
from opencen.core.models import Distribution
from tests.conftest import Cast
from tests.shareable_app.models import Note

# For a record owned by French Customs (region Europe): who may read it, per distribution level.
SEES = {
    Distribution.ORGANISATION: {"fr_officer", "fr_analyst", "fr_targeting", "fr_ipr", "fr_admin"},
    Distribution.REGION: {
        "fr_officer",
        "fr_analyst",
        "fr_targeting",
        "fr_ipr",
        "fr_admin",
        "be_officer",
        "rilo_analyst",
        "rilo_admin",
        "sec_admin",
        "sec_analyst",
    },
    Distribution.NETWORK: {
        "fr_officer",
        "fr_analyst",
        "fr_targeting",
        "fr_ipr",
        "fr_admin",
        "be_officer",
        "ke_officer",
        "rilo_analyst",
        "rilo_admin",
        "sec_admin",
        "sec_analyst",
    },
}


@pytest.mark.parametrize("level", list(SEES))
def test_each_distribution_level_reaches_exactly_its_audience(cast: Cast, level: str) -> None:
    note = Note.objects.create(owner=cast.fr, distribution=level, text="x")
    for name, user in cast.people().items():
        visible = Note.objects.visible_to(cast.actor(user)).filter(pk=note.pk).exists()
        assert visible == (name in SEES[level]), f"{name} at {level}"


def test_group_distribution_reaches_members_through_organisation_or_user(cast: Cast) -> None:
    group = services.check_create_group(cast.actor(cast.fr_admin), name="Op Wave")
    services.check_add_member(cast.actor(cast.fr_admin), group.id, organisation_id=cast.ke.id)
    services.check_add_member(cast.actor(cast.fr_admin), group.id, user_email=cast.brand_user.email)
    note = Note.objects.create(owner=cast.fr, distribution=Distribution.GROUPS, text="x")
    note.groups.add(group)
    allowed = {
        "fr_officer",
        "fr_analyst",
        "fr_targeting",
        "fr_ipr",
        "fr_admin",
        "ke_officer",
        "brand_user",
    }
    for name, user in cast.people().items():
        visible = Note.objects.visible_to(cast.actor(user)).filter(pk=note.pk).exists()
        assert visible == (name in allowed), name


def test_group_record_not_shared_with_a_group_stays_hidden_from_its_members(cast: Cast) -> None:
    group = services.check_create_group(cast.actor(cast.fr_admin), name="Op Wave")
    services.check_add_member(cast.actor(cast.fr_admin), group.id, organisation_id=cast.ke.id)
    note = Note.objects.create(owner=cast.fr, distribution=Distribution.GROUPS, text="x")
    assert not Note.objects.visible_to(cast.actor(cast.ke_officer)).filter(pk=note.pk).exists()


def test_groups_field_is_ignored_unless_distribution_is_groups(cast: Cast) -> None:
    group = services.check_create_group(cast.actor(cast.fr_admin), name="Op Wave")
    services.check_add_member(cast.actor(cast.fr_admin), group.id, organisation_id=cast.ke.id)
    note = Note.objects.create(owner=cast.fr, distribution=Distribution.ORGANISATION, text="x")
    note.groups.add(group)
    assert not Note.objects.visible_to(cast.actor(cast.ke_officer)).filter(pk=note.pk).exists()


def test_only_the_owner_may_change(cast: Cast) -> None:
    note = Note.objects.create(owner=cast.fr, distribution=Distribution.NETWORK, text="x")
    changers = {
        name
        for name, user in cast.people().items()
        if Note.objects.visible_to(cast.actor(user), "change").filter(pk=note.pk)
    }
    assert changers == {"fr_officer", "fr_analyst", "fr_targeting", "fr_ipr", "fr_admin"}


def test_anonymous_sees_nothing(cast: Cast) -> None:
    Note.objects.create(owner=cast.fr, distribution=Distribution.NETWORK, text="x")
    assert not Note.objects.visible_to(None).exists()


def test_a_record_shared_with_two_groups_is_listed_once(cast: Cast) -> None:
    actor = cast.actor(cast.fr_admin)
    first = services.check_create_group(actor, name="A")
    second = services.check_create_group(actor, name="B")
    for group in (first, second):
        services.check_add_member(actor, group.id, organisation_id=cast.ke.id)
    note = Note.objects.create(owner=cast.fr, distribution=Distribution.GROUPS, text="x")
    note.groups.add(first, second)
    assert Note.objects.visible_to(cast.actor(cast.ke_officer)).count() == 1
