"""Pages of the bulletins: list, new, the bulletin itself (with generation progress), downloads.

Every bulletin is loaded through ``selectors.reports.access_report``: one the reader may not
see answers 404.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opencen.accounts.models import ClosedUserGroup
from opencen.analytics import services
from opencen.analytics.forms import FilterForm, ReportForm
from opencen.analytics.models import Report, ReportStatus
from opencen.analytics.schemas import ReportIn
from opencen.analytics.selectors import VIEWS
from opencen.analytics.selectors.reports import access_report, reports_visible_to
from opencen.core.actors import Actor
from opencen.core.errors import InvalidInput, NotFound
from opencen.core.http import actor_of, page
from opencen.core.permissions import Perm

FILTER_KEYS = (
    "from",
    "to",
    "region",
    "country",
    "area",
    "chapter",
    "transport",
    "detection",
    "grain",
    "split",
    "metric",
    "unit",
    "currency",
    "top",
)


def _groups_of(actor: Actor) -> list[tuple[str, str]]:
    groups = ClosedUserGroup.objects.filter(id__in=actor.group_ids).order_by("name")
    return [(str(g.id), g.name) for g in groups]


def pdf_response(report: Report) -> HttpResponse:
    """The bulletin's PDF as a download."""
    with report.pdf.open("rb") as stream:
        response = HttpResponse(stream.read(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(report.title) or "bulletin"}.pdf"'
    )
    return response


@page(Perm.ANALYTICS_VIEW)
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    """Bulletins the reader may see: their organisation's and those shared with them."""
    actor = actor_of(request)
    return render(
        request,
        "analytics/reports.html",
        {
            "reports": reports_visible_to(actor)[:200],
            "can_create": actor.can(Perm.ANALYTICS_REPORT_CREATE),
        },
    )


@page(Perm.ANALYTICS_REPORT_CREATE)
def report_create(request: HttpRequest) -> HttpResponse:
    """Choose the period, filters, views, commentary and audience; generation starts at once."""
    actor = actor_of(request)
    source = request.POST if request.method == "POST" else request.GET
    filters = FilterForm(source or None, options=services.ALL_OPTIONS)
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        views=VIEWS.values(),
        groups=_groups_of(actor),
    )
    if request.method == "POST" and form.is_valid():
        query = {k: str(request.POST[k]) for k in FILTER_KEYS if request.POST.get(k)}
        try:
            data = ReportIn(
                title=form.cleaned_data["title"],
                query=query,
                introduction=form.cleaned_data["introduction"],
                sections=form.sections(),  # type: ignore[arg-type]
                distribution=form.cleaned_data["distribution"],
                groups=[uuid.UUID(g) for g in form.cleaned_data["groups"]],
            )
            report = services.check_create_report(actor, data, lang=(get_language() or "en")[:2])
        except InvalidInput as exc:
            form.add_service_errors(exc.errors, filters)
        except ValueError:
            form.add_error(None, _("Choose at least one view."))
        else:
            messages.success(request, _("The bulletin is being generated."))
            return redirect("analytics:report", report_id=report.pk)
    return render(request, "analytics/report_form.html", {"form": form, "filters": filters})


@page(Perm.ANALYTICS_VIEW)
@require_GET
def report_detail(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    """The bulletin (its HTML once generated) with its downloads."""
    report = access_report(actor_of(request), report_id)
    return render(
        request,
        "analytics/report.html",
        {
            "report": report,
            "running": report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING),
        },
    )


@page(Perm.ANALYTICS_VIEW)
@require_GET
def report_status(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    """The progress block, polled by HTMX while the bulletin is generated."""
    report = access_report(actor_of(request), report_id)
    running = report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
    response = render(
        request, "analytics/_report_status.html", {"report": report, "running": running}
    )
    if not running and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@page(Perm.ANALYTICS_VIEW)
@require_GET
def report_pdf(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    report = access_report(actor, report_id)
    if report.status != ReportStatus.DONE or not report.pdf:
        raise NotFound
    services.record_report_download(actor, report, "pdf")
    return pdf_response(report)


@page(Perm.ANALYTICS_VIEW)
@require_GET
def report_html(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    report = access_report(actor, report_id)
    if report.status != ReportStatus.DONE:
        raise NotFound
    services.record_report_download(actor, report, "html")
    response = HttpResponse(report.html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(report.title) or "bulletin"}.html"'
    )
    return response
