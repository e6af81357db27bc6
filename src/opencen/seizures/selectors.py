"""Scoped reads of cases: every list, page, export and search starts from ``visible_to``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import BooleanField, Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property

from opencen.core.actors import Actor
from opencen.core.errors import NotFound
from opencen.seizures.models import Case, GoodsLine

TERM = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8
# Searches count their matches up to this many (20 pages); beyond, "more than": counting half
# a million visible cases costs far more than finding the page shown.  Analytics count.
COUNT_CAP = 1_000


@dataclass(frozen=True)
class CaseFilter:
    """The filters of the case list, search API and exports; empty values filter nothing."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    country: str = ""
    region: str = ""
    commodity_area: str = ""
    hs_chapter: str = ""
    transport: str = ""
    concealment: str = ""
    detection: str = ""
    status: str = ""
    owner: str = ""
    q: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in asdict(self).items()
            if v
        }


def cases_visible_to(actor: Actor | None) -> QuerySet[Case]:
    return Case.objects.visible_to(actor)


def access_case(actor: Actor | None, case_id: Any, action: str = "view") -> Case:
    """One case the actor may see (or change); ``NotFound`` otherwise, whichever the reason."""
    try:
        case = (
            Case.objects.visible_to(actor, action)
            .select_related("country", "region", "place", "owner")
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise NotFound from None
    return case


def full_text(qs: QuerySet[Case], q: str) -> QuerySet[Case]:
    """Cases whose text matches every word of ``q`` (prefixes count: "coca" finds cocaine).

    PostgreSQL matches the stored ``search_vector`` column (``to_tsvector('simple',
    search_text)``, GIN-indexed; migration 0006); SQLite scans.
    """
    terms = TERM.findall(q.lower())[:MAX_TERMS]
    if not terms:
        return qs
    if connection.vendor == "postgresql":
        query = " & ".join(f"{t}:*" for t in terms)
        return qs.filter(
            RawSQL(
                "seizures_case.search_vector @@ to_tsquery('simple', %s)",
                (query,),
                output_field=BooleanField(),
            )
        )
    for term in terms:
        qs = qs.filter(search_text__icontains=term)
    return qs


def _goods_filter(qs: QuerySet[Case], area: str, chapter: str) -> QuerySet[Case]:
    """Cases with a goods line of ``area`` and/or HS ``chapter`` (both on the same line).

    PostgreSQL reads the case row's own lists (``goods_areas``, ``goods_chapters``, GIN
    indexed), which it can intersect with the other filters' indexes; the goods lines are then
    probed only to tie area and chapter to one line.  Other databases take the cases of the
    matching goods lines (an uncorrelated ``IN``: SQLite would probe a correlated ``EXISTS``
    through the chapter index, every chapter line for every case).
    """
    lines = GoodsLine.objects.all()
    if area:
        lines = lines.filter(commodity_area=area)
    if chapter:
        lines = lines.filter(hs_chapter=chapter)
    if connection.vendor != "postgresql":
        return qs.filter(pk__in=lines.values("case_id"))
    goods = lines.filter(case=OuterRef("pk"))
    if area:
        qs = qs.filter(goods_areas__contains=[area])
    if chapter:
        qs = qs.filter(goods_chapters__contains=[chapter])
    return qs.filter(Exists(goods)) if area and chapter else qs


def search_cases(actor: Actor | None, flt: CaseFilter) -> QuerySet[Case]:
    qs = cases_visible_to(actor)
    if flt.date_from:
        qs = qs.filter(date__gte=flt.date_from)
    if flt.date_to:
        qs = qs.filter(date__lte=flt.date_to)
    if flt.country:
        qs = qs.filter(country_id=flt.country.upper())
    if flt.region:
        qs = qs.filter(region__code=flt.region.upper())
    if flt.owner:
        qs = qs.filter(owner__short_name=flt.owner)
    for name in ("transport", "concealment", "detection", "status"):
        value = getattr(flt, name)
        if value:
            qs = qs.filter(**{name: value})
    if flt.commodity_area or flt.hs_chapter:
        qs = _goods_filter(qs, flt.commodity_area, flt.hs_chapter[:2])
    if flt.q:
        qs = full_text(qs, flt.q)
    return qs.select_related("country", "owner", "place").order_by("-date", "-created_at")


def capped_count(qs: QuerySet[Any]) -> tuple[int, bool]:
    """How many rows ``qs`` has, counting no further than ``COUNT_CAP``: (count, exact)."""
    n = qs.order_by()[: COUNT_CAP + 1].count()
    return min(n, COUNT_CAP), n <= COUNT_CAP


class CappedPaginator(Paginator):
    """Django's paginator over ``capped_count``: beyond the cap, the last page is the cap's."""

    @cached_property
    def count_and_exact(self) -> tuple[int, bool]:
        assert isinstance(self.object_list, QuerySet)
        return capped_count(self.object_list)

    @property
    def count(self) -> int:
        return self.count_and_exact[0]

    @property
    def count_exact(self) -> bool:
        return self.count_and_exact[1]

    def page(self, number: Any) -> Any:
        """A full page even where the capped count would cut the last one short."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        assert isinstance(self.object_list, QuerySet)
        rows = page_rows(self.object_list, bottom, self.per_page, many=not self.count_exact)
        return Page(rows, number, self)


def page_rows(qs: QuerySet[Any], offset: int, limit: int, *, many: bool) -> list[Any]:
    """``qs[offset:offset + limit]``, read in date order when the matches are ``many``.

    Past the count cap, the newest matches are found soonest by walking the cases in date
    order; PostgreSQL cannot know that (it estimates a prefix search at a few hundred rows)
    and would read every match, or every case, to sort them.  For this one query it is told to
    use neither bitmap nor sequential scans, which leaves the date-order index.
    """
    rows = qs[offset : offset + limit]
    if not (many and connection.vendor == "postgresql"):
        return list(rows)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            return list(rows)
        finally:  # inside a caller's transaction, SET LOCAL would outlive this query
            cursor.execute("RESET enable_bitmapscan")
            cursor.execute("RESET enable_seqscan")


def with_children(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Prefetch what serialising a case needs (goods, route, offenders, groups)."""
    return qs.prefetch_related(
        "goods__unit", "goods__hs_code", "goods__currency", "route", "offenders", "groups"
    )


def import_jobs_of(actor: Actor) -> QuerySet[Any]:
    """Import jobs of the actor's organisation."""
    from opencen.seizures.models import ImportJob

    return ImportJob.objects.filter(owner_id=actor.organisation_id).select_related("created_by")


def access_import_job(actor: Actor, job_id: Any) -> Any:
    job = import_jobs_of(actor).filter(pk=job_id).first()
    if job is None:
        raise NotFound
    return job
