"""Reference code checks other apps call on every write that carries a code.

Each ``check_*`` takes the value as entered and the name of the field it came from, returns the
reference row, and raises ``InvalidInput`` naming that field and a reason an officer can act on
(``unknown HS code 851799: no such subheading in HS 2022``).  Input is normalised first: case,
surrounding spaces, and the dots and spaces people type inside codes (``8517.62``, ``NL RTM``).
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencen.core.errors import InvalidInput
from opencen.reference.models import (
    CitesSpecies,
    Country,
    Currency,
    HsCode,
    HsLevel,
    Place,
    Unit,
    WcoRegion,
)

_HS_DIGITS = {2: HsLevel.CHAPTER, 4: HsLevel.HEADING, 6: HsLevel.SUBHEADING}
_HS_SEPARATORS = re.compile(r"[\s.\-]")
_ROMAN = re.compile(r"^[IVX]{1,5}$")
_NATIONAL_LENGTHS = (8, 10, 12)
# Place functions (``is_<name>`` fields) and how to say them.
PLACE_FUNCTION_LABELS = {
    "seaport": gettext_lazy("Seaport"),
    "rail": gettext_lazy("Rail terminal"),
    "road": gettext_lazy("Road terminal"),
    "airport": gettext_lazy("Airport"),
    "postal": gettext_lazy("Postal exchange office"),
    "multimodal": gettext_lazy("Multimodal / inland clearance depot"),
    "fixed_transport": gettext_lazy("Fixed transport installation"),
    "inland_port": gettext_lazy("Inland water port"),
    "border_crossing": gettext_lazy("Border crossing"),
}


def _level_label(level: str) -> str:
    return str(HsLevel(level).label).lower()


def normalise_hs(code: str) -> str:
    """``8517.62`` / ``8517 62`` / `` 851762 `` -> ``851762``; section numerals upper-cased."""
    return _HS_SEPARATORS.sub("", str(code or "")).upper()


def check_country(code: str, field: str) -> Country:
    """An ISO 3166-1 alpha-2 country (or XK Kosovo)."""
    value = str(code or "").strip().upper()
    if not value:
        raise InvalidInput.one(field, _("Enter a country code (ISO 3166-1 alpha-2, e.g. FR)."))
    if not re.fullmatch(r"[A-Z]{2}", value):
        if re.fullmatch(r"[A-Z]{3}", value):
            country = Country.objects.filter(alpha3=value).first()
            hint = _(" Did you mean %(c)s?") % {"c": country.code} if country else ""
            raise InvalidInput.one(
                field,
                _("%(v)s is an alpha-3 code: use the two-letter ISO 3166-1 code.%(hint)s")
                % {"v": value, "hint": hint},
            )
        raise InvalidInput.one(
            field, _("%(v)s is not a two-letter ISO 3166-1 country code.") % {"v": value}
        )
    country = Country.objects.filter(code=value).first()
    if country is None:
        raise InvalidInput.one(
            field, _("unknown country code %(v)s: not in ISO 3166-1.") % {"v": value}
        )
    return country


def check_currency(code: str, field: str) -> Currency:
    """An ISO 4217 currency."""
    value = str(code or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise InvalidInput.one(
            field,
            _("%(v)s is not a three-letter ISO 4217 currency code (e.g. EUR).")
            % {"v": value or '""'},
        )
    currency = Currency.objects.filter(code=value).first()
    if currency is None:
        raise InvalidInput.one(
            field, _("unknown currency code %(v)s: not in ISO 4217.") % {"v": value}
        )
    return currency


def check_region(code: str, field: str) -> WcoRegion:
    """A WCO region by its code (``EUR``)."""
    value = str(code or "").strip().upper()
    region = WcoRegion.objects.filter(code=value).first() if value else None
    if region is None:
        codes = ", ".join(WcoRegion.objects.order_by("code").values_list("code", flat=True))
        raise InvalidInput.one(
            field,
            _("unknown WCO region %(v)s: use one of %(codes)s.")
            % {"v": value or '""', "codes": codes},
        )
    return region


def check_hs(code: str, field: str, level: str | None = None, *, national: bool = False) -> HsCode:
    """An HS 2022 node: section numeral, chapter (2 digits), heading (4) or subheading (6).

    With ``level`` the node must be of that level.  With ``national`` an 8-, 10- or 12-digit
    national tariff line is accepted when its first six digits are an HS 2022 subheading (the
    subheading is returned).
    """
    value = normalise_hs(code)
    if not value:
        raise InvalidInput.one(field, _("Enter an HS code (2, 4 or 6 digits, e.g. 8517.62)."))
    if value.isdigit() and national and len(value) in _NATIONAL_LENGTHS:
        value = value[:6]
    if value.isdigit() and len(value) in _HS_DIGITS:
        expected = _HS_DIGITS[len(value)]
    elif _ROMAN.match(value):
        expected = HsLevel.SECTION
    else:
        raise InvalidInput.one(
            field,
            _(
                "%(v)s is not an HS code: HS 2022 codes have 2 (chapter), 4 (heading) or 6 "
                "(subheading) digits."
            )
            % {"v": code},
        )
    node = HsCode.objects.filter(code=value).first()
    if node is None:
        reason = _("unknown HS code %(v)s: no such %(level)s in HS 2022") % {
            "v": value,
            "level": _level_label(expected),
        }
        parent = _nearest_known_parent(value)
        if parent is not None:
            reason += _(" (%(level)s %(p)s exists: %(d)s)") % {
                "level": _level_label(parent.level),
                "p": parent.code,
                "d": Truncator(parent.description).words(8, truncate="…"),
            }
        raise InvalidInput.one(field, reason + ".")
    if level is not None and node.level != level:
        raise InvalidInput.one(
            field,
            _("HS code %(v)s is a %(actual)s; a %(wanted)s is required here.")
            % {"v": value, "actual": _level_label(node.level), "wanted": _level_label(level)},
        )
    return node


def _nearest_known_parent(value: str) -> HsCode | None:
    for length in (4, 2):
        if len(value) > length:
            node = HsCode.objects.filter(code=value[:length]).first()
            if node is not None:
                return node
    return None


def check_place(code: str, field: str, *, function: str | None = None) -> Place:
    """A UN/LOCODE location (``NLRTM``, ``NL RTM``); ``function`` (``seaport``, ``airport``,
    ``rail``, ``road``, ``postal``, ``border_crossing``...) must then be among its functions."""
    value = re.sub(r"[\s\-]", "", str(code or "")).upper()
    if not re.fullmatch(r"[A-Z]{2}[A-Z0-9]{3}", value):
        raise InvalidInput.one(
            field,
            _("%(v)s is not a UN/LOCODE: two letters of country and three of place, e.g. NLRTM.")
            % {"v": code or '""'},
        )
    place = Place.objects.filter(code=value).first()
    if place is None:
        if not Country.objects.filter(code=value[:2]).exists():
            reason = _("unknown UN/LOCODE %(v)s: %(c)s is not a country code.")
        else:
            reason = _("unknown UN/LOCODE %(v)s: no such location in %(c)s.")
        raise InvalidInput.one(field, reason % {"v": value, "c": value[:2]})
    if function is not None:
        if function not in PLACE_FUNCTION_LABELS:
            raise ValueError(f"unknown place function {function!r}")
        if not getattr(place, f"is_{function}"):
            raise InvalidInput.one(
                field,
                _("%(v)s (%(n)s) is not listed as a %(f)s in UN/LOCODE.")
                % {"v": value, "n": place.name, "f": str(PLACE_FUNCTION_LABELS[function]).lower()},
            )
    return place


def check_unit(code: str, field: str) -> Unit:
    """A UN/ECE Recommendation 20 unit code (``KGM``, ``LTR``, ``H87``)."""
    value = str(code or "").strip().upper()
    unit = Unit.objects.filter(code=value).first() if value else None
    if unit is None:
        hint = ""
        if value:
            named = (
                Unit.objects.filter(Q(symbol__iexact=value) | Q(name__iexact=value))
                .order_by("-is_common", "code")
                .first()
            )
            if named is not None:
                hint = _(" Did you mean %(c)s (%(n)s)?") % {"c": named.code, "n": named.name}
        raise InvalidInput.one(
            field,
            _("unknown unit %(v)s: not a UN/ECE Recommendation 20 code.%(hint)s")
            % {"v": value or '""', "hint": hint},
        )
    return unit


def check_cites(name: str, field: str) -> CitesSpecies:
    """A taxon of the loaded CITES checklist, by scientific name (or an unambiguous synonym).

    Matching ignores case and repeated spaces.  A name that is only a synonym is accepted when
    it points at exactly one listed taxon.
    """
    value = " ".join(str(name or "").split())
    if not value:
        raise InvalidInput.one(field, _("Enter the scientific name of the species."))
    taxon = CitesSpecies.objects.filter(scientific_name__iexact=value).first()
    if taxon is not None:
        return taxon
    if not CitesSpecies.objects.exists():
        raise InvalidInput.one(
            field, _("No CITES checklist is loaded: ask an administrator to import one.")
        )
    by_synonym = list(CitesSpecies.objects.filter(synonyms__icontains=value)[:2])
    if len(by_synonym) == 1:
        return by_synonym[0]
    genus = value.split(" ")[0]
    hint = ""
    if (
        len(value.split(" ")) > 1
        and CitesSpecies.objects.filter(scientific_name__iexact=genus).exists()
    ):
        hint = _(" The genus %(g)s is listed as a whole.") % {"g": genus}
    raise InvalidInput.one(
        field,
        _("unknown taxon %(v)s: not in the loaded CITES checklist.%(hint)s")
        % {"v": value, "hint": hint},
    )
