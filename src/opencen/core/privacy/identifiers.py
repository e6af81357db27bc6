"""Structured identifiers: e-mail, phone, IBAN, bank account, payment card, MRZ, documents.

Each is found by its shape and, where a package ships one, its validator (``phonenumbers``,
``python-stdnum``); the weaker shapes count only after a cue word ("passport no.", "account").
"""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers
from stdnum import luhn
from stdnum.be import nn as be_nn
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.fr import nir as fr_nir
from stdnum.it import codicefiscale as it_cf
from stdnum.us import ssn as us_ssn

from opencen.core.privacy.findings import Finding, after_cue, finding

# ---------------------------------------------------------------------------------------------
# E-mail and MRZ
# ---------------------------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+'-]+(?:@|\s?\[at\]\s?|\s?\(at\)\s?)[\w-]+(?:(?:\.|\s?\[dot\]\s?)[\w-]+)*"
    r"(?:\.|\s?\[dot\]\s?)[A-Za-z]{2,24}(?![\w])",
)
_MRZ_RE = re.compile(r"(?<![A-Z0-9<])[A-Z0-9<]{25,46}(?![A-Z0-9<])")


def find_emails(text: str) -> list[Finding]:
    """E-mail addresses, including ``name [at] domain.com``."""
    out: list[Finding] = []
    for m in _EMAIL_RE.finditer(text):
        s = m.group()
        if "@" not in s and not re.search(r"\[at\]|\(at\)", s):
            continue
        out.append(finding("email", m.start(), m.end(), s))
    return out


def find_mrz(text: str) -> list[Finding]:
    """Lines of the machine-readable zone of a passport or identity card."""
    out: list[Finding] = []
    for m in _MRZ_RE.finditer(text):
        s = m.group()
        digits = sum(c.isdigit() for c in s)
        doc_start = re.match(r"^[PIACV][A-Z<][A-Z]{3}", s) is not None
        if "<<" in s or ("<" in s and (digits >= 5 or doc_start)):
            out.append(finding("mrz", m.start(), m.end(), s))
    return out


# ---------------------------------------------------------------------------------------------
# Money: IBAN, bank accounts, payment cards
# ---------------------------------------------------------------------------------------------

_IBAN_RE = re.compile(
    r"(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?:[ \u00a0-]?[A-Z0-9]){10,32})(?![A-Za-z0-9])"
)
#: IBAN length by country: "FR27" means a French IBAN has 27 characters.
_IBAN_LENGTHS = """
AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BJ28 BR29 BY28 CH21 CI28 CM27 CR22 CY28
CZ24 DE22 DJ27 DK18 DO28 DZ26 EE20 EG29 ES24 FI18 FO18 FR27 GA27 GB22 GE22 GI23 GL18 GR27
GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25
MA28 MC27 MD24 ME22 MG27 MK19 ML28 MR27 MT31 MU30 NE28 NI28 NL18 NO15 PK24 PL28 PS29 PT25
QA29 RO24 RS22 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SN28 ST25 SV28 TD27 TG28 TL23 TN24 TR26
UA29 VA22 VG24 XK20 CG27 CV25 BF28 AO25 IR26 MZ25 GQ27 GW25 KM27 HN28 MN20 NG14 OM23 RU33
SO23 YE30
"""
_IBAN_LEN = {entry[:2]: int(entry[2:]) for entry in _IBAN_LENGTHS.split()}
_IBAN_CUE = re.compile(r"\b(?:IBAN|RIB|BIC|SWIFT|compte|account|virement|transfer|wire)\b", re.I)
_BANK_CUE = re.compile(
    r"\b(?:(?:bank\s+)?account(?:\s+(?:number|no\.?|n°|#))?|acct\.?|a/c|compte(?:\s+bancaire)?"
    r"(?:\s+(?:n°|no\.?|numéro))?|RIB|sort\s+code|routing\s+number|ABA|BSB|CLABE"
    r"|mobile\s+money\s+account|M-?Pesa\s+account|wallet\s+number)\b",
    re.IGNORECASE,
)
_BANK_NUMBER_RE = re.compile(
    r"(?<![\w-])((?:\d{2}-\d{2}-\d{2})|(?=[\d -]*\d{4})\d(?:\d|[ -](?=\d)){5,29})(?![\w-])"
)
_CARD_RE = re.compile(r"(?<![\w.,/-])(?:\d[ -]?){12,18}\d(?![\w/-]|[.,]\d)")
_CARD_PREFIX = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|6(?:011|5))")
_CARD_CUE = re.compile(
    r"\b(?:card|carte(?:\s+bancaire)?|CB|visa|mastercard|amex|debit|credit|crédit)\b[^.;\n]{0,25}$",
    re.IGNORECASE,
)


