"""Templates in field names: Mixpeek lets ``field`` hold one (``{{DOC.metadata.category}}``).

The filter keeps the field as written (its JSON and text round-trip); every target resolves it
from ``bindings`` first, and with no binding it is a FilterCompileError naming the template —
before, the targets silently queried a field literally named ``{{INPUT.f}}``.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

import mixfilter
from mixfilter import FilterCompileError, matches, to_mongo, to_sql, validate

BINDINGS = {"INPUT.f": "color", "DOC.metadata.category": "cat", "INPUT.k": "title"}
DOCS: list[dict[str, Any]] = [
    {"id": 1, "color": "RED", "cat": 1, "metadata": {"title": "X"}},
    {"id": 2, "color": "blue", "cat": 2, "metadata": {"title": "y"}},
    {"id": 3},
]

# (condition JSON, to_mongo with BINDINGS, ids of DOCS matching)
CASES: list[tuple[dict[str, Any], dict[str, Any], list[int]]] = [
    (
        {"field": "{{INPUT.f}}", "value": "red"},
        {"color": {"$regex": "\\A[rR][eE][dD]\\z"}},
        [1],
    ),
    (
        {"field": "{{DOC.metadata.category}}", "operator": "gte", "value": 2},
        {"cat": {"$gte": 2}},
        [2],
    ),
    (
        {"field": "metadata.{{INPUT.k}}", "operator": "eq", "value": "x"},
        {"metadata.title": {"$regex": "\\A[xX]\\z"}},
        [1],
    ),
    (
        {"field": "{{input.f}}", "operator": "exists", "value": False},
        {"color": {"$exists": False}},
        [3],
    ),
    (
        {"field": "{{INPUT.f}}", "operator": "ne", "value": "red"},
        {"color": {"$not": {"$regex": "\\A[rR][eE][dD]\\z"}}},
        [2, 3],
    ),
]


@pytest.mark.parametrize(("data", "query", "ids"), CASES, ids=range(len(CASES)))
def test_field_templates_resolve_in_every_target(
    data: dict[str, Any], query: dict[str, Any], ids: list[int]
) -> None:
    f = validate(data)
    assert f.to_json()["AND"][0]["field"] == data["field"]  # kept as written
    assert mixfilter.parse(mixfilter.to_text(f)) == f
    assert to_mongo(f, bindings=BINDINGS) == query
    assert [d["id"] for d in DOCS if matches(f, d, bindings=BINDINGS)] == ids
    predicate = mixfilter.compile_predicate(f, bindings=BINDINGS)
    assert [d["id"] for d in DOCS if predicate(d)] == ids


def test_field_templates_on_sqlite() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (id INTEGER, color TEXT, cat INTEGER)")
    db.executemany(
        "INSERT INTO t VALUES (?, ?, ?)", [(1, "RED", 1), (2, "blue", 2), (3, None, None)]
    )
    for data, _, ids in CASES:
        if "metadata" in data["field"]:
            continue  # a JSON column: test_sql_* cover those paths
        sql = to_sql(data, "sqlite", bindings=BINDINGS)
        assert "{{" not in sql
        assert [r[0] for r in db.execute(f"SELECT id FROM t WHERE {sql} ORDER BY id")] == ids


@pytest.mark.parametrize(
    "call",
    [
        lambda f: to_mongo(f),
        lambda f: to_sql(f),
        lambda f: to_sql(f, params=True),
        lambda f: matches(f, {"color": "red"}),
        lambda f: mixfilter.compile_predicate(f),
    ],
    ids=["mongo", "sql", "sql params", "matches", "compile_predicate"],
)
def test_an_unbound_field_template_is_an_error(call: Any) -> None:
    with pytest.raises(FilterCompileError, match=r"no binding for 'INPUT\.f'"):
        call({"field": "{{INPUT.f}}", "value": "red"})


@pytest.mark.parametrize(
    ("bound", "words"),
    [
        (5, "must be a field name"),
        (None, "must be a field name"),
        ("", "empty field name"),
        ("a..b", "empty segment"),
        ("{{INPUT.g}}", "holds a template itself"),
    ],
)
def test_a_bound_field_must_be_a_field_path(bound: Any, words: str) -> None:
    f = {"field": "{{INPUT.f}}", "value": 1}
    for call in (
        lambda: to_mongo(f, bindings={"INPUT.f": bound}),
        lambda: to_sql(f, "sqlite", bindings={"INPUT.f": bound}),
        lambda: matches(f, {}, bindings={"INPUT.f": bound}),
    ):
        with pytest.raises(FilterCompileError, match=words):
            call()
