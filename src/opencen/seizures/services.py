"""Every write to the enforcement database.

``check_*`` validates (codes, rules, personal-data gate) and then acts; nothing is stored when
anything is refused.  Each act records its audit event(s) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from opencen.audit.services import record_event, record_events
from opencen.audit.tags import EventTag
from opencen.core.actors import Actor
from opencen.core.errors import FieldError, Forbidden, InvalidInput
from opencen.core.permissions import Perm
from opencen.seizures.choices import Status
from opencen.seizures.inputs import CaseIn
from opencen.seizures.models import Case, CaseCounter, GoodsLine, OffenderGroup, RouteLeg
from opencen.seizures.selectors import access_case
from opencen.seizures.validation import Lookups, ResolvedCase, validate_case

EDITABLE = frozenset({Status.DRAFT, Status.SUBMITTED})
PROGRESS_EVERY = 250


def _require(actor: Actor, perm: Perm) -> None:
    if not actor.can(perm):
        raise Forbidden(perm)


def _allocate_references(owner_id: Any, country: str, year: int, count: int) -> list[str]:
    """``count`` new references ``FR-2026-000042`` for one owner and year, under a row lock."""
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(
        owner_id=owner_id, year=year
    )
    first = counter.last + 1
    CaseCounter.objects.filter(pk=counter.pk).update(last=F("last") + count)
    prefix = country or "XX"
    return [f"{prefix}-{year}-{n:06d}" for n in range(first, first + count)]


def _search_text(case: Case, resolved: ResolvedCase) -> str:
    parts = [
        case.reference,
        case.external_ref,
        case.summary,
        case.container_number,
        case.flight_number,
        case.vessel_imo,
        case.risk_profile,
        resolved.country.name,
    ]
    if resolved.place is not None:
        parts.append(resolved.place.name)
    for line in resolved.goods:
        parts.append(line.data.description)
        parts.extend(str(v) for v in line.details.values())
        if line.hs is not None:
            parts.extend([line.hs.code, line.hs.description[:200]])
    return " ".join(p for p in parts if p)


def _case_fields(resolved: ResolvedCase) -> dict[str, Any]:
    data = resolved.data
    return {
        "external_ref": data.external_ref,
        "kind": data.kind,
        "date": data.date,
        "country": resolved.country,
        "region_id": resolved.country.wco_region_id,
        "place": resolved.place,
        "procedure": data.procedure,
        "location_type": data.location_type,
        "direction": data.direction,
        "detection": data.detection,
        "risk_profile": data.risk_profile,
        "transport": data.transport,
        "concealment": data.concealment,
        "vessel_imo": data.vessel_imo.upper().removeprefix("IMO").strip(),
        "flight_number": data.flight_number.upper().replace(" ", ""),
        "container_number": data.container_number.upper().replace(" ", "").replace("-", ""),
        "summary": data.summary,
        "distribution": data.distribution,
    }


def _children(
    case: Case, resolved: ResolvedCase
) -> tuple[list[GoodsLine], list[RouteLeg], list[OffenderGroup]]:
    goods = [
        GoodsLine(
            case=case,
            line_no=i + 1,
            commodity_area=line.data.commodity_area,
            hs_code=line.hs,
            hs_chapter=line.hs.code[:2] if line.hs else "",
            description=line.data.description,
            quantity=line.data.quantity,
            unit=line.unit,
            value=line.data.value,
            currency=line.currency,
            details=line.details,
        )
        for i, line in enumerate(resolved.goods)
    ]
    route = [
        RouteLeg(case=case, position=i + 1, role=leg.role, country=country, place=place)
        for i, (leg, country, place) in enumerate(resolved.route)
    ]
    offenders = [
        OffenderGroup(
            case=case,
            nationality=nationality,
            gender=group.gender,
            age_band=group.age_band,
            count=group.count,
        )
        for group, nationality in resolved.offenders
    ]
    return goods, route, offenders


def _store(actor: Actor, resolved_cases: Sequence[ResolvedCase], status: Status) -> list[Case]:
    """Insert validated cases with their children, in bulk; the caller holds the transaction."""
    now = timezone.now()
    cases: list[Case] = []
    by_year: dict[int, list[ResolvedCase]] = {}
    for resolved in resolved_cases:
        by_year.setdefault(resolved.data.date.year, []).append(resolved)
    org_country = actor_country(actor)
    for year, group in sorted(by_year.items()):
        references = _allocate_references(actor.organisation_id, org_country, year, len(group))
        for reference, resolved in zip(references, group, strict=True):
            case = Case(
                owner_id=actor.organisation_id,
                reference=reference,
                status=status,
                created_by_id=actor.user_id,
                submitted_at=now if status == Status.SUBMITTED else None,
                **_case_fields(resolved),
            )
            case.search_text = _search_text(case, resolved)
            case._resolved = resolved  # type: ignore[attr-defined]
            cases.append(case)
    Case.objects.bulk_create(cases, batch_size=1000)
    goods: list[GoodsLine] = []
    route: list[RouteLeg] = []
    offenders: list[OffenderGroup] = []
    through = Case.groups.through
    shares = []
    for case in cases:
        resolved = case._resolved  # type: ignore[attr-defined]
        g, r, o = _children(case, resolved)
        goods += g
        route += r
        offenders += o
        shares += [through(case_id=case.pk, closedusergroup_id=gid) for gid in resolved.data.groups]
    GoodsLine.objects.bulk_create(goods, batch_size=2000)
    RouteLeg.objects.bulk_create(route, batch_size=2000)
    OffenderGroup.objects.bulk_create(offenders, batch_size=2000)
    through.objects.bulk_create(shares, batch_size=2000)
    return cases


def actor_country(actor: Actor) -> str:
    """The country code used in the actor's case references (blank outside customs)."""
    from opencen.accounts.models import Organisation

    return Organisation.objects.values_list("country", flat=True).get(pk=actor.organisation_id)


