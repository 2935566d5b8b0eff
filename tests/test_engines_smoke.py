"""Self-test of the engine harness: hand-written SQL and Mongo queries on every real engine; and
``json_columns`` filters run on every SQL engine, row for row against ``matches()``."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import mixfilter
from tests.engine_fixtures import *  # noqa: F403
from tests.engines import LogicalType, MongoEngine, ParamStyle, SqlEngine
from tests.sql_support import run

COLUMNS: dict[str, LogicalType] = {"name": "text", "age": "int", "score": "float", "active": "bool"}
ROWS: list[dict[str, Any]] = [
    {"id": 1, "name": "O'Reilly", "age": 5, "score": 1.5, "active": True},
    {"id": 2, "name": "50% off_sale\\path", "age": 2, "score": None, "active": False},
    {"id": 3, "name": "line1\nZürich 東京", "score": 3.25, "active": None},  # no age at all
    {"id": 4, "name": None, "age": 7, "score": -0.5, "active": True},
]
BACKSLASH_ESCAPING = {"mariadb", "spark", "clickhouse"}  # '\\' is one backslash in their literals


def lit(engine: SqlEngine, text: str) -> str:
    """``text`` as a string literal in the engine's own syntax."""
    if engine.name in BACKSLASH_ESCAPING:
        text = text.replace("\\", "\\\\")
    return "'" + text.replace("'", "''") + "'"


# (WHERE template, raw strings rendered with lit() into its {} slots, expected ids)
CASES: list[tuple[str, tuple[str, ...], list[int]]] = [
    ("age > 3", (), [1, 4]),
    ("NOT (age > 3)", (), [2]),
    ("age IS NULL", (), [3]),
    ("name IS NULL", (), [4]),
    ("score >= 1.5", (), [1, 3]),
    ("score < 0", (), [4]),
    ("active = TRUE", (), [1, 4]),
    ("active = FALSE", (), [2]),
    ("active IS NULL", (), [3]),
    ("name = {}", ("O'Reilly",), [1]),
    ("name = {}", ("o'reilly",), []),
    ("name = {}", ("50% off_sale\\path",), [2]),
    ("name LIKE {}", ("%%%",), [1, 2, 3]),
    ("name LIKE {} ESCAPE {}", ("%\\%%", "\\"), [2]),
    ("name LIKE {} ESCAPE {}", ("%\\_%", "\\"), [2]),
    ("name LIKE {}", ("%Zürich 東京",), [3]),
    ("name LIKE {}", ("line1_Z%",), [3]),
]


@pytest.fixture(scope="module")
def loaded(sql_engine: SqlEngine) -> SqlEngine:
    sql_engine.load("smoke", COLUMNS, ROWS)
    return sql_engine


@pytest.mark.parametrize(
    ("template", "strings", "expected"), CASES, ids=[f"{c[0]}{c[1]}" for c in CASES]
)
def test_where(
    loaded: SqlEngine, template: str, strings: tuple[str, ...], expected: list[int]
) -> None:
    where = template.format(*(lit(loaded, s) for s in strings))
    assert loaded.select_ids("smoke", where) == expected, where


def test_engine_default_quirks(loaded: SqlEngine) -> None:
    """Behaviours a compiler must handle: SQLite's LIKE ignores ASCII case by default
    (MariaDB's doesn't, thanks to utf8mb4_bin), and MariaDB's utf8mb4_bin is a PAD SPACE
    collation, so ``=`` ignores trailing spaces."""
    sqlite_only = [1] if loaded.name == "sqlite" else []
    assert loaded.select_ids("smoke", "name LIKE 'o%'") == sqlite_only
    mariadb_only = [1] if loaded.name == "mariadb" else []
    assert loaded.select_ids("smoke", "name = 'O''Reilly  '") == mariadb_only


def test_sqlite_regexp_udf(sqlite_engine: SqlEngine) -> None:
    sqlite_engine.load("rx", COLUMNS, ROWS)
    assert sqlite_engine.select_ids("rx", "name REGEXP '^O.R'") == [1]
    assert sqlite_engine.select_ids("rx", "regexp('東京$', name)") == [3]
    assert sqlite_engine.select_ids("rx", "NOT (name REGEXP 'Z')") == [1, 2]  # NULL stays unknown


