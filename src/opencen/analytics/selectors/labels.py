"""Human names for the codes the analyses group by (countries, regions, areas, choices)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.utils.translation import gettext as _

from opencen.reference.models import Country, WcoRegion
from opencen.seizures.areas import AREAS
from opencen.seizures.choices import Concealment, Detection, Transport

UNIT_LABELS = {"KGM": "kg", "LTR": "l", "H87": "pcs"}


def unit_label(code: str) -> str:
    """``KGM`` -> ``kg``; the code itself for units without a short label."""
    if code == "H87":
        return _("pieces")
    return UNIT_LABELS.get(code, code)


def area_label(code: str) -> str:
    return str(AREAS[code].label) if code in AREAS else (code or _("no goods"))


def transport_label(code: str) -> str:
    return str(Transport(code).label) if code in Transport.values else code


def detection_label(code: str) -> str:
    return str(Detection(code).label) if code in Detection.values else code


def concealment_label(code: str) -> str:
    return str(Concealment(code).label) if code in Concealment.values else code


def country_names(codes: Iterable[str]) -> dict[str, str]:
    wanted = {c for c in codes if c}
    names = dict(Country.objects.filter(code__in=wanted).values_list("code", "name"))
    return {c: names.get(c, c) for c in wanted}


def country_numeric(codes: Iterable[str]) -> dict[str, str]:
    """ISO 3166 numeric codes (the ids of the world-atlas shapes), zero-padded."""
    rows = Country.objects.filter(code__in=set(codes)).values_list("code", "numeric")
    return {code: numeric.zfill(3) for code, numeric in rows if numeric}


def region_names(ids: Iterable[uuid.UUID | str | None]) -> dict[str, str]:
    wanted = {str(uuid.UUID(str(i))) for i in ids if i}
    rows = WcoRegion.objects.filter(id__in=wanted).values_list("id", "name")
    return {str(i): name for i, name in rows}
