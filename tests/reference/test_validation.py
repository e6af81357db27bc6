"""Unknown codes are refused with the field and a reason an officer can act on."""

from __future__ import annotations

import pytest

from opencen.core.errors import InvalidInput
from opencen.reference.loader import LoadReport
from opencen.reference.models import HsLevel
from opencen.reference.services import ImportReport, check_import_cites
from opencen.reference.validation import (
    check_cites,
    check_country,
    check_currency,
    check_hs,
    check_place,
    check_region,
    check_unit,
)
from tests.reference.conftest import SAMPLE_CITES


def refusal(exc: pytest.ExceptionInfo[InvalidInput]) -> tuple[str, str]:
    error = exc.value.errors[0]
    return error.field, error.reason


def test_hs_codes(quick_tables: LoadReport) -> None:
    assert check_hs("8517.13", "goods.hs_code").code == "851713"
    assert check_hs(" 8517 13 ", "goods.hs_code").code == "851713"
    assert check_hs("85", "hs").level == HsLevel.CHAPTER
    assert check_hs("xvi", "hs").level == HsLevel.SECTION
    assert check_hs("8517130000", "hs", national=True).code == "851713"

    with pytest.raises(InvalidInput) as exc:
        check_hs("851799", "goods.hs_code")
    field, reason = refusal(exc)
    assert field == "goods.hs_code"
    assert reason.startswith("unknown HS code 851799: no such subheading in HS 2022")
    assert "8517" in reason  # points at the heading that does exist

    with pytest.raises(InvalidInput) as exc:
        check_hs("8517", "goods.hs_code", level=HsLevel.SUBHEADING)
    assert refusal(exc)[1] == "HS code 8517 is a heading; a subheading is required here."

    for bad in ("999999", "TOTAL", "77", "85171", "8517130000", ""):
        with pytest.raises(InvalidInput):
            check_hs(bad, "hs")


def test_countries_and_currencies(quick_tables: LoadReport) -> None:
    assert check_country(" fr ", "country").name == "France"
    assert check_country("XK", "country").name == "Kosovo"
    with pytest.raises(InvalidInput) as exc:
        check_country("XX", "route.origin")
    assert refusal(exc) == ("route.origin", "unknown country code XX: not in ISO 3166-1.")
    with pytest.raises(InvalidInput) as exc:
        check_country("FRA", "country")
    assert "Did you mean FR?" in refusal(exc)[1]

    assert check_currency("eur", "value.currency").code == "EUR"
    with pytest.raises(InvalidInput) as exc:
        check_currency("EUX", "value.currency")
    assert refusal(exc) == ("value.currency", "unknown currency code EUX: not in ISO 4217.")
    with pytest.raises(InvalidInput) as exc:
        check_region("XYZ", "region")
    assert "use one of" in refusal(exc)[1]


def test_units(quick_tables: LoadReport) -> None:
    assert check_unit("kgm", "quantity.unit").name == "kilogram"
    with pytest.raises(InvalidInput) as exc:
        check_unit("kg", "quantity.unit")
    field, reason = refusal(exc)
    assert field == "quantity.unit"
    assert reason == (
        "unknown unit KG: not a UN/ECE Recommendation 20 code. Did you mean KGM (kilogram)?"
    )


def test_places(sample_places: ImportReport) -> None:
    assert check_place("NL RTM", "route.port", function="seaport").name == "Rotterdam"
    with pytest.raises(InvalidInput) as exc:
        check_place("NLXXX", "route.port")
    assert refusal(exc) == ("route.port", "unknown UN/LOCODE NLXXX: no such location in NL.")
    with pytest.raises(InvalidInput) as exc:
        check_place("QQABC", "route.port")
    assert "QQ is not a country code" in refusal(exc)[1]
    with pytest.raises(InvalidInput) as exc:
        check_place("NLHRL", "route.port", function="seaport")
    assert refusal(exc)[1] == "NLHRL (Heerlen) is not listed as a seaport in UN/LOCODE."
    with pytest.raises(InvalidInput):
        check_place("Rotterdam", "route.port")


@pytest.mark.django_db
def test_cites_names() -> None:
    with pytest.raises(InvalidInput) as exc:
        check_cites("Loxodonta africana", "species")
    assert "No CITES checklist is loaded" in refusal(exc)[1]
    check_import_cites(None, "tiny.csv", SAMPLE_CITES)
    assert check_cites("loxodonta  AFRICANA", "species").appendix == "I/II"
    assert check_cites("Loxodonta cyclotis", "species").taxon_id == "4521"  # a synonym
    with pytest.raises(InvalidInput) as exc:
        check_cites("Abronia graminea", "goods.species")
    field, reason = refusal(exc)
    assert field == "goods.species"
    assert reason.startswith("unknown taxon Abronia graminea: not in the loaded CITES checklist")
    assert "genus Abronia is listed as a whole" in reason
