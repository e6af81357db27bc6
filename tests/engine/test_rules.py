"""The risk-profile language: every operator, every error, and polars == row-by-row."""

from __future__ import annotations

import datetime
import pickle

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opencen.engine.rules import ProfileSet, RiskProfile, RuleError, compile_rule, parse
from opencen.engine.selection import Lane

ROWS = pl.DataFrame(
    {
        "hs": ["8517120000", "8471300000", None, "0101290000"],
        "origin": ["XX", "YY", "XX", None],
        "importer": ["acme", "bolt", "acme", "dune"],
        "description": ["mobile phones", "laptops", None, "live horses"],
        "value": [100.0, 50.0, 30.0, None],
        "net_mass": [10.0, 0.0, 3.0, 2.0],
        "unit_value": [1.0, 10.0, None, 4.0],
        "median_unit_value": [5.0, 5.0, 5.0, 5.0],
        "tax_rate": [8.0, 0.0, 8.0, 5.0],
        "importer_aeo": [True, False, None, False],
    }
)
LISTS = {"watch": ["bolt", "dune"], "hs_watch": ["8517", "0101"], "numbers": [1.0, 2.0]}


def _both(source: str) -> list[bool]:
    """Evaluate with polars and with the row-by-row reference; they must agree."""
    rule = compile_rule(source, lists=LISTS)
    vectorised = ROWS.select(rule.expr).to_series().to_list()
    row_by_row = [rule.evaluate(row) for row in ROWS.iter_rows(named=True)]
    assert vectorised == row_by_row, source
    return vectorised


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # comparisons, numbers and strings
        ("value = 100", [True, False, False, False]),
        ("value == 100", [True, False, False, False]),
        ("value != 100", [False, True, True, False]),
        ("value < 50", [False, False, True, False]),
        ("value <= 50", [False, True, True, False]),
        ("value > 50", [True, False, False, False]),
        ("value >= 50", [True, True, False, False]),
        ('origin = "XX"', [True, False, True, False]),
        ("origin < 'YY'", [True, False, True, False]),
        ("importer_aeo = true", [True, False, False, False]),
        ("importer_aeo != false", [True, False, False, False]),
        ("importer_aeo", [True, False, False, False]),
        # membership, literal tuples and named lists
        ('origin in ("XX", "ZZ")', [True, False, True, False]),
        ('origin not in ("XX",)', [False, True, False, False]),
        ("importer in list 'watch'", [False, True, False, True]),
        ('importer not in list "watch"', [True, False, True, False]),
        ("tax_rate in (8, 5)", [True, False, True, True]),
        ("tax_rate in (-1, 0.0)", [False, True, False, False]),
        # string matching
        ('hs startswith "85"', [True, False, False, False]),
        ('hs startswith ("8517", "0101")', [True, False, False, True]),
        ('hs startswith list "hs_watch"', [True, False, False, True]),
        ('description contains "phone"', [True, False, False, False]),
        ('description contains ("horse", "lap")', [False, True, False, True]),
        ("hs startswith (hs)", [True, True, False, True]),
        # logic (Kleene: unknown and false is false, unknown or true is true)
        ('origin = "XX" and value > 50', [True, False, False, False]),
        ('origin = "XX" or value > 60', [True, False, True, False]),
        ('not origin = "XX"', [False, True, False, False]),
        ('not (origin = "XX" or importer = "bolt")', [False, False, False, False]),
        ('value > 1000 and origin = "XX"', [False, False, False, False]),
        ('value > 10 or importer = "dune"', [True, True, True, True]),
        # arithmetic and precedence
        ("value / net_mass > 9", [True, False, True, False]),
        ("value - 20 * 2 = 60", [True, False, False, False]),
        ("(value - 20) * 2 = 160", [True, False, False, False]),
        ("-value < -60", [True, False, False, False]),
        ("value + 1 > 100.5", [True, False, False, False]),
        ("1e2 = value", [True, False, False, False]),
        ("unit_value < 0.3 * median_unit_value", [True, False, False, False]),
        ("value / net_mass >= 0", [True, False, True, False]),  # x / 0 is unknown
        ('hs startswith "8517" and origin in ("XX","YY") and unit_value < 0.3 * median_unit_value',
         [True, False, False, False]),
        ('origin = "XX" AND NOT value > 50', [False, False, True, False]),  # keywords: any case
    ],
)  # fmt: skip
def test_operator(source: str, expected: list[bool]) -> None:
    assert _both(source) == expected


