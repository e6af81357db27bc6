"""``opencen audit verify``: check the whole chain and name the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencen.audit.chain import verify_chain
from opencen.audit.services import record_event
from opencen.audit.tags import EventTag


class Command(BaseCommand):
    help = "Audit log tools: 'verify' checks the whole hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        record_event(
            None,
            EventTag.AUDIT_CHAIN_VERIFIED,
            changes={"ok": result.ok, "checked": result.checked, "broken_seq": result.broken_seq},
        )
        if not result.ok:
            raise CommandError(
                f"audit chain BROKEN at event #{result.broken_seq}: {result.reason} "
                f"({result.checked} events verified before it)"
            )
        self.stdout.write(f"audit chain OK: {result.checked} events verified")
