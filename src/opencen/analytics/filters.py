"""The filters and options of every analysis view, and their permanent-link form.

A filter is parsed once from a query string (page, API, CSV, bulletin) by
``analytics.forms.FilterForm`` and becomes an ``AnalyticsFilter``: whole months from ``start``
to ``end`` (both included), the case filters the enforcement database uses, and the view
options.  ``to_query()`` writes every value explicitly, so a permanent link gives the same
figures tomorrow (the default period is relative to today; the link is not).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any

from opencen.seizures.selectors import CaseFilter

GRAINS = ("month", "quarter", "year")
SPLITS = ("", "area", "region", "country")
METRICS = ("cases", "quantity", "value")
DEFAULT_MONTHS = 12
DEFAULT_TOP = 10
MAX_TOP = 50


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_span(start: dt.date, end: dt.date) -> int:
    """Months from ``start`` to ``end``, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def last_day(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The twelve months up to and including the current one."""
    end = (today or dt.datetime.now(dt.UTC).date()).replace(day=1)
    return add_months(end, 1 - DEFAULT_MONTHS), end


@dataclass(frozen=True)
class AnalyticsFilter:
    """What to count (period and case filters) and how to show it (view options)."""

    start: dt.date
    end: dt.date
    region: str = ""
    country: str = ""
    area: str = ""
    chapter: str = ""
    transport: str = ""
    detection: str = ""
    grain: str = "month"
    split: str = ""
    metric: str = "cases"
    unit: str = ""
    currency: str = ""
    top: int = DEFAULT_TOP

    @property
    def months(self) -> int:
        return month_span(self.start, self.end)

    def previous(self) -> AnalyticsFilter:
        """The same filters over the period of the same length just before."""
        n = self.months
        return replace(self, start=add_months(self.start, -n), end=add_months(self.end, -n))

    def widened(self, months_before: int) -> AnalyticsFilter:
        return replace(self, start=add_months(self.start, -months_before))

    def case_filter(self) -> CaseFilter:
        """The enforcement database's filter for the same cases (the direct queries)."""
        return CaseFilter(
            date_from=self.start,
            date_to=last_day(self.end),
            country=self.country,
            region=self.region,
            commodity_area=self.area,
            hs_chapter=self.chapter,
            transport=self.transport,
            detection=self.detection,
        )

    def to_query(self) -> dict[str, str]:
        """Every value that matters, explicitly, in query-string form (the permanent link)."""
        query = {"from": f"{self.start:%Y-%m}", "to": f"{self.end:%Y-%m}"}
        defaults = AnalyticsFilter(self.start, self.end)
        for key, value in asdict(self).items():
            if key in ("start", "end") or value == getattr(defaults, key):
                continue
            query[key] = str(value)
        return query

    def cache_part(self) -> str:
        return "&".join(f"{k}={v}" for k, v in sorted(self.to_query().items()))

    def as_dict(self) -> dict[str, Any]:
        return self.to_query()
