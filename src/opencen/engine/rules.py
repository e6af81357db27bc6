"""Risk profiles: a small, safe expression language compiled to polars expressions.

Grammar (keywords are case-insensitive, ``=`` and ``==`` are the same operator)::

    expression  := or_expr
    or_expr     := and_expr ("or" and_expr)*
    and_expr    := not_expr ("and" not_expr)*
    not_expr    := "not" not_expr | predicate
    predicate   := sum [ compare_op sum
                       | ["not"] "in" (tuple | "list" STRING)
                       | ("startswith" | "contains") (sum | tuple | "list" STRING) ]
    sum         := product (("+" | "-") product)*
    product     := unary (("*" | "/") unary)*
    unary       := "-" unary | atom
    atom        := NUMBER | STRING | "true" | "false" | IDENTIFIER | "(" expression ")"
    tuple       := "(" literal ("," literal)* [","] ")"

The source is tokenized and parsed by recursive descent into an immutable syntax tree, which is
type-checked (number, string, boolean) against the columns the rule may use, then compiled.
Nothing is ever passed to ``eval``. Every error is a :class:`RuleError` carrying the 1-based
column of the offending token and the reason.

Semantics are SQL's three-valued logic: a missing value makes comparisons and arithmetic unknown
(``null``), ``and``/``or``/``not`` follow Kleene logic, division by zero is unknown, and a
declaration matches only when the whole expression is *true*. :meth:`CompiledRule.evaluate` is a
row-by-row reference implementation with exactly the same semantics.
"""

from __future__ import annotations

import datetime
import difflib
import enum
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import polars as pl

from opencen.engine.selection import Lane

__all__ = [
    "DEFAULT_RULE_COLUMNS",
    "CompiledRule",
    "ProfileSet",
    "RiskProfile",
    "RuleError",
    "ValueType",
    "compile_rule",
    "parse",
]

Scalar = str | float | bool


class ValueType(enum.Enum):
    """Static type of an expression."""

    NUMBER = "number"
    STRING = "string"
    BOOLEAN = "boolean"


_N, _S, _B = ValueType.NUMBER, ValueType.STRING, ValueType.BOOLEAN

DEFAULT_RULE_COLUMNS: Final[Mapping[str, ValueType]] = {
    **dict.fromkeys(
        [
            "declaration_id",
            "office",
            "procedure",
            "transport_mode",
            "declarant",
            "importer",
            "seller",
            "courier",
            "hs",
            "hs4",
            "hs6",
            "origin",
            "departure",
            "tax_type",
            "currency",
            "description",
        ],
        _S,
    ),
    **dict.fromkeys(
        [
            "tax_rate",
            "net_mass",
            "value",
            "unit_value",
            "median_unit_value",
            "unit_value_ratio",
            "unit_value_z",
            "score",
        ],
        _N,
    ),
    **dict.fromkeys(["declarant_aeo", "importer_aeo", "seller_aeo"], _B),
}
"""Columns a rule may name by default: the schema, derived key columns, unit-value features and
the model ``score`` (when profiles run after the model)."""


class RuleError(ValueError):
    """A rule that does not tokenize, parse or type-check; ``position`` is 1-based."""

    def __init__(self, source: str, position: int, reason: str) -> None:
        self.source = source
        self.position = position
        self.reason = reason
        caret = " " * (position - 1) + "^"
        super().__init__(f"column {position}: {reason}\n  {source}\n  {caret}")


# --------------------------------------------------------------------------------------------
# Tokens


class _Kind(enum.Enum):
    NUMBER = "number"
    STRING = "string"
    NAME = "name"
    KEYWORD = "keyword"
    OP = "operator"
    END = "end of expression"


