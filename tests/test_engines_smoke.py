"""Self-test of the engine harness: hand-written SQL and Mongo queries on every real engine."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine_fixtures import *  # noqa: F403
from tests.engines import LogicalType, MongoEngine, ParamStyle, SqlEngine

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
