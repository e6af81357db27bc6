"""The declaration schema: validation errors name the row and column, loaders agree."""

from __future__ import annotations

import datetime
from pathlib import Path

import polars as pl
import pytest

from opencen.engine.schema import (
    COLUMNS,
    KCS_MAPPING,
    SchemaError,
    load_kcs,
    read_declarations,
    validate,
)

KCS_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "targeting"


def _raw(**overrides: list[str | None]) -> pl.DataFrame:
    data: dict[str, list[str | None]] = {
        "declaration_id": ["a", "b"],
        "date": ["2024-01-02", "2024-01-03"],
        "office": ["O1", "O2"],
        "declarant": ["D1", "D2"],
        "importer": ["I1", "I2"],
        "hs": ["8517120000", "0101"],
        "origin": ["CN", "VN"],
        "net_mass": ["10.5", "3"],
        "value": ["100", "20.25"],
    }
    data.update(overrides)
    return pl.DataFrame(data)


def _issues(frame: pl.DataFrame, **kwargs: bool) -> list[tuple[int | None, str, str]]:
    with pytest.raises(SchemaError) as caught:
        validate(frame, **kwargs)
    return [(i.row, i.column, i.reason) for i in caught.value.issues]


def test_valid_frame_gets_canonical_columns_and_types() -> None:
    frame = validate(_raw(extra=["x", "y"]))
    assert frame.columns[: len(COLUMNS)] == [c.name for c in COLUMNS]
    assert frame.columns[-1] == "extra"
    assert frame["date"].to_list() == [datetime.date(2024, 1, 2), datetime.date(2024, 1, 3)]
    assert frame["value"].to_list() == [100.0, 20.25]
    assert frame["courier"].null_count() == 2


def test_missing_required_column_is_named() -> None:
    assert _issues(_raw().drop("importer")) == [(None, "importer", "missing required column")]


@pytest.mark.parametrize(
    ("column", "values", "row", "reason"),
    [
        ("date", ["2024-01-02", "2024-02-30"], 1, "'2024-02-30' is not a date (YYYY-MM-DD)"),
        ("net_mass", ["ten", "3"], 0, "'ten' is not a number"),
        ("importer_aeo", ["yes", "maybe"], 1, "'maybe' is not true or false"),
        ("hs", ["85x7", "0101"], 0, "'85x7' is not an HS code of 4 to 10 digits"),
        ("origin", ["CN", "China"], 1, "'China' is not ISO 3166 alpha-2"),
        ("value", ["-1", "2"], 0, "-1.0 is negative"),
        ("declaration_id", ["a", "a"], 1, "'a' is a duplicate id"),
        ("importer", ["I1", ""], 1, "None is empty (required)"),
    ],
)
def test_bad_value_is_reported_with_row_and_column(
    column: str, values: list[str | None], row: int, reason: str
) -> None:
    assert (row, column, reason) in _issues(_raw(**{column: values}))


def test_error_message_lists_issues() -> None:
    with pytest.raises(SchemaError, match=r"row 0, column 'net_mass': 'ten' is not a number"):
        validate(_raw(net_mass=["ten", "3"]))


def test_outcome_required_for_history() -> None:
    assert (None, "result", "missing required column") in _issues(_raw(), require_outcome=True)


def test_outcome_names_and_result_date_default() -> None:
    frame = validate(_raw(result=["critical", "no_fraud"], result_date=["2024-01-05", None]))
    assert frame["result"].to_list() == [2, 0]
    assert frame["result_date"].to_list() == [datetime.date(2024, 1, 5), datetime.date(2024, 1, 3)]


def test_result_before_declaration_is_refused() -> None:
    frame = _raw(result=["1", "0"], result_date=["2024-01-01", None])
    assert (0, "result_date", "datetime.date(2024, 1, 1) is before date") in _issues(frame)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_loaders_read_the_same_frame(tmp_path: Path, suffix: str) -> None:
    expected = validate(_raw(result=["1", "0"]))
    path = tmp_path / f"declarations{suffix}"
    if suffix == ".csv":
        _raw(result=["1", "0"]).write_csv(path)
    elif suffix == ".parquet":
        expected.write_parquet(path)
    else:
        expected.write_ndjson(path)
    assert read_declarations(path, require_outcome=True).equals(expected)


def test_loader_rejects_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot tell the format"):
        read_declarations(tmp_path / "x.xlsx")


def test_kcs_mapping_restores_hs_leading_zero() -> None:
    raw = pl.DataFrame(
        {
            "Declaration ID": ["1"], "Date": ["2020-01-01"], "Office ID": ["30"],
            "Declarant ID": ["D"], "Importer ID": ["I"], "HS10 Code": ["101290000"],
            "Country of Origin": ["BE"], "Net Mass": ["1.0"], "Item Price": ["5.0"],
            "Critical Fraud": ["2"], "Fraud": ["1"],
        }
    )  # fmt: skip
    frame = validate(KCS_MAPPING.apply(raw), require_outcome=True)
    assert frame["hs"].item() == "0101290000"
    assert frame["currency"].item() == "KRW"
    assert frame["result"].item() == 2


@pytest.mark.skipif(not KCS_DIR.is_dir(), reason="KCS data not present in ../shared/data")
def test_kcs_files_load() -> None:
    frame = load_kcs(KCS_DIR / "kcs_hs10_2022_valid.csv")
    assert frame.height == 8134
    assert frame["date"].is_sorted()
    assert frame["result"].is_in([0, 1, 2]).all()
