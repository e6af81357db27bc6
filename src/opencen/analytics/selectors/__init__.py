"""Scoped reads of the analysis views.  Every view is a function ``(scope, filter, source)``
returning result tables; ``VIEWS`` lists them with what their pages show."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from opencen.analytics.selectors.base import Analysis, Column, Source, Table
from opencen.analytics.selectors.hotspots import hotspots
from opencen.analytics.selectors.modus import modus
from opencen.analytics.selectors.quality import quality
from opencen.analytics.selectors.routes import routes
from opencen.analytics.selectors.significant import significant
from opencen.analytics.selectors.trends import trends


@dataclass(frozen=True)
class View:
    """One analysis page: its name, title, what it answers, and the options it takes."""

    key: str
    title: Promise
    summary: Promise
    analysis: Analysis
    options: tuple[str, ...] = ()


VIEWS: dict[str, View] = {
    v.key: v
    for v in (
        View(
            "trends",
            _("Trends"),
            _(
                "Cases, quantity and value over time, with the change on the previous period "
                "and on a year before, and the series that break from their recent history."
            ),
            trends,
            ("grain", "split", "metric", "unit", "currency"),
        ),
        View(
            "routes",
            _("Routes"),
            _(
                "The most frequent departure → transit → destination chains by means of transport, "
                "the routes that are emerging, and the flows on a map."
            ),
            routes,
            ("top",),
        ),
        View(
            "modus",
            _("Modus operandi"),
            _(
                "Concealment methods by means of transport and commodity area, and what each "
                "detection method finds."
            ),
            modus,
        ),
        View(
            "hotspots",
            _("Hotspots"),
            _("Where seizures happen: countries by cases or quantity, and places of seizure."),
            hotspots,
            ("metric", "unit"),
        ),
        View(
            "significant",
            _("Significant cases"),
            _("The largest cases of the period in each commodity area."),
            significant,
            ("top",),
        ),
        View(
            "quality",
            _("Data quality"),
            _(
                "Completeness of the key fields and delay between seizure and entry, per "
                "administration."
            ),
            quality,
        ),
    )
}

__all__ = ["VIEWS", "Analysis", "Column", "Source", "Table", "View"]
