"""Real data: UNODC's individual drug seizures, imported, and the analyses checked against
figures computed straight from the file with a few lines of polars.

One row in ``STEP`` of the 2011-2016 file (a deterministic sample across every year and
seizing country) goes through the importer (``opencen.seizures.unodc``).  Then, for the rows
that became cases, polars counts from the raw CSV: cases per year, cases per means of
transport (the importer's documented TRANSPORT mapping), and the most frequent departure ->
destination pairs of each year; the trends, modus operandi and routes views must give the same
numbers.  Skipped when the shared file is not on this machine.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from opencen.analytics.filters import AnalyticsFilter
from opencen.analytics.scope import scope_of
from opencen.analytics.selectors import VIEWS
from opencen.seizures.choices import Transport
from opencen.seizures.models import Case
from tests.conftest import Cast

ROOT = Path(__file__).resolve().parents[2]
FULL = ROOT.parent / "shared" / "data" / "seizures" / "unodc-ids-drug-seizures-2011-2016.zip"
STEP = 97  # one row in 97: about 3,200 cases
TOP = 5

unodc: Any = pytest.importorskip("opencen.seizures.unodc", reason="the UNODC importer is absent")
pytestmark = [
    pytest.mark.skipif(not FULL.exists(), reason=f"the shared UNODC file is not here: {FULL}"),
    pytest.mark.usefixtures("refdata"),
]


def _import_sample(cast: Cast) -> set[int]:
    """Import every ``STEP``-th row as French Customs; the row numbers that became cases."""
    with unodc.open_rows(FULL) as rows:
        mapped = [unodc.map_row(n, row, distribution="network") for n, row in rows if n % STEP == 0]
    report = unodc.check_import_unodc(
        cast.actor(cast.fr_officer), mapped, submit=True, skip_bad=True
    )
    assert report.created > 3000
    refs = Case.objects.filter(external_ref__startswith=unodc.REF_PREFIX).values_list(
        "external_ref", flat=True
    )
    return {int(r.removeprefix(unodc.REF_PREFIX)) for r in refs}


def _file() -> pl.DataFrame:
    """The raw CSV, every column as text, rows numbered from 1 as the importer numbers them."""
    with zipfile.ZipFile(FULL) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".csv"))
        data = archive.read(name)
    return (
        pl.read_csv(data, separator=";", infer_schema=False)
        .with_row_index("row", offset=1)
        .with_columns(pl.all().exclude("row").fill_null(""))
    )


def _polars_figures(rows: set[int]) -> tuple[Counter[int], Counter[str], dict[int, list[Any]]]:
    cases = (
        _file()
        .filter(pl.col("row").is_in(list(rows)))
        .with_columns(
            year=pl.col("SEIZURE_DATE").str.slice(0, 4).cast(pl.Int32),
            transport=pl.struct("TRANSPORT", "INSTALLATION", "HIDING_PLACE").map_elements(
                lambda r: str(
                    unodc.map_transport(r["TRANSPORT"], r["INSTALLATION"], r["HIDING_PLACE"])
                ),
                return_dtype=pl.String,
            ),
            dep=pl.col("DEPARTURE_COUNTRY").map_elements(
                lambda n: unodc.country_code(n) or "", return_dtype=pl.String
            ),
            dest=pl.col("DESTINATION_COUNTRY").map_elements(
                lambda n: unodc.country_code(n) or "", return_dtype=pl.String
            ),
        )
    )
    years = Counter(dict(cases.group_by("year").len().iter_rows()))
    modes = Counter(dict(cases.group_by("transport").len().iter_rows()))
    pairs = (
        cases.filter((pl.col("dep") != "") | (pl.col("dest") != ""))
        .group_by("year", "dep", "dest")
        .len()
        .sort(["year", "len", "dep", "dest"], descending=[False, True, False, False])
    )
    top = {
        year: [(d, a, n) for _y, d, a, n in part.head(TOP).iter_rows()]
        for (year,), part in pairs.partition_by("year", as_dict=True).items()
    }
    return years, modes, top


def test_the_analyses_reproduce_the_figures_of_the_file(cast: Cast) -> None:
    rows = _import_sample(cast)
    years, modes, top = _polars_figures(rows)
    assert sum(years.values()) == len(rows)
    scope = scope_of(cast.actor(cast.fr_analyst))
    period = AnalyticsFilter(dt.date(2011, 1, 1), dt.date(2016, 12, 1), grain="year")

    trend = VIEWS["trends"].analysis(scope, period, "facts")[0]
    assert {int(r["period"]): r["value"] for r in trend.rows} == dict(years)

    concealment = VIEWS["modus"].analysis(scope, period, "facts")[0]
    by_transport: Counter[str] = Counter()
    labels = {str(label): value for value, label in Transport.choices}
    for row in concealment.rows:
        if row["area_code"] == "":
            by_transport[labels.get(row["transport"], row["transport"])] += row["cases"]
    assert {k: v for k, v in by_transport.items() if v} == {k: v for k, v in modes.items() if v}

    for year, expected in top.items():
        flt = AnalyticsFilter(dt.date(year, 1, 1), dt.date(year, 12, 1), top=TOP)
        routes = VIEWS["routes"].analysis(scope, flt, "facts")[0]
        got: dict[tuple[str, str], int] = {}
        for row in routes.rows:
            got[(row["departure"], row["destination"])] = row["route_cases"]
        assert sorted(got.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP] == [
            ((d, a), n) for d, a, n in expected
        ], year
        assert VIEWS["routes"].analysis(scope, flt, "cases")[0].rows == routes.rows
