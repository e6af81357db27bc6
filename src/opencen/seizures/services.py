"""Every write to the enforcement database.

``check_*`` validates (codes, rules, personal-data gate) and then acts; nothing is stored when
anything is refused.  Each act records its audit event(s) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from opencen.audit.services import record_event, record_events
from opencen.audit.tags import EventTag
from opencen.core.actors import Actor
from opencen.core.db import copy_rows
from opencen.core.errors import FieldError, Forbidden, InvalidInput, personal_data_errors
from opencen.core.permissions import Perm
from opencen.core.privacy import find_personal_data
from opencen.seizures.choices import Status
from opencen.seizures.inputs import CaseIn
from opencen.seizures.models import Case, CaseCounter, GoodsLine, OffenderGroup, RouteLeg
from opencen.seizures.selectors import access_case
from opencen.seizures.validation import Lookups, ResolvedCase, screened_texts, validate_case

EDITABLE = frozenset({Status.DRAFT, Status.SUBMITTED})
PROGRESS_EVERY = 250
# From this many cases, PostgreSQL gets the rows through COPY rather than INSERT statements.
COPY_MIN_CASES = 500


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


def _search_text(case: dict[str, Any], resolved: ResolvedCase) -> str:
    """What full-text search reads: the case's codes and texts, its country and place, and its
    goods (descriptions, details, HS codes and their descriptions)."""
    parts = [
        case["reference"],
        case["external_ref"],
        case["summary"],
        case["container_number"],
        case["flight_number"],
        case["vessel_imo"],
        case["risk_profile"],
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


def _case_values(resolved: ResolvedCase) -> dict[str, Any]:
    """The case columns that come from the input, by attribute name (``country_id``)."""
    data = resolved.data
    return {
        "external_ref": data.external_ref,
        "kind": str(data.kind),
        "date": data.date,
        "country_id": resolved.country.code,
        "region_id": resolved.country.wco_region_id,
        "place_id": resolved.place.code if resolved.place else None,
        "procedure": str(data.procedure),
        "location_type": str(data.location_type),
        "direction": str(data.direction),
        "detection": str(data.detection),
        "risk_profile": data.risk_profile,
        "transport": str(data.transport),
        "concealment": str(data.concealment),
        "vessel_imo": data.vessel_imo.upper().removeprefix("IMO").strip(),
        "flight_number": data.flight_number.upper().replace(" ", ""),
        "container_number": data.container_number.upper().replace(" ", "").replace("-", ""),
        "summary": data.summary,
        "distribution": str(data.distribution),
        "goods_areas": sorted({str(line.data.commodity_area) for line in resolved.goods}),
        "goods_chapters": sorted({line.hs.code[:2] for line in resolved.goods if line.hs}),
    }


def _child_rows(
    case_id: Any, resolved: ResolvedCase, now: dt.datetime
) -> dict[type[models.Model], list[dict[str, Any]]]:
    """Every column of a case's goods lines, route legs, offender groups and group shares."""
    return {
        GoodsLine: [
            {
                "id": uuid.uuid4(),
                "created_at": now,
                "updated_at": now,
                "case_id": case_id,
                "line_no": i,
                "commodity_area": line.data.commodity_area,
                "hs_code_id": line.hs.code if line.hs else None,
                "hs_chapter": line.hs.code[:2] if line.hs else "",
                "description": line.data.description,
                "quantity": line.data.quantity,
                "unit_id": line.unit.code,
                "value": line.data.value,
                "currency_id": line.currency.code if line.currency else None,
                "details": line.details,
            }
            for i, line in enumerate(resolved.goods, start=1)
        ],
        RouteLeg: [
            {
                "case_id": case_id,
                "position": i,
                "role": str(leg.role),
                "country_id": country.code,
                "place_id": place.code if place else None,
            }
            for i, (leg, country, place) in enumerate(resolved.route, start=1)
        ],
        OffenderGroup: [
            {
                "case_id": case_id,
                "nationality_id": nationality.code if nationality else None,
                "gender": str(group.gender),
                "age_band": str(group.age_band),
                "count": group.count,
            }
            for group, nationality in resolved.offenders
        ],
        Case.groups.through: [
            {"case_id": case_id, "closedusergroup_id": gid} for gid in resolved.data.groups
        ],
    }


