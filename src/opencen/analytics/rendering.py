"""The HTML of a result panel (chart container, specification, sortable table), built once.

A table can have a thousand rows (concealment x transport x area); rendering that through the
template engine on every request would cost more than the analysis.  The panel's HTML is built
here, with every value escaped, when the analysis is computed, and cached with it.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencen.analytics.documents import format_cell
from opencen.analytics.selectors.base import Table

NUMERIC = frozenset({"int", "num", "pct"})
OPEN_TABLE_ROWS = 40


def table_html(table: Table) -> str:
    """A sortable table: raw values in ``data-value``, shown values in the cell."""
    head = "".join(
        f'<th scope="col" data-kind="{c.kind}"><button type="button" class="sort" '
        f'aria-label="{escape(_("Sort by %(label)s") % {"label": c.label})}">'
        f"{escape(c.label)}</button></th>"
        for c in table.columns
    )
    body = []
    for row in table.rows:
        cells = []
        for c in table.columns:
            value = row.get(c.key)
            raw = "" if value is None else escape(value)
            css = ' class="num"' if c.kind in NUMERIC else ""
            if c.kind == "link" and row.get("url"):
                shown = f'<a href="{escape(row["url"])}">{escape(value)}</a>'
            else:
                shown = escape(format_cell(value, c.kind))
            cells.append(f'<td data-value="{raw}"{css}>{shown}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    opened = " open" if len(table.rows) <= OPEN_TABLE_ROWS else ""
    return (
        f'<details class="data-table"{opened}><summary>{escape(_("Table"))}</summary>'
        f'<div class="overflow-auto"><table class="compact striped sortable" '
        f'data-table="{escape(table.key)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div></details>"
    )


def rows_label(table: Table) -> str:
    n = len(table.rows)
    return ngettext("%(n)d row", "%(n)d rows", n) % {"n": n}
