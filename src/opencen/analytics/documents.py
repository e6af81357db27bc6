"""A bulletin as documents: a self-contained HTML page and a PDF, charts rendered on the server.

Charts are the pages' Vega-Lite specifications rendered by ``vl-convert`` (a Rust build of
Vega with its own JavaScript engine: no browser, no network), as SVG for the HTML and PNG for
the PDF.  The PDF is laid out with ``fpdf2`` (pure Python) in DejaVu Sans, shipped in
``analytics/fonts`` so accents, arrows and non-Latin country names print on any machine.
Every page carries the bulletin's distribution marking.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vl_convert as vlc
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from opencen.analytics import charts
from opencen.analytics.filters import AnalyticsFilter
from opencen.analytics.selectors import Table, View

FONTS = Path(__file__).resolve().parent / "fonts"
CHART_WIDTH = 640
PDF_ROWS = 30
PNG_SCALE = 2


@dataclass
class Section:
    """One view of the bulletin: its tables, rendered charts and the analyst's commentary."""

    view: View
    commentary: str
    tables: list[Table]
    svgs: list[str]
    pngs: list[bytes]


@functools.cache
def _fonts_registered() -> bool:
    vlc.register_font_directory(str(FONTS))
    return True


def render_charts(tables: Iterable[Table], flt: AnalyticsFilter) -> tuple[list[str], list[bytes]]:
    """SVG and PNG of each table's chart (maps inline the world shapes)."""
    _fonts_registered()
    svgs, pngs = [], []
    for table in tables:
        spec = charts.spec(table, flt, width=CHART_WIDTH, inline_geo=True)
        svgs.append(vlc.vegalite_to_svg(spec))
        pngs.append(vlc.vegalite_to_png(spec, scale=PNG_SCALE))
    return svgs, pngs


def format_cell(value: Any, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind == "int":
        return f"{int(value):,}"
    if kind in ("num", "pct"):
        number = float(value)
        return f"{number:,.1f}" if abs(number) < 1000 or kind == "pct" else f"{number:,.0f}"
    return str(value)


def table_cells(table: Table, limit: int | None = None) -> list[list[str]]:
    rows = table.rows if limit is None else table.rows[:limit]
    return [[format_cell(row.get(c.key), c.kind) for c in table.columns] for row in rows]


def html(context: dict[str, Any], sections: list[Section]) -> str:
    """The bulletin as one HTML document (inline SVG charts, no external resources)."""
    blocks = [
        {
            "section": s,
            "items": [
                {"table": t, "svg": mark_safe(svg), "cells": table_cells(t)}  # noqa: S308 - vl-convert
                for t, svg in zip(s.tables, s.svgs, strict=True)
            ],
        }
        for s in sections
    ]
    return render_to_string("analytics/report_document.html", {**context, "blocks": blocks})


class _Pdf(FPDF):
    marking = ""
    footer_text = ""

    def header(self) -> None:
        self.set_font("DejaVu", "B", 8)
        self.set_text_color(160, 30, 30)
        self.cell(0, 5, self.marking, align="R", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")


def pdf(context: dict[str, Any], sections: list[Section]) -> bytes:
    """The bulletin as a PDF (A4): title block, introduction, then each section's commentary,
    charts and the first ``PDF_ROWS`` rows of each table."""
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter
    doc = _Pdf(format="A4")
    doc.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    doc.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    doc.marking = context["marking"]
    doc.footer_text = f"opencen · {context['title']}"
    doc.set_title(context["title"])
    doc.set_author(context["owner"])
    doc.set_creator("opencen")
    doc.set_auto_page_break(auto=True, margin=16)
    doc.add_page()
    doc.set_font("DejaVu", "B", 18)
    doc.multi_cell(0, 9, context["title"], new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", "", 10)
    for line in context["facts"]:
        doc.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    doc.set_font("DejaVu", "", 9)
    doc.set_text_color(90, 90, 90)
    doc.multi_cell(0, 4.5, context["scope_note"], new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(0, 0, 0)
    if context["introduction"]:
        doc.ln(3)
        doc.set_font("DejaVu", "", 10.5)
        doc.multi_cell(0, 5.5, context["introduction"], new_x="LMARGIN", new_y="NEXT")
    for section in sections:
        _pdf_section(doc, section)
    out = doc.output()
    return bytes(out)


def _pdf_section(doc: _Pdf, section: Section) -> None:
    doc.add_page()
    doc.set_font("DejaVu", "B", 14)
    doc.multi_cell(0, 8, str(section.view.title), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", "", 9)
    doc.set_text_color(90, 90, 90)
    doc.multi_cell(0, 4.5, str(section.view.summary), new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(0, 0, 0)
    if section.commentary:
        doc.ln(2)
        doc.set_font("DejaVu", "", 10.5)
        doc.multi_cell(0, 5.5, section.commentary, new_x="LMARGIN", new_y="NEXT")
    for table, png in zip(section.tables, section.pngs, strict=True):
        doc.ln(3)
        doc.set_font("DejaVu", "B", 11)
        doc.multi_cell(0, 6, table.title, new_x="LMARGIN", new_y="NEXT")
        if table.rows:
            doc.image(io.BytesIO(png), w=doc.epw)
        _pdf_table(doc, table)


def _pdf_table(doc: _Pdf, table: Table) -> None:
    doc.set_font("DejaVu", "", 7)
    if not table.rows:
        doc.multi_cell(0, 5, _("No case matches."), new_x="LMARGIN", new_y="NEXT")
        return
    doc.ln(2)
    heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    cells = table_cells(table, PDF_ROWS)
    widths = _column_widths(doc, [c.label for c in table.columns], cells)
    with doc.table(
        headings_style=heading,
        line_height=3.6,
        text_align="LEFT",
        borders_layout="HORIZONTAL_LINES",
        padding=0.6,
        col_widths=widths,
    ) as pdf_table:
        pdf_table.row([c.label for c in table.columns])
        for row in cells:
            pdf_table.row(row)
    if len(table.rows) > PDF_ROWS:
        doc.set_font("DejaVu", "", 8)
        doc.multi_cell(
            0,
            4.5,
            _(
                "First %(n)d of %(total)d rows; the HTML version and the CSV "
                "downloads hold them all."
            )
            % {"n": PDF_ROWS, "total": len(table.rows)},
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if table.note:
        doc.set_font("DejaVu", "", 8)
        doc.multi_cell(0, 4.5, table.note, new_x="LMARGIN", new_y="NEXT")


def _column_widths(doc: _Pdf, headings: list[str], cells: list[list[str]]) -> tuple[float, ...]:
    """Column widths (mm): each as wide as its longest value when the page allows; otherwise
    the columns of long text give up width first, down to their longest word, so codes and
    numbers never break."""

    def width(text: str) -> float:
        return float(doc.get_string_width(text)) + 2.0

    needed, minimum = [], []
    for i, heading in enumerate(headings):
        values = [row[i] for row in cells]
        words = [w for v in [*values, heading] for w in v.split()] or [""]
        minimum.append(max(width(w) for w in words))
        needed.append(max([width(v) for v in values] + [minimum[-1]]))
    room = float(doc.epw)
    if sum(needed) <= room:
        return tuple(needed)
    slack = sum(n - m for n, m in zip(needed, minimum, strict=True))
    factor = max(0.0, (room - sum(minimum)) / slack) if slack else 0.0
    return tuple(m + (n - m) * factor for n, m in zip(needed, minimum, strict=True))


def generated_on() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
