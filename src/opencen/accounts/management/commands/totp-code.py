"""``opencen totp-code EMAIL``: the current second-factor code of a demo user (not production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencen.accounts import mfa
from opencen.accounts.models import User


class Command(BaseCommand):
    help = "Print the current TOTP code of a user (development and demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Not available in production.")
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No user with e-mail {options['email']}.")
        if not user.has_second_factor:
            raise CommandError(f"{user.email} has no second factor set up.")
        self.stdout.write(mfa.current_code(user))