def _new_rows(
    actor: Actor, resolved_cases: Sequence[ResolvedCase], status: Status
) -> Iterator[tuple[dict[str, Any], dict[type[models.Model], list[dict[str, Any]]]]]:
    """Each new case's columns (by attribute name) with its children's rows, lazily.

    References are allocated (under the counter's row lock) before this returns, so that
    consuming the rows runs no query and can feed a COPY.
    """
    now = timezone.now()
    base = {
        "created_at": now,
        "updated_at": now,
        "owner_id": actor.organisation_id,
        "status": str(status),
        "created_by_id": actor.user_id,
        "submitted_at": now if status == Status.SUBMITTED else None,
        "validated_at": None,
        "validated_by_organisation_id": None,
        "withdrawn_reason": "",
    }
    by_year: dict[int, list[ResolvedCase]] = {}
    for resolved in resolved_cases:
        by_year.setdefault(resolved.data.date.year, []).append(resolved)
    org_country = actor_country(actor)
    numbered: list[tuple[str, ResolvedCase]] = []
    for year, group in sorted(by_year.items()):
        references = _allocate_references(actor.organisation_id, org_country, year, len(group))
        numbered += zip(references, group, strict=True)

    def rows() -> Iterator[tuple[dict[str, Any], dict[type[models.Model], list[dict[str, Any]]]]]:
        for reference, resolved in numbered:
            row = {**base, "id": uuid.uuid4(), "reference": reference, **_case_values(resolved)}
            row["search_text"] = _search_text(row, resolved)
            yield row, _child_rows(row["id"], resolved, now)

    return rows()


def _store(actor: Actor, resolved_cases: Sequence[ResolvedCase], status: Status) -> list[Case]:
    """Insert validated cases with their children, in bulk; the caller holds the transaction.

    From ``COPY_MIN_CASES`` cases on, PostgreSQL gets the rows through COPY, built while the
    server ingests them (a 100,000-case import spends seconds here rather than minutes); fewer
    cases, and other databases, go through ``bulk_create``.  Both take the same rows.
    Returns the new cases (their related objects not loaded when copied).
    """
    rows = _new_rows(actor, resolved_cases, status)
    through = Case.groups.through
    children: dict[type[models.Model], list[dict[str, Any]]] = {
        GoodsLine: [],
        RouteLeg: [],
        OffenderGroup: [],
        through: [],
    }
    cases: list[Case] = []
    if connection.vendor == "postgresql" and len(resolved_cases) >= COPY_MIN_CASES:
        names = [f.attname for f in Case._meta.concrete_fields]

        def case_rows() -> Iterator[dict[str, Any]]:
            for row, kids in rows:
                for model, kid_rows in kids.items():
                    children[model] += kid_rows
                cases.append(Case.from_db(connection.alias, names, [row[n] for n in names]))
                yield row

        copy_rows(Case, case_rows())
        for model, kid_rows in children.items():
            if kid_rows:
                copy_rows(model, kid_rows)
        return cases
    for row, kids in rows:
        cases.append(Case(**row))
        for model, kid_rows in kids.items():
            children[model] += kid_rows
    Case.objects.bulk_create(cases, batch_size=1000)
    for model, kid_rows in children.items():
        model._default_manager.bulk_create([model(**row) for row in kid_rows], batch_size=2000)
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


