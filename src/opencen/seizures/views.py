"""Pages of the enforcement database: the case list, the entry form, the case page, its acts.

Views parse, call a selector or service, and render.  Every case is loaded through
``selectors.access_case``: a case the user may not see answers 404 (``@page`` turns
``NotFound`` into it), one they may see but not change answers 403.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencen.audit.models import AuditEvent
from opencen.audit.tags import EventTag
from opencen.core.actors import Actor
from opencen.core.errors import Forbidden, InvalidInput
from opencen.core.http import actor_of, page
from opencen.core.permissions import Perm
from opencen.reference.models import WcoRegion
from opencen.seizures import selectors, services
from opencen.seizures.areas import AREAS
from opencen.seizures.choices import Status
from opencen.seizures.forms import CaseFilterForm, WithdrawForm
from opencen.seizures.forms import plain_number as _plain
from opencen.seizures.forms_entry import CaseEntry, GoodsLineForm
from opencen.seizures.models import Case, GoodsLine
from opencen.seizures.serializers import case_to_dict

PER_PAGE = 25
EVENT_LABELS: dict[str, Any] = {
    EventTag.SEIZURES_CASE_CREATED: gettext_lazy("Recorded"),
    EventTag.SEIZURES_CASE_UPDATED: gettext_lazy("Changed"),
    EventTag.SEIZURES_CASE_SUBMITTED: gettext_lazy("Submitted for validation"),
    EventTag.SEIZURES_CASE_VALIDATED: gettext_lazy("Validated"),
    EventTag.SEIZURES_CASE_WITHDRAWN: gettext_lazy("Withdrawn"),
    EventTag.SEIZURES_CASE_VIEWED: gettext_lazy("Read by another organisation"),
}
SECTION_LABELS: dict[str, Any] = {
    "goods": gettext_lazy("goods"),
    "route": gettext_lazy("route"),
    "offenders": gettext_lazy("offenders"),
    "groups": gettext_lazy("groups"),
}


def _lang() -> str:
    return (get_language() or "en")[:2]


def _optional_url(name: str) -> str:
    """The URL of a page another module may not have added yet (blank until it exists)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


# --- the list ------------------------------------------------------------------------------------


@dataclass
class CaseRow:
    """One line of the case list: the case and what its goods add up to."""

    case: Case
    areas: list[str] = field(default_factory=list)
    quantities: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, case: Case) -> CaseRow:
        row = cls(case)
        for line in case.goods.all():
            label = (
                str(AREAS[line.commodity_area].label)
                if line.commodity_area in AREAS
                else line.commodity_area
            )
            if label not in row.areas:
                row.areas.append(label)
            unit = line.unit.symbol or line.unit.code
            row.quantities.append(f"{_plain(line.quantity)} {unit}")
        return row


