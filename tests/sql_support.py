"""Shared helpers of the SQL tests: the conformance table, and compiling for a test engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mixfilter import Filter
from mixfilter.targets.sql import Params, to_sql
from tests.engines import LogicalType, SqlEngine

CONFORMANCE = Path(__file__).resolve().parents[1] / ".." / "shared" / "conformance"

#: The typed table of the conformance cases with target "sql" (conformance/README.md).
CONFORMANCE_COLUMNS: dict[str, LogicalType] = {
    "status": "text",
    "role": "text",
    "department": "text",
    "name": "text",
    "created_at": "text",
    "age": "int",
    "priority": "int",
    "score": "float",
    "verified": "bool",
}


def load_json(name: str) -> Any:
    return json.loads((CONFORMANCE / name).read_text(encoding="utf-8"))


def conformance_rows() -> list[dict[str, Any]]:
    """The conformance documents as rows of the flat typed table (missing and null -> NULL)."""
    return [
        {"id": doc["id"], **{c: doc.get(c) for c in CONFORMANCE_COLUMNS}}
        for doc in load_json("docs.json")
    ]


_CH_ESCAPES = {
    "\\": "\\\\",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\0": "\\0",
    "\b": "\\b",
    "\f": "\\f",
}


def clickhouse_escape(value: Any) -> Any:
    """A string parameter as ClickHouse parses it (the TSV "Escaped" text format), as its
    drivers send it; chdb passes the dict through unescaped."""
    if not isinstance(value, str):
        return value
    return "".join(_CH_ESCAPES.get(ch, ch) for ch in value)


def engine_style(engine: SqlEngine) -> str:
    return engine.paramstyle or "clickhouse"


def run(
    engine: SqlEngine,
    table: str,
    f: Filter | dict[str, Any] | str,
    *,
    params: bool = False,
    **options: Any,
) -> list[int]:
    """Compile ``f`` for ``engine`` (inline, or with the engine's own paramstyle) and run it."""
    if params:
        sql, values = to_sql(
            f, engine.dialect, params=True, paramstyle=engine_style(engine), **options
        )
        if engine.name == "clickhouse" and isinstance(values, dict):
            values = {k: clickhouse_escape(v) for k, v in values.items()}
        return engine.select_ids(table, sql, values)
    bound: Params | None = None
    return engine.select_ids(table, to_sql(f, engine.dialect, **options), bound)