def _existing_refs(owner_id: Any, refs: Sequence[str]) -> set[str]:
    """Which of ``refs`` the owner already has: one array parameter on PostgreSQL, chunks
    elsewhere (SQLite caps the number of parameters of a query)."""
    wanted = sorted({r for r in refs if r})
    if not wanted:
        return set()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT external_ref FROM seizures_case WHERE owner_id = %s AND "
                "external_ref = ANY(%s)",
                [owner_id, wanted],
            )
            return {row[0] for row in cursor.fetchall()}
    found: set[str] = set()
    for start in range(0, len(wanted), 900):
        found.update(
            Case.objects.filter(
                owner_id=owner_id,
                external_ref__in=wanted[start : start + 900],
            ).values_list("external_ref", flat=True)
        )
    return found


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
    called every few hundred items.  Reference rows, details and the personal-data gate's
    findings are cached per distinct value; in a large file, part of the texts is screened on
    other cores while this process checks the rest (the outcome is the same, item by item).
    """
    _require(actor, Perm.SEIZURE_CASE_CREATE)
    lookups = Lookups()
    existing = _existing_refs(actor.organisation_id, [d.external_ref for d in datas])
    # Each item's outcome, in order: its case or its errors.  Items checked while some of
    # their texts were still being screened elsewhere are "provisional" until that is done.
    outcomes: list[tuple[int, ResolvedCase | None, list[FieldError]]] = []
    provisional: list[int] = []
    seen: dict[str, int] = {}
    skipped: list[str] = []
    lookups.start_screening(
        (text for data in datas for text in screened_texts(data)), lang, len(datas)
    )
    try:
        for i, data in enumerate(datas):
            if progress and i % PROGRESS_EVERY == 0:
                progress(i, len(datas))
            ref = data.external_ref
            if ref and ref in seen:
                reason = _("external reference %(r)s is used twice (also item %(j)d)") % {
                    "r": ref,
                    "j": seen[ref],
                }
                outcomes.append((i, None, [FieldError(f"[{i}].external_ref", reason)]))
                continue
            if ref:
                seen[ref] = i
            if ref in existing:
                if skip_existing:
                    skipped.append(ref)
                else:
                    reason = _(
                        "your organisation already has a case with external reference %(r)s"
                    ) % {"r": ref}
                    outcomes.append((i, None, [FieldError(f"[{i}].external_ref", reason)]))
                continue
            lookups.provisional = False
            outcomes.append(_check_item(actor, i, data, lookups, lang))
            if lookups.provisional:
                provisional.append(len(outcomes) - 1)
    finally:
        flagged = lookups.finish_screening()
    for position in provisional:  # the gate found something in a text checked provisionally
        i = outcomes[position][0]
        if any((text, lang) in flagged for text in screened_texts(datas[i])):
            outcomes[position] = _check_item(actor, i, datas[i], lookups, lang)
    if progress:
        progress(len(datas), len(datas))
    errors = [error for _i, _case, item_errors in outcomes for error in item_errors]
    if errors:
        raise InvalidInput(errors)
    return [case for _i, case, _errors in outcomes if case is not None], skipped


def _check_item(
    actor: Actor, i: int, data: CaseIn, lookups: Lookups, lang: str
) -> tuple[int, ResolvedCase | None, list[FieldError]]:
    """Check one item; its outcome as ``(index, case or None, errors named [index].field)``."""
    try:
        return i, validate_case(actor, data, lookups, lang=lang), []
    except InvalidInput as exc:
        return (
            i,
            None,
            [FieldError(f"[{i}].{e.field}", e.reason, e.start, e.end, e.text) for e in exc.errors],
        )


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
        cases = store_validated_cases(actor, resolved_cases, submit=submit)
    return cases, skipped


def store_validated_cases(
    actor: Actor,
    resolved_cases: Sequence[ResolvedCase],
    *,
    submit: bool,
    source: str = "",
) -> list[Case]:
    """Store cases that passed ``validate_cases``, with one ``created`` event each (``source``
    names the importer in the event).  The caller holds the transaction."""
    cases = _store(actor, resolved_cases, Status.SUBMITTED if submit else Status.DRAFT)
    extra = {"source": source} if source else {}
    record_events(
        actor,
        EventTag.SEIZURES_CASE_CREATED,
        list(cases),
        [{"reference": c.reference, "status": c.status, "bulk": True, **extra} for c in cases],
    )
    return cases


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
        values = _case_values(resolved)
        for name, value in values.items():
            setattr(case, name, value)
        case.search_text = _search_text({**values, "reference": case.reference}, resolved)
        case.save()
        case.goods.all().delete()
        case.route.all().delete()
        case.offenders.all().delete()
        children = _child_rows(case.pk, resolved, timezone.now())
        GoodsLine.objects.bulk_create([GoodsLine(**row) for row in children[GoodsLine]])
        RouteLeg.objects.bulk_create([RouteLeg(**row) for row in children[RouteLeg]])
        OffenderGroup.objects.bulk_create([OffenderGroup(**row) for row in children[OffenderGroup]])
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
    if found := find_personal_data(reason):
        raise InvalidInput(personal_data_errors("reason", found))
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