@pytest.mark.parametrize(
    ("source", "position", "reason"),
    [
        ("", 1, "empty expression"),
        ("value >", 8, "expected a value, a column name or '(', found end of expression"),
        ("value > 1 )", 11, "expected an operator or the end of the expression, found ')'"),
        ("(value > 1", 11, "expected ')', found end of expression"),
        ("value ! 1", 7, "unexpected character '!'"),
        ('origin = "XX', 10, "unterminated string"),
        (r'origin = "\n"', 11, "unknown escape \\n"),
        ('origin in ("XX" "YY")', 17, "expected ',' or ')', found '\"YY\"'"),
        ("origin in XX", 11, "expected '(' or 'list', found 'XX'"),
        ("origin in list watch", 16, "expected a list name in quotes after 'list'"),
        ("origin in (value)", 12, "expected a number or a string, found 'value'"),
        ("origin not XX", 12, "expected 'in' after 'not', found 'XX'"),
        ("value < 1 < 2", 11, "comparisons cannot be chained; use 'and'"),
        ("valeu > 1", 1, "unknown column 'valeu'; did you mean 'value'?"),
        ("importer in list 'nope'", 18, "unknown list 'nope' (known: hs_watch, numbers, watch)"),
        ("importer in list 'numbers'", 18, "list 'numbers' holds numbers, 'in' needs strings"),
        ("value in ('a')", 11, "'in' needs numbers here, not a string"),
        ("importer_aeo in (1)", 14, "'in' does not apply to booleans"),
        ('value = "100"', 7, "cannot compare a number with a string"),
        ("importer_aeo < true", 14, "'<' does not apply to booleans"),
        ('value + "x" > 1', 7, "'+' needs a number, not a string"),
        ("-origin = 1", 1, "unary '-' needs a number, not a string"),
        ("not value", 1, "'not' needs a boolean, not a number"),
        ("value and importer_aeo", 7, "'and' needs a boolean, not a number"),
        ("value startswith '1'", 7, "'startswith' needs a string, not a number"),
        ("hs contains 85", 4, "'contains' needs a string, not a number"),
        ("value * 2", 1, "a rule must be true or false, this is a number"),
    ],
)
def test_error_has_position_and_reason(source: str, position: int, reason: str) -> None:
    with pytest.raises(RuleError) as caught:
        compile_rule(source, lists=LISTS)
    assert caught.value.position == position
    assert caught.value.reason.startswith(reason)
    assert f"column {position}: " in str(caught.value)


def test_parse_never_evaluates_python() -> None:
    with pytest.raises(RuleError):
        parse("__import__('os').system('true')")


def test_rule_records_what_it_reads() -> None:
    rule = compile_rule("importer in list 'watch' and value > 1", lists=LISTS)
    assert rule.columns == {"importer", "value"}
    assert rule.lists == {"watch"}


_value = st.one_of(st.none(), st.floats(-5, 5, allow_nan=False), st.sampled_from([0.0, 1.0]))
_text = st.one_of(st.none(), st.sampled_from(["8517", "85", "0101", "XX", "acme", ""]))
EXPRESSIONS = (
    "value / net_mass > tax_rate or not hs startswith '85'",
    "(value - tax_rate) * 2 <= net_mass and origin in ('XX', 'acme')",
    "not (importer_aeo or hs contains origin) or value = 0",
    "importer not in list 'watch' and -value < net_mass / tax_rate",
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(_value, _value, _value, _text, _text, _text, st.one_of(st.none(), st.booleans())),
        min_size=1,
        max_size=12,
    )
)
def test_vectorised_and_row_by_row_agree(rows: list[tuple[object, ...]]) -> None:
    names = ["value", "net_mass", "tax_rate", "hs", "origin", "importer", "importer_aeo"]
    schema = dict.fromkeys(names[:3], pl.Float64) | dict.fromkeys(names[3:6], pl.String)
    frame = pl.DataFrame(rows, schema=schema | {"importer_aeo": pl.Boolean}, orient="row")
    for source in EXPRESSIONS:
        rule = compile_rule(source, lists=LISTS)
        expected = [rule.evaluate(row) for row in frame.iter_rows(named=True)]
        assert frame.select(rule.expr).to_series().to_list() == expected, source


def test_profiles_apply_within_their_validity_period() -> None:
    frame = ROWS.with_columns(
        pl.Series("date", [datetime.date(2024, 1, d) for d in (1, 10, 20, 31)])
    )
    profiles = ProfileSet(
        [
            RiskProfile("all", "value > 0 or value <= 0", Lane.YELLOW),
            RiskProfile(
                "january-mid", 'importer in list "acmes"', Lane.RED, weight=2.0,
                lists={"acmes": ["acme"]},
                valid_from=datetime.date(2024, 1, 10), valid_until=datetime.date(2024, 1, 20),
            ),
        ]
    )  # fmt: skip
    matches = profiles.matches(frame)
    assert matches["all"].to_list() == [True, True, True, False]
    assert matches["january-mid"].to_list() == [False, False, True, False]
    assert [profiles.matches_row(r) for r in frame.iter_rows(named=True)] == [
        ["all"],
        ["all"],
        ["all", "january-mid"],
        [],
    ]


def test_profile_set_refuses_duplicates_and_bad_rules() -> None:
    with pytest.raises(ValueError, match="duplicate profile ids: a"):
        ProfileSet([RiskProfile("a", "value > 1", Lane.RED)] * 2)
    with pytest.raises(RuleError, match="unknown column"):
        ProfileSet([RiskProfile("a", "nothing > 1", Lane.RED)])


def test_profile_set_pickles_by_source() -> None:
    profiles = ProfileSet([RiskProfile("w", "importer in list 'w'", Lane.RED, lists={"w": ["a"]})])
    restored = pickle.loads(pickle.dumps(profiles))  # noqa: S301 - our own object
    assert restored.matches(ROWS).equals(profiles.matches(ROWS))
