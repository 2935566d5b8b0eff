"""The public conformance cases with target ``sql``, run for real on every SQL engine."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engines import SqlEngine
from tests.sql_support import CONFORMANCE_COLUMNS, conformance_rows, load_json, run

CASES: list[dict[str, Any]] = [c for c in load_json("cases.json") if "sql" in c["targets"]]


@pytest.fixture(scope="module")
def table(sql_engine: SqlEngine) -> SqlEngine:
    sql_engine.load("conformance", CONFORMANCE_COLUMNS, conformance_rows())
    return sql_engine


def test_cases_are_loaded() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("params", [False, True], ids=["inline", "params"])
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_conformance(table: SqlEngine, case: dict[str, Any], params: bool) -> None:
    got = run(table, "conformance", case["json"], params=params)
    assert got == case["expect"], case.get("note")
