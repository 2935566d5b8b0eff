"""The short writer (``targets/sql/writer.py``) writes exactly what sqlglot's generator writes.

Each comparison is between ``to_sql`` as shipped and ``to_sql`` with the short writer switched
off (sqlglot's generator as it is), on the same filter, dialect and options."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

import mixfilter
from mixfilter.errors import FilterError
from mixfilter.targets.sql import DIALECTS, writer
from tests.strategies import raw_filters

#: every dialect sqlglot has (the empty name is its generic one)
ALL_DIALECTS = sorted(Dialect.classes)

OPTIONS: list[dict[str, Any]] = [
    {},
    {"params": True},
    {"fields": {"a": ("t", "col_a"), "b": "B b", "a.b": ("s", "t", "c")}},
    {"json_columns": ["a", "items"]},
    {"column_types": {"a": "text", "b": "int", "tags": "float", "n1": "bool"}},
    {"bindings": {"INPUT": {"x": "X", "y": 2}, "inputs": {"limit": 3, "x": [1, "a"]}}},
]

TEXTS = [
    'a = "x" and (b >= 3 or c in ["p", null]) and not d < -2.5',
    'case sensitive (a != "x" or b not in [1, 2]) and c contains "50%"',
    'not (a matches "^x.$" or b text "deep learning") and c is null and d exists',
    'a > 1e300 and b = -1e-7 and c = true and not (e starts with "_" or f ends with "!")',
    '`select` = "It\'s" or `x y` != "\\\\" or t.u in ["É", "ß", ""] or v <= -0.0',
]


def _outcome(f: Any, dialect: str, options: dict[str, Any]) -> Any:
    try:
        return mixfilter.to_sql(f, dialect, **options)
    except FilterError as exc:
        return (type(exc).__name__, str(exc))


def _both(f: Any, dialect: str, options: dict[str, Any]) -> tuple[Any, Any]:
    short = _outcome(f, dialect, options)
    with mock.patch.object(writer, "writer_class", lambda d: None):
        stock = _outcome(f, dialect, options)
    return short, stock


def test_short_writer_in_use_for_every_dialect() -> None:
    """With the pinned sqlglot every dialect passes its self-check, so the short path runs."""
    for name in ALL_DIALECTS:
        short = writer.writer_class(Dialect.get_or_raise(name))
        assert short is not None, name
    postgres = writer.writer_class(Dialect.get_or_raise("postgres"))
    assert postgres is not None
    written = {cls for cls, w in postgres.WRITERS.items() if w is not writer._through_sqlglot}
    assert {exp.And, exp.EQ, exp.Lower, exp.Column, exp.In, exp.Identifier} <= written


def test_a_dialect_keeps_its_own_spelling() -> None:
    """MySQL writes ``IS DISTINCT FROM`` its own way: that class is not shortened there."""
    mysql = writer.writer_class(Dialect.get_or_raise("mysql"))
    assert mysql is not None
    assert mysql.WRITERS[exp.NullSafeNEQ] is writer._through_sqlglot
    sql = mixfilter.to_sql('a != "x"', "mysql")
    assert "<=>" in sql
    assert _both('a != "x"', "mysql", {}) == (sql, sql)


@pytest.mark.parametrize("dialect", ALL_DIALECTS)
@pytest.mark.parametrize("text", TEXTS)
def test_same_sql_as_sqlglot(text: str, dialect: str) -> None:
    for options in OPTIONS:
        short, stock = _both(text, dialect, options)
        assert short == stock, options


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    f=raw_filters(max_leaves=10),
    dialect=st.sampled_from(ALL_DIALECTS),
    options=st.sampled_from(OPTIONS),
)
def test_same_sql_as_sqlglot_on_generated_filters(
    f: Any, dialect: str, options: dict[str, Any]
) -> None:
    short, stock = _both(f, dialect, options)
    assert short == stock


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_pretty_output_is_sqlglots(dialect: str) -> None:
    text = TEXTS[0] + " and " + TEXTS[1]
    short, stock = _both(text, dialect, {"pretty": True})
    assert short == stock
    assert "\n" in short


def _commented(e: exp.Expr, note: str) -> exp.Expr:
    e.comments = [note]
    return e


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "tsql", ""])
def test_nodes_with_comments_are_written_as_sqlglot_writes_them(dialect: str) -> None:
    """The compiler attaches no comments; a tree that has them, at the root or below a short
    handler, binary or not, comes out as sqlglot writes it."""
    d = Dialect.get_or_raise(dialect)

    def col() -> exp.Column:
        return exp.Column(this=exp.Identifier(this="a", quoted=True))

    leaves = [
        exp.EQ(this=exp.Lower(this=col()), expression=_commented(exp.Literal.string("x"), "lit")),
        _commented(exp.EQ(this=col(), expression=exp.Literal.number(1)), "eq"),
        _commented(exp.Not(this=exp.Is(this=col(), expression=exp.Null())), "not"),
        _commented(exp.Paren(this=exp.Or(this=col(), expression=col())), "paren"),
        exp.GT(this=_commented(col(), "column"), expression=exp.Literal.number(2)),
        _commented(exp.In(this=col(), expressions=[exp.Literal.string("p")]), "in"),
        exp.In(this=col(), expressions=[_commented(exp.Literal.string("q"), "item")]),
        exp.LT(this=_commented(exp.Lower(this=col()), "lower"), expression=col()),
        _commented(exp.Or(this=col(), expression=col()), "or"),
    ]
    for i, leaf in enumerate(leaves):
        for tree in (
            leaf.copy(),
            exp.And(this=exp.Boolean(this=True), expression=leaf.copy()),
            exp.Not(this=exp.Paren(this=exp.And(this=leaf.copy(), expression=col()))),
        ):
            assert writer.generate(d, tree, False) == d.generate(tree, copy=False), (i, tree)
    assert "/* lit */" in writer.generate(d, leaves[0], False)


def test_the_self_check_refuses_a_writer_that_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A short handler that writes anything else than sqlglot makes the dialect keep sqlglot's."""
    writer.writer_class.cache_clear()
    try:
        _, methods = writer.SHORT[exp.GTE]
        monkeypatch.setitem(writer.SHORT, exp.GTE, (writer._infix("=>", "gte_sql"), methods))
        assert writer.writer_class(Dialect.get_or_raise("postgres")) is None
        assert mixfilter.to_sql("a >= 1") == '"a" >= 1'
    finally:
        monkeypatch.undo()
        writer.writer_class.cache_clear()
    assert writer.writer_class(Dialect.get_or_raise("postgres")) is not None


def test_a_dialect_that_overrides_a_helper_keeps_its_own_handler() -> None:
    """A generator with its own ``binary`` gets no short comparisons (they stand for it)."""
    base = Dialect.get_or_raise("postgres").generator_class

    class Odd(base):  # type: ignore[misc, valid-type]
        def binary(self, expression: exp.Binary, op: str) -> str:
            return str(super().binary(expression, op.lower()))

    short = writer._writer_class_for(Odd, Dialect.get_or_raise("postgres"))
    assert short is not None
    assert short.WRITERS[exp.EQ] is writer._through_sqlglot
    assert short.WRITERS[exp.And] is not writer._through_sqlglot
