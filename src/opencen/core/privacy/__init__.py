"""Personal-data gate for free text (case summaries, goods descriptions, remarks).

The shared seizure database holds no personal data. Every free-text field passes through
:func:`find_personal_data` before it is stored; any finding means the text is refused and the
officer rephrases. The gate is deliberately conservative (it prefers a false alarm to a leak)
but must let through what enforcement texts are made of: nationalities, companies and brands
(including brands that look like people, "Hugo Boss"), vessels ("MSC Oscar"), places, airports
named after people, HS codes, container, IMO and flight numbers, quantities and seizure dates.

It is pure Python (no Django imports), built from validators that ship in packages
(``phonenumbers``, ``python-stdnum``) and a compact names gazetteer in ``data/`` (see its README
for the sources and licences). No model, no network. See ``docs/privacy.md`` for the approach,
the limits and the measured figures.

The public API is what this module exports. The modules behind it, by sub-domain:
``findings`` (:class:`Finding`, the reasons, overlap resolution), ``identifiers`` (e-mail,
phone, IBAN, bank account, card, MRZ, documents), ``particulars`` (date of birth, address,
vehicle plate), ``names`` (person names) with ``lexicon`` (gazetteer and word lists), ``gate``
(:func:`find_personal_data`, which runs them all), ``cli`` and ``i18n`` (the translation
marker for ``REASONS``).

Command line: ``python -m opencen.core.privacy [--lang fr] < text.txt`` prints one JSON object
per finding and exits 1 if there is any, 0 otherwise.
"""

from __future__ import annotations

from opencen.core.privacy.cli import main
from opencen.core.privacy.findings import KINDS, REASONS, Finding
from opencen.core.privacy.gate import find_personal_data, find_personal_data_in_each

__all__ = [
    "KINDS",
    "REASONS",
    "Finding",
    "find_personal_data",
    "find_personal_data_in_each",
    "main",
]
