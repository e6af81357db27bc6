"""Reference pages: search across the tables, browse HS, regions, countries and places, the
secretariat's region edits and release imports.

Views parse, authorise, call a selector or service, and render.  Every page needs a logged-in
user (``reference:data:view``); anonymous visitors go to the login page.  Lists answer HTMX
requests with the same page, from which the browser swaps the table (``hx-select``).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencen.core.errors import InvalidInput
from opencen.core.forms import add_service_errors
from opencen.core.http import actor_of, page
from opencen.core.permissions import Perm
from opencen.reference import selectors, services
from opencen.reference.forms import ImportForm, MoveCountryForm, RegionForm
from opencen.reference.loader import table_counts
from opencen.reference.models import HsLevel
from opencen.reference.parsing import release_members
from opencen.reference.validation import PLACE_FUNCTION_LABELS as FUNCTION_LABELS

PER_PAGE = 50
VIEW = Perm.REFERENCE_DATA_VIEW

COUNT_LABELS = {
    "countries": gettext_lazy("Countries"),
    "currencies": gettext_lazy("Currencies"),
    "wco regions": gettext_lazy("WCO regions"),
    "wco members": gettext_lazy("Countries in a WCO region"),
    "hs sections": gettext_lazy("HS sections"),
    "hs chapters": gettext_lazy("HS chapters"),
    "hs headings": gettext_lazy("HS headings"),
    "hs subheadings": gettext_lazy("HS subheadings"),
    "places": gettext_lazy("Places (UN/LOCODE)"),
    "places (seaports)": gettext_lazy("… seaports"),
    "places (airports)": gettext_lazy("… airports"),
    "units": gettext_lazy("Units of measure"),
    "cites species": gettext_lazy("CITES species"),
}


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Page:
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


def _table(
    request: HttpRequest,
    *,
    title: str,
    intro: str,
    columns: list[Column],
    rows: Page,
    cells: Any,
    filters: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    """One list page: a filter form, a table, a pager.  ``cells(obj)`` gives (text, url) pairs."""
    return render(
        request,
        "reference/table.html",
        {
            "title": title,
            "intro": intro,
            "columns": columns,
            "page_obj": rows,
            "rows": [cells(obj) for obj in rows],
            "filters": filters or [],
            "q": request.GET.get("q", ""),
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- index and search --------------------------------------------------------------------------


def _index(request: HttpRequest, limit: int = 5) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request,
        "reference/index.html",
        {
            "counts": [(COUNT_LABELS.get(k, k), n) for k, n in table_counts().items()],
            "datasets": selectors.datasets(),
            "results": selectors.search_all(request.GET.get("q"), limit=limit),
            "q": request.GET.get("q", ""),
            "can_import": actor.can(Perm.REFERENCE_DATA_IMPORT),
        },
    )


@page(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    return _index(request)


@page(VIEW)
def search(request: HttpRequest) -> HttpResponse:
    """Search as you type: the results fragment for HTMX, the whole page otherwise."""
    if request.headers.get("HX-Request"):
        results = selectors.search_all(request.GET.get("q"), limit=8)
        return render(request, "reference/_results.html", {"results": results})
    return _index(request, limit=8)


# --- HS --------------------------------------------------------------------------------------


@page(VIEW)
def hs_index(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    matches = _page(request, selectors.search_hs(q)) if q.strip() else None
    return render(
        request,
        "reference/hs.html",
        {
            "sections": selectors.hs_sections(),
            "q": q,
            "page_obj": matches,
            "query": _query_without_page(request),
        },
    )


@page(VIEW)
def hs_detail(request: HttpRequest, hs_code: str) -> HttpResponse:
    node = selectors.get_hs(hs_code)
    return render(
        request,
        "reference/hs_detail.html",
        {
            "node": node,
            "ancestors": selectors.hs_ancestors(node),
            "children": selectors.hs_children(node),
            "level_label": HsLevel(node.level).label,
        },
    )


# --- regions and countries ---------------------------------------------------------------------


@page(VIEW)
def region_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/regions.html", {"regions": selectors.regions()})


@page(VIEW)
def region_detail(request: HttpRequest, region_code: str) -> HttpResponse:
    region = selectors.get_region(region_code)
    actor = actor_of(request)
    can_edit = actor.can(Perm.REFERENCE_REGION_EDIT)
    region_form = RegionForm(initial={"name": region.name, "rilo_name": region.rilo_name})
    move_form = MoveCountryForm()
    if request.method == "POST":
        if not can_edit:
            return HttpResponse(status=403)
        try:
            if request.POST.get("action") == "move":
                move_form = MoveCountryForm(request.POST)
                if move_form.is_valid():
                    move = services.check_move_country(
                        actor, move_form.cleaned_data["country"], region.code
                    )
                    messages.success(
                        request,
                        _("%(c)s moved to %(r)s; %(n)s customs administration(s) followed.")
                        % {"c": move.country.name, "r": region.name, "n": move.organisations},
                    )
                    return redirect("reference:region", region_code=region.code)
            elif request.POST.get("action") == "remove":
                member = region.countries.filter(code=request.POST.get("country", "")).first()
                if member is not None:
                    services.check_move_country(actor, member.code, None)
                    messages.success(
                        request, _("%(c)s taken out of the region.") % {"c": member.name}
                    )
                return redirect("reference:region", region_code=region.code)
            else:
                region_form = RegionForm(request.POST)
                if region_form.is_valid():
                    services.check_update_region(actor, region.code, **region_form.cleaned_data)
                    messages.success(request, _("Region saved."))
                    return redirect("reference:region", region_code=region.code)
        except InvalidInput as exc:
            add_service_errors(
                move_form if request.POST.get("action") == "move" else region_form, exc
            )
    return render(
        request,
        "reference/region_detail.html",
        {
            "region": region,
            "members": selectors.region_members(region),
            "can_edit": can_edit,
            "region_form": region_form,
            "move_form": move_form,
        },
    )


@page(VIEW)
def country_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.search_countries(request.GET.get("q"), region=request.GET.get("region"))
    return _table(
        request,
        title=_("Countries"),
        intro=_("ISO 3166-1, with the WCO region of each member."),
        columns=[
            Column(_("Code")),
            Column(_("Alpha-3")),
            Column(_("Name")),
            Column(_("WCO region")),
        ],
        rows=_page(request, qs),
        cells=lambda c: [
            (c.code, reverse("reference:country", args=[c.code])),
            (c.alpha3, ""),
            (c.name, ""),
            (
                c.wco_region.name if c.wco_region else "—",
                reverse("reference:region", args=[c.wco_region.code]) if c.wco_region else "",
            ),
        ],
    )


@page(VIEW)
def country_detail(request: HttpRequest, country_code: str) -> HttpResponse:
    country = selectors.get_country(country_code)
    places = selectors.search_places(country=country.code)
    counts = {
        name: places.filter(**{attr: True}).count()
        for name, attr in selectors.PLACE_FUNCTIONS.items()
    }
    return render(
        request,
        "reference/country_detail.html",
        {
            "country": country,
            "place_count": places.count(),
            "function_counts": [
                (name, FUNCTION_LABELS[name], n) for name, n in counts.items() if n
            ],
        },
    )


# --- places ------------------------------------------------------------------------------------


@page(VIEW)
def place_list(request: HttpRequest) -> HttpResponse:
    function = request.GET.get("function") or None
    if function not in selectors.PLACE_FUNCTIONS:
        function = None
    country = (request.GET.get("country") or "").strip().upper()[:2] or None
    qs = selectors.search_places(request.GET.get("q"), country=country, function=function)
    return _table(
        request,
        title=_("Places (UN/LOCODE)"),
        intro=_("Trade and transport locations with their functions and coordinates."),
        columns=[
            Column(_("Code")),
            Column(_("Name")),
            Column(_("Subdivision")),
            Column(_("Functions")),
        ],
        rows=_page(request, qs),
        cells=lambda p: [
            (p.code, reverse("reference:place", args=[p.code])),
            (p.name, ""),
            (p.subdivision, ""),
            (", ".join(str(FUNCTION_LABELS[f]) for f in selectors.place_functions(p)), ""),
        ],
        filters=[
            {"name": "country", "label": _("Country"), "value": country or "", "size": 2},
            {
                "name": "function",
                "label": _("Function"),
                "value": function or "",
                "choices": [("", _("any")), *FUNCTION_LABELS.items()],
            },
        ],
    )


@page(VIEW)
def place_detail(request: HttpRequest, place_code: str) -> HttpResponse:
    place = selectors.get_place(place_code)
    return render(
        request,
        "reference/place_detail.html",
        {
            "place": place,
            "functions": [FUNCTION_LABELS[f] for f in selectors.place_functions(place)],
            "other_names": [n for n in place.other_names.splitlines() if n],
        },
    )


# --- currencies, units, CITES ------------------------------------------------------------------


@page(VIEW)
def currency_list(request: HttpRequest) -> HttpResponse:
    return _table(
        request,
        title=_("Currencies"),
        intro=_("ISO 4217 currency codes."),
        columns=[Column(_("Code")), Column(_("Numeric")), Column(_("Name"))],
        rows=_page(request, selectors.search_currencies(request.GET.get("q"))),
        cells=lambda c: [(c.code, ""), (c.numeric, ""), (c.name, "")],
    )


@page(VIEW)
def unit_list(request: HttpRequest) -> HttpResponse:
    return _table(
        request,
        title=_("Units of measure"),
        intro=_("UN/ECE Recommendation 20 codes; the units common in customs come first."),
        columns=[Column(_("Code")), Column(_("Name")), Column(_("Symbol")), Column(_("Quantity"))],
        rows=_page(request, selectors.search_units(request.GET.get("q"))),
        cells=lambda u: [(u.code, ""), (u.name, ""), (u.symbol, ""), (u.quantity, "")],
    )


@page(VIEW)
def cites_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.search_cites(request.GET.get("q"))
    return _table(
        request,
        title=_("CITES species"),
        intro=_(
            "Taxa of the loaded CITES checklist and their appendix. Search by scientific, "
            "common or synonym name."
        ),
        columns=[
            Column(_("Scientific name")),
            Column(_("Rank")),
            Column(_("Family")),
            Column(_("Appendix")),
            Column(_("Common names")),
        ],
        rows=_page(request, qs),
        cells=lambda t: [
            (t.scientific_name, ""),
            (t.rank.lower(), ""),
            (t.family, ""),
            (t.appendix, ""),
            (", ".join(t.common_names.splitlines()[:3]), ""),
        ],
    )


# --- imports -----------------------------------------------------------------------------------


@page(Perm.REFERENCE_DATA_IMPORT)
def import_release(request: HttpRequest) -> HttpResponse:
    """Upload an official release: all-or-nothing, with the refused lines listed."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        try:
            if form.cleaned_data["dataset"] == "unlocode":
                files: list[tuple[str, str | bytes]] = list(release_members(upload.name, raw))
                report = services.check_import_unlocode(actor_of(request), files)
            else:
                report = services.check_import_cites(actor_of(request), upload.name, raw)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        except (ValueError, OSError, zipfile.BadZipFile) as exc:  # an unreadable zip or gzip
            form.add_error("file", _("The file cannot be read: %(e)s") % {"e": exc})
        else:
            messages.success(request, _("Imported: %(r)s.") % {"r": report.result})
    return render(request, "reference/import.html", {"form": form, "report": report})