def _iban_ok(compact: str) -> bool:
    if len(compact) < 14 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    expected = _IBAN_LEN.get(compact[:2])
    if expected is not None and expected != len(compact):
        return False
    moved = compact[4:] + compact[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return int(digits) % 97 == 1


def find_ibans(text: str) -> list[Finding]:
    """IBANs that pass mod-97 and their country's length; any IBAN shape after a cue."""
    out: list[Finding] = []
    for m in _IBAN_RE.finditer(text):
        raw = m.group(1)
        # try the whole match, then shorter prefixes (it may have swallowed a following code)
        pieces = list(re.finditer(r"[A-Z0-9]+", raw))
        hit: tuple[int, int] | None = None
        for n in range(len(pieces), 0, -1):
            end = pieces[n - 1].end()
            compact = re.sub(r"[\s\u00a0-]", "", raw[:end])
            if _iban_ok(compact):
                hit = (m.start(1), m.start(1) + end)
                break
        if hit is None:
            cue = _IBAN_CUE.search(text[max(0, m.start() - 40) : m.start()])
            compact = re.sub(r"[\s\u00a0-]", "", raw)
            if cue and 14 <= len(compact) <= 34 and sum(c.isdigit() for c in compact) >= 10:
                hit = (m.start(1), m.end(1))
        if hit:
            out.append(finding("iban", hit[0], hit[1], text[hit[0] : hit[1]]))
    return out


def find_bank_accounts(text: str) -> list[Finding]:
    """Numbers of at least 6 digits after "account number", "compte n°", "sort code"..."""
    out: list[Finding] = []
    for s, e, tok in after_cue(text, _BANK_CUE, _BANK_NUMBER_RE, 40):
        if sum(c.isdigit() for c in tok) < 6:
            continue
        out.append(finding("bank_account", s, e, text[s:e]))
    return out


def find_cards(text: str) -> list[Finding]:
    """13-19 digits after a card cue, or with a card prefix and a valid Luhn check digit."""
    out: list[Finding] = []
    for m in _CARD_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if not 13 <= len(digits) <= 19:
            continue
        if _CARD_CUE.search(text[max(0, m.start() - 40) : m.start()]) or (
            _CARD_PREFIX.match(digits) and luhn.is_valid(digits)
        ):
            out.append(finding("payment_card", m.start(), m.end(), m.group()))
    return out


# ---------------------------------------------------------------------------------------------
# Identity documents and national numbers
# ---------------------------------------------------------------------------------------------

# Document numbers after a label ("passport no. 12AB34567", "carte d'identité n° ...").
_DOC_RE = re.compile(
    r"(?<![\w-])((?=[A-Z0-9 -]*\d)[A-Z0-9](?:[A-Z0-9]|[ -](?=[A-Z0-9])){4,19})(?![\w-])"
)
_PASSPORT_CUE = re.compile(
    r"\b(?:passports?|passeports?|travel\s+documents?|documents?\s+de\s+voyage|laissez-passer"
    r"|visas?|seaman'?s\s+book|livret\s+de\s+marin)\b",
    re.IGNORECASE,
)
_ID_CUE = re.compile(
    r"\b(?:id(?:entity)?\s+cards?|identity\s+(?:document|number)|national\s+id(?:entity)?"
    r"(?:\s+(?:card|number))?|national\s+identification\s+number|id\s+(?:number|no\.?|n°)"
    r"|carte\s+(?:nationale\s+)?d['\u2019]identité|CNI|NIN|SSN|social\s+security(?:\s+number)?"
    r"|s[ée]curit[ée]\s+sociale|NIR|insurance\s+number|NINO|driv(?:ing|er['\u2019]?s)\s+licen[cs]e"
    r"|permis\s+de\s+conduire|residence\s+(?:permit|card)|titre\s+de\s+s[ée]jour"
    r"|carte\s+de\s+s[ée]jour|permis\s+de\s+s[ée]jour|tax\s+(?:identification\s+)?number"
    r"|TIN|NIF|NIE|DNI|PESEL|BSN|codice\s+fiscale|Aadhaar|CURP|CPF|Ghana\s+card"
    r"|voter['\u2019]?s?\s+card|carte\s+d['\u2019][ée]lecteur|personal\s+(?:identity\s+)?number"
    r"|identifiant\s+personnel|num[ée]ro\s+d['\u2019]identification|consular\s+card"
    r"|carte\s+consulaire|refugee\s+card|asylum\s+card)\b",
    re.IGNORECASE,
)
#: Per cue: the kind it reports and the digits a number after it needs at least.
_DOC_CUES = ((_PASSPORT_CUE, "passport_number", 3), (_ID_CUE, "id_number", 1))
_NOT_DOC = re.compile(
    r"^(?:IMO|HS|MMSI|CN|SH|ISO|UN|EUR|USD|\d{4}|\d{1,2}[ -]\d{1,2}[ -]\d{2,4}"
    r"|[A-Z]{3}[UJZ]\d{7}|(?:19|20)\d{2}(?:-\d{2}(?:-\d{2})?)?)$"
)


def _es_dni_or_nie(number: str) -> bool:
    return bool(es_dni.is_valid(number) or es_nie.is_valid(number))


#: National numbers that carry a check digit, found with no label: (shape, validator).
_NATIONAL_NUMBERS: tuple[tuple[re.Pattern[str], Callable[[str], bool]], ...] = (
    (re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"), us_ssn.is_valid),
    (
        re.compile(r"(?<![\w])[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\w])"),
        fr_nir.is_valid,
    ),
    (re.compile(r"(?<![\w-])(?:\d{8}-?[A-Z]|[XYZ]-?\d{7}-?[A-Z])(?![\w-])"), _es_dni_or_nie),
    (re.compile(r"(?<![\w])[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z](?![\w])"), it_cf.is_valid),
    (re.compile(r"(?<![\w.])\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}(?![\w])"), be_nn.is_valid),
)


def find_documents(text: str) -> list[Finding]:
    """Passport and identity numbers after a label, and self-validating national numbers."""
    out: list[Finding] = []
    for cue, kind, min_digits in _DOC_CUES:
        for s, e, tok in after_cue(text, cue, _DOC_RE, 60):
            tok_c = tok.strip()
            compact = re.sub(r"[ -]", "", tok_c)
            if (
                _NOT_DOC.match(tok_c)
                or len(compact) < 6
                or sum(c.isdigit() for c in compact) < min_digits
            ):
                continue
            out.append(finding(kind, s, e, text[s:e]))
    for shape, is_valid in _NATIONAL_NUMBERS:
        for m in shape.finditer(text):
            if is_valid(m.group()):
                out.append(finding("id_number", m.start(), m.end(), m.group()))
    return out


# ---------------------------------------------------------------------------------------------
# Telephone numbers
# ---------------------------------------------------------------------------------------------

_PHONE_CAND = re.compile(
    r"(?<![\w.,/+-])(?:\+\s?|00)?(?:\(\d{1,4}\)\s?)?\d[\d\s\u00a0().-]{5,22}\d(?![\w/]|[.,]\d)"
)
_PHONE_CUE = re.compile(
    r"\b(?:tel|tél|phone|telephone|téléphone|mobile|cell(?:phone)?|gsm|portable|whatsapp"
    r"|telegram|signal|viber|wechat|contact(?:\s+number)?|numéro|number|fax|call(?:ed)?"
    r"|appel(?:é|ait)?|sms|joignable|line)\b",
    re.IGNORECASE,
)
_DATE_LIKE = re.compile(
    r"\d{1,2}[.-]\d{1,2}[.-](?:19|20)\d{2}|(?:19|20)\d{2}[.-]\d{1,2}[.-]\d{1,2}"
)
_HS_LIKE = re.compile(r"^\d{4}\.\d{2}(?:\.\d{2,4})*$")
_NUM_LEFT_SAFE = re.compile(
    r"(?:\b(?:IMO|MMSI|HS|SH|CN|TARIC|code|heading|subheading|position|tariff|nomenclature"
    r"|flight|vol|container|conteneur|AWB|LTA|B/L|BL|MAWB|HAWB|seal|scellé|invoice|facture"
    r"|declaration|déclaration|MRN|reference|référence|ref|lot|batch|serial|série|case|dossier"
    r"|permit|permis|certificate|certificat|CITES|licen[cs]e|n°\s*de\s*lot)\b[^\n]{0,14})$",
    re.IGNORECASE,
)
_NUM_RIGHT_SAFE = re.compile(
    r"^\s*(?:kg|kgs|g|mg|t|tonnes?|tons?|lbs?|pieces?|pcs|pièces|sticks?|cigarettes?|units?"
    r"|unités|cartons?|packs?|paquets?|bottles?|bouteilles?|litres?|liters?|l|ml|cl|hl|m3|m²"
    r"|m|km|cm|mm|usd|eur|euros?|gbp|€|\$|£|xof|xaf|fcfa|cfa|francs?|dollars?|naira|cedis?"
    r"|dirhams?|dinars?|rands?|shillings?|doses?|tablets?|comprimés|ampoules|vials?|heads?"
    r"|têtes|specimens?|spécimens|plants?|birds?|oiseaux|boxes|boîtes|bags|sacs|parcels?"
    r"|colis|teu|containers?|conteneurs?|%)\b",
    re.IGNORECASE,
)
#: Countries whose national formats are tried, by text language.
_PHONE_REGIONS = {
    "en": ("GB", "US", "IE", "NG", "GH", "KE", "ZA", "IN", "FR", "BE"),
    "fr": ("FR", "BE", "CH", "LU", "CA", "SN", "CI", "CM", "MA", "DZ", "TN", "GB", "US"),
}


def _valid_national(raw: str, regions: tuple[str, ...]) -> bool:
    for region in regions:
        try:
            num = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(num):
            return True
    return False


def _possible_international(raw: str) -> bool:
    intl = "+" + raw.lstrip("+")[2:] if raw.startswith("00") else raw
    try:
        return bool(phonenumbers.is_possible_number(phonenumbers.parse(intl, None)))
    except phonenumbers.NumberParseException:
        return False


def find_phones(text: str, lang: str) -> list[Finding]:
    """Telephone numbers; ``lang`` chooses the countries whose national formats are tried."""
    out: list[Finding] = []
    regions = _PHONE_REGIONS.get(lang, _PHONE_REGIONS["en"])
    for m in _PHONE_CAND.finditer(text):
        raw = m.group().rstrip(" .-)")
        start = m.start()
        if raw.count("(") != raw.count(")"):
            start += len(raw) - len(raw.lstrip("("))
            raw = raw.lstrip("(")
        end = start + len(raw)
        digits = re.sub(r"\D", "", raw)
        if not 8 <= len(digits) <= 15:
            continue
        left = text[max(0, start - 30) : start]
        cue = bool(_PHONE_CUE.search(left))
        if not cue and (_NUM_LEFT_SAFE.search(left) or _NUM_RIGHT_SAFE.match(text[end:])):
            continue
        if _DATE_LIKE.fullmatch(raw.strip()):
            continue
        if not cue and _HS_LIKE.match(raw):
            continue
        if raw.startswith(("+", "00")):
            ok = _possible_international(raw)
        else:
            ok = _valid_national(raw, regions)
        if ok or cue:
            out.append(finding("phone", start, end, raw))
    return out
