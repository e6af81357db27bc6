"""Pages of the analysis views: filters, chart, sortable table, CSV and permanent link.

Views parse (``FilterForm``), authorise (``@page``), call ``analysis.analyse`` and render.  An
HTMX request (a filter changed) gets the results block only; the address bar follows, so the
page's address is always its permanent link.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from opencen.analytics import services
from opencen.analytics.analysis import analyse, csv_text, view_of
from opencen.analytics.forms import FilterForm
from opencen.analytics.scope import scope_of
from opencen.analytics.selectors import VIEWS
from opencen.core.http import actor_of, page
from opencen.core.permissions import Perm

FORM_SECONDS = 15 * 60


def _partial(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )


@page(Perm.ANALYTICS_VIEW)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The list of analysis views and the bulletins."""
    return render(request, "analytics/index.html", {"views": VIEWS.values()})


@page(Perm.ANALYTICS_VIEW)
@require_GET
def analysis_page(request: HttpRequest, view: str) -> HttpResponse:
    """One analysis view over what the reader may see."""
    actor = actor_of(request)
    spec = view_of(view)
    form = FilterForm(request.GET, options=spec.options, map_metric=view == "hotspots")
    flt = form.to_filter()
    result = analyse(scope_of(actor), view, flt)
    query = flt.to_query()
    context = {
        "form_html": mark_safe(_form_html(request, form, view)),  # noqa: S308 - our template
        "result": result,
        "view": spec,
        "views": VIEWS.values(),
        "query": urlencode(query),
        "permalink": request.build_absolute_uri(f"{request.path}?{urlencode(query)}"),
        "can_report": actor.can(Perm.ANALYTICS_REPORT_CREATE),
    }
    template = "analytics/_results.html" if _partial(request) else "analytics/view.html"
    return render(request, template, context)


def _form_html(request: HttpRequest, form: FilterForm, view: str) -> str:
    """The filter form as HTML: it depends only on the query and the language, so it is kept
    in the cache like the figures (the widgets' templates cost more than a cached analysis)."""
    if _partial(request):
        return ""
    raw = "|".join(
        [
            view,
            get_language() or "en",
            urlencode(sorted((k, str(v)) for k, v in request.GET.items())),
        ]
    )
    key = "analytics:form:" + hashlib.sha256(raw.encode()).hexdigest()
    html: str | None = cache.get(key)
    if html is None:
        html = render_to_string("analytics/_form.html", {"form": form, "action": request.path})
        cache.set(key, html, FORM_SECONDS)
    return html


@page(Perm.ANALYTICS_VIEW)
@require_GET
def csv_download(request: HttpRequest, analysis: str) -> HttpResponse:
    """One table of a view as CSV (``dataset``: which table; the first by default)."""
    actor = actor_of(request)
    spec = view_of(analysis)
    flt = FilterForm(
        request.GET, options=spec.options, map_metric=analysis == "hotspots"
    ).to_filter()
    result = analyse(scope_of(actor), analysis, flt)
    key = request.GET.get("dataset") or result.panels[0].table.key
    table = result.panel(key).table
    services.record_data_export(
        actor, view=analysis, dataset=key, query=flt.to_query(), rows=len(table.rows)
    )
    name = slugify(f"opencen-{analysis}-{key}-{flt.start:%Y-%m}-{flt.end:%Y-%m}")
    response = HttpResponse(csv_text(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
