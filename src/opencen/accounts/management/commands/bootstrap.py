"""``opencen bootstrap``: create the secretariat and its first admin on an empty installation."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from opencen.accounts.models import Organisation, OrganisationKind, User
from opencen.audit.services import record_event
from opencen.audit.tags import EventTag
from opencen.core.permissions import Role


class Command(BaseCommand):
    help = "Create the secretariat organisation and its first admin (only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="e.g. 'WCO Secretariat'")
        parser.add_argument("--short-name", required=True, help="e.g. WCO")
        parser.add_argument("--email", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input instead of prompting",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(role=Role.SECRETARIAT_ADMIN).exists():
            raise CommandError("A secretariat admin exists already: use the web pages instead.")
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Again: ") != password:
                raise CommandError("The passwords differ.")
        candidate = User(email=options["email"], full_name=options["full_name"])
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError("password: " + " ".join(exc.messages)) from None
        with transaction.atomic():
            org, _ = Organisation.objects.get_or_create(
                short_name=options["short_name"],
                defaults={"name": options["organisation"], "kind": OrganisationKind.SECRETARIAT},
            )
            if org.kind != OrganisationKind.SECRETARIAT:
                raise CommandError(f"{org.short_name} exists and is not the secretariat.")
            user = User.objects.create_user(
                email=options["email"],
                password=password,
                full_name=options["full_name"],
                role=Role.SECRETARIAT_ADMIN,
                organisation=org,
            )
            record_event(
                None,
                EventTag.ACCOUNTS_USER_CREATED,
                obj=user,
                changes={"email": user.email, "role": user.role, "bootstrap": True},
            )
        self.stdout.write(f"Created {user.email}. Log in and set up the second factor when asked.")
