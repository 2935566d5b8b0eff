"""The shared injection corpus (tests/corpus.py) on the MongoDB engine, executed for real.

Hostile values in every operator, hostile field names as document keys: every query holds only
the operators the compiler chose, runs without an error, and returns exactly what ``matches()``
returns. Field names MongoDB cannot address (a segment starting with ``$``) are refused with a
FilterCompileError, never sent.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

import mixfilter
from mixfilter import FilterCompileError
from tests.corpus import HOSTILE_FIELDS, HOSTILE_VALUES
from tests.engines import MongoEngine

OPERATORS = ["eq", "ne", "in", "nin", "contains", "starts_with", "ends_with", "gt", "lt", "regex"]
ALLOWED = set(
    [
        "$and",
        "$or",
        "$nor",
        "$not",
        "$eq",
        "$ne",
        "$gt",
        "$gte",
        "$lt",
        "$lte",
        "$in",
        "$nin",
        "$exists",
        "$type",
        "$regex",
        "$options",
    ]
)


def operators_in(query: Any) -> set[str]:
    found: set[str] = set()
    stack = [query]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.update(k for k in item if k.startswith("$"))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def literal_pattern(value: str) -> str:
    return re.sub(r"([\\^$.|?*+()\[\]{}])", r"\\\1", value)


@pytest.fixture(scope="module")
def hostile(mongo_engine: MongoEngine) -> tuple[MongoEngine, list[dict[str, Any]]]:
    docs = [{"id": i + 1, "v": v} for i, v in enumerate(HOSTILE_VALUES)]
    docs.append({"id": len(docs) + 1, "v": list(HOSTILE_VALUES[:5])})
    mongo_engine.load("hostile", docs)
    return mongo_engine, docs


@pytest.mark.parametrize("op", OPERATORS)
def test_hostile_values(hostile: tuple[MongoEngine, list[dict[str, Any]]], op: str) -> None:
    engine, docs = hostile
    checked = 0
    for cs in (False, True):
        for value in HOSTILE_VALUES:
            if "{{" in value:
                continue  # a template: needs bindings
            if op == "regex":
                value = literal_pattern(value)
            v: Any = [value, "x"] if op in ("in", "nin") else value
            f = {"AND": [{"field": "v", "operator": op, "value": v}], "case_sensitive": cs}
            query = mixfilter.to_mongo(f)
            assert operators_in(query) <= ALLOWED, query
            json.dumps(query)  # plain JSON: no object the caller did not ask for
            want = sorted(d["id"] for d in docs if mixfilter.matches(f, d))
            assert engine.find_ids("hostile", query) == want, (op, cs, value, query)
            checked += 1
    assert checked >= len(HOSTILE_VALUES)


def test_hostile_fields(mongo_engine: MongoEngine) -> None:
    sent = 0
    for field in HOSTILE_FIELDS:
        docs: list[dict[str, Any]] = [{"id": 1, field: "x"}, {"id": 2, field: None}, {"id": 3}]
        for f in (
            {"field": field, "operator": "eq", "value": "X"},
            {"field": field, "operator": "ne", "value": "x"},
            {"field": field, "operator": "exists", "value": True},
        ):
            try:
                query = mixfilter.to_mongo(f)
            except FilterCompileError:
                assert field.startswith("$"), field  # the only refusal: Mongo cannot address it
                continue
            mongo_engine.load("fields", docs)
            want = sorted(d["id"] for d in docs if mixfilter.matches(f, d))
            assert mongo_engine.find_ids("fields", query) == want, (field, query)
            sent += 1
    assert sent == 3 * (len(HOSTILE_FIELDS) - 1)


@pytest.mark.parametrize(
    "value",
    ["$where", "$gt", "{$gt: ''}", "this.a == 1", "function() { return true }"],
)
def test_operator_like_strings_stay_values(mongo_engine: MongoEngine, value: str) -> None:
    docs = [{"id": 1, "v": value}, {"id": 2, "v": "other"}]
    mongo_engine.load("ops", docs)
    f = {"field": "v", "operator": "eq", "value": value}
    query = mixfilter.to_mongo(f)
    assert operators_in(query) <= ALLOWED
    assert mongo_engine.find_ids("ops", query) == [1]
