"""The gate's entry point: run every detector, then resolve overlaps."""

from __future__ import annotations

from opencen.core.privacy.findings import Finding, resolve
from opencen.core.privacy.identifiers import (
    find_bank_accounts,
    find_cards,
    find_documents,
    find_emails,
    find_ibans,
    find_mrz,
    find_phones,
)
from opencen.core.privacy.names import find_names
from opencen.core.privacy.particulars import find_addresses, find_dobs, find_plates


def find_personal_data(text: str, lang: str = "en") -> list[Finding]:
    """Return the personal data found in ``text`` (empty list if none), sorted by position.

    ``lang`` ("en" or "fr") only changes which countries' national phone formats are tried
    first; cue words of both languages are always recognised, since summaries mix them.
    Never raises on any ``str`` input.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    lang = (lang or "en").split("-")[0].lower()
    return resolve(
        [
            *find_mrz(text),
            *find_emails(text),
            *find_ibans(text),
            *find_cards(text),
            *find_documents(text),
            *find_bank_accounts(text),
            *find_phones(text, lang),
            *find_dobs(text),
            *find_addresses(text),
            *find_plates(text),
            *find_names(text),
        ]
    )


def find_personal_data_in_each(texts: list[str], lang: str = "en") -> list[list[Finding]]:
    """:func:`find_personal_data` for each text, in order (one call for a child process)."""
    return [find_personal_data(text, lang) for text in texts]
