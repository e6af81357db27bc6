"""A person's other particulars: date of birth, street or postal address, vehicle plate.

Dates of birth need a cue ("born", "né le"); addresses a house number, a PO box, a UK postcode
or a residence cue; plates a cue ("registration", "truck") or a national format.
"""

from __future__ import annotations

import re

from opencen.core.privacy.findings import Finding, after_cue, finding
from opencen.core.privacy.lexicon import MAKES

# ---------------------------------------------------------------------------------------------
# Dates of birth
# ---------------------------------------------------------------------------------------------

_MONTHS = (
    r"(?:jan(?:uary|vier|v)?|feb(?:ruary)?|f[ée]v(?:rier)?|mar(?:ch|s)?|apr(?:il)?|avr(?:il)?"
    r"|may|mai|june?|juin|july?|juil(?:let)?|aug(?:ust)?|ao[uû]t|sep(?:t(?:ember|embre)?)?"
    r"|oct(?:ober|obre)?|nov(?:ember|embre)?|dec(?:ember)?|d[ée]c(?:embre)?)\.?"
)
_DATE = (
    r"(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}"
    r"|(?:\d{1,2}(?:st|nd|rd|th|er)?\s+)?" + _MONTHS + r",?\s+\d{4}"
    r"|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|(?:19|20)\d{2})"
)
_DOB_RE = re.compile(
    r"\b(?:born|b\.|DOB|D\.O\.B\.?|date\s+of\s+birth|birth\s*date|birthday|n[ée]e?s?"
    r"|n[ée]\(e\)|date\s+de\s+naissance|DDN|anniversaire)\b\.?"
    r"[^.;\n]{0,45}?(?<![\w/.-])(" + _DATE + r")(?![\w/-]|\.\d)",
    re.IGNORECASE,
)


def find_dobs(text: str) -> list[Finding]:
    """Dates (or bare years) at most 45 characters after a birth cue."""
    return [
        finding("date_of_birth", m.start(1), m.end(1), m.group(1)) for m in _DOB_RE.finditer(text)
    ]


# ---------------------------------------------------------------------------------------------
# Street and postal addresses
# ---------------------------------------------------------------------------------------------

_EN_STREET = (
    r"Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Boulevard|Blvd\.?|Close"
    r"|Court|Ct\.?|Way|Place|Pl\.?|Crescent|Cres\.?|Terrace|Square|Sq\.?|Highway|Hwy\.?"
    r"|Parkway|Gardens|Grove|Mews|Row|Walk|Hill|Park|Rise|View|Circle|Trail|Estate"
)
_FR_STREET = (
    r"rue|avenue|av\.|boulevard|bd|bld|allée|allées|impasse|chemin|place|quai|cours|route"
    r"|chaussée|faubourg|square|passage|résidence|lotissement|cité|voie|rond-point|sentier"
    r"|villa|hameau|lieu-dit|parc|promenade|esplanade"
)
_STREET_WORD = re.compile(r"\b(?:" + _EN_STREET + "|" + _FR_STREET + r")\b", re.IGNORECASE)
_ADDRESS_RES = (
    re.compile(
        r"(?<![\w.,/-])(?:(?:flat|apt\.?|apartment|unit|suite)\s+\w{1,5},?\s+)?\d{1,5}[A-Za-z]?"
        r"(?:[-\u2013]\d{1,5})?,?\s+(?:[A-Z][\w'\u2019.-]*\s+){1,4}(?:" + _EN_STREET + r")(?![\w])",
    ),
    re.compile(
        r"(?<![\w.,/-])\d{1,4}(?:\s?(?:bis|ter|quater|[A-Da-d]))?,?\s+(?i:" + _FR_STREET + r")"
        r"(?:\s+(?:(?:de|du|des|la|le|les|l['\u2019]|d['\u2019]|aux|au|en|sur|sous|et)\s*)*"
        r"[A-ZÉÈÀÂÎÔÛÇ0-9][\w'\u2019.-]*){1,6}",
    ),
    re.compile(
        r"\b(?:P\.?\s?O\.?\s?Box|Post\s+Office\s+Box|B\.\s?P\.|BP|Bo[iî]te\s+postale|Postfach"
        r"|Private\s+Bag|Case\s+postale|CP)\s*(?:n°|no\.?)?\s*\d{1,6}\b",
        re.IGNORECASE,
    ),
    re.compile(r"(?<![\w-])[A-Z]{1,2}\d[A-Z\d]?\s\d[ABD-HJLNP-UW-Z]{2}(?![\w-])"),  # UK postcode
)
#: Synthetic cannabinoids that are written like a Swiss or French PO box ("CP 47,497", "CP-55",
#: or "CP 47" as the UNODC file has it); a number followed by a postcode stays a PO box.
_CP_CANNABINOID = re.compile(r"\bCP[ -]?(?:47|55|59)(?:,\d{3})?(?![\w-]|,?\s*\d{4,5}\b)")
_ADDRESS_CUE = re.compile(
    r"\b(?:resid(?:ing|es|ent)\s+at|living\s+at|lives\s+at|home\s+address|private\s+address"
    r"|domicil(?:ié|iée|iés|iées|e)\s+(?:au|à|a)|demeurant\s+(?:au|à|a)|habitant\s+(?:au|à|a)"
    r"|adresse\s+personnelle|adresse\s+privée|home\s+at)\b\s*:?\s*([^.;()\n]{4,80})",
    re.IGNORECASE,
)


