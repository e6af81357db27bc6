"""Reading release files, line by line."""

from __future__ import annotations

import io
import zipfile

import pytest

from opencen.reference.parsing import (
    decode,
    edition_from_name,
    parse_coordinates,
    read_cites,
    read_unlocode,
    release_members,
)
from tests.reference.conftest import SAMPLE_CITES, SAMPLE_NAME, SAMPLE_UNLOCODE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5155N 00430E", (51.91667, 4.5)),
        ("0403S 03940E", (-4.05, 39.66667)),
        ("4042N 07400W", (40.7, -74.0)),
        ("26.8128N 89.1903E", (26.8128, 89.1903)),
        ("", None),
        ("5484N 00636W", None),  # 84 minutes: an error in the official file
        ("2444N 05045", None),
    ],
)
def test_coordinates(text: str, expected: tuple[float, float] | None) -> None:
    assert parse_coordinates(text) == expected


def test_release_file_rows_functions_and_duplicates() -> None:
    rows, errors, warnings = read_unlocode(decode(SAMPLE_UNLOCODE), SAMPLE_NAME)
    assert errors == []
    by_code = {r.code: r for r in rows}
    # country headers and the alias row are skipped; the bilingual code is one row
    assert sorted(by_code) == [
        "BEBRU",
        "FRPAR",
        "FRSET",
        "FRZZZ",
        "KEMBA",
        "NLHRL",
        "NLRTM",
        "XZAAD",
    ]
    assert by_code["BEBRU"].other_names == ["Brussel (Bruxelles)"]
    assert by_code["FRSET"].name == "Sète"  # Latin-1 decoded
    rtm = by_code["NLRTM"].flags()
    assert rtm["is_seaport"] and rtm["is_rail"] and rtm["is_road"] and rtm["is_airport"]
    assert rtm["is_postal"] and not rtm["is_border_crossing"]
    assert by_code["NLHRL"].flags()["is_border_crossing"]
    assert by_code["FRZZZ"].latitude is None
    assert [w.line for w in warnings] == [7]


def test_structural_errors_name_the_line() -> None:
    text = ',"NL","RTM","Rotterdam"\n,"N1","RTM","Rotterdam","Rotterdam",,"1-------","AI",,,,\n'
    rows, errors, _ = read_unlocode(text, "bad.csv")
    assert rows == []
    assert [(e.line, e.reason) for e in errors] == [
        (1, "expected 12 columns"),
        (2, "country code 'N1' is not 2 letters"),
    ]


def test_datasets_layout_with_header() -> None:
    text = (
        "Change,Country,Location,Name,NameWoDiacritics,Subdivision,Status,Function,Date,IATA,"
        "Coordinates,Remarks\n"
        ",NL,RTM,Rotterdam,Rotterdam,ZH,AF,12345---,0501,,5155N 00430E,\n"
    )
    rows, errors, _ = read_unlocode(text, "code-list.csv")
    assert errors == []
    assert rows[0].status == "AF"
    assert rows[0].functions == "12345---"


def test_edition_and_zip_members() -> None:
    assert edition_from_name("2024-2 UNLOCODE CodeListPart3.csv") == "2024-2"
    assert edition_from_name("code-list.csv") == ""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("loc242csv/2024-2 UNLOCODE CodeListPart1.csv", SAMPLE_UNLOCODE)
        archive.writestr("loc242csv/2024-2 SubdivisionCodes.csv", "x")
        archive.writestr("loc242csv/2024-2 UNLOCODE SecretariatNotes.pdf", "x")
    members = release_members("loc242csv.zip", buffer.getvalue())
    assert [name for name, _ in members] == ["2024-2 UNLOCODE CodeListPart1.csv"]


def test_cites_export() -> None:
    rows, errors = read_cites(SAMPLE_CITES, "tiny.csv")
    assert errors == []
    elephant = rows[0]
    assert elephant.appendix == "I/II"
    assert elephant.common_names.splitlines() == [
        "African Elephant",
        "African Savannah Elephant",
        "Eléphant africain",
    ]
    assert rows[3].appendix == ""  # Species+ gives no listing for a few taxa


def test_cites_export_errors() -> None:
    _, errors = read_cites("Name,Kingdom\nX,Animalia\n", "wrong.csv")
    assert "missing column" in errors[0].reason
    text = "TaxonId,FullName,CurrentListing\n1,Aa,IV\n2,,II\n1,Bb,II\n"
    _, errors = read_cites(text, "bad.csv")
    assert [e.line for e in errors] == [2, 3, 4]
