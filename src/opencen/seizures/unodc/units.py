"""DRUG_UNIT and AMOUNT: Rec. 20 units, exact quantities, and the form of the drug."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation


@dataclass(frozen=True)
class UnitMap:
    """How one DRUG_UNIT becomes a Rec. 20 unit: ``quantity = AMOUNT * factor``.  ``exact`` is
    False when the code does not say everything the unit said (a tablet counted as a piece):
    the line's description then repeats the unit as reported."""

    code: str
    factor: Decimal = Decimal(1)
    exact: bool = True


_PIECE = UnitMap("H87", exact=False)
UNITS: dict[str, UnitMap] = {
    "Kilogram": UnitMap("KGM"),
    "Gram": UnitMap("GRM"),
    "Milligram": UnitMap("MGM"),
    "Microgram": UnitMap("MC"),
    "Ton": UnitMap("TNE"),
    "Ounce": UnitMap("ONZ"),
    "100 gram": UnitMap("GRM", Decimal(100)),
    "Litre": UnitMap("LTR"),
    "Millilitre": UnitMap("MLT"),
    "Cc": UnitMap("MLT"),
    "Cubic Centimeter": UnitMap("MLT"),
    "Gallons (US, liquid)": UnitMap("GLL"),
    "Gallons (UK)": UnitMap("GLI"),
    "Acres": UnitMap("ACR"),
    "Hectars": UnitMap("MTK", Decimal(10_000)),
    "Unit": UnitMap("H87"),
    "Piece": UnitMap("H87"),
    "Hundred of units": UnitMap("H87", Decimal(100)),
    "Thousand of tablets": UnitMap("H87", Decimal(1000), exact=False),
    "Thousand of doses": UnitMap("H87", Decimal(1000), exact=False),
    **dict.fromkeys((
        "Tablet", "Pill", "Capsule", "Dose", "Bottles", "Ampoule", "Vials", "Flacons",
        "Injection", "Blotting paper", "Blotter", "Stamp", "Mark", "Trip", "Paper (1/10 gm)",
        "Plants", "Bush", "Joint", "Barette", "Block (350gr)", "Packages", "Viss", "other",
    ), _PIECE),
}  # fmt: skip
# A unit and the next smaller one of the same kind, 1000 times smaller.
SMALLER = {"TNE": "KGM", "KGM": "GRM", "GRM": "MGM", "MGM": "MC", "LTR": "MLT"}
KG_PER_UNIT = {"TNE": Decimal(1000), "KGM": Decimal(1), "GRM": Decimal("0.001"),
               "MGM": Decimal("1e-6"), "MC": Decimal("1e-9")}  # fmt: skip
MASS_UNITS = frozenset({"KGM", "GRM", "MGM", "MC", "TNE", "ONZ"})
_NOISE = Context(prec=15)  # float64 holds 15 significant digits; beyond is binary noise
_WIDE = Context(prec=60)
_THOUSANDTH = Decimal("0.001")
_MAX_INTEGER = Decimal(10) ** 14  # GoodsLine.quantity: 18 digits, 3 of them decimals

FORM_BY_UNIT: dict[str, str] = {
    **dict.fromkeys(("Tablet", "Pill", "Capsule", "Thousand of tablets"), "tablet"),
    **dict.fromkeys(("Litre", "Millilitre", "Cc", "Cubic Centimeter", "Gallons (US, liquid)",
                     "Gallons (UK)", "Bottles", "Ampoule", "Vials", "Flacons", "Injection"),
                    "liquid"),
    **dict.fromkeys(("Plants", "Bush", "Acres", "Hectars"), "plant"),
    **dict.fromkeys(("Blotting paper", "Blotter", "Stamp", "Mark", "Trip", "Paper (1/10 gm)"),
                    "blotter"),
}  # fmt: skip
FORM_BY_NAME: dict[str, str] = {
    "Coca paste": "paste",
    "Opium": "resin",
    **dict.fromkeys(("Coca leaf", "Coca Plant", "Coca Seeds", "Opium Poppy", "Poppy straw",
                     "Pavots", "Poppy Seeds", "Khat", "Kratom", "Psilocybin (mushrooms)",
                     "Lactuca virosa", "Leonotis leonurus", "Turnera diffusa",
                     "Plant-based substances", "Tabacco"), "plant"),
    **dict.fromkeys(("Liquid cocaine", "Liquid methamphetamine", "Cough sirups", "Alcohol",
                     "Fuelite", "Ayahuasca", "GHB", "GBL", "GHB/GBL", "Acetic Anhydride",
                     "Acetone/Ethyl Ether", "Ammonia Sprit", "Hydrochloric Acid",
                     "Sulphuric Acid", "Phosphorous Acid", "Hypophosphorous Acid", "Toluene",
                     "Methyl Ethyl Ketone", "Extract from Opium poppy"), "liquid"),
    **dict.fromkeys(("Captagon", "Yava", "Retalin Tablets"), "tablet"),
    **dict.fromkeys(("Crack", "Edible cannabis"), "other"),
}  # fmt: skip
_FORM_OF_NAME = {name.casefold(): form for name, form in FORM_BY_NAME.items()}
# Counted without a form-giving unit ("Unit", "Piece", "Dose"...): the usual form if any.
COUNT_FORMS = {"mdma": "tablet", "captagon": "tablet", "lsd": "blotter"}


def map_unit(drug_unit: str) -> UnitMap:
    """DRUG_UNIT to its Rec. 20 unit; blank and unknown units count pieces (H87), noted."""
    return UNITS.get(drug_unit.strip(), _PIECE)


def map_form(drug_name: str, drug_unit: str, substance: str) -> str:
    """The form of the drug: from the unit when it says it (tablets, litres, plants,
    blotters), else from the name (coca paste, opium, khat...), else powder for anything
    weighed and the substance's usual counted form (or "other") for anything counted."""
    unit = drug_unit.strip()
    if unit in FORM_BY_UNIT:
        return FORM_BY_UNIT[unit]
    by_name = _FORM_OF_NAME.get(drug_name.strip().casefold())
    if by_name:
        return by_name
    if map_unit(unit).code in MASS_UNITS:
        return "powder"
    return COUNT_FORMS.get(substance, "other")


def parse_amount(text: str) -> Decimal | None:
    """AMOUNT as a Decimal (dot or comma decimals, scientific notation; blank gives None).

    Raises ``ValueError`` for text that is not a finite number, is negative, or is too large
    for a goods line (10^14 and over).
    """
    text = text.strip()
    if not text:
        return None
    try:
        amount = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not a number: {text!r}")
    if amount < 0:
        raise ValueError(f"negative amount {text}")
    if amount >= _MAX_INTEGER:
        raise ValueError(f"amount too large: {text}")
    return amount


def scale_quantity(amount: Decimal, code: str) -> tuple[Decimal, str]:
    """Drop the float noise (beyond 15 significant digits), then keep what is left exactly:
    while it needs more than 3 decimals, express it in the next smaller unit (t -> kg -> g ->
    mg -> µg, l -> ml).  Only what no smaller unit can hold is rounded to 3 decimals."""
    value = amount.normalize(_NOISE)
    while (
        code in SMALLER
        and value * 1000 < _MAX_INTEGER
        and value != value.quantize(_THOUSANDTH, context=_WIDE)
    ):
        value, code = value * 1000, SMALLER[code]
    return value.quantize(_THOUSANDTH, rounding=ROUND_HALF_EVEN, context=_WIDE), code
