"""``opencen privacy-check [--lang fr]``: check text on standard input for personal data."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from opencen.core.privacy import main


class Command(BaseCommand):
    help = (
        "Read text on standard input and print personal-data findings as JSON lines; "
        "exit status 1 when there is any finding."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lang", default="en", choices=["en", "fr"])

    def handle(self, *args: Any, **options: Any) -> None:
        sys.exit(main(["--lang", options["lang"]]))
