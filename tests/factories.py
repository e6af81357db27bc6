"""Factories for the fixed cast of organisations and users every test uses."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from opencen.accounts import mfa
from opencen.accounts.models import Organisation, OrganisationKind, User
from opencen.core.permissions import Role
from opencen.reference.models import Country, WcoRegion

PASSWORD = "Correct-Horse-42-battery"


class WcoRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WcoRegion
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.LazyAttribute(lambda o: f"Region {o.code}")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "FR"
    alpha3 = factory.LazyAttribute(lambda o: o.code + "X")
    name = factory.LazyAttribute(lambda o: f"Country {o.code}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    kind = OrganisationKind.CUSTOMS
    country = "FR"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OFFICER

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()

    @factory.post_generation
    def totp(self, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        """``totp=True`` enrols a second factor (default for roles that require one)."""
        from opencen.core.permissions import requires_second_factor

        if extracted or (extracted is None and requires_second_factor(self.role)):
            self.totp_secret = mfa.seal(mfa.new_secret())
            self.totp_confirmed_at = timezone.now()
            if create:
                self.save()
