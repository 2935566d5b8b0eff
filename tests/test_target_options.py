"""Bad options to the targets: every one is a FilterOptionError naming the option and saying
what it takes (never a TypeError, AttributeError or KeyError, and never silently accepted)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import mixfilter
from mixfilter import FilterCompileError, FilterOptionError
from mixfilter.targets.python import reference_predicate as _reference_predicate

# the functions under test, untyped: the calls below pass what the signatures forbid
to_sql: Any = mixfilter.to_sql
to_mongo: Any = mixfilter.to_mongo
matches: Any = mixfilter.matches
compile_predicate: Any = mixfilter.compile_predicate
reference_predicate: Any = _reference_predicate

F = mixfilter.parse('a = "{{INPUT.x}}"')
PLAIN = mixfilter.parse("a = 1")
DOC = {"a": 1}

# (what, call, expected message fragment)
SQL_CASES: list[tuple[str, Callable[[], Any], str]] = [
    ("dialect list", lambda: to_sql(PLAIN, ["postgres"]), "dialect must be a string"),
    ("dialect None", lambda: to_sql(PLAIN, None), "dialect must be a string"),
    ("dialect 5", lambda: to_sql(PLAIN, 5), "dialect must be a string"),
    ("dialect empty", lambda: to_sql(PLAIN, ""), "must name a SQL dialect"),
    ("dialect spaces", lambda: to_sql(PLAIN, "   "), "must name a SQL dialect"),
    ("dialect typo", lambda: to_sql(PLAIN, "postgress"), "did you mean 'postgres'"),
    ("dialect psql", lambda: to_sql(PLAIN, "psql"), "did you mean 'postgres'"),
    ("dialect postgresql", lambda: to_sql(PLAIN, "PostgreSQL"), "did you mean 'postgres'"),
    ("dialect mssql", lambda: to_sql(PLAIN, "mssql"), "did you mean 'tsql'"),
    ("dialect sqlite3", lambda: to_sql(PLAIN, "sqlite3"), "did you mean 'sqlite'"),
    (
        "paramstyle int",
        lambda: to_sql(PLAIN, params=True, paramstyle=5),
        "paramstyle must be a string",
    ),
    (
        "paramstyle list",
        lambda: to_sql(PLAIN, params=True, paramstyle=["qmark"]),
        "paramstyle must be",
    ),
    ("paramstyle int no params", lambda: to_sql(PLAIN, paramstyle=5), "paramstyle must be"),
    ("params str", lambda: to_sql(PLAIN, params="yes"), "params must be True or False"),
    ("params int", lambda: to_sql(PLAIN, params=1), "params must be True or False"),
    ("params None", lambda: to_sql(PLAIN, params=None), "params must be True or False"),
    ("pretty str", lambda: to_sql(PLAIN, pretty="no"), "pretty must be True or False"),
    ("fields list", lambda: to_sql(PLAIN, fields=["a"]), "fields must be a mapping"),
    ("fields value int", lambda: to_sql(PLAIN, fields={"a": 5}), "fields['a'] must be a column"),
    ("fields value None", lambda: to_sql(PLAIN, fields={"a": None}), "fields['a'] must be"),
    ("fields value empty", lambda: to_sql(PLAIN, fields={"a": ""}), "fields['a'] must be"),
    ("fields value ()", lambda: to_sql(PLAIN, fields={"a": ()}), "fields['a'] must be"),
    ("fields part int", lambda: to_sql(PLAIN, fields={"a": ("t", 5)}), "fields['a'] must be"),
    ("fields 5 parts", lambda: to_sql(PLAIN, fields={"a": ("a", "b", "c", "d", "e")}), "1 to 4"),
    ("fields key int", lambda: to_sql(PLAIN, fields={5: "a"}), "every key of fields"),
    ("fields key empty", lambda: to_sql(PLAIN, fields={"": "a"}), "every key of fields"),
    ("json_columns int", lambda: to_sql(PLAIN, json_columns=5), "json_columns must be a list"),
    ("json_columns None", lambda: to_sql(PLAIN, json_columns=None), "json_columns must be a list"),
    (
        "json_columns str",
        lambda: to_sql(PLAIN, json_columns="metadata"),
        "json_columns=['metadata']",
    ),
    (
        "json_columns dict",
        lambda: to_sql(PLAIN, json_columns={"m": 1}),
        "json_columns must be a list",
    ),
    (
        "json_columns item int",
        lambda: to_sql(PLAIN, json_columns=[5]),
        "every item of json_columns",
    ),
    (
        "json_columns item empty",
        lambda: to_sql(PLAIN, json_columns=[""]),
        "every item of json_columns",
    ),
    (
        "column_types list",
        lambda: to_sql(PLAIN, column_types=["a"]),
        "column_types must be a mapping",
    ),
    (
        "column_types key int",
        lambda: to_sql(PLAIN, column_types={5: "int"}),
        "every key of column_types",
    ),
    (
        "column_types value list",
        lambda: to_sql(PLAIN, column_types={"a": ["int"]}),
        "use one of text, int",
    ),
    (
        "column_types value typo",
        lambda: to_sql(PLAIN, column_types={"a": "integer"}),
        "use one of text, int",
    ),
    (
        "json_columns item with NUL",
        lambda: to_sql(PLAIN, json_columns=["m\x00"]),
        "SQL names cannot contain a NUL character",
    ),
    (
        "fields column with NUL",
        lambda: to_sql(PLAIN, fields={"a": ("t", "c\x00")}),
        "without NUL characters",
    ),
    (  # a str holds it, UTF-8 cannot: the SQL could not be sent
        "fields column with a lone surrogate",
        lambda: to_sql(PLAIN, fields={"a": "\ud800"}),
        "or lone surrogates",
    ),
    (
        "json_columns item with a lone surrogate",
        lambda: to_sql(PLAIN, json_columns=["m\udfff"]),
        "or a lone surrogate",
    ),
    ("limits int", lambda: to_sql(PLAIN, limits=5), "limits must be a mixfilter.Limits"),
    ("unknown option", lambda: to_sql(PLAIN, param=True), "did you mean 'params'"),
    ("misspelt dialect keyword", lambda: to_sql(PLAIN, dialet="mysql"), "did you mean 'dialect'"),
]

# bindings: one shared check (mixfilter.bindings.check_bindings), the same answer everywhere
BAD_BINDINGS: list[tuple[str, Any, str]] = [
    ("int", 5, "bindings must be a mapping"),
    ("list", [1], "bindings must be a mapping"),
    ("str", "INPUT.x", "bindings={'INPUT.x': value}"),
    ("tuple of pairs", (("INPUT.x", 1),), "bindings must be a mapping"),
    ("int key", {5: 1}, "keys must be template names"),
    ("None key", {None: 1}, "keys must be template names"),
    ("empty key", {"": 1}, "keys must be template names"),
    ("one input twice", {"inputs.x": 1, "INPUT.x": 2}, "name the same input"),
    # found by a bad-input hunt: the key was never looked up ("no binding for 'INPUT.x'")
    ("key in braces", {"{{INPUT.x}}": 1}, "names without braces: 'INPUT.x', not '{{INPUT.x}}'"),
]
TARGETS: dict[str, Callable[[Any], Any]] = {
    "to_sql": lambda b: to_sql(F, bindings=b),
    "to_sql params": lambda b: to_sql(F, params=True, bindings=b),
    "to_mongo": lambda b: to_mongo(F, bindings=b),
    "matches": lambda b: matches(F, DOC, bindings=b),
    "matches plain filter": lambda b: matches(PLAIN, DOC, bindings=b),
    "compile_predicate": lambda b: compile_predicate(F, bindings=b),
    "reference_predicate": lambda b: reference_predicate(F, bindings=b),
}

OTHER_CASES: list[tuple[str, Callable[[], Any], str]] = [
    (
        "to_mongo bson_dates str",
        lambda: to_mongo(PLAIN, bson_dates="no"),
        "bson_dates must be True or False",
    ),
    (
        "to_mongo bson_dates int",
        lambda: to_mongo(PLAIN, bson_dates=1),
        "bson_dates must be True or False",
    ),
    ("to_mongo limits int", lambda: to_mongo(PLAIN, limits=5), "limits must be a mixfilter.Limits"),
    ("to_mongo unknown", lambda: to_mongo(PLAIN, binding={}), "did you mean 'bindings'"),
    (
        "matches unknown",
        lambda: matches(PLAIN, DOC, bogus=1),
        "matches() got an unknown option 'bogus'",
    ),
    ("matches typo", lambda: matches(PLAIN, DOC, binding={}), "did you mean 'bindings'"),
    (
        "compile_predicate unknown",
        lambda: compile_predicate(PLAIN, bogus=1),
        "compile_predicate() got an unknown option 'bogus'",
    ),
    (
        "compile_predicate typo",
        lambda: compile_predicate(PLAIN, bindigns={}),
        "did you mean 'bindings'",
    ),
    ("reference_predicate text", lambda: reference_predicate("a = 1"), "takes a Filter"),
]


@pytest.mark.parametrize(("what", "call", "match"), SQL_CASES, ids=[c[0] for c in SQL_CASES])
def test_to_sql_bad_options(what: str, call: Callable[[], Any], match: str) -> None:
    with pytest.raises(FilterOptionError, match=_literal(match)):
        call()


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize(
    ("what", "bindings", "match"), BAD_BINDINGS, ids=[b[0] for b in BAD_BINDINGS]
)
def test_bad_bindings(target: str, what: str, bindings: Any, match: str) -> None:
    with pytest.raises(FilterOptionError, match=_literal(match)) as info:
        TARGETS[target](bindings)
    assert target.split()[0] + "()" in str(info.value)  # names the function it was given to


@pytest.mark.parametrize(("what", "call", "match"), OTHER_CASES, ids=[c[0] for c in OTHER_CASES])
def test_other_bad_options(what: str, call: Callable[[], Any], match: str) -> None:
    with pytest.raises(FilterOptionError, match=_literal(match)):
        call()


def test_matches_unknown_option_on_the_hot_path() -> None:
    """An unknown option is refused even once the filter runs as generated code."""
    f = mixfilter.parse("a = 1 and b > 2")
    for _ in range(mixfilter.targets.python.GENERATE_AFTER + 5):
        assert matches(f, {"a": 1, "b": 3})
    assert mixfilter.targets.python._recent[id(f)][2] < 0  # the generated steady state
    with pytest.raises(FilterOptionError, match="unknown option 'bogus'"):
        matches(f, {"a": 1, "b": 3}, bogus=1)
    with pytest.raises(FilterOptionError, match="bindings must be a mapping"):
        matches(f, {"a": 1, "b": 3}, bindings=5)
    # an empty mapping is no bindings, and keeps the generated predicate
    assert matches(f, {"a": 1, "b": 3}, bindings={})
    assert mixfilter.targets.python._recent[id(f)][2] < 0


# (call, expected result): the good spellings still work
GOOD: list[tuple[str, Callable[[], Any], Any]] = [
    ("dialect case and spaces", lambda: to_sql(PLAIN, " PostgreS "), '"a" = 1'),
    ("json_columns tuple", lambda: to_sql('m.t = "x"', "sqlite", json_columns=("m",)), None),
    ("json_columns set", lambda: to_sql('m.t = "x"', "sqlite", json_columns={"m"}), None),
    (
        "json_columns frozenset",
        lambda: to_sql('m.t = "x"', "sqlite", json_columns=frozenset({"m"})),
        None,
    ),
    ("fields tuple", lambda: to_sql(PLAIN, fields={"a": ("t", "a")}), '"t"."a" = 1'),
    ("fields list", lambda: to_sql(PLAIN, fields={"a": ["t", "a"]}), '"t"."a" = 1'),
    (
        "a field with NUL, mapped",
        lambda: to_sql({"field": "a\x00b", "value": 1}, fields={"a\x00b": "ab"}),
        '"ab" = 1',
    ),
    ("bindings empty", lambda: to_sql(PLAIN, bindings={}), '"a" = 1'),
    ("bindings", lambda: to_sql(F, bindings={"INPUT.x": 2}), '"a" = 2'),
    ("mongo bindings", lambda: to_mongo(F, bindings={"input.x": 2}), {"a": 2}),
    ("matches bindings", lambda: matches(F, {"a": 2}, bindings={"INPUT.x": 2}), True),
    ("predicate bindings", lambda: compile_predicate(F, bindings={"INPUT.x": 2})({"a": 2}), True),
    ("params False", lambda: to_sql(PLAIN, params=False), '"a" = 1'),
    ("bson_dates False", lambda: to_mongo(PLAIN, bson_dates=False), {"a": 1}),
]


@pytest.mark.parametrize(("what", "call", "expected"), GOOD, ids=[g[0] for g in GOOD])
def test_good_options(what: str, call: Callable[[], Any], expected: Any) -> None:
    got = call()
    if expected is not None:
        assert got == expected


def test_cli_empty_dialect_exits_nonzero(capsys: pytest.CaptureFixture[str]) -> None:
    from mixfilter.cli import main

    assert main(["sql", "a = 1", "--dialect", ""]) == 1
    assert "must name a SQL dialect" in capsys.readouterr().err


def _literal(text: str) -> str:
    import re

    return re.escape(text)


@pytest.mark.parametrize(
    ("field", "options"),
    [("a\x00b", {}), ("m.a\x00b", {"json_columns": ["m"]})],
)
def test_sql_refuses_a_field_with_nul(field: str, options: dict[str, Any]) -> None:
    """No driver runs SQL text holding U+0000 (sqlite3 raises ProgrammingError), and an
    identifier cannot spell it otherwise: a compile error naming the fix, as to_mongo does."""
    with pytest.raises(FilterCompileError, match="cannot contain a NUL character"):
        to_sql({"field": field, "value": 1}, "sqlite", **options)


# A string that is filter JSON by its looks (no expression starts with { or [, or is null alone)
# is read as JSON by every function that takes text or JSON, as validate() reads it.
TEXT_OR_JSON: list[tuple[str, Callable[[str], Any], Any]] = [
    ("to_sql", lambda s: to_sql(s), "TRUE"),
    ("to_mongo", lambda s: to_mongo(s), {}),
    ("matches", lambda s: matches(s, {"a": 1}), True),
    ("compile_predicate", lambda s: compile_predicate(s)({"a": 1}), True),
    ("to_text", lambda s: mixfilter.to_text(s), ""),
]


@pytest.mark.parametrize(("what", "call", "empty"), TEXT_OR_JSON, ids=[t[0] for t in TEXT_OR_JSON])
def test_json_null_and_lists_given_as_strings(
    what: str, call: Callable[[str], Any], empty: Any
) -> None:
    assert call("null") == empty
    assert call(" null\n") == empty
    with pytest.raises(mixfilter.FilterValidationError, match="got a list"):
        call('[{"field": "a", "value": 1}]')
    with pytest.raises(mixfilter.FilterSyntaxError, match="unexpected '\\['"):
        call("[a = 1]")  # not JSON: read as text, and refused there with a caret
    # a template starts text, not JSON (found by a bad-input hunt: "invalid JSON ...")
    with pytest.raises(mixfilter.FilterSyntaxError) as info:
        call("{{INPUT.f}} = 1")
    assert info.value.suggestion == "`{{INPUT.f}}` (a field name with a template)"


def test_cli_reads_json_null_as_the_empty_filter(capsys: pytest.CaptureFixture[str]) -> None:
    from mixfilter.cli import main

    assert main(["sql", "null"]) == 0
    assert capsys.readouterr().out == "TRUE\n"
