"""``opencen permissions``: print the role × permission matrix (docs/permissions.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from opencen.core.permissions import PERM_LABELS, ROLE_PERMISSIONS, Perm, Role


def permission_table() -> str:
    """The Markdown table of every permission and the roles that hold it."""
    roles = list(Role)
    lines = [
        "| permission | meaning | " + " | ".join(r.value for r in roles) + " |",
        "| --- | --- | " + " | ".join("---" for _ in roles) + " |",
    ]
    for perm in Perm:
        marks = " | ".join("✓" if perm in ROLE_PERMISSIONS[r] else "" for r in roles)
        lines.append(f"| `{perm.value}` | {PERM_LABELS[perm]} | {marks} |")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print the role × permission matrix as Markdown."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(permission_table())
