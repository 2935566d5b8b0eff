"""Fuzzing with hypothesis: whatever the input, the only exception is a FilterError.

Runs in CI. The coverage-guided harness (atheris) lives in fuzz/; its corpus and crashers are
replayed here too (test_fuzz_corpus_replays).
"""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mixfilter
from mixfilter import FilterError
from tests.strategies import expression_texts as texts
from tests.strategies import raw_filters

_settings = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "AND",
                    "OR",
                    "NOT",
                    "NOR",
                    "field",
                    "key",
                    "operator",
                    "value",
                    "case_sensitive",
                    "type",
                    "$gt",
                    "And",
                    "a.b",
                ]
            )
            | st.text(max_size=4),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)


def _mutate(text: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["insert", "delete", "dup"]))
        if op == "insert":
            text = text[:i] + data.draw(st.sampled_from(string.printable + "é🚀\x00")) + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + 1 :]
        else:
            text = text[:i] + text[i : i + 5] * 2 + text[i + 5 :]
    return text


def _no_crash(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except FilterError:
        return None


@_settings
@given(texts)
def test_parse_generated_text(text: str) -> None:
    f = _no_crash(mixfilter.parse, text)
    if f is not None:
        assert mixfilter.parse(mixfilter.to_text(f)) == f
        assert mixfilter.validate(f.to_json()) == f


@_settings
@given(raw_filters(), st.data())
def test_parse_mutated_canonical_text(raw: Any, data: st.DataObject) -> None:
    text = mixfilter.to_text(mixfilter.validate(raw))
    _no_crash(mixfilter.parse, _mutate(text, data))


@_settings
@given(json_values)
def test_validate_arbitrary_json(value: Any) -> None:
    f = _no_crash(mixfilter.validate, value)
    if f is not None:
        assert mixfilter.validate(f.to_json()) == f
    _no_crash(mixfilter.validate, json.dumps(value))


@_settings
@given(raw_filters())
def test_every_target_only_raises_filter_errors(raw: Any) -> None:
    f = mixfilter.validate(raw)
    mixfilter.to_text(f)
    _no_crash(mixfilter.to_mongo, f)
    for dialect in DIALECTS:
        _no_crash(mixfilter.to_sql, f, dialect)
    _no_crash(mixfilter.matches, f, {"a": [1, "x", None], "b": {"c": "y"}})


DIALECTS = [
    "postgres", "mysql", "sqlite", "duckdb", "spark", "databricks", "bigquery", "snowflake",
    "trino", "clickhouse", "tsql", "oracle", "redshift",
]  # fmt: skip

CORPUS = Path(__file__).resolve().parent.parent / "fuzz" / "corpus"


@pytest.mark.parametrize(
    "path",
    sorted(p for p in CORPUS.glob("*/*") if p.is_file()),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_fuzz_corpus_replays(path: Path) -> None:
    data = path.read_bytes()
    target = path.parent.name
    if target == "parse":
        _no_crash(mixfilter.parse, data.decode("utf-8", "replace"))
    else:
        _no_crash(mixfilter.validate, data)