_KEYWORDS: Final = frozenset(
    {"and", "or", "not", "in", "list", "startswith", "contains", "true", "false"}
)
_TOKEN_RE: Final = re.compile(
    r"""(?P<space>\s+)
      |(?P<number>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
      |(?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
      |(?P<op>==|!=|<=|>=|[=<>+\-*/(),])""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: _Kind
    text: str
    position: int  # 1-based column of the first character
    value: Scalar | None = None


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    while index < len(source):
        match = _TOKEN_RE.match(source, index)
        if match is None:
            char = source[index]
            if char in "\"'":
                raise RuleError(source, index + 1, "unterminated string")
            raise RuleError(source, index + 1, f"unexpected character {char!r}")
        kind, text = match.lastgroup, match.group()
        position = index + 1
        index = match.end()
        if kind == "number":
            tokens.append(_Token(_Kind.NUMBER, text, position, float(text)))
        elif kind == "string":
            tokens.append(_Token(_Kind.STRING, text, position, _unescape(source, text, position)))
        elif kind == "name":
            lowered = text.lower()
            if lowered in _KEYWORDS:
                tokens.append(_Token(_Kind.KEYWORD, lowered, position))
            else:
                tokens.append(_Token(_Kind.NAME, text, position))
        elif kind == "op":
            tokens.append(_Token(_Kind.OP, "=" if text == "==" else text, position))
    tokens.append(_Token(_Kind.END, "", len(source) + 1))
    return tokens


def _unescape(source: str, text: str, position: int) -> str:
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        if body[i] == "\\":
            nxt = body[i + 1]
            if nxt not in "\\\"'":
                raise RuleError(source, position + i + 1, f"unknown escape \\{nxt}")
            out.append(nxt)
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Syntax tree


@dataclass(frozen=True)
class Literal:
    """A number, string or boolean constant."""

    value: Scalar
    position: int


@dataclass(frozen=True)
class Name:
    """A reference to a column."""

    name: str
    position: int


@dataclass(frozen=True)
class Unary:
    """``not x`` or ``-x``."""

    op: str
    operand: Node
    position: int


@dataclass(frozen=True)
class Binary:
    """Arithmetic, comparison, ``and``/``or``, ``startswith`` and ``contains``."""

    op: str
    left: Node
    right: Node
    position: int


@dataclass(frozen=True)
class ListRef:
    """``list "name"``: a named watch list resolved at compile time."""

    name: str
    position: int


@dataclass(frozen=True)
class Options:
    """A set of alternatives: a literal tuple or a named list (right side of in/startswith)."""

    items: tuple[Literal, ...] | ListRef
    position: int


@dataclass(frozen=True)
class Membership:
    """``x in (...)`` / ``x not in list "name"``; ``x startswith/contains`` over several."""

    op: str  # "in", "startswith" or "contains"
    operand: Node
    options: Options
    negated: bool
    position: int


Node = Literal | Name | Unary | Binary | Membership

_COMPARISONS: Final = frozenset({"=", "!=", "<", "<=", ">", ">="})


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = _tokenize(source)
        self.index = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def _advance(self) -> _Token:
        token = self.current
        self.index += 1
        return token

    def _accept(self, kind: _Kind, text: str | None = None) -> _Token | None:
        token = self.current
        if token.kind == kind and (text is None or token.text == text):
            self.index += 1
            return token
        return None

    def _expect(self, kind: _Kind, text: str, what: str) -> _Token:
        token = self._accept(kind, text)
        if token is None:
            raise self._error(f"expected {what}")
        return token

    def _error(self, reason: str, token: _Token | None = None) -> RuleError:
        token = token or self.current
        found = token.kind.value if token.kind == _Kind.END else repr(token.text)
        return RuleError(self.source, token.position, f"{reason}, found {found}")

    def parse(self) -> Node:
        if self.current.kind == _Kind.END:
            raise RuleError(self.source, 1, "empty expression")
        node = self._or()
        if self.current.kind != _Kind.END:
            raise self._error("expected an operator or the end of the expression")
        return node

    def _or(self) -> Node:
        node = self._and()
        while token := self._accept(_Kind.KEYWORD, "or"):
            node = Binary("or", node, self._and(), token.position)
        return node

    def _and(self) -> Node:
        node = self._not()
        while token := self._accept(_Kind.KEYWORD, "and"):
            node = Binary("and", node, self._not(), token.position)
        return node

    def _not(self) -> Node:
        if token := self._accept(_Kind.KEYWORD, "not"):
            return Unary("not", self._not(), token.position)
        return self._predicate()

    def _predicate(self) -> Node:
        left = self._sum()
        token = self.current
        if token.kind == _Kind.OP and token.text in _COMPARISONS:
            self._advance()
            node: Node = Binary(token.text, left, self._sum(), token.position)
        elif token.kind == _Kind.KEYWORD and token.text in ("in", "not"):
            self._advance()
            negated = token.text == "not"
            if negated:
                self._expect(_Kind.KEYWORD, "in", "'in' after 'not'")
            node = Membership("in", left, self._options(), negated, token.position)
        elif token.kind == _Kind.KEYWORD and token.text in ("startswith", "contains"):
            self._advance()
            names_list = self.current.kind == _Kind.KEYWORD and self.current.text == "list"
            if names_list or self._looks_like_tuple():
                node = Membership(token.text, left, self._options(), False, token.position)
            else:
                node = Binary(token.text, left, self._sum(), token.position)
        else:
            return left
        nxt = self.current
        if (nxt.kind == _Kind.OP and nxt.text in _COMPARISONS) or (
            nxt.kind == _Kind.KEYWORD and nxt.text in ("in", "startswith", "contains")
        ):
            raise RuleError(self.source, nxt.position, "comparisons cannot be chained; use 'and'")
        return node

    def _looks_like_tuple(self) -> bool:
        """``(`` literal ``,`` starts a tuple; ``(`` anything else starts a sub-expression."""
        a, b, c = (self.tokens[min(self.index + k, len(self.tokens) - 1)] for k in range(3))
        literal = b.kind in (_Kind.STRING, _Kind.NUMBER)
        return a.text == "(" and literal and c.kind == _Kind.OP and c.text in (",", ")")

    def _options(self) -> Options:
        start = self.current
        if self._accept(_Kind.KEYWORD, "list"):
            name = self._accept(_Kind.STRING)
            if name is None:
                raise self._error("expected a list name in quotes after 'list', e.g. list \"x\"")
            return Options(ListRef(str(name.value), name.position), start.position)
        if not self._accept(_Kind.OP, "("):
            raise self._error("expected '(' or 'list'")
        items: list[Literal] = []
        while True:
            items.append(self._literal())
            if self._accept(_Kind.OP, ")"):
                break
            self._expect(_Kind.OP, ",", "',' or ')'")
            if self._accept(_Kind.OP, ")"):
                break
        return Options(tuple(items), start.position)

    def _literal(self) -> Literal:
        negative = self._accept(_Kind.OP, "-")
        token = self.current
        if token.kind == _Kind.NUMBER:
            self._advance()
            value = float(token.value or 0.0)
            return Literal(-value if negative else value, (negative or token).position)
        if token.kind == _Kind.STRING and not negative:
            self._advance()
            return Literal(str(token.value), token.position)
        raise self._error("expected a number or a string")

    def _sum(self) -> Node:
        node = self._product()
        while (token := self.current).kind == _Kind.OP and token.text in ("+", "-"):
            self._advance()
            node = Binary(token.text, node, self._product(), token.position)
        return node

    def _product(self) -> Node:
        node = self._unary()
        while (token := self.current).kind == _Kind.OP and token.text in ("*", "/"):
            self._advance()
            node = Binary(token.text, node, self._unary(), token.position)
        return node

    def _unary(self) -> Node:
        if token := self._accept(_Kind.OP, "-"):
            return Unary("-", self._unary(), token.position)
        return self._atom()

    def _atom(self) -> Node:
        token = self.current
        if token.kind in (_Kind.NUMBER, _Kind.STRING):
            self._advance()
            assert token.value is not None
            return Literal(token.value, token.position)
        if token.kind == _Kind.KEYWORD and token.text in ("true", "false"):
            self._advance()
            return Literal(token.text == "true", token.position)
        if token.kind == _Kind.NAME:
            self._advance()
            return Name(token.text, token.position)
        if self._accept(_Kind.OP, "("):
            node = self._or()
            self._expect(_Kind.OP, ")", "')'")
            return node
        raise self._error("expected a value, a column name or '('")


def parse(source: str) -> Node:
    """Parse ``source`` into a syntax tree; raise :class:`RuleError` on a syntax error."""
    return _Parser(source).parse()


# --------------------------------------------------------------------------------------------
# Type checking and compilation

RowFunction = Callable[[Mapping[str, Any]], Any]

_ARITHMETIC: Final[Mapping[str, Callable[[float, float], float]]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
_COMPARE: Final[Mapping[str, Callable[[Any, Any], bool]]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

_EXPR_ARITHMETIC: Final[Mapping[str, Callable[[pl.Expr, pl.Expr], pl.Expr]]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": lambda a, b: pl.when(b != 0).then(a / b),  # x / 0 is unknown, not inf
}
_EXPR_COMPARE: Final[Mapping[str, Callable[[pl.Expr, pl.Expr], pl.Expr]]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _type_of(value: Scalar) -> ValueType:
    if isinstance(value, bool):
        return _B
    return _S if isinstance(value, str) else _N


@dataclass(frozen=True)
class _Compiled:
    type: ValueType
    expr: pl.Expr
    row: RowFunction


def _total_order(value: Any) -> tuple[int, Any]:
    """Sort key giving polars' float order: NaN above every number and equal to itself."""
    return (1, 0.0) if value != value else (0, value)


def _starts_with_any(expr: pl.Expr, patterns: Sequence[str]) -> list[pl.Expr]:
    """``expr`` starts with one of ``patterns``: one test per prefix length, not per prefix.

    A string starts with a prefix of ``k`` characters exactly when its first ``k`` characters
    are that prefix, so a watch list of many prefixes costs one slice and one hash lookup per
    distinct length. Few prefixes keep plain ``starts_with`` tests. Nulls stay null.
    """
    if len(patterns) <= 2:
        return [expr.str.starts_with(p) for p in patterns]
    by_length: dict[int, list[str]] = {}
    for pattern in patterns:
        by_length.setdefault(len(pattern), []).append(pattern)
    return [expr.str.slice(0, k).is_in(group) for k, group in sorted(by_length.items())]


def _kleene_not(value: bool | None) -> bool | None:
    return None if value is None else not value


def _kleene_and(left: bool | None, right: bool | None) -> bool | None:
    if left is False or right is False:
        return False
    return None if left is None or right is None else True


def _kleene_or(left: bool | None, right: bool | None) -> bool | None:
    if left is True or right is True:
        return True
    return None if left is None or right is None else False


class _Compiler:
    def __init__(
        self, source: str, columns: Mapping[str, ValueType], lists: Mapping[str, Sequence[Scalar]]
    ) -> None:
        self.source = source
        self.columns = columns
        self.lists = lists
        self.used: set[str] = set()
        self.used_lists: set[str] = set()

    def error(self, position: int, reason: str) -> RuleError:
        return RuleError(self.source, position, reason)

    def compile(self, node: Node) -> _Compiled:
        if isinstance(node, Literal):
            value = node.value
            return _Compiled(_type_of(value), pl.lit(value), lambda row: value)
        if isinstance(node, Name):
            return self._name(node)
        if isinstance(node, Unary):
            return self._unary(node)
        if isinstance(node, Binary):
            return self._binary(node)
        return self._membership(node)

    def _name(self, node: Name) -> _Compiled:
        if node.name not in self.columns:
            close = difflib.get_close_matches(node.name, list(self.columns), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise self.error(node.position, f"unknown column {node.name!r}{hint}")
        self.used.add(node.name)
        name = node.name
        return _Compiled(self.columns[name], pl.col(name), lambda row: row.get(name))

    def _expect(self, compiled: _Compiled, wanted: ValueType, position: int, what: str) -> None:
        if compiled.type != wanted:
            raise self.error(
                position, f"{what} needs a {wanted.value}, not a {compiled.type.value}"
            )

    def _unary(self, node: Unary) -> _Compiled:
        operand = self.compile(node.operand)
        if node.op == "not":
            self._expect(operand, _B, node.position, "'not'")
            f = operand.row
            return _Compiled(_B, ~operand.expr, lambda row: _kleene_not(f(row)))
        self._expect(operand, _N, node.position, "unary '-'")
        g = operand.row
        return _Compiled(_N, -operand.expr, lambda row: None if (v := g(row)) is None else -v)

    def _binary(self, node: Binary) -> _Compiled:
        left, right = self.compile(node.left), self.compile(node.right)
        lf, rf, op = left.row, right.row, node.op
        if op in ("and", "or"):
            self._expect(left, _B, node.position, f"'{op}'")
            self._expect(right, _B, node.position, f"'{op}'")
            kleene = _kleene_and if op == "and" else _kleene_or
            expr = left.expr & right.expr if op == "and" else left.expr | right.expr
            return _Compiled(_B, expr, lambda row: kleene(lf(row), rf(row)))
        if op in _ARITHMETIC:
            self._expect(left, _N, node.position, f"'{op}'")
            self._expect(right, _N, node.position, f"'{op}'")
            arith = _ARITHMETIC[op]
            expr = _EXPR_ARITHMETIC[op](left.expr, right.expr)

            def arithmetic(row: Mapping[str, Any]) -> float | None:
                a, b = lf(row), rf(row)
                if a is None or b is None or (op == "/" and b == 0):
                    return None
                return arith(a, b)

            return _Compiled(_N, expr, arithmetic)
        if op in _COMPARE:
            if left.type != right.type:
                raise self.error(
                    node.position,
                    f"cannot compare a {left.type.value} with a {right.type.value}",
                )
            if left.type == _B and op not in ("=", "!="):
                raise self.error(node.position, f"'{op}' does not apply to booleans")
            compare = _COMPARE[op]

            def comparison(row: Mapping[str, Any]) -> bool | None:
                a, b = lf(row), rf(row)
                if a is None or b is None:
                    return None
                if a != a or b != b:  # NaN: polars orders it above every number, equal to itself
                    return compare(_total_order(a), _total_order(b))
                return compare(a, b)

            return _Compiled(_B, _EXPR_COMPARE[op](left.expr, right.expr), comparison)
        # startswith / contains against one string expression
        self._expect(left, _S, node.position, f"'{op}'")
        self._expect(right, _S, node.position, f"'{op}'")
        if op == "startswith":
            expr = left.expr.str.starts_with(right.expr)
        else:
            expr = left.expr.str.contains(right.expr, literal=True)

        def match(row: Mapping[str, Any]) -> bool | None:
            a, b = lf(row), rf(row)
            if a is None or b is None:
                return None
            return bool(a.startswith(b) if op == "startswith" else b in a)

        return _Compiled(_B, expr, match)

    def _options(self, options: Options, wanted: ValueType, op: str) -> list[Scalar]:
        if isinstance(options.items, ListRef):
            ref = options.items
            if ref.name not in self.lists:
                known = ", ".join(sorted(self.lists)) or "none"
                raise self.error(ref.position, f"unknown list {ref.name!r} (known: {known})")
            self.used_lists.add(ref.name)
            values = list(self.lists[ref.name])
            for value in values:
                if _type_of(value) != wanted:
                    raise self.error(
                        ref.position,
                        f"list {ref.name!r} holds {_type_of(value).value}s, '{op}' needs "
                        f"{wanted.value}s",
                    )
            return values
        for item in options.items:
            if _type_of(item.value) != wanted:
                raise self.error(
                    item.position,
                    f"'{op}' needs {wanted.value}s here, not a {_type_of(item.value).value}",
                )
        return [item.value for item in options.items]

    def _membership(self, node: Membership) -> _Compiled:
        operand = self.compile(node.operand)
        f = operand.row
        if node.op == "in":
            if operand.type == _B:
                raise self.error(node.position, "'in' does not apply to booleans")
            values = self._options(node.options, operand.type, "in")
            frozen = frozenset(values)
            has_nan = any(v != v for v in values)  # only NaN differs from itself
            expr = operand.expr.is_in(values)
            negated = node.negated

            def member(row: Mapping[str, Any]) -> bool | None:
                value = f(row)
                if value is None:
                    return None
                found = has_nan if value != value else value in frozen  # polars: NaN is in NaN
                return found != negated

            return _Compiled(_B, ~expr if negated else expr, member)
        self._expect(operand, _S, node.position, f"'{node.op}'")
        patterns = [str(v) for v in self._options(node.options, _S, node.op)]
        if node.op == "startswith":
            exprs = _starts_with_any(operand.expr, patterns)
            prefixes = tuple(patterns)

            def test(value: str) -> bool:
                return value.startswith(prefixes)
        else:
            exprs = [operand.expr.str.contains(p, literal=True) for p in patterns]

            def test(value: str) -> bool:
                return any(p in value for p in patterns)

        def any_match(row: Mapping[str, Any]) -> bool | None:
            value = f(row)
            return None if value is None else test(value)

        expr = pl.any_horizontal(exprs) if exprs else pl.lit(False)
        return _Compiled(_B, expr, any_match)


@dataclass(frozen=True)
class CompiledRule:
    """A type-checked rule: ``expr`` is a non-null boolean polars expression.

    ``columns`` and ``lists`` name what the rule reads, so callers can check availability.
    """

    source: str
    tree: Node
    expr: pl.Expr
    columns: frozenset[str]
    lists: frozenset[str]
    _row: RowFunction = field(repr=False, compare=False)

    def evaluate(self, row: Mapping[str, Any]) -> bool:
        """Row-by-row reference evaluation; same result as ``expr`` on that row."""
        return self._row(row) is True


def compile_rule(
    source: str,
    *,
    columns: Mapping[str, ValueType] = DEFAULT_RULE_COLUMNS,
    lists: Mapping[str, Sequence[Scalar]] | None = None,
) -> CompiledRule:
    """Parse, type-check and compile ``source``; raise :class:`RuleError` on any problem."""
    tree = parse(source)
    compiler = _Compiler(source, columns, lists or {})
    compiled = compiler.compile(tree)
    if compiled.type != _B:
        raise RuleError(source, 1, f"a rule must be true or false, this is a {compiled.type.value}")
    return CompiledRule(
        source=source,
        tree=tree,
        expr=compiled.expr.fill_null(False),
        columns=frozenset(compiler.used),
        lists=frozenset(compiler.used_lists),
        _row=compiled.row,
    )


# --------------------------------------------------------------------------------------------
# Profiles


@dataclass(frozen=True)
class RiskProfile:
    """An analyst's rule with its watch lists, validity period, target lane and weight.

    The profile applies to declarations dated from ``valid_from`` to ``valid_until``, both
    inclusive (open-ended when ``None``). ``lane`` is the lane a match is sent to (green
    releases the declaration from model-based selection); ``weight`` orders profiles competing
    for the same lane budget, higher first.
    """

    id: str
    expression: str
    lane: Lane
    weight: float = 1.0
    lists: Mapping[str, Sequence[Scalar]] = field(default_factory=dict)
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None

    def compile(self, columns: Mapping[str, ValueType] = DEFAULT_RULE_COLUMNS) -> CompiledRule:
        """Compile the expression against this profile's lists."""
        return compile_rule(self.expression, columns=columns, lists=self.lists)

    def is_valid_on(self, day: datetime.date) -> bool:
        """Whether the profile applies to a declaration dated ``day``."""
        after_start = self.valid_from is None or day >= self.valid_from
        return after_start and (self.valid_until is None or day <= self.valid_until)

    def _period_expr(self) -> pl.Expr:
        expr = pl.lit(True)
        if self.valid_from is not None:
            expr = expr & (pl.col("date") >= self.valid_from)
        if self.valid_until is not None:
            expr = expr & (pl.col("date") <= self.valid_until)
        return expr


class ProfileSet:
    """Compiled profiles, evaluated together over a frame.

    Invariant: every profile compiled without error at construction and ids are unique.
    """

    def __init__(
        self,
        profiles: Sequence[RiskProfile],
        columns: Mapping[str, ValueType] = DEFAULT_RULE_COLUMNS,
    ) -> None:
        ids = [p.id for p in profiles]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate profile ids: {', '.join(duplicates)}")
        self.profiles: tuple[RiskProfile, ...] = tuple(profiles)
        self.columns: Mapping[str, ValueType] = dict(columns)
        self.rules: tuple[CompiledRule, ...] = tuple(p.compile(columns) for p in profiles)

    def __len__(self) -> int:
        return len(self.profiles)

    def __reduce__(self) -> tuple[type[ProfileSet], tuple[Any, ...]]:
        """Pickle as the profiles' source and recompile on load (e.g. on a Dask worker)."""
        return (ProfileSet, (self.profiles, self.columns))

    def matches(self, frame: pl.DataFrame) -> pl.DataFrame:
        """One boolean column per profile (named by id): matched and valid on the row's date."""
        return frame.select(
            (rule.expr & profile._period_expr()).alias(profile.id)
            for profile, rule in zip(self.profiles, self.rules, strict=True)
        )

    def matches_row(self, row: Mapping[str, Any]) -> list[str]:
        """Ids of the profiles matching one row (reference row-by-row implementation)."""
        day = row["date"]
        return [
            profile.id
            for profile, rule in zip(self.profiles, self.rules, strict=True)
            if profile.is_valid_on(day) and rule.evaluate(row)
        ]
