"""Background work of the analytics app: generating a bulletin."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from opencen.accounts.actors import actor_for
from opencen.analytics import documents, services, store
from opencen.analytics.forms import FilterForm
from opencen.analytics.models import Report, ReportStatus
from opencen.analytics.selectors import VIEWS
from opencen.core.models import Distribution

logger = logging.getLogger(__name__)


def _context(report: Report, facts: list[str], note: str) -> dict[str, object]:
    marking = {
        Distribution.ORGANISATION: _("Organisation only"),
        Distribution.REGION: _("Region (RILO area)"),
        Distribution.NETWORK: _("Network (all customs members)"),
        Distribution.GROUPS: _("Named closed user groups"),
    }[Distribution(report.distribution)]
    return {
        "title": report.title,
        "owner": report.owner.name,
        "facts": facts,
        "scope_note": note,
        "introduction": report.introduction,
        "marking": _("Distribution: %(level)s") % {"level": marking},
        "generated": documents.generated_on(),
    }


def _facts(report: Report, query: dict[str, str]) -> list[str]:
    period = _("Period: %(start)s to %(end)s") % {"start": query["from"], "end": query["to"]}
    filters = ", ".join(f"{k} = {v}" for k, v in sorted(query.items()) if k not in ("from", "to"))
    return [
        period,
        _("Filters: %(filters)s") % {"filters": filters or _("none")},
        _("Prepared by %(owner)s, generated %(when)s")
        % {"owner": report.owner.name, "when": documents.generated_on()},
    ]


@task()
def generate_report(report_id: str) -> str:
    """Compute every section over the bulletin's audience, render the charts, store the HTML
    and PDF; progress is kept on the report row."""
    report = Report.objects.select_related("created_by__organisation", "owner").get(pk=report_id)
    actor = actor_for(report.created_by, via="task")
    language = report.created_by.language or "en"
    services.do_mark_report(report.pk, status=ReportStatus.RUNNING, progress=5)
    try:
        with translation.override(language):
            scope = services.report_scope(actor, report)
            form = FilterForm(report.query, options=services.ALL_OPTIONS)
            flt = form.to_filter()
            snap = store.current()
            sections = []
            steps = len(report.sections) + 1
            for i, section in enumerate(report.sections):
                view = VIEWS[section["view"]]
                tables = view.analysis(scope, flt, snap)
                svgs, pngs = documents.render_charts(tables, flt)
                sections.append(
                    documents.Section(view, section.get("commentary", ""), tables, svgs, pngs)
                )
                services.do_mark_report(report.pk, progress=int(5 + 85 * (i + 1) / steps))
            note = services.scope_note(scope)
            context = _context(report, _facts(report, flt.to_query()), note)
            html = documents.html(context, sections)
            pdf = documents.pdf(context, sections)
        report.html, report.scope_note = html, note
        report.pdf.save(f"bulletin-{report.pk}.pdf", ContentFile(pdf), save=False)
        report.status, report.progress, report.message = ReportStatus.DONE, 100, ""
        report.generated_at = timezone.now()
        report.save(
            update_fields=[
                "html",
                "scope_note",
                "pdf",
                "status",
                "progress",
                "message",
                "generated_at",
            ]
        )
        services.do_finish_report(actor, report, ok=True)
    except Exception:
        logger.exception("bulletin %s failed", report_id)
        report.status, report.progress = ReportStatus.FAILED, 100
        report.message = _(
            "The bulletin could not be generated; the administrators have the details."
        )
        report.save(update_fields=["status", "progress", "message"])
        services.do_finish_report(actor, report, ok=False)
    return str(report.status)