def test_sqlite_like_and_glob_stop_at_a_stored_nul(sqlite_engine: SqlEngine) -> None:
    """SQLite's LIKE and GLOB read a stored value only up to its first U+0000 (docs/sql.md,
    difference 4; found by review). =, ranges and REGEXP see the whole value."""
    rows = [{"id": 1, "name": "b\x00a"}, {"id": 2, "name": "a\x00b"}]
    sqlite_engine.load("nul", {"name": "text"}, rows)
    for f, sqlite_rows in [
        ('name contains "a"', [2]),
        ('name ends with "a"', [2]),
        ('case sensitive (name ends with "a")', [2]),  # GLOB
        ('name = "b\\u0000a"', [1]),
        ('name > "b"', [1]),
        ('name ~ "a$"', [1]),
    ]:
        want = [r["id"] for r in rows if mixfilter.matches(f, r)]
        got = run(sqlite_engine, "nul", f)
        assert got == sqlite_rows, f
        assert (got == want) is ("contains" not in f and "ends" not in f), f


def placeholder(style: ParamStyle, index: int, name: str) -> str:
    return {
        "qmark": "?",
        "numeric": f":{index + 1}",
        "named": f":{name}",
        "format": "%s",
        "pyformat": f"%({name})s",
    }[style]


def bind(style: ParamStyle, values: dict[str, Any]) -> dict[str, Any] | list[Any]:
    return values if style in ("named", "pyformat") else list(values.values())


def test_bound_parameters(loaded: SqlEngine) -> None:
    """Bind a quote and a backslash; a literal ``%`` must be doubled for format/pyformat drivers."""
    style = loaded.paramstyle

    def mark(index: int, name: str, clickhouse_type: str) -> str:
        if style is None:  # ClickHouse: its own {name:Type} placeholders, bound from a dict
            return f"{{{name}:{clickhouse_type}}}"
        return placeholder(style, index, name)

    def params(**values: Any) -> dict[str, Any] | list[Any]:
        return values if style is None else bind(style, values)

    where = f"name = {mark(0, 'v', 'String')} OR name = {mark(1, 'w', 'String')}"
    assert loaded.select_ids("smoke", where, params(v="O'Reilly", w="50% off_sale\\path")) == [1, 2]
    # A literal % beside a bound parameter. (In a LIKE pattern a stray %% would go unnoticed.)
    pct = "%%" if style in ("format", "pyformat") else "%"
    text = lit(loaded, f"50{pct} off_sale\\path")
    where = f"name = {text} OR age = {mark(0, 'n', 'Int64')}"
    assert loaded.select_ids("smoke", where, params(n=5)) == [1, 2]


@pytest.mark.parametrize("style", ["qmark", "numeric", "named", "format", "pyformat"])
def test_paramstyles_accepted(loaded: SqlEngine, style: ParamStyle) -> None:
    """``paramstyles`` lists exactly the PEP 249 styles that the driver binds correctly."""
    where = f"age = {placeholder(style, 0, 'p')}"
    try:
        got: list[int] | None = loaded.select_ids("smoke", where, bind(style, {"p": 5}))
    except Exception:
        got = None
    assert (got == [1]) == (style in loaded.paramstyles), f"{loaded.name} {style}: got {got}"


MONGO_CASES: list[tuple[dict[str, Any], list[int]]] = [
    ({"age": {"$gt": 3}}, [1, 4]),
    ({"name": None}, [4]),
    ({"age": {"$exists": False}}, [3]),
    ({"name": {"$regex": "^o'", "$options": "i"}}, [1]),
    ({"name": "50% off_sale\\path"}, [2]),
    ({"active": True}, [1, 4]),
    ({"$or": [{"score": {"$lt": 0}}, {"name": {"$regex": "東京$"}}]}, [3, 4]),
]


@pytest.mark.parametrize(("query", "expected"), MONGO_CASES, ids=[str(q) for q, _ in MONGO_CASES])
def test_mongo_find(mongo_engine: MongoEngine, query: dict[str, Any], expected: list[int]) -> None:
    mongo_engine.load("smoke", ROWS)
    assert mongo_engine.find_ids("smoke", query) == expected


# --- json_columns on every engine ----------------------------------------------------------------
# A text column holding JSON documents; every filter reads ``m.t`` or ``m.a.b`` through
# json_columns=["m"], inline and with parameters, and must select exactly the rows matches()
# selects on the same documents, read as docs/sql.md says a column reads: a missing value is
# null (NULL), and ``exists v`` is ``is_null (not v)``. JSON arrays are left out (docs/sql.md:
# arrays have no plain-column equivalent).

