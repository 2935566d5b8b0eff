"""Unbound templates as named parameters, filled in by the caller, on the real SQL engines.

``to_sql(f, params=True)`` leaves a template with no binding as a named parameter; the caller
sends its value with the query. The rows must be the ones ``matches()`` picks with the same value
bound, and ``column_types`` tells the compiler what type the value will have (without it, a
template compared with ``eq`` is taken for a string, and a range compares as the engine does).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from mixfilter import FilterCompileError, matches, parse, to_sql
from mixfilter.targets.sql.dialects import ParamStyle
from tests.engine_fixtures import *  # noqa: F403
from tests.engines import LogicalType, SqlEngine
from tests.sql_support import clickhouse_escape

COLUMNS: dict[str, LogicalType] = {"s": "text", "n": "int", "x": "float", "b": "bool"}
ROWS: list[dict[str, Any]] = [
    {"id": 1, "s": "Active", "n": 30, "x": 1.5, "b": True},
    {"id": 2, "s": "active", "n": 10, "x": -2.0, "b": False},
    {"id": 3, "s": None, "n": None, "x": None, "b": None},
    {"id": 4, "s": "b%c_d", "n": 0, "x": 0.0, "b": True},
    {"id": 5, "s": "Zeta", "n": -5, "x": 100.25, "b": False},
    {"id": 6, "s": "ab", "n": 31, "x": 3.0, "b": None},
    {"id": 7, "s": "é", "n": 2**40, "x": 2.5, "b": True},
]

#: (filter, the value of its one template {{INPUT.v}}, parameter name INPUT_v)
CASES: list[tuple[str, Any]] = [
    ("n >= {{INPUT.v}}", 30),
    ("n != {{INPUT.v}}", 30),
    ("not (n < {{INPUT.v}})", 10),
    ("x < {{INPUT.v}}", 2.5),
    ("x = {{INPUT.v}}", 3.0),
    ("s = {{INPUT.v}}", "ACTIVE"),
    ("s != {{INPUT.v}}", "active"),
    ("case sensitive (s = {{INPUT.v}})", "active"),
    ("s < {{INPUT.v}}", "b"),  # code-point order: "Zeta" < "b" < "é"
    ("s >= {{INPUT.v}}", "Zeta"),
    ("b = {{INPUT.v}}", True),
    ("b != {{INPUT.v}}", False),
    ("s contains {{INPUT.v}}", "%c"),
    ("s starts with {{INPUT.v}}", "a"),
]

NAMED: tuple[ParamStyle, ...] = ("named", "pyformat")


@pytest.fixture(scope="module")
def table(sql_engine: SqlEngine) -> SqlEngine:
    sql_engine.load("templates", COLUMNS, ROWS)
    return sql_engine


def named_style(engine: SqlEngine) -> ParamStyle:
    if engine.name == "clickhouse":
        return "clickhouse"
    styles = [s for s in engine.paramstyles if s in NAMED]
    if not styles:
        pytest.skip(f"{engine.name}'s driver takes no named placeholders: {engine.paramstyles}")
    return styles[0]


@pytest.mark.parametrize(("text", "value"), CASES, ids=[c[0] for c in CASES])
def test_unbound_template_filled_by_the_caller(table: SqlEngine, text: str, value: Any) -> None:
    f = parse(text)
    types = {"s": "text", "n": "int", "x": "float", "b": "bool"}
    sql, params = to_sql(
        f, table.dialect, params=True, paramstyle=named_style(table), column_types=types
    )
    assert params == {}  # the template is the caller's to fill
    sent = clickhouse_escape(value) if table.name == "clickhouse" else value
    got = table.select_ids("templates", sql, {"INPUT_v": sent})
    want = [r["id"] for r in ROWS if matches(f, r, bindings={"INPUT.v": value})]
    assert got == want, sql


TYPED = [
    # (filter, column_types, SQL): the column's type decides how the parameter is compared
    ("n <= {{INPUT.v}}", {"n": "int"}, '"n" <= %(INPUT_v)s'),
    ("n <= {{INPUT.v}}", None, '"n" <= %(INPUT_v)s'),
    ("n = {{INPUT.v}}", {"n": "int"}, '"n" = %(INPUT_v)s'),
    ("n != {{INPUT.v}}", {"n": "float"}, '"n" IS DISTINCT FROM %(INPUT_v)s'),
    ("b = {{INPUT.v}}", {"b": "bool"}, '"b" = %(INPUT_v)s'),
    ("s = {{INPUT.v}}", None, 'LOWER("s") = LOWER(%(INPUT_v)s)'),
    ("s = {{INPUT.v}}", {"s": "text"}, 'LOWER("s") = LOWER(%(INPUT_v)s)'),
    ("s < {{INPUT.v}}", {"s": "text"}, '"s" COLLATE "C" < %(INPUT_v)s'),
    # a string operator on a number column can never match, whatever the caller sends
    ("n contains {{INPUT.v}}", {"n": "int"}, "FALSE"),
    ("not (n contains {{INPUT.v}})", {"n": "int"}, "TRUE"),
]


@pytest.mark.parametrize(("text", "types", "sql"), TYPED, ids=[f"{t[0]} {t[1]}" for t in TYPED])
def test_column_types_type_the_template(text: str, types: dict[str, str] | None, sql: str) -> None:
    assert to_sql(text, "postgres", params=True, column_types=types) == (sql, {})


def test_a_typed_template_on_a_json_path_is_refused_as_a_typed_value_is() -> None:
    json_columns, number = ["metadata"], {"metadata.n": "int"}
    with pytest.raises(FilterCompileError, match="JSON values are read as text"):
        to_sql("metadata.n = 5", "postgres", json_columns=json_columns, column_types=number)
    with pytest.raises(FilterCompileError, match="JSON values are read as text"):
        to_sql(
            "metadata.n = {{INPUT.v}}", "postgres", params=True, json_columns=json_columns,
            column_types=number,
        )  # fmt: skip
    sql, _ = to_sql(
        "metadata.n = {{INPUT.v}}", "postgres", params=True, json_columns=json_columns,
        column_types={"metadata.n": "text"},
    )  # fmt: skip
    assert "%(INPUT_v)s" in sql


def test_clickhouse_placeholders_carry_the_column_type() -> None:
    types = {"n": "int", "x": "float", "b": "bool", "s": "text"}
    sql, _ = to_sql(
        "n > {{INPUT.a}} and x < {{INPUT.b}} and b = {{INPUT.c}} and s >= {{INPUT.d}} and "
        "t = {{INPUT.e}}",
        "clickhouse",
        params=True,
        column_types=types,
    )
    for placeholder in (
        "{INPUT_a:Int64}",
        "{INPUT_b:Float64}",
        "{INPUT_c:Bool}",
        "{INPUT_d:String}",
        "{INPUT_e:String}",
    ):
        assert placeholder in sql


@pytest.mark.parametrize(
    "text",
    [
        "a = {{INPUT.a_b}} and b = {{INPUT.a.b}}",
        "a = {{INPUT.é}} and b = {{INPUT.ü}}",
        "a = {{INPUT.x.y}} or b > {{INPUT.x_y}}",
    ],
)
def test_two_templates_cannot_share_a_parameter(text: str) -> None:
    with pytest.raises(FilterCompileError, match="would both be the parameter"):
        to_sql(text, "postgres", params=True)
    # bound, they are two values as usual
    bindings = {"INPUT.a_b": 1, "INPUT.a.b": 2, "INPUT.é": 1, "INPUT.ü": 2}
    bindings |= {"INPUT.x.y": 1, "INPUT.x_y": 2}
    _, params = to_sql(text, "postgres", params=True, bindings=bindings)
    assert sorted(params.values()) == [1, 2]  # type: ignore[union-attr]


def test_one_template_twice_is_one_parameter() -> None:
    sql, params = to_sql("a = {{INPUT.x}} or b < {{INPUT.x}}", "postgres", params=True)
    assert sql.count("%(INPUT_x)s") == 2 and params == {}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("a = {{INPUT.x}} and b = {{input.x}} or c = {{inputs.x}}", ["INPUT_x"] * 3),
        ("a = {{inputs.x}} and b = {{INPUT.x}}", ["inputs_x"] * 2),  # the first spelling names it
        ("a = {{item}} and b = {{items}}", ["item", "items"]),  # no namespace: two inputs
    ],
)
def test_one_input_in_two_spellings_is_one_parameter(text: str, names: list[str]) -> None:
    # bindings read {{input.x}} and {{INPUT.x}} as one input (found by review: two parameters)
    sql, params = to_sql(text, "postgres", params=True)
    assert re.findall(r"%\((\w+)\)s", sql) == names and params == {}


# --- big numbers and fractions in a hole ---------------------------------------------------------
# With the value bound, to_sql applies the exact int/float rules of docs/sql.md difference 9. A
# hole is filled after compiling, so the engine converts the value as it likes; on ClickHouse the
# placeholder carries the column's type and a float sent to an Int64 one is refused. (Found by the
# differential fuzz.) The table is each engine's answer where it is not matches()'s.
BIG_ROWS: list[dict[str, Any]] = [
    {"id": 1, "i": 2**53 + 1, "f": 2.0**53},
    {"id": 2, "i": 3, "f": 1.5},
]
#: the engines that compare an int column with a float one, or a float parameter, as doubles
DOUBLES = ("postgres", "mariadb", "spark", "clickhouse")
BIG_CASES: dict[tuple[str, Any], dict[str, list[int] | str]] = {
    # an int column against a whole float: compared as doubles, 2**53 + 1 is 2.0**53
    ("i > {{INPUT.v}}", 2.0**53): {"postgres": [], "spark": [], "clickhouse": "refused"},
    # a float column against an int no double equals: the int becomes the double beside it
    ("f < {{INPUT.v}}", 2**53 + 1): {e: [2] for e in DOUBLES},
    ("f = {{INPUT.v}}", 2**53 + 1): {e: [1] for e in DOUBLES},
    # a fraction against an int column
    ("i = {{INPUT.v}}", 1.5): {"clickhouse": "refused"},
    ("i < {{INPUT.v}}", 3.5): {"clickhouse": "refused"},
}


@pytest.fixture(scope="module")
def big_table(sql_engine: SqlEngine) -> SqlEngine:
    sql_engine.load("bigholes", {"i": "int", "f": "float"}, BIG_ROWS)
    return sql_engine


@pytest.mark.parametrize(("text", "value"), BIG_CASES, ids=[f"{t} {v!r}" for t, v in BIG_CASES])
def test_a_hole_leaves_big_numbers_to_the_engine(
    big_table: SqlEngine, text: str, value: Any
) -> None:
    f, types, style = parse(text), {"i": "int", "f": "float"}, named_style(big_table)
    want = [r["id"] for r in BIG_ROWS if matches(f, r, bindings={"INPUT.v": value})]
    bound = to_sql(f, big_table.dialect, params=True, paramstyle=style, column_types=types,
                   bindings={"INPUT.v": value})  # fmt: skip
    assert big_table.select_ids("bigholes", *bound) == want  # bound: Python's answer
    sql, _ = to_sql(f, big_table.dialect, params=True, paramstyle=style, column_types=types)
    sent = clickhouse_escape(value) if big_table.name == "clickhouse" else value
    try:
        hole: list[int] | str = big_table.select_ids("bigholes", sql, {"INPUT_v": sent})
    except Exception as exc:  # the engine's own error; which class depends on the driver
        assert big_table.name == "clickhouse" and "cannot be parsed as Int64" in str(exc)
        hole = "refused"
    assert hole == BIG_CASES[text, value].get(big_table.name, want)


# A NULL sent for a hole: `=` with NULL is never true in SQL, so `n = {{INPUT.v}}` filled with
# None matches no row, where matches() (and to_sql with the None bound) read it as `is null`.
# Null-safe equality (IS NOT DISTINCT FROM) would fix it but PostgreSQL cannot use an index for
# it, so the hole stays `=` and docs/sql.md says to bind null instead (found by review). `ne` is
# IS DISTINCT FROM already, so it agrees. ClickHouse's typed placeholder ({INPUT_v:Int64}) refuses
# a NULL outright.
NULL_HOLES: dict[tuple[str, str | None], bool] = {
    # (filter, the column type given) -> whether the hole filled with NULL gives matches()'s rows
    ("n = {{INPUT.v}}", "int"): False,
    ("s = {{INPUT.v}}", None): False,
    ("n != {{INPUT.v}}", "int"): True,
}


@pytest.mark.parametrize(("text", "column"), NULL_HOLES, ids=[f"{t} {c}" for t, c in NULL_HOLES])
def test_a_null_sent_for_a_hole(table: SqlEngine, text: str, column: str | None) -> None:
    f, style = parse(text), named_style(table)
    types = None if column is None else {text[0]: column}
    want = [r["id"] for r in ROWS if matches(f, r, bindings={"INPUT.v": None})]
    assert want  # row 3 is null
    bound = to_sql(f, table.dialect, params=True, paramstyle=style, column_types=types,
                   bindings={"INPUT.v": None})  # fmt: skip
    assert table.select_ids("templates", *bound) == want
    sql, _ = to_sql(f, table.dialect, params=True, paramstyle=style, column_types=types)
    try:
        hole: list[int] | str = table.select_ids("templates", sql, {"INPUT_v": None})
    except Exception as exc:  # ClickHouse's Int64 placeholder takes no NULL
        assert table.name == "clickhouse" and "cannot be parsed as Int64" in str(exc)
        hole = "refused"
    if table.name == "clickhouse" and column == "int":
        assert hole == "refused"
    else:
        assert hole == (want if NULL_HOLES[text, column] else [])
