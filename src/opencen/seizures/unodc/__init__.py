"""The UNODC Individual Drug Seizures (IDS) file, 2011-2016: read, map to cases, count, import.

The file (``drug-trafficking-unodc.csv``, ``;``-separated, usually inside a zip) has one
reported seizure per row.  ``read_mapped`` streams it and maps every row to one ``CaseIn``
(one drugs goods line, a route from the departure to the destination country); rows that
cannot be mapped carry their (row, column, reason) problems instead.  ``Figures`` counts the
mapped rows the way the data's README does, without the database, and ``check_import_unodc``
validates everything with the ordinary services and then stores it in one transaction, or
nothing.  The mapping is documented, table by table, in ``docs/seizures-unodc.md``.

- ``mapping``: the vocabularies (countries, transports, hiding places, installations,
  routing, drug names);
- ``units``: units, quantities and the form of the drug;
- ``reader``: streaming the zip or CSV, one row to one ``CaseIn``;
- ``figures``: the README's figures, without the database;
- ``importer``: validation, storing and the report of refused rows.
"""

from __future__ import annotations

from opencen.seizures.unodc.figures import (
    README_BY_TRANSPORT,
    README_BY_YEAR,
    README_KG_BY_YEAR,
    Figures,
    compare_with_readme,
)
from opencen.seizures.unodc.importer import check_import_unodc
from opencen.seizures.unodc.mapping import (
    CONCEALMENTS,
    COUNTRY_ALIASES,
    LOCATION_TYPES,
    ROUTINGS,
    SUBSTANCE_PATTERNS,
    SUBSTANCES,
    TRANSPORTS,
    country_code,
    map_concealment,
    map_location_type,
    map_routing,
    map_substance,
    map_transport,
)
from opencen.seizures.unodc.reader import (
    COLUMNS,
    CSV_NAME,
    GATE_SAFE_SPELLINGS,
    REF_PREFIX,
    UnodcFileError,
    map_row,
    open_rows,
    read_mapped,
)
from opencen.seizures.unodc.units import (
    COUNT_FORMS,
    FORM_BY_NAME,
    FORM_BY_UNIT,
    SMALLER,
    UNITS,
    UnitMap,
    map_form,
    map_unit,
    parse_amount,
    scale_quantity,
)

# Rows per query batch and per progress call, for reading and importing alike.  The modules
# read it here when called (``reader.chunk_size``), so setting it on the package takes effect.
CHUNK = 10_000

__all__ = [
    "CHUNK",
    "COLUMNS",
    "CONCEALMENTS",
    "COUNTRY_ALIASES",
    "COUNT_FORMS",
    "CSV_NAME",
    "FORM_BY_NAME",
    "FORM_BY_UNIT",
    "GATE_SAFE_SPELLINGS",
    "LOCATION_TYPES",
    "README_BY_TRANSPORT",
    "README_BY_YEAR",
    "README_KG_BY_YEAR",
    "REF_PREFIX",
    "ROUTINGS",
    "SMALLER",
    "SUBSTANCES",
    "SUBSTANCE_PATTERNS",
    "TRANSPORTS",
    "UNITS",
    "Figures",
    "UnitMap",
    "UnodcFileError",
    "check_import_unodc",
    "compare_with_readme",
    "country_code",
    "map_concealment",
    "map_form",
    "map_location_type",
    "map_routing",
    "map_row",
    "map_substance",
    "map_transport",
    "map_unit",
    "open_rows",
    "parse_amount",
    "read_mapped",
    "scale_quantity",
]