JSON_STRING_DOCS: dict[int, dict[str, Any]] = {
    1: {"t": "Alpha", "a": {"b": "x"}},
    2: {"t": "alpha beta", "a": {"b": "X y"}},
    3: {"t": "1"},
    4: {"t": "true", "a": {}},
    5: {"t": None, "a": {"b": None}},
    6: {},
    7: {"t": "Zürich 東京"},  # stored as \u escapes (json.dumps), read back unescaped
    8: {"t": '50% off_sale "q" \\ \' !'},
    9: {"t": "line1\nline2"},
    10: {"t": ""},
    11: {"t": "b", "a": {"b": "alpha"}},
}
#: Values of other JSON types at the same paths: a string comparison must not see their text.
JSON_TYPED_DOCS: dict[int, dict[str, Any]] = {
    21: {"t": 1, "a": {"b": 1.5}},
    22: {"t": 1.0},
    23: {"t": True, "a": {"b": False}},
    24: {"t": {"u": "alpha"}, "a": {"b": {"c": "x"}}},
    25: {"t": 0, "a": {"b": 10}},
}
JSON_PATHS = ("t", "a.b")

JSON_FILTERS: list[str] = [
    'm.t = "alpha"',
    'case sensitive (m.t = "Alpha")',
    'm.t = "1"',
    'm.t = "true"',
    'm.t = ""',
    "m.t = null",
    'm.t != "1"',
    'm.t != "alpha"',
    "m.t != null",
    'm.t in ["1", "ALPHA"]',
    'm.t in ["x", null]',
    'm.t not in ["1"]',
    'm.t not in ["1", null]',
    'm.t > "1"',
    'm.t >= "alpha"',
    'm.t < "b"',
    'm.t <= "1"',
    'm.t contains "a"',
    'm.t contains ""',
    'm.t contains "50%"',
    'm.t contains "\\\\"',
    'm.t starts with "al"',
    'm.t ends with "A"',
    'm.t matches "^al"',
    'm.t matches "[0-9]"',
    'm.t matches "e1$"',
    'm.t text "alpha"',
    "m.t exists",
    "not (m.t exists)",
    "m.t is null",
    "not (m.t is null)",
    'm.a.b = "x"',
    'm.a.b != "x"',
    "m.a.b = null",
    "m.a.b exists",
    'm.a.b contains "a"',
    'not (m.t = "alpha" or m.a.b = "x")',
    'm.t = "alpha" and m.a.b starts with "x"',
]
#: SQLite's LOWER folds ASCII only (docs/sql.md): its case-insensitive runs see no folding
#: of non-ASCII letters here, since the documents hold none in upper case but "Z".


