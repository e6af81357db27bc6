"""``opencen accounts expire-inactive``: warn and deactivate idle accounts (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from opencen.accounts.services import expire_inactive_accounts


class Command(BaseCommand):
    help = "Account maintenance: 'expire-inactive' warns idle users and deactivates expired ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["expire-inactive"])

    def handle(self, *args: Any, **options: Any) -> None:
        warned, expired = expire_inactive_accounts()
        self.stdout.write(f"{warned} warned, {expired} deactivated")
