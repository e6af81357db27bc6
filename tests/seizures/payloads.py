"""Realistic case payloads for the stories."""

from __future__ import annotations

import copy
from typing import Any

COCAINE_IN_BANANAS: dict[str, Any] = {
    "external_ref": "LEH-2026-0042",
    "date": "2026-03-14",
    "country": "FR",
    "place": "FRLEH",
    "procedure": "import",
    "location_type": "seaport",
    "direction": "inbound",
    "detection": "risk_profile",
    "risk_profile": "Reefer containers from the Caribbean coast",
    "transport": "sea_container",
    "concealment": "mixed",
    "vessel_imo": "9321483",
    "container_number": "CSQU3054383",
    "summary": "Cocaine bricks hidden among boxes of bananas in a reefer container from "
    "Cartagena, found after scanner images showed anomalies.",
    "goods": [
        {
            "commodity_area": "drugs",
            "hs_code": "1211",
            "description": "Cocaine bricks",
            "quantity": "412.5",
            "unit": "KGM",
            "value": "12000000",
            "currency": "EUR",
            "details": {"substance": "cocaine", "form": "powder"},
        }
    ],
    "route": [
        {"role": "departure", "country": "CO", "place": "COCTG"},
        {"role": "transit", "country": "BE"},
        {"role": "destination", "country": "FR", "place": "FRLEH"},
    ],
    "offenders": [{"nationality": "CO", "gender": "male", "age_band": "25_34", "count": 2}],
}

IVORY_AT_MOMBASA: dict[str, Any] = {
    "external_ref": "MBA-7",
    "date": "2025-11-02",
    "country": "KE",
    "place": "KEMBA",
    "procedure": "export",
    "location_type": "seaport",
    "direction": "outbound",
    "detection": "dog",
    "transport": "sea_container",
    "concealment": "false_compartment",
    "summary": "Raw ivory tusks behind a false wall in a container declared as sesame seeds.",
    "goods": [
        {
            "commodity_area": "environment",
            "hs_code": "0507",
            "description": "Raw ivory tusks",
            "quantity": "1200",
            "unit": "KGM",
            "details": {
                "subtype": "cites",
                "species": "loxodonta africana",
                "appendix": "I",
                "specimen": "ivory",
            },
        }
    ],
    "route": [{"role": "departure", "country": "KE"}, {"role": "destination", "country": "VN"}],
}


def payload(base: dict[str, Any] = COCAINE_IN_BANANAS, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(base)
    data.update(changes)
    return data