def find_addresses(text: str) -> list[Finding]:
    """Street addresses, PO boxes, UK postcodes, and what follows a residence cue."""
    out: list[Finding] = []
    cannabinoids = {m.start() for m in _CP_CANNABINOID.finditer(text)}
    for rx in _ADDRESS_RES:
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if s in cannabinoids:
                continue
            seg = text[s:e].rstrip(" ,")
            out.append(finding("street_address", s, s + len(seg), seg))
    for m in _ADDRESS_CUE.finditer(text):
        seg = m.group(1)
        # The first comma-separated part, or the first two when the first is a bare number
        # ("12, rue de la Paix"); cut from the text, whatever white space follows the comma.
        cuts = [c.start() for c in re.finditer(r",\s+", seg)]
        end = cuts[0] if cuts else len(seg)
        if cuts and re.fullmatch(r"\d{1,5}\s*(?:bis|ter)?", seg[:end].strip()):
            end = cuts[1] if len(cuts) > 1 else len(seg)
        seg = seg[:end].rstrip(" ,")
        if re.search(r"\d", seg) or _STREET_WORD.search(seg):
            s = m.start(1)
            out.append(finding("street_address", s, s + len(seg), seg))
    return out


# ---------------------------------------------------------------------------------------------
# Vehicle registration plates
# ---------------------------------------------------------------------------------------------

_PLATE_CUE = re.compile(
    r"\b(?:registration(?:\s+(?:number|no\.?|plates?|mark))?|registered|reg\.?(?:\s+no\.?)?"
    r"|licen[cs]e\s+plates?|number\s+plates?|plates?|plated|VRN|immatricul(?:é|ée|és|ées|ation)"
    r"|plaques?(?:\s+d['\u2019]immatriculation)?|kennzeichen)\b",
    re.IGNORECASE,
)
#: Vehicle nouns: a weaker cue (the next token may be a model: "truck MAN TGX 18").
_VEHICLE_CUE = re.compile(
    r"\b(?:truck|lorry|van|car|vehicle|trailer|semi-trailer|tractor(?:\s+unit)?|motorcycle|bus"
    r"|coach|véhicule|camion|camionnette|fourgon|voiture|remorque|semi-remorque|tracteur|moto"
    r"|autocar)\b",
    re.IGNORECASE,
)
#: Registrations that are not a road vehicle's: a vessel's, a company's, an aircraft's.
_NOT_ROAD_LEFT = re.compile(
    r"\b(?:IMO|vessel|ship|navire|company|société|RCS|SIREN|SIRET|VAT|TVA"
    r"|EORI|trade\s+register|aircraft|avion|tail)\b",
    re.IGNORECASE,
)
_PLATE_RE = re.compile(
    r"(?<![\w-])((?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,5}(?:[ -][A-Z0-9]{1,5}){0,3})"
    r"(?![\w-])"
)
_PLATE_NO_CUE = (
    re.compile(r"(?<![\w-])[A-HJ-NP-TV-Z]{2}-\d{3}-[A-HJ-NP-TV-Z]{2}(?![\w-])"),  # FR SIV
    re.compile(r"(?<![\w-])[A-Z]{2}\d{2} ?[A-Z]{3}(?![\w-])"),  # UK
    re.compile(r"(?<![\w-])[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} \d{1,4}[EH]?(?![\w-])"),  # DE
    re.compile(r"(?<![\w-])\d{1,4} ?[A-Z]{2,3} ?(?:\d{2}|2[AB]|97\d)(?![\w-])"),  # old FR FNI
    re.compile(r"(?<![\w-])\d-[A-Z]{3}-\d{3}(?![\w-])"),  # BE
)


def find_plates(text: str) -> list[Finding]:
    """Plates after a vehicle noun or a registration cue, and FR, UK, DE, BE formats anywhere."""
    out: list[Finding] = []
    for s, e, tok in after_cue(text, _VEHICLE_CUE, _PLATE_RE, 25):
        first = re.split(r"[ -]", tok)[0]
        if first in MAKES or sum(c.isdigit() for c in tok) < 3 or re.match(r"^\d+$", first):
            continue
        out.append(finding("vehicle_plate", s, e, text[s:e]))
    for s, e, tok in after_cue(text, _PLATE_CUE, _PLATE_RE, 40):
        if _NOT_ROAD_LEFT.search(text[max(0, s - 60) : s]):
            continue
        compact = re.sub(r"[ -]", "", tok)
        if not 4 <= len(compact) <= 10 or re.match(r"^(?:IMO|HS|AF|EUR|USD)\b", tok):
            continue
        out.append(finding("vehicle_plate", s, e, text[s:e]))
    for rx in _PLATE_NO_CUE:
        for m in rx.finditer(text):
            out.append(finding("vehicle_plate", m.start(), m.end(), m.group()))
    return out