def check_create_case(
    actor: Actor, data: CaseIn, *, submit: bool = False, lang: str = "en"
) -> Case:
    """Record one case for the actor's organisation, as a draft (or submitted)."""
    _require(actor, Perm.SEIZURE_CASE_CREATE)
    resolved = validate_case(actor, data, lang=lang)
    _check_external_refs(actor, [data.external_ref])
    with transaction.atomic():
        [case] = _store(actor, [resolved], Status.SUBMITTED if submit else Status.DRAFT)
        record_event(
            actor,
            EventTag.SEIZURES_CASE_CREATED,
            obj=case,
            changes={"reference": case.reference, "status": case.status},
        )
    return case


def _check_external_refs(
    actor: Actor, refs: Sequence[str], *, field: str = "external_ref", exclude: Any = None
) -> None:
    wanted = [r for r in refs if r]
    if not wanted:
        return
    taken = Case.objects.filter(owner_id=actor.organisation_id, external_ref__in=wanted)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    clash = set(taken.values_list("external_ref", flat=True))
    if clash:
        raise InvalidInput(
            [
                FieldError(
                    field,
                    _("your organisation already has a case with external reference %(r)s")
                    % {"r": r},
                )
                for r in sorted(clash)
            ]
        )


def validate_cases(
    actor: Actor,
    datas: Sequence[CaseIn],
    *,
    skip_existing: bool = False,
    lang: str = "en",
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[ResolvedCase], list[str]]:
    """Check many cases; raise ``InvalidInput`` naming each item (``[3].goods[0].quantity``).

    With ``skip_existing``, items whose external reference the organisation already has are
    left out and returned as skipped; otherwise they are errors.  ``progress(done, total)`` is
    called every few hundred items.
    """
    _require(actor, Perm.SEIZURE_CASE_CREATE)
    lookups = Lookups()
    errors: list[FieldError] = []
    existing = set(
        Case.objects.filter(
            owner_id=actor.organisation_id,
            external_ref__in=[d.external_ref for d in datas if d.external_ref],
        ).values_list("external_ref", flat=True)
    )
    seen: dict[str, int] = {}
    resolved_cases: list[ResolvedCase] = []
    skipped: list[str] = []
    for i, data in enumerate(datas):
        if progress and i % PROGRESS_EVERY == 0:
            progress(i, len(datas))
        ref = data.external_ref
        if ref and ref in seen:
            errors.append(
                FieldError(
                    f"[{i}].external_ref",
                    _("external reference %(r)s is used twice (also item %(j)d)")
                    % {"r": ref, "j": seen[ref]},
                )
            )
            continue
        if ref:
            seen[ref] = i
        if ref in existing:
            if skip_existing:
                skipped.append(ref)
                continue
            errors.append(
                FieldError(
                    f"[{i}].external_ref",
                    _("your organisation already has a case with external reference %(r)s")
                    % {"r": ref},
                )
            )
            continue
        try:
            resolved_cases.append(validate_case(actor, data, lookups, lang=lang))
        except InvalidInput as exc:
            errors.extend(
                FieldError(f"[{i}].{e.field}", e.reason, e.start, e.end, e.text) for e in exc.errors
            )
    if progress:
        progress(len(datas), len(datas))
    if errors:
        raise InvalidInput(errors)
    return resolved_cases, skipped


