"""Targeting pages: the selection queue, declarations and results, uploads, performance.

Views parse, call a selector or service, and render.  Every object is loaded through
``selectors.access_*``: another administration's row answers 404 (``@page`` turns ``NotFound``
into it).  Profile pages are in ``profile_views``, model pages in ``model_views``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencen.core.errors import InvalidInput
from opencen.core.http import actor_of, page
from opencen.core.permissions import Perm
from opencen.targeting import selectors, services
from opencen.targeting.choices import INSPECTION_LANES, Lane
from opencen.targeting.forms import (
    DeclarationFilterForm,
    PeriodForm,
    ResultForm,
    UploadForm,
    add_errors,
)
from opencen.targeting.labels import feature_label, group_label
from opencen.targeting.models import Declaration
from opencen.targeting.performance import performance
from opencen.targeting.uploads import UploadRejected, detect_format, read_upload

PER_PAGE = 50


def _partial(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )


def _rows(declarations: Any, names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"d": d, "profiles": [names.get(i, i) for i in d.matched_profiles or []]}
        for d in declarations
    ]


@page(Perm.TARGETING_VIEW)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """What to inspect: declarations in an inspection lane without a result, by priority."""
    actor = actor_of(request)
    lane = request.GET.get("lane", "")
    lane = lane if lane in INSPECTION_LANES else ""
    page_obj = Paginator(selectors.queue(actor, lane), PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.queue_counts(actor)
    context = {
        "lane": lane,
        "tabs": [(str(lane_), Lane(lane_).label, counts[str(lane_)]) for lane_ in INSPECTION_LANES],
        "total": sum(counts.values()),
        "page_obj": page_obj,
        "rows": _rows(page_obj, selectors.profile_names(actor)),
        "query": urlencode({"lane": lane}) if lane else "",
        "can_record": actor.can(Perm.TARGETING_RESULT_RECORD),
        "can_submit": actor.can(Perm.TARGETING_DECLARATION_SUBMIT),
    }
    template = "targeting/_queue.html" if _partial(request) else "targeting/queue.html"
    return render(request, template, context)


@page(Perm.TARGETING_VIEW)
@require_GET
def declaration_list(request: HttpRequest) -> HttpResponse:
    """Every declaration of the administration, filtered."""
    actor = actor_of(request)
    form = DeclarationFilterForm(request.GET or None)
    flt = form.to_filter()
    found = selectors.search_declarations(actor, flt)
    page_obj = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "rows": _rows(page_obj, selectors.profile_names(actor)),
        "query": urlencode(flt.as_dict()),
    }
    template = (
        "targeting/_declarations.html" if _partial(request) else "targeting/declarations.html"
    )
    return render(request, template, context)


def _detail(
    request: HttpRequest, declaration: Declaration, form: ResultForm | None = None
) -> HttpResponse:
    actor = actor_of(request)
    names = selectors.profile_names(actor)
    explanation = [
        {
            **item,
            "label": feature_label(item["feature"]),
            "width": min(abs(item["contribution"]) * 40, 100),
        }
        for item in declaration.explanation or []
    ]
    initial = {}
    if declaration.result is not None:
        initial = {
            "result": declaration.result,
            "revenue": declaration.revenue,
            "result_date": declaration.result_date,
            "note": declaration.result_note,
        }
    return render(
        request,
        "targeting/declaration.html",
        {
            "d": declaration,
            "profiles": [(i, names.get(i, i)) for i in declaration.matched_profiles or []],
            "explanation": explanation,
            "form": form or ResultForm(initial=initial),
            "can_record": actor.can(Perm.TARGETING_RESULT_RECORD),
            "next": request.GET.get("next", ""),
        },
    )


@page(Perm.TARGETING_VIEW)
@require_GET
def declaration_detail(request: HttpRequest, decl_id: uuid.UUID) -> HttpResponse:
    """One declaration: its data, lane, why (explanation and profiles), its result."""
    return _detail(request, selectors.access_declaration(actor_of(request), decl_id))


@page(Perm.TARGETING_RESULT_RECORD)
@require_POST
def record_result(request: HttpRequest, decl_id: uuid.UUID) -> HttpResponse:
    """Record the examination result of a declaration, then back to where the officer was."""
    actor = actor_of(request)
    declaration = selectors.access_declaration(actor, decl_id)
    form = ResultForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.check_record_result(
                actor,
                declaration.pk,
                result=data["result"],
                revenue=data["revenue"],
                result_date=data["result_date"],
                note=data["note"],
            )
        except InvalidInput as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Result recorded for %(ref)s.") % {"ref": declaration.reference}
            )
            target = request.POST.get("next", "")
            if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
                return redirect(target)
            return redirect("targeting:declaration", decl_id=declaration.pk)
    return _detail(request, declaration, form)


@page(Perm.TARGETING_DECLARATION_SUBMIT)
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a CSV or Parquet file of declarations; refused files list row, field, reason."""
    actor = actor_of(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        history = form.cleaned_data["history"]
        try:
            frame = read_upload(file, file.name, history=history, size=file.size)
            batch = services.check_upload(
                actor, frame, name=file.name, fmt=detect_format(file.name), history=history
            )
        except UploadRejected as exc:
            errors = exc.errors
        except InvalidInput as exc:
            add_errors(form, exc)
        else:
            return redirect("targeting:batch", decl_batch_id=batch.pk)
    batches = selectors.batches(actor)[:10]
    return render(
        request,
        "targeting/upload.html",
        {"form": form, "errors": errors, "batches": batches},
        status=422 if errors else 200,
    )


@page((Perm.TARGETING_VIEW, Perm.TARGETING_DECLARATION_SUBMIT))
@require_GET
def batch_detail(request: HttpRequest, decl_batch_id: uuid.UUID) -> HttpResponse:
    """A batch: its status, its lanes, its first declarations."""
    actor = actor_of(request)
    batch = selectors.access_batch(actor, decl_batch_id)
    items = batch.declarations.order_by("-priority", "reference")[:PER_PAGE]
    return render(
        request,
        "targeting/batch.html",
        {
            "batch": batch,
            "lanes": [(str(lane), lane.label, batch.lanes.get(str(lane), 0)) for lane in Lane],
            "rows": _rows(items, selectors.profile_names(actor)),
            "can_view": actor.can(Perm.TARGETING_VIEW),
        },
    )


@page(Perm.TARGETING_VIEW)
@require_GET
def performance_page(request: HttpRequest) -> HttpResponse:
    """Hits, hit rate, revenue and lift over random: overall and per month, per group."""
    actor = actor_of(request)
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_bound and form.is_valid() else {}
    result = performance(
        actor.organisation_id, date_from=period.get("date_from"), date_to=period.get("date_to")
    )
    names = selectors.profile_names(actor)
    groups = sorted(result.overall, key=lambda g: (g != "control", g != "model", g))
    return render(
        request,
        "targeting/performance.html",
        {
            "form": form,
            "overall": [(group_label(g, names), result.overall[g]) for g in groups],
            "series": [(group_label(g, names), result.series(g)) for g in groups],
        },
    )
