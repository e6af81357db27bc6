"""``opencen analytics``: keep the analysis roll-ups in step with the case tables.

    opencen analytics sync       apply the case changes recorded in the audit log since last time
    opencen analytics rebuild    recompute every roll-up from the case tables
    opencen analytics status     how far the roll-ups are, and their size

Reads sync by themselves; ``rebuild`` is for after a bulk load that bypassed the services (it
records no audit event) or to repair.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from opencen.analytics import rollups
from opencen.analytics.models import RollupState


class Command(BaseCommand):
    help = "Analysis roll-ups: sync | rebuild | status"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("sync", help="apply the case changes since the last sync")
        actions.add_parser("rebuild", help="recompute every roll-up from the case tables")
        actions.add_parser("status", help="print the roll-up state and table sizes")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        started = time.monotonic()
        if action == "sync":
            result = rollups.sync()
            self.stdout.write(
                f"synced: version {result.version}, {result.months} months "
                f"recomputed{' (full rebuild)' if result.rebuilt else ''} "
                f"in {time.monotonic() - started:.1f} s"
            )
        elif action == "rebuild":
            result = rollups.rebuild()
            self.stdout.write(
                f"rebuilt: version {result.version} in {time.monotonic() - started:.1f} s"
            )
        else:
            state = RollupState.objects.filter(pk=1).first()
            head = rollups.audit_head()
            if state is None:
                self.stdout.write("never built (the first analysis will build them)")
            else:
                self.stdout.write(
                    f"version {state.version}, audit event {state.synced_seq} of "
                    f"{head}, built {state.built_at:%Y-%m-%d %H:%M} UTC"
                    if state.built_at
                    else f"version {state.version}"
                )
            for name, model in rollups.ROLLUPS.items():
                self.stdout.write(f"{name:<14} {model._default_manager.count():>10,} rows")
