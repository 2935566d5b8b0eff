"""Bad input of every kind gives a FilterError subclass a person can act on."""

from __future__ import annotations

import json
from typing import Any

import pytest

import mixfilter
from mixfilter import (
    FilterError,
    FilterLimitError,
    FilterOptionError,
    FilterSyntaxError,
    FilterValidationError,
    Limits,
)

# text, line, column, words the message must contain, expected suggestion (or None)
SYNTAX: list[tuple[str, int, int, list[str], str | None]] = [
    ('status contians "x"', 1, 8, ["unexpected 'contians'", "an operator"], "'contains'"),
    ("a = 1 adn b = 2", 1, 7, ["unexpected 'adn'", "'and'"], "'and'"),
    ("x = active", 1, 5, ["a value"], '"active" (strings need quotes)'),
    ("x = ture", 1, 5, ["unexpected 'ture'"], "'true'"),
    ("x =", 1, 4, ["unexpected end of the expression", "a value"], None),
    ('x = "abc', 1, 5, ["unterminated string"], None),
    ("(a = 1", 1, 7, ["end of the expression", "')'"], None),
    ("a = 1)", 1, 6, ["unexpected ')'", "the end of the expression"], None),
    ("a = 1 b = 2", 1, 7, ["unexpected 'b'"], None),
    ("a = 1 and and b = 2", 1, 11, ["unexpected 'and'", "a field name"], None),
    ("a in 5", 1, 6, ["'in' needs a list"], None),
    ("a > [1]", 1, 5, ["use 'in' for a list"], None),
    ("a contains 5", 1, 12, ["needs a string in quotes"], None),
    (r'x = "\q"', 1, 6, ["invalid escape \\q"], None),
    ("d > 2024-13-01", 1, 5, ["invalid date"], None),
    ("x = 1e999", 1, 5, ["number out of range"], None),
    ("x = 99999999999999999999", 1, 5, ["64-bit"], None),
    ("a = 1\n  and b == = 1", 2, 12, ["unexpected '='"], None),
    ("a = @", 1, 5, ["unexpected character '@'"], None),
    ("a exist", 1, 3, ["unexpected 'exist'"], "'exists'"),
    ("a is nul", 1, 3, ["unexpected 'is'"], None),
    ("a startswith 'x'", 1, 3, ["unexpected 'startswith'"], "'starts with'"),
    ("not", 1, 4, ["end of the expression"], None),
    ("x in [[1]]", 1, 7, ["single values"], None),
    ("`` = 1", 1, 1, ["empty field name"], None),
    ('a = "\\ud800"', 1, 5, ["lone surrogate"], None),
    ("`a..b` = 1", 1, 1, ["empty segment"], None),
    ('v text "!!"', 1, 8, ["at least one word"], None),
    ("x in {{a b}}", 1, 6, ["needs a list, or one template"], None),
    ("a > null", 1, 5, ["'>' needs a number, a date or a string, not null"], None),
    ("a <= TRUE", 1, 6, ["'<=' needs a number, a date or a string, not true"], None),
    ("\ufeffa = 1", 1, 1, ["starts with a byte order mark"], None),
    ('x = dynamic("a..b")', 1, 13, ["empty segment"], None),
    ('x = dynamic("{{INPUT.x}}")', 1, 13, ["cannot hold a template"], None),
    ("a = 1 @", 1, 7, ["expected the end of the expression, 'and' or 'or'"], None),
    ("a in [1, 2 @", 1, 12, ["expected ',' or ']'"], None),
    ("a = " + "9" * 5_000, 1, 5, ["64-bit"], None),
    ("a not      in 5", 1, 15, ["'not in' needs a list"], None),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "words", "suggestion"), SYNTAX, ids=[s[0] for s in SYNTAX]
)
def test_syntax_errors(
    text: str, line: int, column: int, words: list[str], suggestion: str | None
) -> None:
    with pytest.raises(FilterError) as info:
        mixfilter.parse(text)
    err = info.value
    message = str(err)
    for word in words:
        assert word in message
    if isinstance(err, FilterSyntaxError):
        assert (err.line, err.column) == (line, column)
        assert err.suggestion == suggestion
        assert "^" in err.caret and err.source_line in message
        assert "__ANON" not in message and "_RPAR" not in message and "BINARY_OP" not in message


def test_caret_points_at_the_offending_text() -> None:
    with pytest.raises(FilterSyntaxError) as info:
        mixfilter.parse('status = "a" and role contians "x"')
    err = info.value
    assert err.source_line == 'status = "a" and role contians "x"'
    assert err.caret == " " * 22 + "^" * 8
    assert err.offending == "contians"


