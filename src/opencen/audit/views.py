"""The audit viewer: browse and filter the events you may audit."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opencen.audit.forms import EventFilterForm
from opencen.audit.selectors import EventFilter, events_visible_to
from opencen.core.http import actor_of, page
from opencen.core.permissions import Perm

PAGE_SIZE = 50


@page((Perm.AUDIT_EVENT_VIEW, Perm.AUDIT_EVENT_VIEW_ALL))
def events_view(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    flt = EventFilter()
    if form.is_valid():
        data = form.cleaned_data
        flt = EventFilter(
            tag=data["tag"],
            actor=data["actor"],
            object_id=data["object_id"],
            since=data["since"],
            until=data["until"],
        )
    events = events_visible_to(actor_of(request), flt)
    page_obj = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "audit/_rows.html" if request.headers.get("HX-Request") else "audit/events.html"
    return render(request, template, {"form": form, "page": page_obj, "query": query.urlencode()})
