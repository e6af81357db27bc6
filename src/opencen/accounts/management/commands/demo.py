"""``opencen demo``: migrate, load reference data and the demo cast, print the logins."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencen.accounts.demo import DEMO_PASSWORD, build_demo_cast
from opencen.reference.loader import load_all
from opencen.reference.models import Country, HsCode, Place


class Command(BaseCommand):
    help = "Set up a demo: migrate, load reference data and the demo network, print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--serve", action="store_true", help="then serve on 127.0.0.1:8000")
        parser.add_argument("--all-logins", action="store_true", help="print every demo login")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "Refusing to load demo users in production (OPENCEN_ENV=production)."
            )
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        if not (Country.objects.exists() and HsCode.objects.exists() and Place.objects.exists()):
            self.stdout.write("Loading reference data (first run only)...")
            load_all()
        logins = build_demo_cast()
        self._demo_data()
        self.stdout.write(f"Demo ready in {time.monotonic() - started:.1f} s.\n")
        self._print_logins(logins, everything=options["all_logins"])
        if options["serve"]:
            call_command("serve")

    def _demo_data(self) -> None:
        """Three years of seizures for the customs administrations, then declarations with a
        trained model for French Customs' targeting officers (each skipped once there)."""
        from opencen.accounts.models import Organisation
        from opencen.analytics import rollups
        from opencen.seizures.demo import build_demo_cases
        from opencen.targeting.demo import load_demo_declarations

        created = build_demo_cases(progress=lambda line: self.stdout.write(f"  {line}"))
        if created:
            self.stdout.write(f"Loaded {created} demo cases.")
        rollups.sync()  # the analytics figures, ready before the first page
        france = Organisation.objects.get(short_name="FR-CUSTOMS")
        summary = load_demo_declarations(france, n=10_000)
        if not summary.skipped:
            self.stdout.write("Loaded demo declarations and a risk model for FR-CUSTOMS.")

    def _print_logins(self, logins: list[Any], *, everything: bool) -> None:
        shown = logins if everything else self._one_per_role(logins)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        width = max(len(login.email) for login in shown)
        for login in shown:
            extra = f"  TOTP key {login.totp_secret}" if login.totp_secret else ""
            self.stdout.write(
                f"  {login.email:<{width}}  {login.role:<19} {login.organisation}{extra}"
            )
        if not everything:
            self.stdout.write(f"  ... {len(logins)} users in all: 'opencen demo --all-logins'.")
        self.stdout.write(
            "Admins log in with a second factor: add the TOTP key to an authenticator app, or "
            "run 'opencen totp-code EMAIL' for the current code."
        )

    @staticmethod
    def _one_per_role(logins: list[Any]) -> list[Any]:
        seen: set[str] = set()
        chosen = []
        for login in logins:
            if login.role not in seen:
                seen.add(login.role)
                chosen.append(login)
        return chosen
