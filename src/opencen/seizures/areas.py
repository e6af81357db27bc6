"""Commodity areas and the mandatory fields each one adds to a goods line.

One registry drives the entry form (the fields that appear for the area chosen), the API
validation, the import templates (one per area) and the documentation.  Details are stored in
``GoodsLine.details`` (JSON) and validated here; the shared fields of every line (HS code,
description, quantity, unit, value) are columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from opencen.core.errors import FieldError

Choices = tuple[tuple[str, StrPromise], ...]


@dataclass(frozen=True)
class DetailField:
    """One area-specific field: a choice from a list, a short text, a number or a code."""

    name: str
    label: StrPromise
    kind: str = "text"  # text | choice | decimal | cites_species | basel_code
    required: bool = True
    choices: Choices = ()
    max_length: int = 120
    # Required only when another detail has one of these values, e.g. {"subtype": {"cites"}}.
    required_when: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class CommodityArea:
    """A CEN commodity area: its code, label, usual unit and extra fields."""

    code: str
    label: StrPromise
    default_unit: str
    fields: tuple[DetailField, ...] = ()


DRUG_SUBSTANCES: Choices = (
    ("cocaine", _("Cocaine")),
    ("crack", _("Crack cocaine")),
    ("heroin", _("Heroin")),
    ("opium", _("Opium")),
    ("morphine", _("Morphine")),
    ("cannabis_herb", _("Cannabis herb")),
    ("cannabis_resin", _("Cannabis resin")),
    ("cannabis_oil", _("Cannabis oil")),
    ("cannabis_plants", _("Cannabis plants")),
    ("methamphetamine", _("Methamphetamine")),
    ("amphetamine", _("Amphetamine")),
    ("captagon", _("Captagon")),
    ("mdma", _("MDMA / ecstasy")),
    ("ketamine", _("Ketamine")),
    ("fentanyl", _("Fentanyl and analogues")),
    ("tramadol", _("Tramadol")),
    ("other_opioid", _("Other opioids")),
    ("khat", _("Khat")),
    ("lsd", _("LSD")),
    ("nps", _("New psychoactive substance")),
    ("precursor", _("Precursor")),
    ("other", _("Other")),
)
DRUG_FORMS: Choices = (
    ("powder", _("Powder")),
    ("tablet", _("Tablets / pills")),
    ("liquid", _("Liquid")),
    ("plant", _("Plant material")),
    ("resin", _("Resin")),
    ("paste", _("Paste")),
    ("blotter", _("Blotter")),
    ("other", _("Other")),
)
EXCISE_PRODUCTS: Choices = (
    ("cigarettes", _("Cigarettes")),
    ("cigars", _("Cigars / cigarillos")),
    ("raw_tobacco", _("Raw tobacco")),
    ("water_pipe_tobacco", _("Water-pipe tobacco")),
    ("heated_tobacco", _("Heated tobacco")),
    ("e_liquid", _("E-liquid / vapes")),
    ("alcohol", _("Alcoholic beverages")),
    ("fuel", _("Fuel")),
    ("other", _("Other")),
)
RIGHT_TYPES: Choices = (
    ("trademark", _("Trademark")),
    ("copyright", _("Copyright")),
    ("design", _("Design")),
    ("patent", _("Patent")),
    ("geographical_indication", _("Geographical indication")),
    ("plant_variety", _("Plant variety")),
    ("health_safety", _("Health and safety standard")),
)
PRODUCT_TYPES: Choices = (
    ("clothing", _("Clothing")),
    ("footwear", _("Footwear")),
    ("bags", _("Bags and wallets")),
    ("watches", _("Watches and jewellery")),
    ("electronics", _("Electronics")),
    ("medicines", _("Medicines")),
    ("cosmetics", _("Cosmetics and perfume")),
    ("toys", _("Toys")),
    ("spare_parts", _("Vehicle parts")),
    ("food", _("Food and drink")),
    ("other", _("Other")),
)
ENVIRONMENT_SUBTYPES: Choices = (
    ("cites", _("Wildlife (CITES species)")),
    ("timber", _("Timber")),
    ("waste", _("Waste (Basel Convention)")),
    ("ods", _("Ozone-depleting substances")),
    ("other", _("Other")),
)
SPECIMENS: Choices = (
    ("live", _("Live animals or plants")),
    ("dead", _("Dead / whole bodies")),
    ("ivory", _("Ivory")),
    ("horn", _("Horn")),
    ("scales", _("Scales (e.g. pangolin)")),
    ("skins", _("Skins and leather")),
    ("meat", _("Meat / bushmeat")),
    ("bones", _("Bones, teeth, claws")),
    ("eggs", _("Eggs")),
    ("timber", _("Timber / wood")),
    ("extract", _("Extracts and derivatives")),
    ("other", _("Other")),
)
CITES_APPENDICES: Choices = (
    ("I", _("Appendix I")),
    ("II", _("Appendix II")),
    ("III", _("Appendix III")),
)
WEAPON_TYPES: Choices = (
    ("firearm", _("Firearms")),
    ("parts", _("Firearm parts and components")),
    ("ammunition", _("Ammunition")),
    ("explosives", _("Explosives")),
    ("precursors", _("Explosive precursors")),
    ("bladed", _("Bladed weapons")),
    ("other", _("Other")),
)
CULTURAL_OBJECTS: Choices = (
    ("archaeological", _("Archaeological objects")),
    ("artwork", _("Works of art")),
    ("manuscript", _("Manuscripts and books")),
    ("religious", _("Religious objects")),
    ("coins", _("Coins")),
    ("fossils", _("Fossils")),
    ("other", _("Other")),
)
MONETARY_INSTRUMENTS: Choices = (
    ("cash", _("Cash")),
    ("bearer_instrument", _("Bearer negotiable instruments")),
    ("gold", _("Gold")),
    ("precious_stones", _("Precious stones")),
    ("virtual_assets", _("Virtual-asset devices")),
    ("other", _("Other")),
)
FRAUD_TYPES: Choices = (
    ("undervaluation", _("Undervaluation")),
    ("misclassification", _("Misclassification")),
    ("origin", _("False origin")),
    ("smuggling", _("Smuggling")),
    ("quota", _("Quota or licence evasion")),
    ("relief_abuse", _("Abuse of relief")),
    ("other", _("Other")),
)

AREAS: dict[str, CommodityArea] = {
    area.code: area
    for area in (
        CommodityArea(
            "drugs",
            _("Drugs"),
            "KGM",
            (
                DetailField("substance", _("Substance"), "choice", choices=DRUG_SUBSTANCES),
                DetailField("form", _("Form"), "choice", choices=DRUG_FORMS),
            ),
        ),
        CommodityArea(
            "tobacco",
            _("Tobacco and excise goods"),
            "H87",
            (
                DetailField("product", _("Product"), "choice", choices=EXCISE_PRODUCTS),
                DetailField("brand", _("Brand")),
            ),
        ),
        CommodityArea(
            "ipr",
            _("IPR, health and safety"),
            "H87",
            (
                DetailField("right_type", _("Right infringed"), "choice", choices=RIGHT_TYPES),
                DetailField("brand", _("Brand or right holder")),
                DetailField("product_type", _("Product type"), "choice", choices=PRODUCT_TYPES),
            ),
        ),
        CommodityArea(
            "environment",
            _("Environment"),
            "KGM",
            (
                DetailField("subtype", _("Kind"), "choice", choices=ENVIRONMENT_SUBTYPES),
                DetailField(
                    "species",
                    _("CITES species (scientific name)"),
                    "cites_species",
                    required=False,
                    required_when={"subtype": frozenset({"cites"})},
                ),
                DetailField(
                    "appendix",
                    _("CITES appendix"),
                    "choice",
                    required=False,
                    choices=CITES_APPENDICES,
                    required_when={"subtype": frozenset({"cites"})},
                ),
                DetailField(
                    "specimen",
                    _("Specimen"),
                    "choice",
                    required=False,
                    choices=SPECIMENS,
                    required_when={"subtype": frozenset({"cites", "timber"})},
                ),
                DetailField(
                    "basel_code",
                    _("Basel Convention code"),
                    "basel_code",
                    required=False,
                    required_when={"subtype": frozenset({"waste"})},
                ),
                DetailField(
                    "substance",
                    _("Ozone-depleting substance"),
                    required=False,
                    required_when={"subtype": frozenset({"ods"})},
                ),
            ),
        ),
        CommodityArea(
            "weapons",
            _("Weapons and explosives"),
            "H87",
            (
                DetailField("weapon_type", _("Type"), "choice", choices=WEAPON_TYPES),
                DetailField("calibre", _("Calibre or model"), required=False),
            ),
        ),
        CommodityArea(
            "strategic",
            _("Strategic and dual-use goods"),
            "H87",
            (
                DetailField("control_entry", _("Control list entry (e.g. 1A001)")),
                DetailField("end_use", _("Declared end use"), required=False),
            ),
        ),
        CommodityArea(
            "cultural",
            _("Cultural heritage"),
            "H87",
            (
                DetailField("object_type", _("Object type"), "choice", choices=CULTURAL_OBJECTS),
                DetailField("period", _("Period or culture"), required=False),
            ),
        ),
        CommodityArea(
            "currency",
            _("Currency and monetary instruments"),
            "H87",
            (DetailField("instrument", _("Instrument"), "choice", choices=MONETARY_INSTRUMENTS),),
        ),
        CommodityArea(
            "revenue",
            _("Revenue fraud"),
            "KGM",
            (
                DetailField("fraud_type", _("Fraud type"), "choice", choices=FRAUD_TYPES),
                DetailField(
                    "duty_evaded",
                    _("Duty and taxes evaded (in the line's currency)"),
                    "decimal",
                    required=False,
                ),
            ),
        ),
        CommodityArea("other", _("Other"), "H87"),
    )
}

AREA_CHOICES: Choices = tuple((a.code, a.label) for a in AREAS.values())

# Basel Convention codes: Annex I (Y1-Y47), Annex VIII (A1010-A4160), Annex IX (B1010-B4030).
BASEL_CODE = re.compile(r"^(Y([1-9]|[1-3][0-9]|4[0-7])|A[1-4]\d{3}|B[1-4]\d{3})$")


def clean_details(
    area_code: str,
    raw: Mapping[str, Any],
    prefix: str,
    species_lookup: Callable[[str], str | None],
) -> tuple[dict[str, Any], list[FieldError]]:
    """Validate and normalise a goods line's details for its area.

    Returns the cleaned details (unknown keys dropped, blanks removed) and every error, each
    naming ``{prefix}.{field}``.  ``species_lookup`` resolves a scientific name to its canonical
    spelling, or None when the species is not in the CITES list.
    """
    area = AREAS.get(area_code)
    if area is None:
        return {}, [
            FieldError(
                prefix.rsplit(".", 1)[0] + ".commodity_area", str(_("unknown commodity area"))
            )
        ]
    cleaned: dict[str, Any] = {}
    errors: list[FieldError] = []
    for spec in area.fields:
        value = raw.get(spec.name)
        text = "" if value is None else str(value).strip()
        required = spec.required or any(
            str(raw.get(other, "")).strip() in values
            for other, values in spec.required_when.items()
        )
        name = f"{prefix}.{spec.name}"
        if not text:
            if required:
                errors.append(
                    FieldError(name, str(_("required for %(area)s") % {"area": area.label}))
                )
            continue
        if len(text) > spec.max_length:
            errors.append(
                FieldError(name, str(_("at most %(n)d characters") % {"n": spec.max_length}))
            )
            continue
        if spec.kind == "choice":
            allowed = {code for code, _label in spec.choices}
            if text not in allowed:
                errors.append(
                    FieldError(
                        name,
                        str(
                            _("must be one of: %(values)s") % {"values": ", ".join(sorted(allowed))}
                        ),
                    )
                )
                continue
        elif spec.kind == "decimal":
            try:
                number = Decimal(text)
            except InvalidOperation:
                errors.append(FieldError(name, str(_("must be a number"))))
                continue
            if number < 0:
                errors.append(FieldError(name, str(_("must not be negative"))))
                continue
            text = str(number)
        elif spec.kind == "basel_code":
            text = text.upper().replace(" ", "")
            if not BASEL_CODE.match(text):
                errors.append(
                    FieldError(
                        name,
                        str(_("not a Basel Convention code (Y1-Y47, A1010-A4160, B1010-B4030)")),
                    )
                )
                continue
        elif spec.kind == "cites_species":
            canonical = species_lookup(text)
            if canonical is None:
                errors.append(
                    FieldError(
                        name,
                        str(_("%(name)s is not a CITES-listed species or taxon") % {"name": text}),
                    )
                )
                continue
            text = canonical
        cleaned[spec.name] = text
    return cleaned, errors
