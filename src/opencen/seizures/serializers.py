"""A case as plain data: for the API, the JSON export and the change history."""

from __future__ import annotations

from typing import Any

from opencen.seizures.models import Case, GoodsLine


def line_to_dict(line: GoodsLine) -> dict[str, Any]:
    return {
        "line_no": line.line_no,
        "commodity_area": line.commodity_area,
        "hs_code": line.hs_code_id or "",
        "description": line.description,
        "quantity": str(line.quantity),
        "unit": line.unit_id,
        "value": None if line.value is None else str(line.value),
        "currency": line.currency_id or "",
        "details": line.details,
    }


def case_to_dict(case: Case) -> dict[str, Any]:
    """Everything about a case, with codes rather than objects (stable, JSON-ready)."""
    return {
        "id": str(case.pk),
        "reference": case.reference,
        "external_ref": case.external_ref,
        "owner": case.owner.short_name,
        "kind": case.kind,
        "status": case.status,
        "date": case.date.isoformat(),
        "country": case.country_id,
        "region": case.region.code if case.region_id and case.region else "",
        "place": case.place_id or "",
        "procedure": case.procedure,
        "location_type": case.location_type,
        "direction": case.direction,
        "detection": case.detection,
        "risk_profile": case.risk_profile,
        "transport": case.transport,
        "concealment": case.concealment,
        "vessel_imo": case.vessel_imo,
        "flight_number": case.flight_number,
        "container_number": case.container_number,
        "summary": case.summary,
        "distribution": case.distribution,
        "groups": sorted(str(g.pk) for g in case.groups.all()),
        "goods": [line_to_dict(line) for line in case.goods.all()],
        "route": [
            {"role": leg.role, "country": leg.country_id, "place": leg.place_id or ""}
            for leg in case.route.all()
        ],
        "offenders": [
            {
                "nationality": o.nationality_id or "",
                "gender": o.gender,
                "age_band": o.age_band,
                "count": o.count,
            }
            for o in case.offenders.all()
        ],
        "created_at": case.created_at.isoformat() if case.created_at else None,
        "updated_at": case.updated_at.isoformat() if case.updated_at else None,
        "submitted_at": case.submitted_at.isoformat() if case.submitted_at else None,
        "validated_at": case.validated_at.isoformat() if case.validated_at else None,
        "validated_by": case.validated_by_organisation.short_name
        if case.validated_by_organisation_id and case.validated_by_organisation
        else "",
    }