@page(Perm.SEIZURE_CASE_VIEW)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases the user may see, filtered; HTMX requests get the results block only."""
    actor = actor_of(request)
    regions = [(r.code, r.name) for r in WcoRegion.objects.order_by("name")]
    form = CaseFilterForm(request.GET or None, regions=regions)
    flt = form.to_filter()
    cases = selectors.search_cases(actor, flt).prefetch_related("goods__unit")
    page_obj = selectors.CappedPaginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    export_url = _optional_url("seizures:export")
    import_url = _optional_url("seizures:import")
    context = {
        "form": form,
        "page_obj": page_obj,
        "rows": [CaseRow.of(case) for case in page_obj],
        "query": urlencode(flt.as_dict()),
        "export_url": export_url,
        "import_url": import_url,
        "can_export": bool(export_url) and actor.can(Perm.SEIZURE_CASE_EXPORT),
        "can_import": bool(import_url) and actor.can(Perm.SEIZURE_CASE_IMPORT),
        "can_create": actor.can(Perm.SEIZURE_CASE_CREATE),
    }
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    if not partial:
        return render(request, "seizures/list.html", context)
    response = render(request, "seizures/_results.html", context)
    # The address bar shows the filters in use only, so the URL is short enough to share.
    shown = {**flt.as_dict(), **({"page": page_obj.number} if page_obj.number > 1 else {})}
    response["HX-Push-Url"] = request.path + (f"?{urlencode(shown)}" if shown else "")
    return response


# --- entry and edit ------------------------------------------------------------------------------


def _render_form(request: HttpRequest, entry: CaseEntry, case: Case | None) -> HttpResponse:
    return render(
        request,
        "seizures/form.html",
        {
            "entry": entry,
            "form": entry.case,
            "case": case,
            "can_submit": case is None or case.status == Status.DRAFT,
        },
    )


@page(Perm.SEIZURE_CASE_CREATE)
def case_create(request: HttpRequest) -> HttpResponse:
    """Record a case: save it as a draft, or save and submit it for validation."""
    actor = actor_of(request)
    if request.method != "POST":
        entry = CaseEntry(
            actor, initial=CaseEntry.blank_initial(services.actor_country(actor) or "")
        )
        return _render_form(request, entry, None)
    entry = CaseEntry(actor, request.POST)
    if entry.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            case = services.check_create_case(
                actor, entry.to_case_in(), submit=submit, lang=_lang()
            )
        except InvalidInput as exc:
            entry.add_errors(exc)
        else:
            messages.success(
                request,
                _("Case %(ref)s recorded as %(status)s.")
                % {"ref": case.reference, "status": case.get_status_display().lower()},
            )
            return redirect("seizures:detail", case_id=case.pk)
    return _render_form(request, entry, None)


def _changeable(actor: Actor, case_id: uuid.UUID) -> Case:
    """The case, if the actor's organisation owns it (404 if hidden, 403 if only visible)."""
    case = selectors.access_case(actor, case_id)
    if case.owner_id != actor.organisation_id:
        raise Forbidden(Perm.SEIZURE_CASE_CREATE)
    return case


