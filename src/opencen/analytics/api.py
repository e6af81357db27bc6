"""Analytics API: every analysis view as JSON (tables and chart specifications) or CSV, and the
bulletins (list, create, read, download)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.text import slugify
from ninja import Query, Router, Status

from opencen.analytics import services
from opencen.analytics.analysis import analyse, csv_text, table_json, view_of
from opencen.analytics.forms import FilterForm
from opencen.analytics.models import Report, ReportStatus
from opencen.analytics.report_views import pdf_response
from opencen.analytics.schemas import AnalysisOut, AnalysisQuery, ReportIn, ReportOut, ViewKey
from opencen.analytics.scope import scope_of
from opencen.analytics.selectors.reports import access_report, reports_visible_to
from opencen.core.errors import InvalidInput, NotFound
from opencen.core.http import require
from opencen.core.permissions import Perm

router = Router(tags=["analytics"])


def _report_out(report: Report) -> dict[str, Any]:
    done = report.status == ReportStatus.DONE
    return {
        "id": report.pk,
        "title": report.title,
        "owner": report.owner.short_name,
        "distribution": report.distribution,
        "query": report.query,
        "sections": report.sections,
        "status": report.status,
        "progress": report.progress,
        "message": report.message,
        "scope_note": report.scope_note,
        "created_at": report.created_at,
        "generated_at": report.generated_at,
        "pdf_url": reverse("api:analytics_report_pdf", args=[report.pk]) if done else None,
        "html_url": reverse("analytics:report_html", args=[report.pk]) if done else None,
    }


@router.get("/reports", response=list[ReportOut], summary="Bulletins you may see")
def list_reports(request: HttpRequest) -> list[dict[str, Any]]:
    actor = require(request, Perm.ANALYTICS_VIEW)
    return [_report_out(r) for r in reports_visible_to(actor)[:500]]


@router.post(
    "/reports",
    response={201: ReportOut},
    summary="Generate a bulletin",
    description="Stored at once and generated in the background: poll the bulletin "
    "until `status` is `done`, then download `pdf_url`. Figures count only the cases "
    "every reader of its audience may see.",
)
def create_report(request: HttpRequest, payload: ReportIn) -> Status[dict[str, Any]]:
    actor = require(request, Perm.ANALYTICS_REPORT_CREATE)
    report = services.check_create_report(actor, payload)
    return Status(201, _report_out(access_report(actor, report.pk)))


@router.get("/reports/{report_id}", response=ReportOut, summary="One bulletin and its progress")
def get_report(request: HttpRequest, report_id: uuid.UUID) -> dict[str, Any]:
    actor = require(request, Perm.ANALYTICS_VIEW)
    return _report_out(access_report(actor, report_id))


@router.get(
    "/reports/{report_id}/pdf",
    summary="Download a bulletin as PDF",
    url_name="analytics_report_pdf",
    response={200: bytes},
)
def report_pdf(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    actor = require(request, Perm.ANALYTICS_VIEW)
    report = access_report(actor, report_id)
    if report.status != ReportStatus.DONE or not report.pdf:
        raise NotFound
    services.record_report_download(actor, report, "pdf")
    return pdf_response(report)


def _filters(request: HttpRequest, view: str) -> Any:
    form = FilterForm(request.GET, options=view_of(view).options, map_metric=view == "hotspots")
    if not form.is_valid():
        raise InvalidInput(form.field_errors())
    return form.to_filter()


@router.get(
    "/{analysis}",
    response=AnalysisOut,
    summary="An analysis view as data",
    description="The tables (the same rows the page's chart, table and CSV show) and "
    "the Vega-Lite specification of each chart, over the cases you may see.",
)
def get_analysis(
    request: HttpRequest, analysis: ViewKey, filters: Query[AnalysisQuery]
) -> dict[str, Any]:
    actor = require(request, Perm.ANALYTICS_VIEW)
    flt = _filters(request, analysis)
    result = analyse(scope_of(actor), analysis, flt)
    return {
        "view": analysis,
        "title": str(result.view.title),
        "query": flt.to_query(),
        "data_version": result.version,
        "tables": [table_json(p.table) for p in result.panels],
        "charts": {p.table.key: p.spec for p in result.panels},
    }


@router.get("/{analysis}/csv", summary="One table of an analysis view as CSV", response={200: str})
def get_analysis_csv(
    request: HttpRequest, analysis: ViewKey, filters: Query[AnalysisQuery], dataset: str = ""
) -> HttpResponse:
    actor = require(request, Perm.ANALYTICS_VIEW)
    flt = _filters(request, analysis)
    result = analyse(scope_of(actor), analysis, flt)
    table = result.panel(dataset or result.panels[0].table.key).table
    services.record_data_export(
        actor, view=analysis, dataset=table.key, query=flt.to_query(), rows=len(table.rows)
    )
    response = HttpResponse(csv_text(table), content_type="text/csv; charset=utf-8")
    name = slugify(f"opencen-{analysis}-{table.key}")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