# JSON, path of the first problem, words in the message, suggestion
INVALID: list[tuple[Any, str, list[str], str | None]] = [
    ({"field": "a", "operator": "neq", "value": 1}, "$.operator", ["unknown operator 'neq'"], "ne"),
    ({"field": "a", "operator": "$gte", "value": 1}, "$.operator", ["unknown operator"], "gte"),
    ({"field": "a", "operator": "startswith", "value": "x"}, "$.operator", [], "starts_with"),
    ({"field": "a", "operator": "containz", "value": "x"}, "$.operator", [], "contains"),
    ({"And": [{"field": "a", "value": 1}]}, "$.And", ["unknown key 'And'"], "AND"),
    ({"$or": []}, '$["$or"]', ["unknown key '$or'"], "OR"),
    ({"case-sensitive": True}, '$["case-sensitive"]', ["unknown key"], "case_sensitive"),
    (
        {"AND": [{"feild": "a", "operator": "eq", "value": 1}]},
        "$.AND[0].feild",
        ["unknown key 'feild'"],
        "field",
    ),
    ({"field": "a", "key": "b", "value": 1}, "$", ["both 'field'"], None),
    ({"operator": "eq", "value": 1}, "$", ["needs a 'field'"], None),
    ({"field": "a", "operator": "in", "value": 1}, "$.value", ["'in' needs a list"], None),
    (
        {"field": "a", "operator": "gt", "value": True},
        "$.value",
        ["'gt' needs a number or a string"],
        None,
    ),
    ({"field": "a", "operator": "gt", "value": None}, "$.value", ["'gt' needs"], None),
    ({"field": "a", "operator": "exists", "value": "yes"}, "$.value", ["true or false"], None),
    (
        {"field": "a", "operator": "contains", "value": 5},
        "$.value",
        ["'contains' needs a string"],
        None,
    ),
    ({"field": "a", "operator": "eq", "value": [1, 2]}, "$.value", ["use 'in'"], None),
    (
        {"field": "a", "operator": "regex", "value": "(unclosed"},
        "$.value",
        ["invalid regular expression"],
        None,
    ),
    (
        {"field": "a", "operator": "regex", "value": "(a+)+$"},
        "$.value",
        ["nested quantifiers"],
        None,
    ),
    ({"field": "a", "operator": "regex", "value": r"(\w)\1"}, "$.value", ["backreferences"], None),
    ({"field": "a", "operator": "text", "value": "!!"}, "$.value", ["at least one word"], None),
    ({"field": "a", "value": {"$gt": 5}}, "$.value", ["MongoDB operator"], "gt"),
    ({"field": "a", "value": {"$where": "1"}}, "$.value", ["values cannot be objects"], None),
    ({"field": "a", "value": float("nan")}, "$.value", ["finite"], None),
    ({"field": "a", "value": 2**64}, "$.value", ["64-bit"], None),
    ({"field": "", "value": 1}, "$.field", ["empty field name"], None),
    ({"field": "a..b", "value": 1}, "$.field", ["empty segment"], None),
    ({"field": 5, "value": 1}, "$.field", ["must be a string"], None),
    ({"AND": {"field": "a", "value": 1}}, "$.AND", ["AND needs a list"], None),
    ({"AND": [None]}, "$.AND[0]", ["expected a condition or a group"], None),
    ({"OR": [1]}, "$.OR[0]", ["got number 1"], None),
    ({"AND": [], "case_sensitive": "yes"}, "$.case_sensitive", ["true or false"], None),
    ({"tags": ["a", "b"]}, "$.tags", ["shorthand condition takes one value"], None),
    ([{"field": "a", "value": 1}], "$", ["expected a filter"], None),
    ('{"AND": [', "$", ["invalid JSON"], None),
    ({"field": "a", "value": "\ud800"}, "$.value", ["lone surrogate"], None),
]


@pytest.mark.parametrize(
    ("data", "path", "words", "suggestion"),
    INVALID,
    ids=[json.dumps(d, default=str)[:60] for d, *_ in INVALID],
)
def test_validation_errors(data: Any, path: str, words: list[str], suggestion: str | None) -> None:
    with pytest.raises(FilterValidationError) as info:
        mixfilter.validate(data)
    err = info.value
    assert err.path == path
    assert err.suggestion == suggestion
    for word in words:
        assert word in str(err)


def test_every_problem_is_reported_with_its_path() -> None:
    with pytest.raises(FilterValidationError) as info:
        mixfilter.validate(
            {
                "AND": [
                    {"field": "a", "operator": "neq", "value": 1},
                    {"field": "b", "operator": "gt", "value": True},
                ]
            }
        )
    assert [p.path for p in info.value.problems] == ["$.AND[0].operator", "$.AND[1].value"]


def test_bad_options() -> None:
    with pytest.raises(FilterOptionError, match="did you mean 'limits'"):
        mixfilter.parse("a = 1", limit=Limits())
    with pytest.raises(FilterOptionError, match="positive integer"):
        Limits(max_depth=0)
    with pytest.raises(FilterOptionError):
        mixfilter.parse("a = 1", limits={"max_depth": 3})  # type: ignore[arg-type]
    with pytest.raises(FilterOptionError):
        mixfilter.matches("a = 1", ["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(FilterOptionError):
        mixfilter.to_text(42)  # type: ignore[arg-type]
    with pytest.raises(FilterSyntaxError):
        mixfilter.parse(42)  # type: ignore[arg-type]


def test_errors_are_value_errors() -> None:
    for cls in (FilterSyntaxError, FilterValidationError, FilterLimitError, FilterOptionError):
        assert issubclass(cls, FilterError) and issubclass(cls, ValueError)


def test_error_messages_quote_a_bounded_slice() -> None:
    long = "x" * 50_000
    with pytest.raises(FilterSyntaxError) as info:
        mixfilter.parse(f"a = 1 {long}")
    assert len(str(info.value)) < 400
    with pytest.raises(FilterValidationError) as vinfo:
        mixfilter.validate({"field": "a", "operator": long, "value": 1})
    assert len(str(vinfo.value)) < 400