@page(Perm.SEIZURE_CASE_CREATE)
def case_edit(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Change a draft or submitted case of the user's organisation."""
    actor = actor_of(request)
    case = _changeable(actor, case_id)
    if case.status not in services.EDITABLE:
        messages.error(
            request,
            _("A %(status)s case cannot be edited; withdraw it instead.")
            % {"status": case.get_status_display().lower()},
        )
        return redirect("seizures:detail", case_id=case.pk)
    if request.method != "POST":
        full = selectors.with_children(selectors.cases_visible_to(actor)).get(pk=case.pk)
        entry = CaseEntry(actor, initial=CaseEntry.initial_from(case_to_dict(full)))
        return _render_form(request, entry, case)
    entry = CaseEntry(actor, request.POST)
    if entry.is_valid():
        try:
            case = services.check_update_case(actor, case.pk, entry.to_case_in(), lang=_lang())
            if request.POST.get("action") == "submit" and case.status == Status.DRAFT:
                case = services.do_submit_case(actor, case.pk)
        except InvalidInput as exc:
            entry.add_errors(exc)
        else:
            messages.success(request, _("Case %(ref)s saved.") % {"ref": case.reference})
            return redirect("seizures:detail", case_id=case.pk)
    return _render_form(request, entry, case)


@page(Perm.SEIZURE_CASE_CREATE)
@require_GET
def area_fields(request: HttpRequest) -> HttpResponse:
    """The fields of the commodity area chosen on a goods line (swapped in by HTMX)."""
    form = GoodsLineForm.for_fragment(request.GET)
    return render(request, "seizures/_goods_details.html", {"form": form})


# --- the case page ---------------------------------------------------------------------------


def describe_details(line: GoodsLine) -> list[tuple[str, str]]:
    """A goods line's area details as (label, value) pairs, choices in words."""
    area = AREAS.get(line.commodity_area)
    if area is None:
        return [(k, str(v)) for k, v in line.details.items()]
    described = []
    for spec in area.fields:
        value = line.details.get(spec.name)
        if value in (None, ""):
            continue
        text = str(dict(spec.choices).get(str(value), value))
        described.append((str(spec.label), text))
    return described


def _field_label(name: str) -> str:
    try:
        model_field = Case._meta.get_field(name)
    except FieldDoesNotExist:  # children and computed keys
        return str(SECTION_LABELS.get(name, name.replace("_", " ")))
    return str(getattr(model_field, "verbose_name", name))


def _shown(name: str, value: Any) -> str:
    """A recorded value in words: choices by their label, lists and dicts as compact JSON."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    try:
        choices = dict(getattr(Case._meta.get_field(name), "choices", None) or ())
    except FieldDoesNotExist:
        choices = {}
    return str(choices.get(value, value))


@dataclass
class HistoryEntry:
    """One event of a case's history, ready to show."""

    event: AuditEvent
    label: str
    email: str
    changes: list[tuple[str, str, str]]


def case_history(actor: Actor, case: Case) -> tuple[list[HistoryEntry], list[HistoryEntry]]:
    """The case's audit events: (changes, reads by other organisations).

    The person's e-mail and the reads are shown only to members of the owner organisation.
    """
    own = case.owner_id == actor.organisation_id
    events = AuditEvent.objects.filter(
        object_type="seizures.case", object_id=str(case.pk)
    ).order_by("seq")
    changes: list[HistoryEntry] = []
    reads: list[HistoryEntry] = []
    for event in events:
        rows: list[tuple[str, str, str]] = []
        for key, value in (event.changes or {}).items():
            if (
                event.tag == EventTag.SEIZURES_CASE_UPDATED
                and isinstance(value, list)
                and len(value) == 2
            ):
                rows.append((_field_label(key), _shown(key, value[0]), _shown(key, value[1])))
            else:
                rows.append((_field_label(key), "", _shown(key, value)))
        entry = HistoryEntry(
            event,
            str(EVENT_LABELS.get(event.tag, event.tag)),
            event.actor_email if own else "",
            rows,
        )
        if event.tag == EventTag.SEIZURES_CASE_VIEWED:
            if own:
                reads.append(entry)
        else:
            changes.append(entry)
    return changes, reads


@page(Perm.SEIZURE_CASE_VIEW)
@require_GET
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Everything about a case, its status with the acts the user may take, its history."""
    actor = actor_of(request)
    found = selectors.access_case(actor, case_id)
    case = (
        selectors.with_children(selectors.cases_visible_to(actor))
        .select_related(
            "country", "region", "place", "owner", "created_by", "validated_by_organisation"
        )
        .prefetch_related("route__country", "route__place", "offenders__nationality")
        .get(pk=found.pk)
    )
    services.record_case_view(actor, case)
    own = case.owner_id == actor.organisation_id
    may_change = own and actor.can(Perm.SEIZURE_CASE_CREATE)
    may_validate = services.can_validate(actor, case)
    changes, reads = case_history(actor, case)
    return render(
        request,
        "seizures/detail.html",
        {
            "case": case,
            "own": own,
            "goods": [
                (line, _plain(line.quantity), describe_details(line)) for line in case.goods.all()
            ],
            "can_edit": may_change and case.status in services.EDITABLE,
            "can_submit": may_change and case.status == Status.DRAFT,
            "can_validate": may_validate and case.status == Status.SUBMITTED,
            "can_withdraw": may_change
            and case.status != Status.WITHDRAWN
            and (case.status != Status.VALIDATED or may_validate),
            "withdraw_form": WithdrawForm(),
            "history": changes,
            "reads": reads,
        },
    )


# --- acts ------------------------------------------------------------------------------------


def _act(
    request: HttpRequest, case_id: uuid.UUID, act: Callable[[Actor], Case], done: str
) -> HttpResponse:
    """Run a status change; refusals come back as messages on the case page."""
    try:
        act(actor_of(request))
    except InvalidInput as exc:
        for error in exc.errors:
            messages.error(request, error.reason)
    else:
        messages.success(request, done)
    return redirect("seizures:detail", case_id=case_id)


@page(Perm.SEIZURE_CASE_CREATE)
@require_POST
def submit_case(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        case_id,
        lambda actor: services.do_submit_case(actor, case_id),
        _("Case submitted for validation."),
    )


@page(Perm.SEIZURE_CASE_VALIDATE)
@require_POST
def validate_case(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        case_id,
        lambda actor: services.do_validate_case(actor, case_id),
        _("Case validated."),
    )


@page(Perm.SEIZURE_CASE_CREATE)
@require_POST
def withdraw_case(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _act(
        request,
        case_id,
        lambda actor: services.do_withdraw_case(actor, case_id, reason=reason),
        _("Case withdrawn."),
    )