def check_create_cases(
    actor: Actor,
    datas: Sequence[CaseIn],
    *,
    submit: bool = False,
    lang: str = "en",
    skip_existing: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Case], list[str]]:
    """Record many cases, all or none (bulk API and imports).  Returns (created, skipped refs).

    Validation runs first, outside any transaction; then every case, its children and one
    audit event per case are written in a single transaction.
    """
    resolved_cases, skipped = validate_cases(
        actor, datas, skip_existing=skip_existing, lang=lang, progress=progress
    )
    with transaction.atomic():
        cases = _store(actor, resolved_cases, Status.SUBMITTED if submit else Status.DRAFT)
        record_events(
            actor,
            EventTag.SEIZURES_CASE_CREATED,
            list(cases),
            [{"reference": c.reference, "status": c.status, "bulk": True} for c in cases],
        )
    return cases, skipped


def _snapshot(case: Case) -> dict[str, Any]:
    from opencen.seizures.serializers import case_to_dict

    data = case_to_dict(case)
    for key in (
        "id",
        "reference",
        "status",
        "owner",
        "created_at",
        "updated_at",
        "submitted_at",
        "validated_at",
        "validated_by",
    ):
        data.pop(key, None)
    return data


def check_update_case(actor: Actor, case_id: Any, data: CaseIn, *, lang: str = "en") -> Case:
    """Replace a draft or submitted case's content (owner organisation only)."""
    _require(actor, Perm.SEIZURE_CASE_CREATE)
    case = access_case(actor, case_id, action="change")
    if case.status not in EDITABLE:
        raise InvalidInput.one(
            "status",
            _("a %(s)s case cannot be edited; withdraw it instead")
            % {"s": case.get_status_display()},
        )
    resolved = validate_case(actor, data, lang=lang)
    _check_external_refs(actor, [data.external_ref], exclude=case.pk)
    before = _snapshot(case)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        for name, value in _case_fields(resolved).items():
            setattr(case, name, value)
        case.search_text = _search_text(case, resolved)
        case.save()
        case.goods.all().delete()
        case.route.all().delete()
        case.offenders.all().delete()
        goods, route, offenders = _children(case, resolved)
        GoodsLine.objects.bulk_create(goods)
        RouteLeg.objects.bulk_create(route)
        OffenderGroup.objects.bulk_create(offenders)
        case.groups.set(data.groups)
        after = _snapshot(case)
        record_event(
            actor,
            EventTag.SEIZURES_CASE_UPDATED,
            obj=case,
            changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
        )
    return case


def do_submit_case(actor: Actor, case_id: Any) -> Case:
    """Send a draft for validation."""
    _require(actor, Perm.SEIZURE_CASE_CREATE)
    case = access_case(actor, case_id, action="change")
    if case.status != Status.DRAFT:
        raise InvalidInput.one("status", _("only a draft can be submitted"))
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=Status.SUBMITTED, submitted_at=timezone.now())
        case.refresh_from_db()
        record_event(actor, EventTag.SEIZURES_CASE_SUBMITTED, obj=case)
    return case


