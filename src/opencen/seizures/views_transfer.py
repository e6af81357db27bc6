"""Pages that move cases in and out: file import with progress, templates, exports."""

from __future__ import annotations

import uuid

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from opencen.core.errors import InvalidInput
from opencen.core.forms import add_service_errors
from opencen.core.http import actor_of, page
from opencen.core.permissions import Perm
from opencen.reference.models import WcoRegion
from opencen.seizures import blanks, exporting, selectors, services
from opencen.seizures.areas import AREAS
from opencen.seizures.forms import CaseFilterForm
from opencen.seizures.models import ImportStatus


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV, XLSX or JSON lines)"))
    submit = forms.BooleanField(label=_("Submit the cases for validation"), required=False)


@page(Perm.SEIZURE_CASE_IMPORT)
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload a file; the import runs in the background and its page shows the progress."""
    actor = actor_of(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.check_start_import(
                actor, form.cleaned_data["file"], submit=form.cleaned_data["submit"]
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            return redirect("seizures:import_job", job_id=job.pk)
    return render(
        request,
        "seizures/import.html",
        {
            "form": form,
            "areas": AREAS.values(),
            "jobs": selectors.import_jobs_of(actor)[:20],
        },
    )


@page(Perm.SEIZURE_CASE_IMPORT)
def import_job_view(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """One import: a progress bar while it runs (polled by HTMX), then its outcome."""
    job = selectors.access_import_job(actor_of(request), job_id)
    running = job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    template = (
        "seizures/_import_status.html"
        if request.headers.get("HX-Request")
        else "seizures/import_job.html"
    )
    return render(request, template, {"job": job, "running": running})


@page(Perm.SEIZURE_CASE_VIEW)
def template_view(request: HttpRequest, area: str, fmt: str) -> HttpResponse:
    """The import template of one commodity area."""
    if area not in AREAS or fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "xlsx":
        response = HttpResponse(
            blanks.template_xlsx(area),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(blanks.template_csv(area), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="opencen-{area}-template.{fmt}"'
    return response


@page(Perm.SEIZURE_CASE_EXPORT)
def export_view(request: HttpRequest) -> HttpResponse:
    """The current search of the case list as a file (recorded in the audit log)."""
    fmt = request.GET.get("format", "csv")
    if fmt not in exporting.FORMATS:
        return HttpResponse(_("Unknown export format: use csv, xlsx or json."), status=400)
    regions = [(r.code, r.name) for r in WcoRegion.objects.order_by("name")]
    form = CaseFilterForm(request.GET, regions=regions)
    return exporting.export_response(actor_of(request), form.to_filter(), fmt)
