"""Marker for translatable strings that needs no web framework (no Django imports here).

``gettext_noop`` returns its argument unchanged: it only marks a literal for extraction. It has
the name that ``makemessages`` already extracts by default, so the sentences in ``REASONS`` reach
the project's message catalogue with no extra ``--keyword``. The gate itself always reports the
English sentence; translate it at the edge, where a language is active:
``gettext(finding.reason)``.
"""

from __future__ import annotations

__all__ = ["gettext_noop"]


def gettext_noop(message: str) -> str:
    """Return ``message`` unchanged; marks it for translation."""
    return message
