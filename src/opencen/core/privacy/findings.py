"""What the gate reports: the kinds, their reasons, :class:`Finding`, and overlap resolution.

Also the one scanner that several detectors share: values written shortly after a label
("passport no. ...", "account ...", "registration ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from opencen.core.privacy.i18n import gettext_noop

#: Reason shown to the officer for each kind: short English sentences, marked for translation
#: (translate ``finding.reason`` with ``gettext`` where it is shown).
REASONS: dict[str, str] = {
    "email": gettext_noop("looks like an e-mail address"),
    "phone": gettext_noop("looks like a telephone number"),
    "iban": gettext_noop("looks like an IBAN (bank account number)"),
    "bank_account": gettext_noop("looks like a bank account number"),
    "payment_card": gettext_noop("looks like a payment card number"),
    "passport_number": gettext_noop("looks like a passport or travel document number"),
    "id_number": gettext_noop("looks like an identity document or personal identification number"),
    "mrz": gettext_noop("looks like the machine-readable zone of an identity document"),
    "person_name": gettext_noop("looks like a person's name"),
    "date_of_birth": gettext_noop("looks like a date of birth"),
    "street_address": gettext_noop("looks like a street or postal address"),
    "vehicle_plate": gettext_noop("looks like a vehicle registration plate"),
}
KINDS: tuple[str, ...] = tuple(REASONS)

# When two findings overlap, the one whose kind comes first here wins.
_PRIORITY = {
    k: i
    for i, k in enumerate(
        (
            "mrz",
            "email",
            "iban",
            "payment_card",
            "passport_number",
            "id_number",
            "bank_account",
            "phone",
            "date_of_birth",
            "street_address",
            "vehicle_plate",
            "person_name",
        )
    )
}


@dataclass(frozen=True)
class Finding:
    """One piece of suspected personal data: ``text[start:end] == matched``."""

    kind: str
    start: int
    end: int
    text: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-serialisable dict (keys: kind, start, end, text, reason)."""
        return asdict(self)


def finding(kind: str, start: int, end: int, matched: str) -> Finding:
    """A :class:`Finding` of ``kind`` with that kind's reason."""
    return Finding(kind, start, end, matched, REASONS[kind])


def resolve(findings: list[Finding]) -> list[Finding]:
    """Drop duplicates and findings overlapping a higher-priority (or longer) one."""
    ranked = sorted(findings, key=lambda f: (_PRIORITY[f.kind], -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for f in ranked:
        if f.end <= f.start:
            continue
        if any(f.start < k.end and k.start < f.end for k in kept):
            continue
        kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end))


# End of the stretch a label governs: a full stop or semicolon (not the one of "No."/"Nr."
# or of an initial) followed by a space, or a line break.
_CUT_RE = re.compile(r"(?<![Nn][Oo])(?<![Nn][Rr])(?<!\b[A-Z])[.;](?:\s|$)|\n")


def after_cue(
    text: str, cue: re.Pattern[str], value: re.Pattern[str], window: int
) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, group 1)`` of each ``value`` match within ``window`` characters
    after a ``cue`` match, stopping at the end of the sentence."""
    for c in cue.finditer(text):
        seg_end = min(len(text), c.end() + window)
        seg = text[c.end() : seg_end]
        cut = _CUT_RE.search(seg)
        if cut:
            seg = seg[: cut.start()]
        for m in value.finditer(seg):
            yield c.end() + m.start(1), c.end() + m.end(1), m.group(1)