def _oracle_doc(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with every missing tested path set to null (a missing JSON value is NULL)."""
    out = copy.deepcopy(doc)
    for path in JSON_PATHS:
        *parents, last = path.split(".")
        node = out
        for key in parents:
            node = node.setdefault(key, {})
        node.setdefault(last, None)
    return {"m": out}


def _oracle_filter(f: mixfilter.Filter) -> dict[str, Any]:
    def walk(node: Any) -> Any:
        if isinstance(node, dict) and node.get("operator") == "exists":
            return {**node, "operator": "is_null", "value": not node["value"]}
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(x) for x in node]
        return node

    converted: dict[str, Any] = walk(f.to_json())
    return converted


def _json_expected(text: str, docs: dict[int, dict[str, Any]]) -> list[int]:
    check = mixfilter.compile_predicate(_oracle_filter(mixfilter.parse(text)))
    return sorted(i for i, doc in docs.items() if check(_oracle_doc(doc)))


def _load_json(engine: SqlEngine, table: str, docs: dict[int, dict[str, Any]]) -> None:
    engine.load(table, {"m": "text"}, [{"id": i, "m": json.dumps(d)} for i, d in docs.items()])


#: Engines whose output checks the JSON type (docs/sql.md); Spark reads any scalar as text.
JSON_TYPED_ENGINES = {"postgres", "mariadb", "duckdb", "sqlite", "clickhouse"}


def _json_failures(
    engine: SqlEngine, table: str, docs: dict[int, Any], params: bool
) -> list[tuple[str, list[int], list[int], str]]:
    """Every JSON_FILTERS filter on ``docs``: (filter, engine rows, matches() rows, SQL) where
    they differ."""
    _load_json(engine, table, docs)
    failures = []
    for text in JSON_FILTERS:
        want = _json_expected(text, docs)
        got = run(engine, table, text, params=params, json_columns=["m"])
        if got != want:
            sql = mixfilter.to_sql(text, engine.dialect, json_columns=["m"])
            failures.append((text, got, want, sql))
    return failures


@pytest.mark.parametrize("params", [False, True], ids=["inline", "params"])
def test_json_columns_strings(sql_engine: SqlEngine, params: bool) -> None:
    """Documents whose tested values are strings, null, missing or an object on the way."""
    assert not _json_failures(sql_engine, "jsonstr", JSON_STRING_DOCS, params)


@pytest.mark.parametrize("params", [False, True], ids=["inline", "params"])
def test_json_columns_other_json_types(sql_engine: SqlEngine, params: bool) -> None:
    """Numbers, booleans and objects at the tested paths: a string comparison never matches
    them (matches() does not coerce), a negation keeps them, ``exists`` sees them present."""
    if sql_engine.name not in JSON_TYPED_ENGINES:
        pytest.skip(
            f"{sql_engine.name}: JSON values read as text whatever their type (docs/sql.md)"
        )
    docs = {**JSON_STRING_DOCS, **JSON_TYPED_DOCS}
    assert not _json_failures(sql_engine, "jsontyped", docs, params)


#: A JSON integer no 64-bit type holds, beside the string of its digits.
JSON_HUGE_INT_DOCS: dict[int, dict[str, Any]] = {
    31: {"t": 2**64},
    32: {"t": -(2**63) - 1},
    33: {"t": "18446744073709551616"},
}


def test_json_integers_beyond_64_bits(sql_engine: SqlEngine) -> None:
    """A JSON number is no string to a string comparison, however large it is; except on
    ClickHouse, whose JSON parser reports an integer beyond 64 bits as a String (JSONType),
    so there it compares as its digits (docs/sql.md, difference 8; found by the differential
    fuzz)."""
    if sql_engine.name not in JSON_TYPED_ENGINES:
        pytest.skip(f"{sql_engine.name}: JSON values read as text whatever their type")
    _load_json(sql_engine, "jsonhuge", JSON_HUGE_INT_DOCS)
    cases = {
        'm.t = "18446744073709551616"': ([33], [31, 33]),
        'm.t starts with "-9"': ([], [32]),
        'm.t > "1"': ([33], [31, 33]),
        "m.t exists": ([31, 32, 33], [31, 32, 33]),
    }
    got = {text: run(sql_engine, "jsonhuge", text, json_columns=["m"]) for text in cases}
    column = 1 if sql_engine.name == "clickhouse" else 0
    assert got == {text: rows[column] for text, rows in cases.items()}
    assert {text: _json_expected(text, JSON_HUGE_INT_DOCS) for text in cases} == {
        text: rows[0] for text, rows in cases.items()
    }


# --- integers beyond 2**53 against integral floats ------------------------------------------------
# Python compares an int with a float exactly (2**53 + 1 != 2.0**53); an engine that compares a
# BIGINT column with a double parameter as doubles does not. Integral floats below 2**63 are
# bound as ints (params.py), and inline literals are exact decimals on every engine.

BIG_ROWS: list[dict[str, Any]] = [
    {"id": 1, "n": 2**53 + 1},
    {"id": 2, "n": 2**53},
    {"id": 3, "n": 2**63 - 1},
    {"id": 4, "n": -(2**53) - 1},
    {"id": 5, "n": 3},
    {"id": 6, "n": -(2**63)},
]
BIG_FILTERS: list[dict[str, Any]] = [
    {"field": "n", "operator": op, "value": value}
    for op in ("eq", "ne", "gt", "gte", "lt", "lte")
    for value in (2.0**53, -(2.0**53), 2.0**62, 3.0)
] + [
    {"field": "n", "operator": "in", "value": [2.0**53, 3.0]},
    {"field": "n", "operator": "nin", "value": [2.0**53, -(2.0**53)]},
    {"field": "n", "operator": "eq", "value": 2**53 + 1},
]


@pytest.mark.parametrize("params", [False, True], ids=["inline", "params"])
def test_big_integers_against_integral_floats(sql_engine: SqlEngine, params: bool) -> None:
    sql_engine.load("bigint", {"n": "int"}, BIG_ROWS)
    failures = []
    for f in BIG_FILTERS:
        want = sorted(r["id"] for r in BIG_ROWS if mixfilter.matches(f, r))
        got = run(sql_engine, "bigint", f, params=params)
        if got != want:
            failures.append((f, got, want))
    assert not failures, failures
