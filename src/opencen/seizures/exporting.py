"""Exports of a case search as CSV, XLSX or JSON; each is recorded in the audit log."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from opencen.core.actors import Actor
from opencen.seizures import selectors, services
from opencen.seizures.flat import EXPORT_ONLY_COLUMNS, case_rows, columns
from opencen.seizures.models import Case
from opencen.seizures.serializers import case_to_dict

FORMATS = ("csv", "xlsx", "json")
CHUNK = 500
XLSX_MAX_ROWS = 1_048_575
EXPORT_COLUMNS = EXPORT_ONLY_COLUMNS + columns()


def _cases(qs: QuerySet[Case]) -> Iterator[Case]:
    """Stream cases in chunks with their children prefetched (memory stays flat)."""
    ids = list(qs.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = selectors.with_children(
            Case.objects.filter(pk__in=ids[start : start + CHUNK]).select_related(
                "owner", "region", "validated_by_organisation"
            )
        ).order_by("-date", "-created_at")
        yield from chunk


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(qs: QuerySet[Case]) -> Iterator[str]:
    writer = csv.DictWriter(_Echo(), fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
    yield "\ufeff" + writer.writeheader()
    for case in _cases(qs):
        for row in case_rows(case):
            yield writer.writerow(row)


def _json_chunks(qs: QuerySet[Case]) -> Iterator[str]:
    yield "["
    first = True
    for case in _cases(qs):
        yield ("" if first else ",\n") + json.dumps(case_to_dict(case), ensure_ascii=False)
        first = False
    yield "]\n"


def _xlsx(qs: QuerySet[Case]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("cases")
    sheet.append(EXPORT_COLUMNS)
    written = 0
    for case in _cases(qs):
        for row in case_rows(case):
            if written >= XLSX_MAX_ROWS:
                break
            sheet.append([row.get(c, "") for c in EXPORT_COLUMNS])
            written += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_response(actor: Actor, flt: selectors.CaseFilter, fmt: str) -> HttpResponse | Any:
    """The file for a search, after the permission check; the export goes in the audit log."""
    qs = selectors.search_cases(actor, flt)
    services.record_export(actor, fmt=fmt, filters=flt.as_dict(), count=qs.count())
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    name = f"opencen-cases-{stamp}.{fmt}"
    if fmt == "csv":
        response: Any = StreamingHttpResponse(
            _csv_lines(qs), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "json":
        response = StreamingHttpResponse(_json_chunks(qs), content_type="application/json")
    else:
        response = HttpResponse(
            _xlsx(qs),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
