"""Import templates: one per commodity area, as CSV (header only) or XLSX (with instructions)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from opencen.seizures import choices
from opencen.seizures.areas import AREAS
from opencen.seizures.flat import DETAIL_PREFIX, columns

_HELP: dict[str, str] = {
    "external_ref": "your own case reference; rows with the same one form one case",
    "kind": "seizure (default) or offence",
    "date": "date of seizure, YYYY-MM-DD",
    "country": "ISO 3166-1 alpha-2 of the seizing country, e.g. FR",
    "place": "UN/LOCODE of the place of seizure, e.g. FRLEH",
    "risk_profile": "name of the risk profile that fired, if any",
    "vessel_imo": "IMO ship number (7 digits)",
    "flight_number": "e.g. AF123",
    "container_number": "ISO 6346, e.g. CSQU3054383",
    "summary": "what happened, without any personal data",
    "distribution": "organisation, region, network or groups",
    "departure_country": "ISO alpha-2",
    "departure_place": "UN/LOCODE",
    "transit_countries": "ISO alpha-2 codes separated by ;",
    "destination_country": "ISO alpha-2",
    "destination_place": "UN/LOCODE",
    "offenders": "nationality:gender:age_band:count; ... e.g. CO:male:25_34:2",
    "commodity_area": "the commodity area of this goods line",
    "hs_code": "HS 2022 chapter, heading or subheading",
    "description": "the goods, without any personal data",
    "quantity": "number, dot as decimal separator",
    "unit": "UN/ECE Rec. 20 code, e.g. KGM, GRM, H87 (pieces), LTR",
    "value": "estimated value",
    "currency": "ISO 4217, e.g. EUR",
}
_VOCABULARIES = {
    "kind": choices.CaseKind,
    "procedure": choices.Procedure,
    "location_type": choices.LocationType,
    "direction": choices.Direction,
    "detection": choices.Detection,
    "transport": choices.Transport,
    "concealment": choices.Concealment,
}


def _allowed(column: str, area_code: str) -> str:
    if column in _VOCABULARIES:
        return ", ".join(_VOCABULARIES[column].values)
    if column == "commodity_area":
        return area_code
    if column.startswith(DETAIL_PREFIX):
        spec = next(f for f in AREAS[area_code].fields if f.name == column[len(DETAIL_PREFIX) :])
        if spec.choices:
            return ", ".join(code for code, _label in spec.choices)
        return str(spec.label)
    return ""


def template_csv(area_code: str) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(columns(area_code))
    return out.getvalue()


def template_xlsx(area_code: str) -> bytes:
    """A workbook with an empty ``cases`` sheet and an ``instructions`` sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "cases"
    sheet.append(columns(area_code))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    notes = book.create_sheet("instructions")
    notes.append([_("column"), _("what to enter"), _("allowed values")])
    for column in columns(area_code):
        notes.append([column, _HELP.get(column, ""), _allowed(column, area_code)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
