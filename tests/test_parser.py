"""Expression text → filter JSON: one table row per language form (see docs/syntax.md)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

import mixfilter
from tests.strategies import expression_texts, raw_filters


def c(field: str, operator: str, value: Any) -> dict[str, Any]:
    return {"field": field, "operator": operator, "value": value}


def AND(*items: Any) -> dict[str, Any]:
    return {"AND": list(items)}


FORMS: list[tuple[str, dict[str, Any]]] = [
    # the 15 operators, with every spelling
    ('status = "active"', AND(c("status", "eq", "active"))),
    ("status == 'active'", AND(c("status", "eq", "active"))),
    ('status != "x"', AND(c("status", "ne", "x"))),
    ('status <> "x"', AND(c("status", "ne", "x"))),
    ("age > 30", AND(c("age", "gt", 30))),
    ("age >= 30", AND(c("age", "gte", 30))),
    ("age < -1.5", AND(c("age", "lt", -1.5))),
    ("age <= 1e3", AND(c("age", "lte", 1000.0))),
    ('role in ["admin", "owner"]', AND(c("role", "in", ["admin", "owner"]))),
    ("role not in [1, null, true]", AND(c("role", "nin", [1, None, True]))),
    ("x in []", AND(c("x", "in", []))),
    ('title contains "ai"', AND(c("title", "contains", "ai"))),
    ('title starts with "In"', AND(c("title", "starts_with", "In"))),
    ('title ends with ".pdf"', AND(c("title", "ends_with", ".pdf"))),
    ('name matches "^a.*z$"', AND(c("name", "regex", "^a.*z$"))),
    ('name ~ "^a"', AND(c("name", "regex", "^a"))),
    # character sets that every engine reads alike (see test_errors.py for those refused)
    ('name ~ "[\\\\[]"', AND(c("name", "regex", "[\\[]"))),
    ('name ~ "[a-][-a][--][^[][a[]"', AND(c("name", "regex", "[a-][-a][--][^[][a[]"))),
    ('body text "machine learning"', AND(c("body", "text", "machine learning"))),
    ("role exists", AND(c("role", "exists", True))),
    ("role not exists", AND(c("role", "exists", False))),
    ("role is null", AND(c("role", "is_null", True))),
    ("role is not null", AND(c("role", "is_null", False))),
    # keywords are case-insensitive, whitespace is free
    (
        'A = 1 AND NOT b IN [2] Or C Starts   With "x"',
        {"OR": [AND(c("A", "eq", 1), {"NOT": [c("b", "in", [2])]}), c("C", "starts_with", "x")]},
    ),
    ("a = 1\n  and\tb = 2", AND(c("a", "eq", 1), c("b", "eq", 2))),
    # precedence: not > and > or, and parentheses
    ("a = 1 or b = 2 and c = 3", {"OR": [c("a", "eq", 1), AND(c("b", "eq", 2), c("c", "eq", 3))]}),
    (
        "(a = 1 or b = 2) and c = 3",
        AND({"OR": [c("a", "eq", 1), c("b", "eq", 2)]}, c("c", "eq", 3)),
    ),
    ("not a = 1 and b = 2", AND({"NOT": [c("a", "eq", 1)]}, c("b", "eq", 2))),
    ("not (a = 1 or b = 2)", {"NOT": [c("a", "eq", 1), c("b", "eq", 2)]}),
    ("not (a = 1 and b = 2)", {"NOT": [AND(c("a", "eq", 1), c("b", "eq", 2))]}),
    ("not not a = 1", {"NOT": [{"NOT": [c("a", "eq", 1)]}]}),
    ("a = 1 and (b = 2 and (c = 3))", AND(c("a", "eq", 1), c("b", "eq", 2), c("c", "eq", 3))),
    ("((a = 1))", AND(c("a", "eq", 1))),
    # case sensitivity on a group
    (
        'case sensitive (a = "X" or b = "Y")',
        {"OR": [c("a", "eq", "X"), c("b", "eq", "Y")], "case_sensitive": True},
    ),
    ('case sensitive (a = "X")', {"AND": [c("a", "eq", "X")], "case_sensitive": True}),
    ('case insensitive (a = "X")', AND(c("a", "eq", "X"))),  # the default: nothing to record
    (
        'case sensitive (a = "X" and case insensitive (b = "y"))',
        {
            "AND": [c("a", "eq", "X"), {"AND": [c("b", "eq", "y")], "case_sensitive": False}],
            "case_sensitive": True,
        },
    ),
    # a redundant inner setting disappears, and its one-item group with it (found by hypothesis)
    ('not case sensitive (case insensitive (a contains "x"))', {"NOT": [c("a", "contains", "x")]}),
    (
        'case sensitive (case insensitive (a = "x" or b = "y"))',
        {"OR": [c("a", "eq", "x"), c("b", "eq", "y")]},
    ),
    # fields: dotted paths, unicode, keywords, and the quoted form
    ('metadata.author.name = "ben"', AND(c("metadata.author.name", "eq", "ben"))),
    ("items.0.sku = 1", AND(c("items.0.sku", "eq", 1))),
    ('名前 = "x"', AND(c("名前", "eq", "x"))),
    ('text text "a"', AND(c("text", "text", "a"))),
    (
        "case = 1 and in in [1] and exists exists",
        AND(c("case", "eq", 1), c("in", "in", [1]), c("exists", "exists", True)),
    ),
    (
        "notes = 1 and android = 2 and order = 3",
        AND(c("notes", "eq", 1), c("android", "eq", 2), c("order", "eq", 3)),
    ),
    ("`my field` = 1", AND(c("my field", "eq", 1))),
    ("`not` = 1", AND(c("not", "eq", 1))),
    ("`a\\`b` = 1", AND(c("a`b", "eq", 1))),
    # values: escapes, unicode, numbers, dates, templates, dynamic values
    (r'a = "say \"hi\""', AND(c("a", "eq", 'say "hi"'))),
    (r'a = "C:\\temp"', AND(c("a", "eq", "C:\\temp"))),
    (r"a = 'it\'s'", AND(c("a", "eq", "it's"))),
    (r'a = "tab\there\nnew \u00e9 \ud83d\ude80"', AND(c("a", "eq", "tab\there\nnew é 🚀"))),
    ('a = "北京"', AND(c("a", "eq", "北京"))),
    ("a = -0.5", AND(c("a", "eq", -0.5))),
    ("a = .5", AND(c("a", "eq", 0.5))),
    ("a = +7", AND(c("a", "eq", 7))),
    ("a = 2.5E-3", AND(c("a", "eq", 0.0025))),
    (
        "a = TRUE and b = False and c = null",
        AND(c("a", "eq", True), c("b", "eq", False), c("c", "eq", None)),
    ),
    ("d >= 2024-01-15", AND(c("d", "gte", "2024-01-15"))),
    ("d < 2024-01-15T10:30:00Z", AND(c("d", "lt", "2024-01-15T10:30:00Z"))),
    ("d < 2024-01-15 10:30:00.123+02:00", AND(c("d", "lt", "2024-01-15 10:30:00.123+02:00"))),
    ("price <= {{INPUT.max_price}}", AND(c("price", "lte", "{{INPUT.max_price}}"))),
    ("cat in {{INPUT.categories}}", AND(c("cat", "in", "{{INPUT.categories}}"))),
    (
        'user = dynamic("inputs.user_id")',
        AND(c("user", "eq", {"type": "dynamic", "field": "inputs.user_id"})),
    ),
    ("a in [1, 2,]", AND(c("a", "in", [1, 2]))),
    # the empty filter, and FALSE
    ("", {}),
    ("  ", {}),
    ("()", {}),
    ("a = 1 and ()", AND(c("a", "eq", 1))),
    ("a = 1 or ()", {}),
    ("not ()", {"NOT": [{}]}),
]


@pytest.mark.parametrize(("text", "expected"), FORMS, ids=[t for t, _ in FORMS])
def test_form(text: str, expected: dict[str, Any]) -> None:
    f = mixfilter.parse(text)
    assert f.to_json() == expected
    assert mixfilter.validate(expected) == f


def test_positions_on_every_node() -> None:
    from mixfilter import ast
    from mixfilter.limits import Limits
    from mixfilter.parser import parse_tree

    tree = parse_tree("a = 1 and\n  not (b = 2 or c exists)", Limits())
    assert isinstance(tree, ast.And) and (tree.line, tree.column) == (1, 1)
    negation = tree.items[1]
    assert isinstance(negation, ast.Not)
    assert (negation.line, negation.column, negation.pos) == (2, 3, 12)
    assert isinstance(negation.item, ast.Or)
    inner = negation.item.items[1]
    assert isinstance(inner, ast.Comparison)
    assert (inner.field, inner.line, inner.column) == ("c", 2, 17)


def test_flat_and_is_one_node() -> None:
    from mixfilter.limits import Limits
    from mixfilter.parser import parse_tree

    text = " and ".join(f"f{i} = {i}" for i in range(10_000))
    tree = parse_tree(text, Limits(max_text_length=1_000_000))
    assert len(tree.items) == 10_000  # type: ignore[union-attr]
    assert tree.depth == 2
    assert len(mixfilter.parse(text, limits=Limits(max_text_length=1_000_000)).items) == 10_000


@settings(max_examples=1000, deadline=None)
@given(expression_texts | raw_filters().map(lambda raw: mixfilter.to_text(mixfilter.validate(raw))))
def test_fast_path_agrees_with_lark(text: str) -> None:
    """The hot path runs Lark's tables itself; on any text it must do exactly what Lark does."""
    from mixfilter.lalr import Rejected
    from mixfilter.parser import _LiteralError, fast_parser, lark_parser

    def outcome(parse: Any) -> Any:
        try:
            return ("tree", parse(text))
        except _LiteralError as exc:
            return ("literal error", exc.message, exc.pos)
        except Rejected:
            return ("rejected",)
        except Exception as exc:  # Lark's UnexpectedInput and friends
            return ("rejected", type(exc).__name__)

    fast, lark = outcome(fast_parser().parse), outcome(lark_parser().parse)
    assert fast[0] == lark[0], (fast, lark)
    if fast[0] != "rejected":
        assert fast == lark


def test_stored_tables_are_what_the_grammar_gives() -> None:
    """``grammar/mixfilter.tables.json`` is what Lark builds from the grammar today (the fast
    path runs it; ``test_fast_path_agrees_with_lark`` checks it against Lark on generated text)."""
    from mixfilter.parser import generated_tables, stored_tables

    stored = stored_tables()
    assert stored is not None, "grammar/mixfilter.tables.json is missing or stale"
    assert stored == generated_tables(), "stale parse tables: run scripts/parse-tables"


def test_tables_of_another_grammar_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """An edited grammar with the old tables beside it: the tables are ignored, Lark builds."""
    from mixfilter import parser

    edited = parser.grammar_text() + "\n// edited\n"
    monkeypatch.setattr(parser, "grammar_text", lambda: edited)
    assert parser.stored_tables() is None
