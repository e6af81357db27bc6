"""Docs that tests keep honest: every permission, event tag, setting and command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands

from opencen.audit.tags import EventTag
from opencen.core.management.commands.permissions import permission_table

ROOT = Path(__file__).resolve().parents[1]
DOCS = "\n".join(
    p.read_text() for p in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
)
OURS = "opencen."


def test_permission_table_matches_the_code() -> None:
    page = (ROOT / "docs" / "permissions.md").read_text()
    assert permission_table() in page, "regenerate the table with 'opencen permissions'"


def test_every_event_tag_is_documented() -> None:
    audit = (ROOT / "docs" / "audit.md").read_text()
    documented = set(re.findall(r"^\| `([a-z_.]+)` \|", audit, re.MULTILINE))
    assert documented == {t.value for t in EventTag}


def test_every_event_tag_is_recorded_somewhere() -> None:
    sources = "\n".join(
        p.read_text() for p in (ROOT / "src" / "opencen").rglob("*.py") if p.name != "tags.py"
    )
    unused = [t.name for t in EventTag if f"EventTag.{t.name}" not in sources]
    assert unused == [], "tags nothing records: remove them or record them"


def test_every_setting_is_documented() -> None:
    names = set(
        re.findall(
            r'"(OPENCEN_[A-Z_]+|DATABASE_URL|REDIS_URL)"',
            (ROOT / "src" / "opencen" / "settings.py").read_text(),
        )
    )
    readme = (ROOT / "README.md").read_text()
    missing = sorted(n for n in names if f"`{n}`" not in readme)
    assert missing == []


def test_every_command_of_ours_is_documented() -> None:
    ours = sorted(name for name, app in get_commands().items() if app.startswith(OURS))
    missing = [name for name in ours if f"opencen {name}" not in DOCS]
    assert missing == []


def test_every_commodity_area_and_field_is_documented() -> None:
    from opencen.seizures.areas import AREAS

    page = (ROOT / "docs" / "seizures.md").read_text()
    missing = [
        f"{a.code}.{f.name}"
        for a in AREAS.values()
        for f in a.fields
        if f"| `{a.code}` |" not in page or f"`{f.name}`" not in page
    ]
    assert missing == []