def can_validate(actor: Actor, case: Case) -> bool:
    """The owner's national contact point, the RILO of the case's region, or the secretariat."""
    if not actor.can(Perm.SEIZURE_CASE_VALIDATE):
        return False
    if actor.is_secretariat:
        return True
    if actor.organisation_kind == "rilo":
        return case.region_id is not None and case.region_id == actor.region_id
    return case.owner_id == actor.organisation_id and actor.role == "org_admin"


def do_validate_case(actor: Actor, case_id: Any) -> Case:
    case = access_case(actor, case_id)
    if not can_validate(actor, case):
        raise Forbidden(Perm.SEIZURE_CASE_VALIDATE)
    if case.status != Status.SUBMITTED:
        raise InvalidInput.one("status", _("only a submitted case can be validated"))
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(
            status=Status.VALIDATED,
            validated_at=timezone.now(),
            validated_by_organisation_id=actor.organisation_id,
        )
        case.refresh_from_db()
        record_event(actor, EventTag.SEIZURES_CASE_VALIDATED, obj=case)
    return case


def do_withdraw_case(actor: Actor, case_id: Any, *, reason: str) -> Case:
    """Withdraw a case (kept, marked withdrawn, out of statistics).  A validated case can be
    withdrawn by whoever may validate it."""
    case = access_case(actor, case_id, action="change")
    if case.status == Status.WITHDRAWN:
        raise InvalidInput.one("status", _("the case is already withdrawn"))
    if case.status == Status.VALIDATED and not can_validate(actor, case):
        raise Forbidden(Perm.SEIZURE_CASE_VALIDATE)
    _require(actor, Perm.SEIZURE_CASE_CREATE)
    if not reason.strip():
        raise InvalidInput.one("reason", _("say why the case is withdrawn"))
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(
            status=Status.WITHDRAWN, withdrawn_reason=reason.strip()[:300]
        )
        case.refresh_from_db()
        record_event(
            actor,
            EventTag.SEIZURES_CASE_WITHDRAWN,
            obj=case,
            changes={"reason": case.withdrawn_reason},
        )
    return case


def record_case_view(actor: Actor, case: Case) -> None:
    """Reading another organisation's case is a sensitive read: it goes in the audit log."""
    if case.owner_id != actor.organisation_id:
        record_event(actor, EventTag.SEIZURES_CASE_VIEWED, obj=case)


def record_export(actor: Actor, *, fmt: str, filters: dict[str, Any], count: int) -> None:
    _require(actor, Perm.SEIZURE_CASE_EXPORT)
    record_event(
        actor,
        EventTag.SEIZURES_CASE_EXPORTED,
        object_type="seizures.case",
        changes={
            "format": fmt,
            "filters": filters,
            "rows": count,
            "at": dt.datetime.now(dt.UTC).isoformat(),
        },
    )


def check_start_import(actor: Actor, upload: Any, *, submit: bool = False) -> Any:
    """Store an uploaded file and queue its import; returns the ``ImportJob``.

    ``upload`` is a Django ``UploadedFile``.  The format comes from the file name; the size
    is capped by ``OPENCEN_IMPORT_MAX_MB``.
    """
    from django.conf import settings

    from opencen.seizures.importing import FileRejected, detect_format
    from opencen.seizures.models import ImportJob
    from opencen.seizures.tasks import run_import

    _require(actor, Perm.SEIZURE_CASE_IMPORT)
    _require(actor, Perm.SEIZURE_CASE_CREATE)
    try:
        fmt = detect_format(upload.name or "")
    except FileRejected as exc:
        raise InvalidInput.one("file", str(exc)) from None
    limit = settings.OPENCEN_IMPORT_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise InvalidInput.one(
            "file",
            _("The file is larger than %(n)d MB; split it.")
            % {"n": settings.OPENCEN_IMPORT_MAX_MB},
        )
    if upload.size == 0:
        raise InvalidInput.one("file", _("The file is empty."))
    job = ImportJob(
        owner_id=actor.organisation_id,
        created_by_id=actor.user_id,
        filename=(upload.name or "upload")[:255],
        fmt=fmt,
        submit=submit,
    )
    job.file.save(upload.name or "upload", upload, save=False)
    job.save()
    run_import.enqueue(str(job.pk))
    job.refresh_from_db()
    return job
